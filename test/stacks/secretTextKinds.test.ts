/** Secret config values may hold any printable character: only control characters are refused there. */
import { expect } from "chai";
import { boundary } from "../support/boundary";

describe("config boundary: secret values", () => {
    it("lets each secret key hold template-like text, and still refuses a control character in it", () => {
        const text = "a{{b}}$__c";
        for (const raw of [
            { "authentik:token": text },
            { "homelab-sso:infisicalClientId": text },
            { "homelab-sso:infisicalClientSecret": text },
            { "homelab-sso:clientSecrets": { grafana: text } },
        ]) {
            expect(boundary(raw).problems, Object.keys(raw)[0]).to.deep.equal([]);
        }
        expect(boundary({ "homelab-sso:infisicalClientSecret": "a\tb" }).problems.map((p) => p.key)).to.deep.equal(["homelab-sso:infisicalClientSecret"]);
        // The same text in a plain key is refused.
        expect(boundary({ "homelab-sso:publicHost": text }).problems).to.have.length(1);
    });
});
