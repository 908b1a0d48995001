/** Label values and keys of a delivered Secret, and the ArgoCD CLI's callback as a whole URI. */
import { expect } from "chai";
import { checkLabelKey, checkLabelValue } from "../../stacks/secretDelivery";
import { stackConfigProblems } from "../support/stacks";

describe("Secret labels and the ArgoCD CLI callback", () => {
    it("accepts an empty and a one-character label value", () => {
        expect(checkLabelValue("")).to.equal(undefined);
        expect(checkLabelValue("a")).to.equal(undefined);
        expect(checkLabelValue("-a")).to.not.equal(undefined);
    });

    it("refuses each reserved JavaScript name as a label key", () => {
        for (const key of ["__proto__", "constructor", "prototype"]) {
            expect(checkLabelKey(key), key).to.equal(`${JSON.stringify(key)} is not allowed as a key`);
        }
    });

    it("wants the CLI's callback itself among the native redirect URIs, not a URI that ends with it", () => {
        const devServices = (redirectUri: string) => ({
            grafana: { name: "Grafana", group: "Monitoring", publicUrl: "https://grafana.localtest.me", callbackPath: "/login/generic_oauth" },
            argocd: {
                name: "Argo CD",
                group: "Infrastructure",
                publicUrl: "https://argocd.localtest.me",
                callbackPath: "/auth/callback",
                issuerMode: "global",
                nativeClient: { slug: "argocd-cli", clientId: "argocd-cli", redirectUris: [redirectUri] },
            },
        });
        expect(stackConfigProblems("dev", { set: { "homelab-sso:services": devServices("http://localhost:8085/auth/callback") } })).to.deep.equal([]);
        expect(stackConfigProblems("dev", { set: { "homelab-sso:services": devServices("http://127.0.0.1:8085/http://localhost:8085/auth/callback") } }).map((p) => p.key)).to.deep.equal([
            "homelab-sso:services.argocd.nativeClient.redirectUris",
        ]);
    });
});
