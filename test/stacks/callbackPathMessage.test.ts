/** What a refused callback path is told. */
import { expect } from "chai";
import { checkCallbackPath } from "../../stacks/redirects";

describe("callback path refusals (checkCallbackPath)", () => {
    it("says a path must start with a single '/' and what is allowed", () => {
        for (const value of ["auth/callback", "//auth/callback"]) {
            expect(checkCallbackPath(value)).to.equal(`${JSON.stringify(value)} must start with a single "/"; allowed: an absolute path such as "/auth/callback" (no query, fragment or wildcard)`);
        }
    });
});
