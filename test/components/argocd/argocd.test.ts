import { expect } from "chai";
import { parse } from "yaml";
import { Evaluation, RecordedResource, isSecretEnvelope } from "../../../scripts/lib/mockRuntime";
import { HomelabSsoOutputs } from "../../../stacks/outputs";
import { acknowledgeDataLoss, committedStack, evaluateStack, oidcProviderInputs, onlyResource, readStackFile, resourcesOfType } from "../../support/stacks";

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
            const dexConfig = () => parse(values().configs.cm["dex.config"]);
            const outputs = () => evaluation().outputs as unknown as HomelabSsoOutputs;

            it("installs chart argo-cd 7.8.0 from argo-helm as release argocd in namespace argocd", () => {
                const release = argocdRelease(evaluation()).inputs;
                expect(release).to.deep.include({ chart: "argo-cd", version: "7.8.0", name: "argocd", namespace: "argocd" });
                expect(release.repositoryOpts).to.deep.equal({ repo: "https://argoproj.github.io/argo-helm" });
                const namespace = onlyResource(evaluation(), "kubernetes:core/v1:Namespace", "argocd-namespace").inputs as any;
                expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
            });

            it("points dex.config's one oidc connector at the argocd client: per-provider issuer, client id, secret by reference; no oidc.config", () => {
                const client = outputs().oidcClients.argocd;
                const config = dexConfig();
                expect(config.connectors).to.have.length(1);
                expect(config.connectors[0]).to.deep.include({ type: "oidc", id: "authentik", name: "Authentik" });
                expect(config.connectors[0].config).to.deep.include({
                    issuer: client.issuer,
                    clientID: client.clientId,
                    clientSecret: "$argocd-oidc-authentik:clientSecret",
                    scopes: ["openid", "profile", "email"],
                    insecureEnableGroups: true,
                });
                // Dex's connector discovers <issuer>/.well-known/openid-configuration, which Authentik
                // serves for the per-provider issuer only.
                expect(client.issuer).to.equal(`${outputs().authentikPublicUrl}/application/o/${client.slug}/`);
                expect(oidcProviderInputs(evaluation(), "argocd").issuerMode).to.equal("per_provider");
                expect(oidcProviderInputs(evaluation(), "argocd").clientId).to.equal(config.connectors[0].config.clientID);
                expect(values().configs.cm).to.not.have.property("oidc.config");
                expect(JSON.stringify(values())).to.not.match(/insecureSkipVerify|tls_skip_verify_insecure|skip\.verify/i);
            });

            it("has no Authentik client for the CLI: argocd login --sso uses Dex's argo-cd-cli", () => {
                expect(evaluation().resources.filter((r) => r.name.includes("argocd-native"))).to.deep.equal([]);
                expect(outputs().oidcClients.argocd).to.not.have.property("nativeClient");
            });

            it("disables local admin login and runs Dex", () => {
                expect(values().configs.cm["admin.enabled"]).to.equal("false");
                expect(values().dex.enabled).to.equal(true);
            });

            it("registers exactly Dex's callback (url + /api/dex/callback) on the confidential client", () => {
                const url = values().configs.cm.url as string;
                const registered = (oidcProviderInputs(evaluation(), "argocd").allowedRedirectUris as { matching_mode: string; url: string }[]);
                expect(registered).to.deep.equal([{ matching_mode: "strict", url: `${url}/api/dex/callback` }]);
                expect(outputs().oidcClients.argocd.clientType).to.equal("confidential");
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

    it("prod keeps today's behaviour: every SSO user an admin, no group mapping", () => {
        const values = argocdRelease(prod).inputs.values as any;
        expect(values.configs.rbac).to.deep.equal({ "policy.default": "role:admin" });
    });

    it("dev renders the safer RBAC: read-only by default, admin through the Authentik admin group", () => {
        const values = argocdRelease(dev).inputs.values as any;
        expect(values.configs.rbac).to.deep.equal({ "policy.default": "role:readonly", "policy.csv": "g, authentik Admins, role:admin\n" });
    });

    it("defaults to role:readonly when rbacDefaultPolicy is omitted, and maps admin and read-only groups in policy.csv", async () => {
        const argocd = { ...(readStackFile("prod")["homelab-sso:argocd"] as object) } as { [key: string]: unknown };
        delete argocd.rbacDefaultPolicy;
        const evaluation = await evaluateStack("prod", {
            set: { "homelab-sso:argocd": { ...argocd, adminGroups: ["authentik Admins", "ops@homelab"], readonlyGroups: ["homelab users"] } },
        });
        const values = argocdRelease(evaluation).inputs.values as any;
        expect(values.configs.rbac).to.deep.equal({
            "policy.default": "role:readonly",
            "policy.csv": "g, authentik Admins, role:admin\ng, ops@homelab, role:admin\ng, homelab users, role:readonly\n",
        });
    });

    it("dev pods resolve the loopback issuer host through a host alias, and Dex trusts the local CA from a mounted ConfigMap (rootCAs)", () => {
        const values = argocdRelease(dev).inputs.values as any;
        const file = readStackFile("dev");
        expect(values.global.hostAliases).to.deep.equal([
            { ip: (file["homelab-sso:authentikHostAlias"] as { ip: string }).ip, hostnames: ["authentik.localtest.me"] },
        ]);
        const connector = parse(values.configs.cm["dex.config"]).connectors[0].config;
        expect(connector.rootCAs).to.deep.equal(["/etc/homelab-sso/issuer-ca/ca.crt"]);
        const configMap = onlyResource(dev, "kubernetes:core/v1:ConfigMap", "argocd-dex-issuer-ca");
        expect((configMap.inputs as any).metadata).to.deep.include({ name: "argocd-dex-issuer-ca", namespace: "argocd" });
        expect((configMap.inputs as any).data["ca.crt"]).to.equal(file["homelab-sso:issuerCaCertificate"]);
        expect(values.dex.volumes).to.deep.equal([{ name: "issuer-ca", configMap: { name: "argocd-dex-issuer-ca" } }]);
        expect(values.dex.volumeMounts).to.deep.equal([{ name: "issuer-ca", mountPath: "/etc/homelab-sso/issuer-ca", readOnly: true }]);
        expect(argocdRelease(dev).dependencies).to.include(configMap.urn);
        const prodValues = argocdRelease(prod).inputs.values as any;
        expect(parse(prodValues.configs.cm["dex.config"]).connectors[0].config).to.not.have.property("rootCAs");
        expect(prodValues.dex).to.not.have.any.keys("volumes", "volumeMounts");
        expect(resourcesOfType(prod, "kubernetes:core/v1:ConfigMap").map((r) => r.name)).to.not.include("argocd-dex-issuer-ca");
    });

    it("prod keeps today's NodePorts, insecure server, small requests and the ESO finalizer customization", () => {
        const values = argocdRelease(prod).inputs.values as any;
        expect(values.configs.cm.url).to.equal("https://holdens-mac-mini.story-larch.ts.net:8443");
        // The keys argo-cd 7.8.0 reads (templates/argocd-server/service.yaml); nodePorts.* is read by no template.
        expect(values.server.service).to.deep.equal({ type: "NodePort", nodePortHttp: 30080, nodePortHttps: 30443 });
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
                    argocd: { enabled: false, name: "Argo CD", group: "Infrastructure", publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8443", callbackPath: "/api/dex/callback" },
                },
                ...acknowledgeDataLoss("prod", "argocd"),
                "homelab-sso:bootstrap": undefined,
            },
        });
        const names = evaluation.resources.map((r) => r.name);
        expect(names.filter((n) => n.startsWith("argocd") || n.startsWith("oidc-argocd"))).to.deep.equal([]);
        expect(names).to.include("grafana-chart");
        expect(resourcesOfType(evaluation, "authentik:index/providerOauth2:ProviderOauth2")).to.have.length(1);
        expect(names.filter((n) => n.includes("argocd-native"))).to.deep.equal([]);
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
