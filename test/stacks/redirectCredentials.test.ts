/** A redirect URI never carries credentials, a user name alone included. */
import { expect } from "chai";
import { checkRedirectUri } from "../../stacks/redirects";

describe("redirect URIs with credentials (checkRedirectUri)", () => {
    it("refuses a user name, a password, or both, naming credentials", () => {
        for (const uri of ["https://user@app.example.net/cb", "https://:secret@app.example.net/cb", "https://user:secret@app.example.net/cb"]) {
            expect(checkRedirectUri(uri, "web"), uri).to.match(new RegExp(`^${JSON.stringify(uri).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} contains credentials; allowed: `));
        }
    });
});
