/** A base URL with a path, credentials, or even an empty query or fragment is told it must be a base URL. */
import { expect } from "chai";
import { checkHttpsBaseUrl } from "../../stacks/rules";

describe("base URLs (checkHttpsBaseUrl)", () => {
    it("refuses a path, credentials and an empty or filled query or fragment with the same words", () => {
        for (const url of ["https://auth.example.net/path", "https://u@auth.example.net", "https://:p@auth.example.net", "https://auth.example.net/?", "https://auth.example.net/?a=1", "https://auth.example.net/#", "https://auth.example.net/#x"]) {
            expect(checkHttpsBaseUrl(url), url).to.equal(`${JSON.stringify(url)} must be a base URL; allowed: https://<host>[:<port>] with no path, query, fragment or credentials`);
        }
        expect(checkHttpsBaseUrl("https://auth.example.net")).to.equal(undefined);
    });
});
