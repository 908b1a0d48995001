import { expect } from "chai";
import * as path from "path";
import { Evaluation, evaluateProgram } from "../../scripts/lib/mockRuntime";
import { HOMELAB_SSO_OUTPUT_NAMES, HomelabSsoOutputs } from "../../stacks/outputs";
import { withGeneratedServices } from "../support/services";
import { committedStack, evaluateStack } from "../support/stacks";

describe("stack outputs (stacks/outputs.ts)", () => {
    let prod: Evaluation;
    before(async () => {
        prod = await committedStack("prod");
    });

    it("exports exactly the documented names", () => {
        expect(Object.keys(prod.outputs)).to.have.members([...HOMELAB_SSO_OUTPUT_NAMES]);
    });

    it("keeps the foundation's authentik export unchanged", () => {
        expect(prod.outputs.authentik).to.deep.equal({
            namespace: "authentik",
            releaseName: "authentik",
            serverServiceName: "authentik-server",
            inClusterUrl: "http://authentik-server.authentik.svc.cluster.local",
            publicUrl: "https://holdens-mac-mini.story-larch.ts.net",
            nodePorts: { http: 30500, https: 30501 },
        });
    });

    it("exports each prod client with its id, issuer, discovery URL, endpoints and secret location", () => {
        const outputs = prod.outputs as unknown as HomelabSsoOutputs;
        expect(outputs.authentikPublicUrl).to.equal("https://holdens-mac-mini.story-larch.ts.net");
        const endpoints = (slug: string) => ({
            authorize: "https://holdens-mac-mini.story-larch.ts.net/application/o/authorize/",
            token: "https://holdens-mac-mini.story-larch.ts.net/application/o/token/",
            userinfo: "https://holdens-mac-mini.story-larch.ts.net/application/o/userinfo/",
            endSession: `https://holdens-mac-mini.story-larch.ts.net/application/o/${slug}/end-session/`,
            jwks: `https://holdens-mac-mini.story-larch.ts.net/application/o/${slug}/jwks/`,
        });
        expect(outputs.oidcClients.argocd).to.deep.equal({
            slug: "argocd",
            clientId: "argocd",
            clientType: "confidential",
            // ArgoCD's Dex is the client (ADR 0003): the per-provider issuer, Dex's callback, no native client.
            issuer: "https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/",
            discoveryUrl: "https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/.well-known/openid-configuration",
            redirectUris: ["https://holdens-mac-mini.story-larch.ts.net:8443/api/dex/callback"],
            endpoints: endpoints("argocd"),
            secretRef: { namespace: "argocd", name: "argocd-oidc-authentik", key: "clientSecret" },
        });
        expect(outputs.oidcClients.grafana.secretRef).to.deep.equal({ namespace: "monitoring", name: "grafana-oauth", key: "client-secret" });
        expect(outputs.oidcClients.grafana.clientType).to.equal("confidential");
        expect(outputs.oidcClients.grafana).to.not.have.property("nativeClient");
        expect(outputs.oidcClients.grafana.issuer).to.equal("https://holdens-mac-mini.story-larch.ts.net/application/o/grafana/");
        expect(outputs.bookmarks).to.deep.equal(["infisical", "mkdocs", "trivy", "openclaw", "launchfast"]);
    });

    it("gives secretRef only to services whose consumer Secret is known", async () => {
        const evaluation = await evaluateStack("prod", { set: withGeneratedServices(3) });
        const clients = (evaluation.outputs as unknown as HomelabSsoOutputs).oidcClients;
        expect(Object.keys(clients)).to.deep.equal(["svc-01", "svc-02", "svc-03"]);
        for (const client of Object.values(clients)) {
            expect(client).not.to.have.property("secretRef");
        }
        // svc-03 has a native client: public, and never a secretRef.
        expect(clients["svc-03"].nativeClient).to.deep.include({ clientType: "public", slug: "svc-03-native", clientId: "svc-03-native" });
        expect(clients["svc-03"].nativeClient).to.not.have.property("secretRef");
    });

    it("gives secretRef to deployed consumers: the Secret the program writes for ArgoCD and Grafana", async () => {
        const clients = (prod.outputs as unknown as HomelabSsoOutputs).oidcClients;
        expect(clients.argocd.secretRef).to.deep.equal({ namespace: "argocd", name: "argocd-oidc-authentik", key: "clientSecret" });
        expect(clients.grafana.secretRef).to.deep.equal({ namespace: "monitoring", name: "grafana-oauth", key: "client-secret" });
        const withoutArgoCd = await evaluateStack("prod", { set: { "homelab-sso:argocd": { enabled: false, acknowledgeDataLoss: "argocd" }, "homelab-sso:bootstrap": undefined } });
        const kept = (withoutArgoCd.outputs as unknown as HomelabSsoOutputs).oidcClients;
        expect(kept.argocd).to.not.have.property("secretRef");
        expect(kept.grafana.secretRef).to.deep.equal({ namespace: "monitoring", name: "grafana-oauth", key: "client-secret" });
    });

    it("can be read by another stack through readHomelabSsoOutputs and a StackReference", async () => {
        const consumer = await evaluateProgram({
            stack: "consumer",
            program: path.resolve(__dirname, "..", "support", "programs", "consumer.ts"),
            config: { "test:ssoStack": "organization/homelab-sso/prod" },
            stackOutputs: { "organization/homelab-sso/prod": prod.outputs },
        });
        expect(consumer.outputs).to.deep.equal({
            argocdIssuer: "https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/",
            argocdClientId: "argocd",
            argocdSecretRef: { namespace: "argocd", name: "argocd-oidc-authentik", key: "clientSecret" },
            grafanaAuthUrl: "https://holdens-mac-mini.story-larch.ts.net/application/o/authorize/",
            authentikPublicUrl: "https://holdens-mac-mini.story-larch.ts.net",
            bookmarkCount: 5,
        });
    });
});
