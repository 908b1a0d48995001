import { expect } from "chai";
import { Evaluation, RecordedResource, isSecretEnvelope } from "../../../scripts/lib/mockRuntime";
import { HomelabSsoOutputs } from "../../../stacks/outputs";
import { acknowledgeDataLoss, committedStack, evaluateStack, oidcProviderInputs, onlyResource, readStackFile, resourcesOfType } from "../../support/stacks";

function grafanaRelease(evaluation: Evaluation): RecordedResource {
    return onlyResource(evaluation, "kubernetes:helm.sh/v4:Chart", "grafana-chart");
}

describe("Grafana", () => {
    let prod: Evaluation;
    let dev: Evaluation;
    before(async () => {
        prod = await committedStack("prod");
        dev = await committedStack("dev");
    });

    for (const stack of ["prod", "dev"] as const) {
        describe(`${stack} stack`, () => {
            const evaluation = () => (stack === "prod" ? prod : dev);
            const grafana = () => (grafanaRelease(evaluation()).inputs.values as any).grafana;
            const oauth = () => grafana()["grafana.ini"]["auth.generic_oauth"];
            const client = () => (evaluation().outputs as unknown as HomelabSsoOutputs).oidcClients.grafana;

            it("installs kube-prometheus-stack 82.1.0 as release monitoring in namespace monitoring", () => {
                const release = grafanaRelease(evaluation()).inputs;
                expect(release).to.deep.include({ chart: "kube-prometheus-stack", version: "82.1.0", name: "monitoring", namespace: "monitoring" });
                expect(release.repositoryOpts).to.deep.equal({ repo: "https://prometheus-community.github.io/helm-charts" });
                const namespace = onlyResource(evaluation(), "kubernetes:core/v1:Namespace", "grafana-namespace").inputs as any;
                // Both stacks turn node-exporter off, so the namespace enforces `restricted`.
                expect(namespace.metadata.labels).to.deep.equal({
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/warn": "restricted",
                });
            });

            it("logs in only through Authentik: no login form, auto login, PKCE", () => {
                const ini = grafana()["grafana.ini"];
                expect(ini.auth.disable_login_form).to.equal(true);
                expect(oauth()).to.deep.include({ enabled: true, name: "Authentik", allow_sign_up: true, auto_login: true, use_pkce: true, scopes: "openid email profile" });
                expect(ini.auth).to.not.have.property("oauth_auto_login");
            });

            it("takes client id and endpoints from the grafana client (userinfo without trailing slash)", () => {
                expect(oauth().client_id).to.equal(client().clientId);
                expect(oauth().client_id).to.equal(oidcProviderInputs(evaluation(), "grafana").clientId);
                expect(oauth().auth_url).to.equal(client().endpoints.authorize);
                expect(oauth().token_url).to.equal(client().endpoints.token);
                expect(oauth().api_url).to.equal(client().endpoints.userinfo.replace(/\/$/, ""));
                expect(oauth().api_url).to.not.match(/\/$/);
                expect(grafana()["grafana.ini"].auth.signout_redirect_url).to.equal(client().endpoints.endSession);
                expect(oauth().role_attribute_path).to.equal("contains(groups[*], 'authentik Admins') && 'Admin' || 'Viewer'");
            });

            it("reads the client secret from a mounted file, never from values", () => {
                expect(oauth().client_secret).to.equal("$__file{/etc/secrets/oauth/client-secret}");
                expect(grafana().extraSecretMounts).to.deep.equal([
                    { name: "oauth-client-secret", secretName: "grafana-oauth", mountPath: "/etc/secrets/oauth", readOnly: true },
                ]);
                const secret = onlyResource(evaluation(), "kubernetes:core/v1:Secret", "grafana-oauth-client-secret").inputs as any;
                expect(secret.metadata).to.deep.include({ name: "grafana-oauth", namespace: "monitoring" });
                expect(isSecretEnvelope(secret.stringData)).to.equal(true);
                expect(secret.stringData.value["client-secret"]).to.equal(oidcProviderInputs(evaluation(), "grafana").clientSecret.value);
            });

            it("registers exactly root_url + /login/generic_oauth in Authentik", () => {
                const rootUrl = grafana()["grafana.ini"].server.root_url as string;
                const registered = (oidcProviderInputs(evaluation(), "grafana").allowedRedirectUris as { url: string; matching_mode: string }[]);
                expect(registered).to.deep.equal([{ matching_mode: "strict", url: `${rootUrl}/login/generic_oauth` }]);
            });

            it("reads admin credentials from grafana-secret", () => {
                expect(grafana().admin).to.deep.equal({ existingSecret: "grafana-secret", userKey: "admin-user", passwordKey: "admin-password" });
            });
        });
    }

    it("dev pods resolve the loopback issuer host through a host alias and trust the local CA through a mounted file (tls_client_ca)", () => {
        const values = (grafanaRelease(dev).inputs.values as any).grafana;
        const file = readStackFile("dev");
        expect(values.hostAliases).to.deep.equal([{ ip: (file["homelab-sso:authentikHostAlias"] as { ip: string }).ip, hostnames: ["authentik.localtest.me"] }]);
        expect(values.extraConfigmapMounts).to.deep.equal([{ name: "issuer-ca", mountPath: "/etc/grafana/issuer-ca", configMap: "grafana-issuer-ca", readOnly: true }]);
        expect(values["grafana.ini"]["auth.generic_oauth"].tls_client_ca).to.equal("/etc/grafana/issuer-ca/ca.crt");
        const configMap = onlyResource(dev, "kubernetes:core/v1:ConfigMap", "grafana-issuer-ca");
        expect((configMap.inputs as any).metadata).to.deep.include({ name: "grafana-issuer-ca", namespace: "monitoring" });
        expect((configMap.inputs as any).data["ca.crt"]).to.equal(`${(file["homelab-sso:issuerCaCertificate"] as string).trim()}\n`);
        expect(grafanaRelease(dev).dependencies).to.include(configMap.urn);
        // Never skip verification instead.
        expect(JSON.stringify(grafanaRelease(dev).inputs.values)).to.not.include("tls_skip_verify_insecure");
        const prodOauth = (grafanaRelease(prod).inputs.values as any).grafana["grafana.ini"]["auth.generic_oauth"];
        expect(prodOauth).to.not.have.property("tls_client_ca");
        expect(resourcesOfType(prod, "kubernetes:core/v1:ConfigMap")).to.have.length(0);
    });

    it("maps admin and editor groups to Grafana roles through role_attribute_path; everyone else is a Viewer", async () => {
        const grafana = { ...(readStackFile("prod")["homelab-sso:grafana"] as object), adminGroup: undefined, adminGroups: ["authentik Admins", "ops@homelab"], editorGroups: ["homelab editors"] };
        delete (grafana as { [key: string]: unknown }).adminGroup;
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:grafana": grafana } });
        const oauth = (grafanaRelease(evaluation).inputs.values as any).grafana["grafana.ini"]["auth.generic_oauth"];
        expect(oauth.role_attribute_path).to.equal(
            "contains(groups[*], 'authentik Admins') && 'Admin' || contains(groups[*], 'ops@homelab') && 'Admin' || contains(groups[*], 'homelab editors') && 'Editor' || 'Viewer'",
        );
    });

    it("prod: grafana-secret is an ExternalSecret from GRAFANA_ADMIN_PASSWORD (no OAuth secret from Infisical)", () => {
        const manifest = onlyResource(prod, "kubernetes:external-secrets.io/v1:ExternalSecret", "grafana-admin-credentials").inputs as any;
        expect(manifest.metadata.name).to.equal("grafana-secret");
        expect(manifest.spec.data).to.deep.equal([{ secretKey: "password", remoteRef: { key: "GRAFANA_ADMIN_PASSWORD" } }]);
        expect(JSON.stringify(manifest)).to.not.include("GRAFANA_OAUTH_CLIENT_SECRET");
    });

    it("dev: grafana-secret is generated, as a Pulumi secret", () => {
        const secret = onlyResource(dev, "kubernetes:core/v1:Secret", "grafana-admin-credentials").inputs as any;
        expect(secret.metadata.name).to.equal("grafana-secret");
        expect(isSecretEnvelope(secret.stringData)).to.equal(true);
        expect(secret.stringData.value["admin-password"]).to.equal("mock-secret:grafana-admin-password");
        expect(resourcesOfType(dev, "kubernetes:external-secrets.io/v1:ExternalSecret")).to.have.length(0);
    });

    it("prod reproduces today's non-SSO values through extraValues, with the scale-downs on keys the chart reads", () => {
        const values = grafanaRelease(prod).inputs.values as any;
        expect(values.grafana.service).to.deep.equal({ type: "NodePort", nodePort: 30090 });
        expect(values.grafana.persistence).to.deep.equal({ enabled: true, size: "2Gi" });
        expect(values.grafana.securityContext).to.deep.equal({ runAsUser: 472, runAsGroup: 472, fsGroup: 472 });
        // grafana.replicas and kube-state-metrics.replicas: today's replicaCount keys did nothing.
        expect(values.grafana.replicas).to.equal(0);
        expect(values.grafana).to.not.have.property("replicaCount");
        expect(values["kube-state-metrics"]).to.deep.equal({ replicas: 0 });
        expect(values.kubeStateMetrics).to.deep.equal({ enabled: true });
        expect(values.grafana["grafana.ini"].server.root_url).to.equal("https://holdens-mac-mini.story-larch.ts.net:8444");
        expect(values.prometheus.prometheusSpec.retention).to.equal("15d");
        expect(values.prometheus.prometheusSpec.replicas).to.equal(0);
        expect(values.alertmanager.alertmanagerSpec.replicas).to.equal(0);
        expect(values.nodeExporter).to.deep.equal({ enabled: false });
        // No replica key for prometheus-operator in 82.1.0: nothing is set for it.
        expect(values).to.not.have.property("prometheusOperator");
        for (const component of ["kubeProxy", "kubeEtcd", "kubeScheduler", "kubeControllerManager"]) {
            expect(values[component], component).to.deep.equal({ enabled: false });
        }
        expect(values.grafana).to.not.have.property("envFromSecrets");
    });

    it("rejects an extra value that would re-enable the login form, naming the key", async () => {
        const error = await evaluateStack("prod", {
            set: { "homelab-sso:grafana": { extraValues: { grafana: { "grafana.ini": { auth: { disable_login_form: false } } } } } },
        }).then(
            () => undefined,
            (err: Error) => err,
        );
        expect(error?.message).to.include('homelab-sso:grafana.extraValues.grafana."grafana.ini".auth.disable_login_form: is Grafana\'s [auth] section, which decides who may log in; the program owns it for SSO-only login');
    });

    it("switching grafana off removes its client, Secrets and chart", async () => {
        const evaluation = await evaluateStack("prod", {
            set: {
                "homelab-sso:services": {
                    grafana: { enabled: false, name: "Grafana", group: "Monitoring", publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8444", callbackPath: "/login/generic_oauth" },
                    argocd: { slug: "argocd", name: "Argo CD", group: "Infrastructure", publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8443", callbackPath: "/api/dex/callback" },
                },
                ...acknowledgeDataLoss("prod", "grafana"),
            },
        });
        const names = evaluation.resources.map((r) => r.name);
        expect(names.filter((n) => n.startsWith("grafana") || n.startsWith("oidc-grafana"))).to.deep.equal([]);
        expect(names).to.include("argocd-release");
        expect((evaluation.outputs as unknown as HomelabSsoOutputs).oidcClients).to.not.have.property("grafana");
    });
});

/**
 * Without Infisical the program writes Grafana's admin Secret itself: user `admin`, a generated
 * 32-character alphanumeric password (no symbols to escape anywhere), and the labels of the Secret
 * the chart would otherwise make, so the chart finds it.
 */
describe("Grafana admin credentials (pulumi mode, dev stack)", () => {
    it("generates a 32-character password without symbols", async () => {
        const password = onlyResource(await committedStack("dev"), "random:index/randomPassword:RandomPassword", "grafana-admin-password");
        expect(password.inputs).to.deep.equal({ length: 32, special: false });
    });

    it("writes user admin and the generated password, as secrets, into a Secret labelled for the monitoring release", async () => {
        const secret = onlyResource(await committedStack("dev"), "kubernetes:core/v1:Secret", "grafana-admin-credentials");
        expect((secret.inputs.metadata as { labels: unknown }).labels).to.deep.equal({ "app.kubernetes.io/name": "monitoring", "app.kubernetes.io/instance": "monitoring" });
        const stringData = secret.inputs.stringData;
        expect(isSecretEnvelope(stringData), "stringData is a secret").to.equal(true);
        expect((stringData as { value: unknown }).value).to.deep.equal({ "admin-user": "admin", "admin-password": "mock-secret:grafana-admin-password" });
    });
});
