import { expect } from "chai";
import { parse } from "yaml";
import { Evaluation, RecordedResource, isSecretEnvelope } from "../../../scripts/lib/mockRuntime";
import { HomelabSsoOutputs } from "../../../stacks/outputs";
import { acknowledgeDataLoss, committedStack, evaluateStack, oidcProviderInputs, onlyResource, resourcesOfType } from "../../support/stacks";

const RELEASE = "kubernetes:helm.sh/v3:Release";

function argocdRelease(evaluation: Evaluation): RecordedResource {
    return onlyResource(evaluation, RELEASE, "argocd-release");
}

describe("ArgoCd", () => {
    let prod: Evaluation;
    let dev: Evaluation;
    before(async () => {
        prod = await committedStack("prod");
        dev = await committedStack("dev");
    });

    for (const stack of ["prod", "dev"] as const) {
        describe(`${stack} stack`, () => {
            const evaluation = () => (stack === "prod" ? prod : dev);
            const values = () => argocdRelease(evaluation()).inputs.values as any;
            const oidcConfig = () => parse(values().configs.cm["oidc.config"]);
            const outputs = () => evaluation().outputs as unknown as HomelabSsoOutputs;

            it("installs chart argo-cd 7.8.0 from argo-helm as release argocd in namespace argocd", () => {
                const release = argocdRelease(evaluation()).inputs;
                expect(release).to.deep.include({ chart: "argo-cd", version: "7.8.0", name: "argocd", namespace: "argocd" });
                expect(release.repositoryOpts).to.deep.equal({ repo: "https://argoproj.github.io/argo-helm" });
                const namespace = onlyResource(evaluation(), "kubernetes:core/v1:Namespace", "argocd-namespace").inputs as any;
                expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
            });

            it("points oidc.config at the argocd client: same issuer, same client id, secret by reference", () => {
                const client = outputs().oidcClients.argocd;
                expect(oidcConfig()).to.deep.equal({
                    name: "Authentik",
                    issuer: client.issuer,
                    clientID: client.clientId,
                    clientSecret: "$argocd-oidc-authentik:clientSecret",
                    requestedScopes: ["openid", "profile", "email"],
                    logoutURL: client.endpoints.endSession,
                });
                expect(oidcProviderInputs(evaluation(), "argocd").clientId).to.equal(oidcConfig().clientID);
                expect(client.issuer).to.match(/\/application\/o\/argocd\/$/);
            });

            it("disables local admin login and Dex and sets the RBAC default", () => {
                expect(values().configs.cm["admin.enabled"]).to.equal("false");
                expect(values().dex).to.deep.equal({ enabled: false });
                expect(values().configs.rbac["policy.default"]).to.equal("role:admin");
            });

            it("registers exactly the redirect URIs ArgoCD uses: url + /auth/callback and the CLI loopback", () => {
                const url = values().configs.cm.url as string;
                const registered = (oidcProviderInputs(evaluation(), "argocd").allowedRedirectUris as { matching_mode: string; url: string }[]).map((r) => r.url);
                expect(registered).to.deep.equal([`${url}/auth/callback`, "http://localhost:8085/auth/callback"]);
            });

            it("delivers the client secret in a Secret labelled part-of argocd, as a Pulumi secret", () => {
                const secret = onlyResource(evaluation(), "kubernetes:core/v1:Secret", "argocd-oidc-client-secret").inputs as any;
                expect(secret.metadata).to.deep.include({ name: "argocd-oidc-authentik", namespace: "argocd" });
                expect(secret.metadata.labels).to.deep.equal({ "app.kubernetes.io/part-of": "argocd" });
                expect(isSecretEnvelope(secret.stringData)).to.equal(true);
                const provider = oidcProviderInputs(evaluation(), "argocd");
                expect(isSecretEnvelope(provider.clientSecret)).to.equal(true);
                expect(secret.stringData.value.clientSecret).to.equal((provider.clientSecret as { value: string }).value);
            });

            it("creates the client Secret before the release", () => {
                const secret = onlyResource(evaluation(), "kubernetes:core/v1:Secret", "argocd-oidc-client-secret");
                expect(argocdRelease(evaluation()).dependencies).to.include(secret.urn);
            });
        });
    }

    it("prod keeps today's NodePorts, insecure server, small requests and the ESO finalizer customization", () => {
        const values = argocdRelease(prod).inputs.values as any;
        expect(values.configs.cm.url).to.equal("https://holdens-mac-mini.story-larch.ts.net:8443");
        expect(values.server.service).to.deep.equal({ type: "NodePort", nodePorts: { http: 30080, https: 30443 } });
        expect(values.configs.params["server.insecure"]).to.equal(true);
        expect(values.configs.cm["resource.customizations.ignoreDifferences.external-secrets.io_ExternalSecret"]).to.equal("jsonPointers:\n- /metadata/finalizers\n");
        expect(values.applicationSet.resources.requests.memory).to.equal("64Mi");
        expect(values.notifications.resources.requests.memory).to.equal("32Mi");
        expect(values.redis.resources.requests.memory).to.equal("32Mi");
    });

    it("adds hostAliases for the Authentik host when configured", async () => {
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:authentikHostAlias": { ip: "100.101.102.103" } } });
        const values = argocdRelease(evaluation).inputs.values as any;
        expect(values.global.hostAliases).to.deep.equal([{ ip: "100.101.102.103", hostnames: ["holdens-mac-mini.story-larch.ts.net"] }]);
        expect((argocdRelease(prod).inputs.values as any).global).to.equal(undefined);
    });

    it("switching the argocd service off removes its client, Secret and release", async () => {
        const evaluation = await evaluateStack("prod", {
            set: {
                "homelab-sso:services": {
                    grafana: {
                        name: "Grafana",
                        group: "Monitoring",
                        publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8444",
                        callbackPath: "/login/generic_oauth",
                    },
                    argocd: { enabled: false, name: "Argo CD", group: "Infrastructure", publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8443", callbackPath: "/auth/callback" },
                },
                ...acknowledgeDataLoss("prod", "argocd"),
                "homelab-sso:bootstrap": undefined,
            },
        });
        const names = evaluation.resources.map((r) => r.name);
        expect(names.filter((n) => n.startsWith("argocd") || n.startsWith("oidc-argocd"))).to.deep.equal([]);
        expect(names).to.include("grafana-chart");
        expect(resourcesOfType(evaluation, "authentik:index/providerOauth2:ProviderOauth2")).to.have.length(1);
    });
});

describe("ArgoCd ordering", () => {
    it("installs the release after its OIDC client exists in Authentik", async () => {
        const evaluation = await evaluateStack("prod");
        const release = onlyResource(evaluation, "kubernetes:helm.sh/v3:Release", "argocd-release");
        const provider = onlyResource(evaluation, "authentik:index/providerOauth2:ProviderOauth2", "oidc-argocd-provider");
        const client = onlyResource(evaluation, "homelab:authentik:OidcClient", "oidc-argocd");
        expect(release.dependencies.some((urn) => urn === provider.urn || urn === client.urn)).to.equal(true);
    });
});
