/**
 * In pulumi mode the bootstrap token is protected only when it is the API token Pulumi uses
 * (`apiTokenSource: generated`): with the token from config, replacing it breaks nothing.
 */
import { expect } from "chai";
import { KNOWN_SECRETS, evaluateStack, readStackFile } from "../../support/stacks";

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

describe("Authentik platform: which generated credentials are protected", () => {
    const protectedPasswords = async (apiTokenSource: string) => {
        const evaluation = await evaluateStack("dev", {
            set: { "homelab-sso:authentik": { ...(readStackFile("dev")["homelab-sso:authentik"] as object), apiTokenSource } },
            secrets: { "authentik:token": KNOWN_SECRETS["authentik:token"] },
        });
        const passwords = evaluation.resources.filter((r) => r.type === RANDOM_PASSWORD && r.name.startsWith("authentik-"));
        return Object.fromEntries(passwords.map((p) => [p.name, p.protect]));
    };

    it("protects the bootstrap token when it is the API token, and leaves it replaceable when the token comes from config", async () => {
        expect(await protectedPasswords("generated")).to.deep.include({ "authentik-bootstrap-token": true, "authentik-secret-key": true, "authentik-pg-password": true });
        expect(await protectedPasswords("config")).to.deep.equal({
            "authentik-secret-key": true,
            "authentik-bootstrap-password": false,
            "authentik-bootstrap-token": false,
            "authentik-pg-password": true,
        });
    });
});

