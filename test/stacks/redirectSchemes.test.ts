/** A private-use redirect scheme (RFC 8252 §7.1) is a whole reverse-domain name, not one that ends in it. */
import { expect } from "chai";
import { checkRedirectUri } from "../../stacks/redirects";

describe("private-use redirect URI schemes", () => {
    it("accepts a reverse-domain scheme and refuses one that only ends in a reverse-domain name", () => {
        expect(checkRedirectUri("app.immich:///oauth-callback", "web")).to.equal(undefined);
        expect(checkRedirectUri("com.example.app:///cb", "native")).to.equal(undefined);
        for (const uri of ["x+app.immich:///oauth-callback", "x+com.example.app:///cb"]) {
            expect(checkRedirectUri(uri, "web"), uri).to.match(/which is neither https nor a private-use reverse-domain scheme/);
        }
    });
});
