/** Label values and keys of a delivered Secret, and the ArgoCD CLI's callback as a whole URI. */
import { expect } from "chai";
import { checkLabelKey, checkLabelValue } from "../../stacks/secretDelivery";
import { stackConfigProblems } from "../support/stacks";

/** The dev stack's two services, the ArgoCD native client listing only `redirectUri`. */
function devServices(redirectUri: string) {
    return {
        grafana: { name: "Grafana", group: "Monitoring", publicUrl: "https://grafana.localtest.me", callbackPath: "/login/generic_oauth" },
        argocd: {
            name: "Argo CD",
            group: "Infrastructure",
            publicUrl: "https://argocd.localtest.me",
            callbackPath: "/auth/callback",
            issuerMode: "global",
            nativeClient: { slug: "argocd-cli", clientId: "argocd-cli", redirectUris: [redirectUri] },
        },
    };
}

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

    it("wants the CLI's callback itself among the native redirect URIs, not a URI that ends with it or goes on below it", () => {
        const nativeRedirectProblems = (redirectUri: string) => stackConfigProblems("dev", { set: { "homelab-sso:services": devServices(redirectUri) } }).map((p) => p.key);
        expect(nativeRedirectProblems("http://localhost:8085/auth/callback")).to.deep.equal([]);
        for (const redirectUri of ["http://127.0.0.1:8085/http://localhost:8085/auth/callback", "http://localhost:8085/auth/callback/extra"]) {
            expect(nativeRedirectProblems(redirectUri), redirectUri).to.deep.equal(["homelab-sso:services.argocd.nativeClient.redirectUris"]);
        }
    });
});
