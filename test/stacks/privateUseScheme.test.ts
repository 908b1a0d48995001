/** A private-use redirect scheme is reverse-domain from its first character (RFC 8252 §7.1). */
import { expect } from "chai";
import { checkRedirectUri } from "../../stacks/redirects";

describe("private-use redirect schemes", () => {
    it("refuses a scheme whose reverse-domain part starts after another character", () => {
        // `+` is a legal scheme character, but `a+b.immich` is not a reverse domain name; `b.immich` would be.
        for (const kind of ["web", "native"] as const) {
            expect(checkRedirectUri("a+b.immich:/oauth-callback", kind), kind).to.match(/^"a\+b\.immich:\/oauth-callback" uses the scheme "a\+b\.immich", which is neither https nor a private-use reverse-domain scheme/);
            expect(checkRedirectUri("b.immich:/oauth-callback", kind), kind).to.equal(undefined);
            // ... and that runs to the scheme's end: `b.immich+x` is not one either.
            expect(checkRedirectUri("b.immich+x:/oauth-callback", kind), kind).to.match(/uses the scheme "b\.immich\+x", which is neither https nor a private-use reverse-domain scheme/);
        }
    });
});
