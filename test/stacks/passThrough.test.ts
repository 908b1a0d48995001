/**
 * The pass-through allowlist's edges (stacks/passThrough.ts): what is allowed, what is an ancestor to
 * walk into, what is refused and why; literal secrets and references; the committed stack files.
 */
import { expect } from "chai";
import { chartReads } from "../../stacks/chartKeys";
import { PASS_THROUGH_ALLOWLIST, isSecretReference, literalSecretPaths, ownedReason, passThroughText, refusedPaths, standing, valuesLeaves } from "../../stacks/passThrough";
import { ConfigObject } from "../../stacks/validation";
import { readStackFile } from "../support/stacks";

const KPS = "kube-prometheus-stack";
const VERSIONS: { [chart: string]: string } = { [KPS]: "82.1.0", "argo-cd": "7.8.0" };

describe("pass-through allowlist", () => {
    it("lists only paths the pinned chart reads", () => {
        for (const [chart, version] of Object.entries(VERSIONS)) {
            for (const entry of PASS_THROUGH_ALLOWLIST[chart]) {
                expect(chartReads(chart, version, entry.path), `${chart} ${entry.path.join(".")}`).to.not.equal("unknown");
            }
        }
    });

    it("allows an entry and everything below it, walks into its ancestors, refuses its siblings", () => {
        expect(standing(KPS, ["grafana", "persistence"]).kind).to.equal("ancestor");
        expect(standing(KPS, ["grafana", "persistence", "size"]).kind).to.equal("allowed");
        expect(standing(KPS, ["grafana", "persistence", "existingClaim"]).kind).to.equal("refused");
        expect(standing(KPS, ["grafana"]).kind).to.equal("ancestor");
        expect(standing(KPS, ["grafana", "grafana.ini"]).kind).to.equal("ancestor");
        expect(standing(KPS, ["grafana", "grafana.ini", "log"]).kind).to.equal("allowed");
        expect(standing(KPS, ["grafana", "grafana.ini", "auth"]).kind).to.equal("refused");
        expect(standing(KPS, ["grafana", "persistenc"]).kind).to.equal("refused");
        // A prefix of a segment is not the segment.
        expect(standing(KPS, ["grafana", "initChownData", "enabledX"]).kind).to.equal("refused");
        expect(standing(KPS, ["grafana", "initChownData", "image"]).kind).to.equal("refused");
        expect(standing("argo-cd", ["server", "service", "type"]).kind).to.equal("refused");
        expect(standing("argo-cd", ["server", "service", "annotations"]).kind).to.equal("allowed");
        expect(standing("argo-cd", ["server", "service", "nodePortHttp"]).kind).to.equal("refused");
        expect(standing("authentik", ["server", "replicas"]).kind).to.equal("refused");
        expect(standing("no-such-chart", ["anything"]).kind).to.equal("refused");
    });

    it("refuses a scalar where the allowlist expects an object (it would replace what the program sets)", () => {
        expect(refusedPaths(KPS, { grafana: "x" }).map((r) => r.path)).to.deep.equal([["grafana"]]);
        expect(refusedPaths(KPS, { grafana: "x" })[0].reason).to.match(/must be an object here/);
        expect(refusedPaths(KPS, { grafana: ["x"] })[0].path).to.deep.equal(["grafana"]);
    });

    it("names each owned leaf below a refused key, and the refused key once for the rest", () => {
        const refused = refusedPaths("argo-cd", { configs: { cm: { "users.anonymous.enabled": "true", "accounts.alice": "login" }, rbac: { "policy.csv": "" } }, foo: 1 });
        expect(refused.map((r) => r.path.join("|"))).to.deep.equal([
            "configs|cm|accounts.alice",
            "configs|cm|users.anonymous.enabled",
            "configs|rbac|policy.csv",
            "foo",
        ]);
        expect(refused[0].reason).to.match(/^is argocd-cm/);
        expect(refused[2].reason).to.match(/RBAC policy/);
        expect(refused[3].reason).to.match(/not on the pass-through allowlist/);
    });

    it("allows nothing for a chart without an allowlist, and says so", () => {
        expect(refusedPaths("no-such-chart", { replicas: 2 })).to.deep.equal([
            {
                path: ["replicas"],
                reason:
                    "is not on the pass-through allowlist of this chart (storage, resources, replicas, service, scheduling, security contexts, Prometheus and Alertmanager specs); " +
                    "allowed here: (nothing) (stacks/passThrough.ts)",
            },
        ]);
    });

    it("names the keys allowed below an ancestor that holds a scalar", () => {
        expect(refusedPaths("argo-cd", { global: "x" })).to.deep.equal([
            {
                path: ["global"],
                reason: "must be an object here (it holds keys the program sets); allowed below it: affinity, nodeSelector, podAnnotations, podLabels, priorityClassName, securityContext, tolerations",
            },
        ]);
    });

    it("finds no literal secret in list items at the root, which have no name", () => {
        expect(literalSecretPaths(["hunter2", ["hunter2"]])).to.deep.equal([]);
        expect(isSecretReference(["0"], ["hunter2"])).to.equal(false);
    });

    it("says why each route into the process is owned", () => {
        for (const segments of [
            ["grafana", "env", "GF_AUTH_DISABLE_LOGIN_FORM"],
            ["grafana", "envFromSecret"],
            ["grafana", "envFromSecrets"],
            ["grafana", "envFromConfigMaps"],
            ["grafana", "extraConfigmapMounts"],
            ["grafana", "extraContainers"],
            ["grafana", "extraVolumes"],
        ]) {
            expect(ownedReason(KPS, segments), segments.join(".")).to.match(/env, args or file route/);
        }
        for (const segments of [["server", "extraArgs"], ["server", "env"], ["repoServer", "envFrom"]]) {
            expect(ownedReason("argo-cd", segments), segments.join(".")).to.match(/env, args or file route/);
        }
        expect(ownedReason(KPS, ["grafana", "envFromSecrets"])).to.match(/cannot be seen/);
        expect(ownedReason("argo-cd", ["extraObjects"])).to.match(/arbitrary Kubernetes objects/);
        expect(ownedReason(KPS, ["grafana", "extraObjects"])).to.match(/arbitrary Kubernetes objects/);
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth.proxy"])).to.match(/\[auth\.proxy\] section/);
        expect(ownedReason("argo-cd", ["configs", "params", "server.disable.auth"])).to.match(/server\.disable\.auth/);
        expect(ownedReason(KPS, ["grafana", "replicaCount"])).to.equal(undefined);
    });

    it("lets toYaml-handed alert rules hold template syntax, nothing else", () => {
        expect(passThroughText(KPS, ["additionalPrometheusRulesMap", "x", "groups"])).to.equal("toYaml");
        expect(passThroughText(KPS, ["grafana", "grafana.ini", "log", "mode"])).to.equal("plain");
        expect(passThroughText(KPS, ["prometheus", "prometheusSpec", "externalLabels", "x"])).to.equal("plain");
    });

    it("refuses literal secrets under any secret-like name, in any case, and never references to a Secret", () => {
        const values = {
            a: { password: "x", Passwd: "x", clientSecret: "x", API_TOKEN: "x", apiKey: "x", "api-key": "x", privateKey: "x", private_key: "x", Credentials: "x", GF_SECURITY_ADMIN_PASSWORD: "x" },
            b: { existingSecret: "grafana-secret", secretName: "s", passwordKey: "admin-password", password: "" },
            c: { valueFrom: { secretKeyRef: { name: "s", key: "token" } } },
            d: { auth: { existingSecret: "s", secretKeys: { adminPasswordKey: "pg-password" } } },
            e: { tokens: ["literal"] },
            f: { passwordKey: "admin-password" },
        };
        expect(literalSecretPaths(values).map((p) => p.join("."))).to.have.members([
            "a.password",
            "a.Passwd",
            "a.clientSecret",
            "a.API_TOKEN",
            "a.apiKey",
            "a.api-key",
            "a.privateKey",
            "a.private_key",
            "a.Credentials",
            "a.GF_SECURITY_ADMIN_PASSWORD",
            "e.tokens.0",
            // A key name without its Secret beside it is not known to be a reference.
            "f.passwordKey",
        ]);
        expect(isSecretReference(["x", "secretKeyRef", "key"], {})).to.equal(true);
    });

    it("walks own properties only: an inherited key is not seen, a __proto__ key is data", () => {
        const values = Object.create({ grafana: { env: { X: "1" } } }) as ConfigObject;
        expect(refusedPaths(KPS, values)).to.deep.equal([]);
        const parsed = JSON.parse('{"__proto__": {"password": "x"}}') as ConfigObject;
        expect(refusedPaths(KPS, parsed).map((r) => r.path)).to.deep.equal([["__proto__"]]);
        expect(literalSecretPaths(parsed)).to.deep.equal([["__proto__", "password"]]);
    });

    describe("pod-shaping subtrees are leaves (issue 19 §2)", () => {
        const reasons = (chart: string, values: ConfigObject) => refusedPaths(chart, values).map((r) => [r.path.join("."), r.reason.split(";")[0]]);

        it("refuses a sidecar, a Secret volume, a hostPath and Secrets mounted by name in the Prometheus and Alertmanager specs", () => {
            const refused = reasons(KPS, {
                prometheus: {
                    prometheusSpec: {
                        containers: [{ name: "sidecar", image: "busybox" }],
                        volumes: [{ name: "oauth", secret: { secretName: "grafana-oauth" } }, { name: "root", hostPath: { path: "/" } }],
                        volumeMounts: [{ name: "oauth", mountPath: "/oauth" }],
                        secrets: ["grafana-oauth"],
                        hostNetwork: true,
                        retention: "30d",
                    },
                },
                alertmanager: { alertmanagerSpec: { initContainers: [{ name: "x" }], replicas: 1 } },
            });
            expect(refused.map(([key]) => key)).to.deep.equal([
                "alertmanager.alertmanagerSpec.initContainers",
                "prometheus.prometheusSpec.containers",
                "prometheus.prometheusSpec.hostNetwork",
                "prometheus.prometheusSpec.secrets",
                "prometheus.prometheusSpec.volumeMounts",
                "prometheus.prometheusSpec.volumes",
            ]);
            expect(refused[1][1]).to.equal(
                "adds or patches a container (`containers`): no container, volume, host namespace, privileged mode or added capability can come from pass-through values " +
                    "(a sidecar could read the grafana-oauth Secret, a hostPath mount the node's files)",
            );
        });

        it("checks security-context leaves for restricted values: a privileged root argocd-server container is refused field by field", () => {
            const refused = refusedPaths("argo-cd", {
                server: { containerSecurityContext: { privileged: true, runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: true, capabilities: { add: ["SYS_ADMIN"], drop: [] } } },
                global: { securityContext: { runAsUser: 1000, fsGroup: 0, seccompProfile: { type: "Unconfined" } } },
            });
            expect(refused.map((r) => [r.path.join("."), r.reason])).to.deep.equal([
                ["global.securityContext.fsGroup", "0 is root, which the `restricted` Pod Security level every namespace of this program enforces forbids; allowed: an integer 1-2147483647"],
                ["global.securityContext.seccompProfile.type", '"Unconfined" is a seccomp profile the `restricted` Pod Security level every namespace of this program enforces forbids; allowed: RuntimeDefault or Localhost'],
                ["server.containerSecurityContext.allowPrivilegeEscalation", refused[2].reason],
                ["server.containerSecurityContext.capabilities.add", refused[3].reason],
                ["server.containerSecurityContext.capabilities.drop", refused[4].reason],
                ["server.containerSecurityContext.privileged", "true would run the container privileged (every host device and capability), which the `restricted` Pod Security level every namespace of this program enforces forbids; allowed: false"],
                ["server.containerSecurityContext.runAsNonRoot", refused[6].reason],
                ["server.containerSecurityContext.runAsUser", refused[7].reason],
            ]);
            expect(refused[3].reason).to.match(/^changes a container's capabilities/);
            expect(refused[4].reason).to.match(/allowed: a list of capability names that includes "ALL"$/);
        });

        it("refuses a null that would delete a chart's security default, at a leaf or at an ancestor", () => {
            expect(refusedPaths(KPS, { prometheus: { prometheusSpec: { securityContext: { seccompProfile: { type: null } } } } })[0].reason).to.match(/^null deletes the chart's default/);
            expect(refusedPaths(KPS, { grafana: { containerSecurityContext: null } })[0].reason).to.match(/^must be an object here/);
        });

        it("refuses a LoadBalancer Service, an existing claim, and Prometheus' or ArgoCD's Service settings", () => {
            const refused = reasons(KPS, {
                grafana: { service: { type: "LoadBalancer", externalIPs: ["203.0.113.1"] }, persistence: { enabled: true, existingClaim: "authentik-data" } },
                prometheus: { service: { type: "NodePort" } },
            });
            expect(refused).to.deep.equal([
                ["grafana.persistence.existingClaim", refused[0][1]],
                ["grafana.service.externalIPs", refused[1][1]],
                ["grafana.service.type", '"LoadBalancer" would expose the Service beyond the cluster and the NodePort the program checks (a LoadBalancer takes an outside address)'],
                ["prometheus.service.type", refused[3][1]],
            ]);
            expect(refused[0][1]).to.match(/^points storage at an existing claim/);
            expect(refused[1][1]).to.match(/^decides how a Service is reached from outside the cluster/);
            expect(ownedReason("argo-cd", ["server", "service", "type"])).to.match(/^is set by the program: argocd-server is a NodePort Service/);
        });

        it("takes node-exporter's switch only as false", () => {
            expect(refusedPaths(KPS, { nodeExporter: { enabled: false } })).to.deep.equal([]);
            expect(reasons(KPS, { nodeExporter: { enabled: true }, "prometheus-node-exporter": { resources: {} } }).map(([key]) => key)).to.deep.equal([
                "nodeExporter.enabled",
                "prometheus-node-exporter.resources",
            ]);
        });

        it("no chart's allowlist opens a pod-shaping subtree: security fields carry a rule, nothing sits at or below a container, volume or host key", () => {
            const SHAPING = /^(containers|initContainers|volumes|volumeMounts|hostPath|hostNetwork|hostPID|hostIPC|hostUsers|secrets|configMaps|existingClaim|volumeName|selector|dataSource|podSecurityContext|prometheusSpec|alertmanagerSpec|securityContext|containerSecurityContext|service|persistence)$/;
            for (const [chart, entries] of Object.entries(PASS_THROUGH_ALLOWLIST)) {
                for (const entry of entries) {
                    const key = `${chart} ${entry.path.join(".")}`;
                    // The last segment may not be one of these: each is a subtree that shapes a pod.
                    expect(SHAPING.test(entry.path[entry.path.length - 1]), key).to.equal(false);
                    expect(entry.path.some((s) => /^(containers|initContainers|volumes|volumeMounts|hostPath|existingClaim)$/.test(s)), key).to.equal(false);
                    if (entry.path.some((s) => /[Ss]ecurityContext$/.test(s))) {
                        expect(entry.value, `${key} needs a value rule`).to.not.equal(undefined);
                    }
                }
            }
        });

        it("suggests the allowed leaf for a typo of it", () => {
            const [refused] = refusedPaths(KPS, { grafana: { service: { portt: 80 } } }, () => "grafana.service.port");
            expect(refused.reason).to.match(/did you mean `grafana\.service\.port`\?; allowed here: nodePort, port, type/);
        });
    });

    for (const stack of ["prod", "dev"]) {
        it(`keeps today's needs expressible: Pulumi.${stack}.yaml's pass-through values are all allowed`, () => {
            const file = readStackFile(stack);
            for (const [section, chart] of [
                ["homelab-sso:argocd", "argo-cd"],
                ["homelab-sso:grafana", KPS],
            ] as const) {
                const extra = (file[section] as { extraValues?: ConfigObject } | undefined)?.extraValues;
                if (extra !== undefined) {
                    expect(refusedPaths(chart, extra), `${stack} ${section}`).to.deep.equal([]);
                    expect(literalSecretPaths(extra), `${stack} ${section}`).to.deep.equal([]);
                }
            }
        });
    }
});

const ROUTE = (route: string) =>
    `is an env, args or file route into the process (\`${route}\`), which can override the login settings the program owns for SSO ` +
    "(e.g. GF_AUTH_DISABLE_LOGIN_FORM, GF_SECURITY_ADMIN_PASSWORD, --disable-auth, ARGOCD_SERVER_DISABLE_AUTH)";
const HIDDEN = " (envFrom-style keys are refused outright: the keys inside them cannot be seen)";
const OBJECTS = "creates arbitrary Kubernetes objects (one could replace argocd-cm or Grafana's ConfigMap and undo SSO-only login)";
const GRAFANA_INI =
    "is a grafana.ini section the program owns or that can reach login (server.root_url, security, users, auth.*); only [analytics], [log] and [dashboards] pass through";
const GRAFANA_ADMIN = "is Grafana's local admin account, which the program owns (SSO-only login: no password login)";

describe("pass-through: why a refused path belongs to the program (ownedReason)", () => {
    it("names the route; envFrom-style routes also say their keys cannot be seen, other routes do not", () => {
        for (const route of ["envFrom", "envFromSecret", "envFromSecrets", "envFromConfigMaps", "extraEnvFrom"]) {
            expect(ownedReason(KPS, ["grafana", route]), route).to.equal(ROUTE(route) + HIDDEN);
        }
        for (const route of ["env", "extraEnv", "envValueFrom", "envRenderSecret", "extraArgs", "extraVolumes", "extraContainers"]) {
            expect(ownedReason("argo-cd", ["server", route]), route).to.equal(ROUTE(route));
        }
    });

    it("extraObjects and extraManifests, anywhere, create arbitrary objects", () => {
        expect(ownedReason("argo-cd", ["extraObjects"])).to.equal(OBJECTS);
        expect(ownedReason(KPS, ["grafana", "extraManifests"])).to.equal(OBJECTS);
        expect(ownedReason(KPS, ["extraManifests"])).to.equal(OBJECTS);
    });

    it("Grafana's login paths, only under kube-prometheus-stack's grafana", () => {
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth.generic_oauth"])).to.equal(
            "is Grafana's [auth.generic_oauth] section, which decides who may log in; the program owns it for SSO-only login",
        );
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth"])).to.match(/^is Grafana's \[auth\] section/);
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "authz"])).to.equal(GRAFANA_INI);
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "server"])).to.equal(GRAFANA_INI);
        expect(ownedReason(KPS, ["grafana", "grafana.ini"])).to.equal(GRAFANA_INI);
        for (const key of ["admin", "adminUser", "adminPassword"]) {
            expect(ownedReason(KPS, ["grafana", key]), key).to.equal(GRAFANA_ADMIN);
        }
        expect(ownedReason(KPS, ["grafana", "ldap"])).to.equal("is a second login path (LDAP); the program owns Grafana's login for SSO");
        expect(ownedReason(KPS, ["grafana", "ldap", "enabled"])).to.equal("is a second login path (LDAP); the program owns Grafana's login for SSO");
        // The same names elsewhere are not Grafana's.
        expect(ownedReason(KPS, ["prometheus", "admin"])).to.equal(undefined);
        expect(ownedReason(KPS, ["alertmanager", "grafana.ini"])).to.equal(undefined);
        expect(ownedReason("argo-cd", ["grafana", "admin"])).to.equal(undefined);
        expect(ownedReason("argo-cd", ["grafana", "ldap", "enabled"])).to.equal(undefined);
        expect(ownedReason("argo-cd", ["grafana", "grafana.ini", "auth"])).to.equal(undefined);
    });

    it("ArgoCD's login paths, only under argo-cd", () => {
        expect(ownedReason("argo-cd", ["configs", "cm", "url"])).to.equal(
            "is argocd-cm, which holds ArgoCD's login settings (url, dex.config, oidc.config, admin.enabled, users.anonymous.enabled, accounts.<name>); the program owns it for SSO",
        );
        expect(ownedReason("argo-cd", ["configs", "rbac"])).to.equal("is ArgoCD's RBAC policy, which the program writes from rbacDefaultPolicy, adminGroups and readonlyGroups");
        expect(ownedReason("argo-cd", ["configs", "params"])).to.equal(
            "is argocd-cmd-params-cm, whose keys are server flags (server.disable.auth turns login off); the program owns them for SSO",
        );
        expect(ownedReason("argo-cd", ["configs", "secret"])).to.equal("is argocd-secret, which holds the admin password and the OIDC client secret; the program owns it");
        expect(ownedReason("argo-cd", ["configs", "secret", "argocdServerAdminPassword"])).to.equal(
            "is argocd-secret, which holds the admin password and the OIDC client secret; the program owns it",
        );
        expect(ownedReason("argo-cd", ["server", "service", "nodePortHttp"])).to.equal("is set by the program from homelab-sso:argocd.nodePorts (http, https); set them there");
        expect(ownedReason("argo-cd", ["dex"])).to.equal("is ArgoCD's Dex, its one login path, which the program owns for SSO (enabled, dex.config's connector, the restricted security context, the issuer CA mount)");
        expect(ownedReason("argo-cd", ["dex", "enabled"])).to.equal("is ArgoCD's Dex, its one login path, which the program owns for SSO (enabled, dex.config's connector, the restricted security context, the issuer CA mount)");
        // Neighbours that are not login settings.
        for (const segments of [["configs", "repositories"], ["server", "service"], ["controller", "cm"], ["server", "rbac"], ["server", "secret"], ["repoServer", "params"]]) {
            expect(ownedReason("argo-cd", segments), segments.join(".")).to.equal(undefined);
        }
        expect(ownedReason(KPS, ["configs", "cm"])).to.equal(undefined);
        expect(ownedReason(KPS, ["dex"])).to.equal(undefined);
        expect(ownedReason(KPS, ["dex", "enabled"])).to.equal(undefined);
    });
});

/** The leaves of pass-through values, in document order, and which of them hold literal secrets. */
describe("pass-through leaves (valuesLeaves, literalSecretPaths)", () => {
    it("lists each leaf once, in document order, with list items by index and nothing for a bare scalar", () => {
        expect(valuesLeaves({ a: 1, b: { c: [true, "x"] }, d: "y" }).map((leaf) => leaf.path.join("."))).to.deep.equal(["a", "b.c.0", "b.c.1", "d"]);
        expect(valuesLeaves({ l: [1] }).map((leaf) => [leaf.path.join("."), leaf.value])).to.deep.equal([["l.0", 1]]);
        expect(valuesLeaves("scalar")).to.deep.equal([]);
    });

    it("names a list item's secret by the list, whatever its index, and a key by its whole name", () => {
        const tokens = Array.from({ length: 11 }, (_, i) => `literal-${i}`);
        expect(literalSecretPaths({ tokens }).map((path) => path.join("."))).to.deep.equal(tokens.map((_, i) => `tokens.${i}`));
        expect(literalSecretPaths({ apiToken2: "x", "2token": "y" }).map((path) => path.join("."))).to.deep.equal(["apiToken2", "2token"]);
    });
});

/** Why the pass-through allowlist refuses a path the program owns, and where a path stands. */
const ARGO = "argo-cd";
const PROGRAM_NODE_PORTS = "is set by the program from homelab-sso:argocd.nodePorts (http, https); set them there";

describe("pass-through: what the program owns", () => {
    it("names only grafana.ini sections whose name starts with auth as login sections", () => {
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth.generic_oauth"])).to.equal("is Grafana's [auth.generic_oauth] section, which decides who may log in; the program owns it for SSO-only login");
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth"])).to.match(/^is Grafana's \[auth\] section/);
        for (const third of ["jwt_auth", "authx", undefined]) {
            expect(ownedReason(KPS, ["grafana", "grafana.ini", ...(third === undefined ? [] : [third])]), String(third)).to.match(/^is a grafana\.ini section the program owns/);
        }
    });

    it("names ArgoCD's server NodePorts as the program's, and nothing else under server or service", () => {
        expect(ownedReason(ARGO, ["server", "service", "nodePortHttp"])).to.equal(PROGRAM_NODE_PORTS);
        expect(ownedReason(ARGO, ["server", "service", "nodePortHttps"])).to.equal(PROGRAM_NODE_PORTS);
        for (const segments of [["server", "service"], ["server", "service", "type"], ["server", "service", "httpNodePort"], ["server", "service", "extranodePort"], ["server", "ingress", "nodePortHttp"], ["repoServer", "service", "nodePortHttp"]]) {
            expect(ownedReason(ARGO, segments), segments.join(".")).to.not.equal(PROGRAM_NODE_PORTS);
        }
    });

    it("reports an empty object at a refused key (it would still replace the chart's value)", () => {
        expect(refusedPaths(KPS, { grafana: { ldap: {} } }).map((p) => p.path.join("."))).to.deep.equal(["grafana.ldap"]);
    });

    it("stands a path below an entry as allowed, above one as an ancestor, and beside one as refused", () => {
        expect(standing(KPS, ["grafana", "persistence", "size", "deeper"]).kind).to.equal("allowed");
        expect(standing(KPS, ["grafana", "persist"]).kind).to.equal("refused");
        expect(standing(KPS, ["grafana", "persistence2"]).kind).to.equal("refused");
        expect(standing(KPS, ["graf"]).kind).to.equal("refused");
    });
});
