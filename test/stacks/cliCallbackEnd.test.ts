/** The ArgoCD CLI's callback ends at /auth/callback: a longer path is another URI. */
import { expect } from "chai";
import { stackConfigProblems } from "../support/stacks";

describe("the ArgoCD CLI callback's end", () => {
    it("does not take a path below /auth/callback for the CLI's callback", () => {
        const services = {
            grafana: { name: "Grafana", group: "Monitoring", publicUrl: "https://grafana.localtest.me", callbackPath: "/login/generic_oauth" },
            argocd: {
                name: "Argo CD",
                group: "Infrastructure",
                publicUrl: "https://argocd.localtest.me",
                callbackPath: "/auth/callback",
                issuerMode: "global",
                nativeClient: { slug: "argocd-cli", clientId: "argocd-cli", redirectUris: ["http://localhost:8085/auth/callback/extra"] },
            },
        };
        expect(stackConfigProblems("dev", { set: { "homelab-sso:services": services } }).map((p) => p.key)).to.deep.equal(["homelab-sso:services.argocd.nativeClient.redirectUris"]);
    });
});
