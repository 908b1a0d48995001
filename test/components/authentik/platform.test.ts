import { expect } from "chai";
import { Evaluation, RecordedResource, isSecretEnvelope } from "../../../scripts/lib/mockRuntime";
import { committedStack, evaluateStack, KNOWN_SECRETS, onlyResource, plainStrings, readStackFile, resourcesOfType } from "../../support/stacks";

const CHART = "kubernetes:helm.sh/v4:Chart";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const SECRET = "kubernetes:core/v1:Secret";
const EXTERNAL_SECRET = "kubernetes:external-secrets.io/v1:ExternalSecret";
const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const CREDENTIAL_KEYS = ["AUTHENTIK_SECRET_KEY", "AUTHENTIK_BOOTSTRAP_PASSWORD", "AUTHENTIK_BOOTSTRAP_TOKEN", "AUTHENTIK_POSTGRESQL__PASSWORD", "pg-password"];

function authentikRelease(evaluation: Evaluation): RecordedResource {
    return onlyResource(evaluation, CHART, "authentik-chart");
}

/** Resources of `type` that the Authentik platform component owns. */
function platformResources(evaluation: Evaluation, type: string): RecordedResource[] {
    const platform = onlyResource(evaluation, "homelab:authentik:Platform", "authentik");
    return resourcesOfType(evaluation, type).filter((r) => r.parent === platform.urn);
}

function values(evaluation: Evaluation): any {
    return authentikRelease(evaluation).inputs.values;
}

describe("AuthentikPlatform", () => {
    let prod: Evaluation;
    let dev: Evaluation;

    before(async () => {
        prod = await committedStack("prod");
        dev = await committedStack("dev");
    });

    for (const stack of ["prod", "dev"] as const) {
        describe(`${stack} stack`, () => {
            const evaluation = () => (stack === "prod" ? prod : dev);

            it("installs chart authentik 2025.12.4 from charts.goauthentik.io as release 'authentik'", () => {
                const release = authentikRelease(evaluation()).inputs;
                expect(release.chart).to.equal("authentik");
                expect(release.version).to.equal("2025.12.4");
                expect(release.repositoryOpts).to.deep.equal({ repo: "https://charts.goauthentik.io" });
                expect(release.name).to.equal("authentik");
                expect(release.namespace).to.equal("authentik");
            });

            it("creates the authentik namespace enforcing the restricted Pod Security Standard", () => {
                const namespace = onlyResource(evaluation(), NAMESPACE, "authentik-namespace").inputs as any;
                expect(namespace.metadata.name).to.equal("authentik");
                expect(namespace.metadata.labels).to.deep.equal({
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/warn": "restricted",
                });
            });

            for (const component of ["server", "worker"]) {
                it(`runs the ${component} pods non-root with restricted container hardening`, () => {
                    const pod = values(evaluation())[component];
                    expect(pod.securityContext).to.include({ runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000 });
                    expect(pod.securityContext.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
                    expect(pod.containerSecurityContext).to.deep.equal({
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"] },
                        runAsNonRoot: true,
                        seccompProfile: { type: "RuntimeDefault" },
                    });
                });
            }

            it("exposes authentik-server on NodePorts 30500 (http) and 30501 (https)", () => {
                expect(values(evaluation()).server.service).to.deep.equal({ type: "NodePort", nodePortHttp: 30500, nodePortHttps: 30501 });
            });

            it("reads every credential from authentik-secret and sets the PostgreSQL connection env", () => {
                const v = values(evaluation());
                expect(v.authentik).to.deep.equal({ existingSecret: { secretName: "authentik-secret" } });
                expect(v.global.env).to.deep.equal([
                    { name: "AUTHENTIK_POSTGRESQL__HOST", value: "authentik-postgresql" },
                    { name: "AUTHENTIK_POSTGRESQL__PORT", value: "5432" },
                    { name: "AUTHENTIK_POSTGRESQL__USER", value: "authentik" },
                    { name: "AUTHENTIK_POSTGRESQL__NAME", value: "authentik" },
                ]);
                expect(v.global).to.not.have.property("envFrom");
            });

            it("runs embedded PostgreSQL with its password from authentik-secret", () => {
                const pg = values(evaluation()).postgresql;
                expect(pg.enabled).to.equal(true);
                expect(pg.auth).to.deep.equal({
                    username: "authentik",
                    database: "authentik",
                    existingSecret: "authentik-secret",
                    secretKeys: { adminPasswordKey: "pg-password", userPasswordKey: "pg-password" },
                });
                expect(pg.primary.persistence).to.deep.equal({ enabled: true, size: stack === "prod" ? "2Gi" : "1Gi" });
            });

            it("has no Redis settings (removed in chart 2025.10) and no remote-cluster service account", () => {
                const v = values(evaluation());
                expect(v).to.not.have.property("redis");
                expect(JSON.stringify(v)).to.not.match(/redis/i);
                expect(v.serviceAccount).to.deep.equal({ create: false });
            });

            it("creates the credentials before the release that reads them", () => {
                const credentials = evaluation().resources.find((r) => r.name === "authentik-credentials")!;
                expect(authentikRelease(evaluation()).dependencies).to.include(credentials.urn);
            });

            it("parents every resource to the platform component with names derived from it", () => {
                const platform = onlyResource(evaluation(), "homelab:authentik:Platform", "authentik");
                const children = evaluation().resources.filter((r) => r.parent === platform.urn);
                expect(children.length).to.be.greaterThan(2);
                for (const child of children) {
                    expect(child.name).to.match(/^authentik-/);
                }
            });

            it("exports the platform outputs", () => {
                expect(evaluation().outputs.authentik).to.deep.equal({
                    namespace: "authentik",
                    releaseName: "authentik",
                    serverServiceName: "authentik-server",
                    inClusterUrl: "http://authentik-server.authentik.svc.cluster.local",
                    publicUrl: stack === "prod" ? "https://holdens-mac-mini.story-larch.ts.net" : "https://authentik.localtest.me",
                    nodePorts: { http: 30500, https: 30501 },
                });
            });

            it("gives identical resource inputs on two evaluations of the same config", async () => {
                const again = await evaluateStack(stack);
                const summary = (e: Evaluation) => e.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent, inputs: r.inputs }));
                expect(summary(again)).to.deep.equal(summary(evaluation()));
            });
        });
    }

    describe("infisical mode (prod)", () => {
        it("renders authentik-secret with an ExternalSecret exactly as today", () => {
            expect(platformResources(prod, SECRET)).to.have.length(0);
            expect(platformResources(prod, RANDOM_PASSWORD)).to.have.length(0);
            const externalSecret = onlyResource(prod, EXTERNAL_SECRET, "authentik-credentials").inputs as any;
            expect(externalSecret.apiVersion).to.equal("external-secrets.io/v1");
            expect(externalSecret.metadata).to.deep.equal({
                name: "authentik-secret",
                namespace: "authentik",
                labels: { "app.kubernetes.io/name": "authentik", "app.kubernetes.io/instance": "authentik" },
            });
            expect(externalSecret.spec.refreshInterval).to.equal("1h");
            expect(externalSecret.spec.secretStoreRef).to.deep.equal({ kind: "ClusterSecretStore", name: "infisical" });
            expect(externalSecret.spec.target.name).to.equal("authentik-secret");
            expect(externalSecret.spec.target.creationPolicy).to.equal("Owner");
            expect(externalSecret.spec.target.template.data).to.deep.equal({
                AUTHENTIK_SECRET_KEY: "{{ .secretKey }}",
                AUTHENTIK_BOOTSTRAP_PASSWORD: "{{ .bootstrapPassword }}",
                AUTHENTIK_BOOTSTRAP_TOKEN: "{{ .bootstrapToken }}",
                AUTHENTIK_POSTGRESQL__PASSWORD: "{{ .pgPassword }}",
                "pg-password": "{{ .pgPassword }}",
            });
            expect(externalSecret.spec.data).to.deep.equal([
                { secretKey: "secretKey", remoteRef: { key: "AUTHENTIK_SECRET_KEY" } },
                { secretKey: "bootstrapPassword", remoteRef: { key: "AUTHENTIK_BOOTSTRAP_PASSWORD" } },
                { secretKey: "bootstrapToken", remoteRef: { key: "AUTHENTIK_BOOTSTRAP_TOKEN" } },
                { secretKey: "pgPassword", remoteRef: { key: "AUTHENTIK_POSTGRES_PASSWORD" } },
            ]);
        });

        it("uses the configured ClusterSecretStore", async () => {
            const evaluation = await evaluateStack("prod", {
                set: { "homelab-sso:secrets": { source: "infisical", clusterSecretStore: "vault-store", refreshInterval: "15m" } },
            });
            const spec = (onlyResource(evaluation, EXTERNAL_SECRET, "authentik-credentials").inputs as any).spec;
            expect(spec.secretStoreRef.name).to.equal("vault-store");
            expect(spec.refreshInterval).to.equal("15m");
        });
    });

    it("takes the https NodePort from its own key, not from http's (ports far apart)", async () => {
        // Both fixture stacks use adjacent ports (30500/30501), where https = http + 1 would go unseen.
        const authentik = { ...(readStackFile("prod")["homelab-sso:authentik"] as object), nodePorts: { http: 30500, https: 31777 } };
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:authentik": authentik } });
        expect(values(evaluation).server.service).to.deep.equal({ type: "NodePort", nodePortHttp: 30500, nodePortHttps: 31777 });
        expect((evaluation.outputs.authentik as any).nodePorts).to.deep.equal({ http: 30500, https: 31777 });
    });

    describe("pulumi mode (dev)", () => {
        it("fills authentik-secret from random passwords, as a Pulumi secret", () => {
            expect(platformResources(dev, EXTERNAL_SECRET)).to.have.length(0);
            const secret = onlyResource(dev, SECRET, "authentik-credentials").inputs as any;
            expect(secret.metadata.name).to.equal("authentik-secret");
            expect(isSecretEnvelope(secret.stringData), "stringData must be secret").to.equal(true);
            const data = secret.stringData.value;
            expect(Object.keys(data)).to.have.members(CREDENTIAL_KEYS);
            expect(data.AUTHENTIK_SECRET_KEY).to.equal("mock-secret:authentik-secret-key");
            expect(data["pg-password"]).to.equal(data.AUTHENTIK_POSTGRESQL__PASSWORD);
        });

        it("generates a secret key of at least 50 characters and alphanumeric credentials", () => {
            const passwords = platformResources(dev, RANDOM_PASSWORD);
            expect(passwords.map((p) => p.name)).to.have.members([
                "authentik-secret-key",
                "authentik-bootstrap-password",
                "authentik-bootstrap-token",
                "authentik-pg-password",
            ]);
            for (const password of passwords) {
                expect(password.inputs.special, password.name).to.equal(false);
                expect(password.inputs.length as number, password.name).to.be.at.least(32);
            }
            expect(passwords.find((p) => p.name === "authentik-secret-key")!.inputs.length as number).to.be.at.least(50);
        });
    });

    describe("secrets never appear in plain text", () => {
        for (const stack of ["prod", "dev"] as const) {
            it(`${stack}: no resource input or output holds a secret value outside a Pulumi secret`, () => {
                const evaluation = stack === "prod" ? prod : dev;
                const leaks = evaluation.resources.flatMap((r) =>
                    plainStrings(r.inputs)
                        .filter((s) => s.value.includes("mock-secret:") || s.value.includes(KNOWN_SECRETS["authentik:token"]))
                        .map((s) => `${r.type}::${r.name} ${s.path}`),
                );
                expect(leaks).to.deep.equal([]);
                expect(JSON.stringify(evaluation.outputs)).to.not.match(/mock-secret:|known-authentik-api-token/);
            });

            it(`${stack}: the Helm values hold no secret, not even wrapped`, () => {
                const text = JSON.stringify(values(stack === "prod" ? prod : dev));
                expect(text).to.not.match(/mock-secret:|4dabf18193072939515e22adb298388d/);
                expect(text).to.not.match(/password"\s*:\s*"[^"]/i);
            });
        }
    });
});

/** Without Infisical the program writes Authentik's credentials Secret itself, labelled as the chart's release expects. */
const AUTHENTIK_LABELS = { "app.kubernetes.io/name": "authentik", "app.kubernetes.io/instance": "authentik" };

describe("Authentik credentials Secret (pulumi mode, dev stack)", () => {
    it("carries the labels of the authentik release", async () => {
        const secret = onlyResource(await committedStack("dev"), "kubernetes:core/v1:Secret", "authentik-credentials");
        expect((secret.inputs.metadata as { labels: unknown }).labels).to.deep.equal(AUTHENTIK_LABELS);
    });
});

/**
 * In pulumi mode the bootstrap token is protected only when it is the API token Pulumi uses
 * (`apiTokenSource: generated`): with the token from config, replacing it breaks nothing.
 */
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
