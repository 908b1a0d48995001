/**
 * The monitoring namespace's Pod Security level (issue 12 §5, issue 19 §2: always `restricted`), and
 * every pod kube-prometheus-stack 82.1.0 renders (node-exporter never runs), checked against
 * `restricted` for every accepted fixture and for the most the pass-through allowlist admits.
 *
 * The chart's templates are not here, so each pod's security contexts are read from the chart's
 * default values (the security-relevant defaults are written below, with the values file and key
 * they come from) overlaid with the values the program renders for the committed stacks, the way Helm
 * merges them (maps merge key by key, `null` deletes). What that cannot check is listed in
 * NOT_CHECKABLE_FROM_VALUES at the end.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Evaluation, RecordedResource } from "../../../scripts/lib/mockRuntime";
import { podSecurityLabels } from "../../../components/authentik/values";
import { MONITORING_RESTRICTED_VALUES, PodSpecSecurity, restrictedViolations } from "../../../components/monitoring/podSecurity";
import { PASS_THROUGH_ALLOWLIST } from "../../../stacks/passThrough";
import { FIXTURES, KNOWN_SECRETS, committedStack, evaluateStack, evaluateStackFile, readStackFile, stackConfigProblems } from "../../support/stacks";

type Values = { [key: string]: unknown };

/** A values path and the chart's default at it (after kube-prometheus-stack's overrides of its subcharts). */
interface FromValues {
    path: string;
    chartDefault: unknown;
}

interface PodInventoryEntry {
    pod: string;
    /** Every condition must be truthy for the chart to render the pod. */
    renderedWhen: FromValues[];
    /** ...and none of these (e.g. cert-manager replaces the patch jobs). */
    notRenderedWhen?: FromValues[];
    hostNetwork?: FromValues;
    podSecurityContext: FromValues;
    containers: {
        name: string;
        /** Rendered only when these are truthy (besides the pod's conditions). */
        renderedWhen?: FromValues[];
        securityContext: FromValues | { setByOperator: Values; source: string };
    }[];
}

// Security contexts prometheus-operator sets on the containers it builds (not values).
const OPERATOR_CONTAINER_CONTEXT = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
// Sources of the defaults below: KPS = kube-prometheus-stack 82.1.0 values.yaml; GRAFANA = grafana 11.1.7
// values.yaml (subchart, under `grafana:`); KSM = kube-state-metrics 7.1.0 values.yaml (under `kube-state-metrics:`).
const RESTRICTED_JOB_CONTEXT = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const NOBODY_POD = { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } };

/**
 * Every pod-producing template of kube-prometheus-stack 82.1.0 and its subcharts except node-exporter
 * (sources: the values files named in each entry's comment; paths are from the release's top level).
 */
export const KUBE_PROMETHEUS_STACK_PODS: PodInventoryEntry[] = [
    {
        // KPS prometheusOperator.*
        pod: "prometheus-operator (Deployment)",
        renderedWhen: [{ path: "prometheusOperator.enabled", chartDefault: true }],
        hostNetwork: { path: "prometheusOperator.hostNetwork", chartDefault: false },
        podSecurityContext: { path: "prometheusOperator.securityContext", chartDefault: NOBODY_POD },
        containers: [{ name: "kube-prometheus-stack", securityContext: { path: "prometheusOperator.containerSecurityContext", chartDefault: RESTRICTED_JOB_CONTEXT } }],
    },
    {
        // KPS prometheusOperator.admissionWebhooks.* (a pre-install/pre-upgrade hook Job)
        pod: "admission webhook certificate: create (Job)",
        renderedWhen: [
            { path: "prometheusOperator.enabled", chartDefault: true },
            { path: "prometheusOperator.admissionWebhooks.enabled", chartDefault: true },
            { path: "prometheusOperator.admissionWebhooks.patch.enabled", chartDefault: true },
        ],
        notRenderedWhen: [{ path: "prometheusOperator.admissionWebhooks.certManager.enabled", chartDefault: false }],
        podSecurityContext: {
            path: "prometheusOperator.admissionWebhooks.patch.securityContext",
            chartDefault: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 2000, seccompProfile: { type: "RuntimeDefault" } },
        },
        containers: [{ name: "create", securityContext: { path: "prometheusOperator.admissionWebhooks.createSecretJob.securityContext", chartDefault: RESTRICTED_JOB_CONTEXT } }],
    },
    {
        // KPS prometheusOperator.admissionWebhooks.* (a post-install/post-upgrade hook Job)
        pod: "admission webhook certificate: patch (Job)",
        renderedWhen: [
            { path: "prometheusOperator.enabled", chartDefault: true },
            { path: "prometheusOperator.admissionWebhooks.enabled", chartDefault: true },
            { path: "prometheusOperator.admissionWebhooks.patch.enabled", chartDefault: true },
        ],
        notRenderedWhen: [{ path: "prometheusOperator.admissionWebhooks.certManager.enabled", chartDefault: false }],
        podSecurityContext: {
            path: "prometheusOperator.admissionWebhooks.patch.securityContext",
            chartDefault: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 2000, seccompProfile: { type: "RuntimeDefault" } },
        },
        containers: [{ name: "patch", securityContext: { path: "prometheusOperator.admissionWebhooks.patchWebhookJob.securityContext", chartDefault: RESTRICTED_JOB_CONTEXT } }],
    },
    {
        // KPS prometheusOperator.admissionWebhooks.deployment.*
        pod: "admission webhook server (Deployment)",
        renderedWhen: [
            { path: "prometheusOperator.admissionWebhooks.enabled", chartDefault: true },
            { path: "prometheusOperator.admissionWebhooks.deployment.enabled", chartDefault: false },
        ],
        hostNetwork: { path: "prometheusOperator.admissionWebhooks.deployment.hostNetwork", chartDefault: false },
        podSecurityContext: { path: "prometheusOperator.admissionWebhooks.deployment.securityContext", chartDefault: NOBODY_POD },
        containers: [{ name: "admission-webhook", securityContext: { path: "prometheusOperator.admissionWebhooks.deployment.containerSecurityContext", chartDefault: RESTRICTED_JOB_CONTEXT } }],
    },
    {
        // KPS prometheus.prometheusSpec.securityContext; containers built by prometheus-operator
        pod: "prometheus (StatefulSet made by the operator)",
        renderedWhen: [{ path: "prometheus.enabled", chartDefault: true }],
        hostNetwork: { path: "prometheus.prometheusSpec.hostNetwork", chartDefault: false },
        podSecurityContext: {
            path: "prometheus.prometheusSpec.securityContext",
            chartDefault: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } },
        },
        containers: [
            { name: "prometheus", securityContext: { setByOperator: OPERATOR_CONTAINER_CONTEXT, source: "prometheus-operator pkg/prometheus/server/statefulset.go" } },
            { name: "config-reloader", securityContext: { setByOperator: OPERATOR_CONTAINER_CONTEXT, source: "prometheus-operator pkg/operator/config_reloader.go" } },
            { name: "init-config-reloader", securityContext: { setByOperator: OPERATOR_CONTAINER_CONTEXT, source: "prometheus-operator pkg/operator/config_reloader.go" } },
        ],
    },
    {
        // KPS alertmanager.alertmanagerSpec.securityContext; containers built by prometheus-operator
        pod: "alertmanager (StatefulSet made by the operator)",
        renderedWhen: [{ path: "alertmanager.enabled", chartDefault: true }],
        podSecurityContext: {
            path: "alertmanager.alertmanagerSpec.securityContext",
            chartDefault: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } },
        },
        containers: [
            { name: "alertmanager", securityContext: { setByOperator: OPERATOR_CONTAINER_CONTEXT, source: "prometheus-operator pkg/alertmanager/statefulset.go" } },
            { name: "config-reloader", securityContext: { setByOperator: OPERATOR_CONTAINER_CONTEXT, source: "prometheus-operator pkg/operator/config_reloader.go" } },
            { name: "init-config-reloader", securityContext: { setByOperator: OPERATOR_CONTAINER_CONTEXT, source: "prometheus-operator pkg/operator/config_reloader.go" } },
        ],
    },
    {
        // GRAFANA securityContext, containerSecurityContext, sidecar.*, initChownData.*, downloadDashboards.*
        pod: "grafana (Deployment)",
        renderedWhen: [{ path: "grafana.enabled", chartDefault: true }],
        podSecurityContext: { path: "grafana.securityContext", chartDefault: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 } },
        containers: [
            {
                name: "grafana",
                securityContext: {
                    path: "grafana.containerSecurityContext",
                    chartDefault: { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
                },
            },
            {
                name: "grafana-sc-dashboard",
                // kube-prometheus-stack turns the sidecars on (the grafana chart's default is off).
                renderedWhen: [{ path: "grafana.sidecar.dashboards.enabled", chartDefault: true }],
                securityContext: { path: "grafana.sidecar.securityContext", chartDefault: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } } },
            },
            {
                name: "grafana-sc-datasources",
                renderedWhen: [{ path: "grafana.sidecar.datasources.enabled", chartDefault: true }],
                securityContext: { path: "grafana.sidecar.securityContext", chartDefault: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } } },
            },
            {
                name: "init-chown-data",
                renderedWhen: [
                    { path: "grafana.persistence.enabled", chartDefault: false },
                    { path: "grafana.initChownData.enabled", chartDefault: true },
                ],
                securityContext: {
                    path: "grafana.initChownData.securityContext",
                    chartDefault: { readOnlyRootFilesystem: false, runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: "RuntimeDefault" }, capabilities: { add: ["CHOWN"], drop: ["ALL"] } },
                },
            },
            {
                name: "download-dashboards",
                renderedWhen: [{ path: "grafana.dashboards", chartDefault: {} }],
                securityContext: {
                    path: "grafana.downloadDashboards.securityContext",
                    chartDefault: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
                },
            },
        ],
    },
    {
        // GRAFANA testFramework.* (a `helm test` hook Pod)
        pod: "grafana test (Pod, helm test hook)",
        renderedWhen: [{ path: "grafana.enabled", chartDefault: true }, { path: "grafana.testFramework.enabled", chartDefault: true }],
        podSecurityContext: { path: "grafana.testFramework.securityContext", chartDefault: {} },
        containers: [{ name: "grafana-test", securityContext: { path: "grafana.testFramework.containerSecurityContext", chartDefault: {} } }],
    },
    {
        // KSM securityContext (its `enabled` key is the template's switch, not a field), containerSecurityContext
        pod: "kube-state-metrics (Deployment)",
        renderedWhen: [{ path: "kubeStateMetrics.enabled", chartDefault: true }],
        hostNetwork: { path: "kube-state-metrics.hostNetwork", chartDefault: false },
        podSecurityContext: { path: "kube-state-metrics.securityContext", chartDefault: { enabled: true, ...NOBODY_POD } },
        containers: [
            { name: "kube-state-metrics", securityContext: { path: "kube-state-metrics.containerSecurityContext", chartDefault: RESTRICTED_JOB_CONTEXT } },
            {
                name: "kube-rbac-proxy-http",
                renderedWhen: [{ path: "kube-state-metrics.kubeRBACProxy.enabled", chartDefault: false }],
                securityContext: { path: "kube-state-metrics.kubeRBACProxy.containerSecurityContext", chartDefault: RESTRICTED_JOB_CONTEXT },
            },
        ],
    },
    {
        // KPS thanosRuler.*
        pod: "thanos-ruler (StatefulSet made by the operator)",
        renderedWhen: [{ path: "thanosRuler.enabled", chartDefault: false }],
        podSecurityContext: {
            path: "thanosRuler.thanosRulerSpec.securityContext",
            chartDefault: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } },
        },
        containers: [{ name: "thanos-ruler", securityContext: { setByOperator: OPERATOR_CONTAINER_CONTEXT, source: "prometheus-operator pkg/thanos/statefulset.go" } }],
    },
    {
        // KPS crds.upgradeJob.*
        pod: "CRD upgrade (Job)",
        renderedWhen: [{ path: "crds.enabled", chartDefault: true }, { path: "crds.upgradeJob.enabled", chartDefault: false }],
        podSecurityContext: { path: "crds.upgradeJob.podSecurityContext", chartDefault: NOBODY_POD },
        containers: [{ name: "upgrade-crds", securityContext: { path: "crds.upgradeJob.containerSecurityContext", chartDefault: RESTRICTED_JOB_CONTEXT } }],
    },
];

/** What this check cannot see, and why (docs/configuration.md, "Monitoring namespace: Pod Security", repeats it). */
export const NOT_CHECKABLE_FROM_VALUES = [
    "prometheus, alertmanager and thanos-ruler containers: built by prometheus-operator at run time, not by a template; their contexts are read from the operator's source (pkg/prometheus/server/statefulset.go, pkg/alertmanager/statefulset.go, pkg/operator/config_reloader.go, pkg/thanos/statefulset.go, at v0.93.0), not from values, and an operator of another version may differ",
    "volume types and any field a template hard-codes (rather than reading from values): the templates are not in the repository; only node-exporter mounts hostPath in this chart's values",
    "windows-exporter (windowsMonitoring.enabled, default false): Windows hostProcess pods, which neither baseline nor restricted admits",
    "node-exporter: needs hostNetwork, hostPID and hostPath, which restricted forbids; it never runs (the program turns it off, and a stack that turns it on is refused)",
    "objects from extraManifests (default []): free-form, whatever the stack adds",
];

/** The value at a dotted path of the release's values, or undefined. Keys never contain a dot here. */
function valueAt(values: Values, path: string): unknown {
    let node: unknown = values;
    for (const key of path.split(".")) {
        if (typeof node !== "object" || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
        node = (node as Values)[key];
    }
    return node;
}

/** Helm's coalescing of user values over chart defaults: maps merge key by key, `null` deletes. */
function helmCoalesce(chartDefault: unknown, user: unknown): unknown {
    if (user === undefined) return chartDefault;
    const isMap = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);
    if (isMap(chartDefault) && isMap(user)) {
        const result: Values = { ...chartDefault };
        for (const [key, value] of Object.entries(user)) {
            if (value === null) delete result[key];
            else result[key] = helmCoalesce(chartDefault[key], value);
        }
        return result;
    }
    return user;
}

function effective(values: Values, from: FromValues): unknown {
    return helmCoalesce(from.chartDefault, valueAt(values, from.path));
}

/** Go templates' truthiness (`if`): false, 0, "", nil, and empty maps and lists are false. */
function truthy(value: unknown): boolean {
    if (value === null || value === undefined || value === false || value === 0 || value === "") return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "object") return Object.keys(value as object).length > 0;
    return true;
}

export function podRendered(entry: PodInventoryEntry, values: Values): boolean {
    return entry.renderedWhen.every((c) => truthy(effective(values, c))) && !(entry.notRenderedWhen ?? []).some((c) => truthy(effective(values, c)));
}

/** The pod's security fields as the chart would render them for `values` (only rendered containers). */
export function podSecurityFromValues(entry: PodInventoryEntry, values: Values): PodSpecSecurity {
    const podContext = { ...(effective(values, entry.podSecurityContext) as Values) };
    if (entry.pod.startsWith("kube-state-metrics")) delete podContext.enabled;
    return {
        hostNetwork: entry.hostNetwork ? (effective(values, entry.hostNetwork) as boolean) : false,
        securityContext: podContext,
        containers: entry.containers
            .filter((c) => (c.renderedWhen ?? []).every((w) => truthy(effective(values, w))))
            .map((c) => ({
                name: c.name,
                securityContext: ("setByOperator" in c.securityContext ? c.securityContext.setByOperator : effective(values, c.securityContext)) as Values,
            })),
    };
}

function releaseValues(evaluation: Evaluation): Values {
    const release = evaluation.resources.find((r: RecordedResource) => (r.inputs as Values).chart === "kube-prometheus-stack");
    expect(release, "the kube-prometheus-stack release").to.not.equal(undefined);
    return (release!.inputs as Values).values as Values;
}

function namespaceLabels(evaluation: Evaluation): unknown {
    const namespace = evaluation.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && (r.inputs as any).metadata?.name === "monitoring");
    return (namespace!.inputs as any).metadata.labels;
}

/** Every accepted stack fixture (`test/fixtures/Pulumi.<stack>.yaml`); attack fixtures live in a folder of their own. */
const ACCEPTED_FIXTURES = fs
    .readdirSync(FIXTURES)
    .map((file) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ stack: match[1], file: path.join(FIXTURES, match[0]) }));

/** Whether the release's values turn node-exporter on: the subchart's condition, true by default; only a boolean false turns it off. */
function nodeExporterRuns(values: Values): boolean {
    return valueAt(values, "nodeExporter.enabled") !== false;
}

function withGrafanaExtraValues(change: (extraValues: Values) => Values): { [key: string]: unknown } {
    const grafana = readStackFile("prod")["homelab-sso:grafana"] as Values;
    return { "homelab-sso:grafana": { ...grafana, extraValues: change({ ...(grafana.extraValues as Values) }) } };
}

describe("monitoring namespace Pod Security (issue 12 §5, issue 19 §2)", () => {
    describe("the namespace the program creates: restricted, never lowered", () => {
        for (const stack of ["prod", "dev"]) {
            it(`${stack}: node-exporter is off, and the namespace enforces restricted`, async () => {
                const evaluation = await committedStack(stack);
                expect(nodeExporterRuns(releaseValues(evaluation))).to.equal(false);
                expect(namespaceLabels(evaluation)).to.deep.equal(podSecurityLabels("restricted"));
            });
        }

        it("a stack that leaves node-exporter at the chart's default (on) still gets it off, and restricted", async () => {
            const evaluation = await evaluateStack("prod", {
                set: withGrafanaExtraValues((extraValues) => {
                    delete extraValues.nodeExporter;
                    return extraValues;
                }),
            });
            expect(valueAt(releaseValues(evaluation), "nodeExporter.enabled")).to.equal(false);
            expect(namespaceLabels(evaluation)).to.deep.equal(podSecurityLabels("restricted"));
        });

        it("turning node-exporter on is refused with the reason, before anything is created", () => {
            const problems = stackConfigProblems("prod", {
                secrets: KNOWN_SECRETS,
                set: withGrafanaExtraValues((extraValues) => ({ ...extraValues, nodeExporter: { enabled: true } })),
            });
            expect(problems.map((p) => p.key)).to.deep.equal(["homelab-sso:grafana.extraValues.nodeExporter.enabled"]);
            expect(problems[0].message).to.match(/^true would run node-exporter: node-exporter needs hostNetwork, hostPID and hostPath .* forbids, and no configuration lowers that level/);
            expect(problems[0].message).to.match(/allowed: false$/);
        });

        it("the program owns the switches restricted depends on: node-exporter, init-chown-data and the grafana `helm test` pod, all off, over extraValues", async () => {
            expect(MONITORING_RESTRICTED_VALUES).to.deep.equal({
                grafana: { testFramework: { enabled: false }, initChownData: { enabled: false } },
                nodeExporter: { enabled: false },
            });
            const values = releaseValues(await committedStack("prod"));
            for (const key of ["grafana.testFramework.enabled", "grafana.initChownData.enabled", "nodeExporter.enabled"]) {
                expect(valueAt(values, key), key).to.equal(false);
            }
        });
    });

    describe("every pod kube-prometheus-stack renders (node-exporter never does) meets restricted", () => {
        for (const stack of ["prod", "dev"]) {
            it(`${stack}: chart defaults + the program's values render today's pods`, async () => {
                const values = releaseValues(await committedStack(stack));
                const rendered = KUBE_PROMETHEUS_STACK_PODS.filter((entry) => podRendered(entry, values));
                // What the committed stacks render (replicas may be 0, but the pod templates are admitted on scale-up).
                expect(rendered.map((e) => e.pod)).to.include.members([
                    "prometheus-operator (Deployment)",
                    "admission webhook certificate: create (Job)",
                    "admission webhook certificate: patch (Job)",
                    "prometheus (StatefulSet made by the operator)",
                    "grafana (Deployment)",
                    "kube-state-metrics (Deployment)",
                ]);
            });
        }

        for (const fixture of ACCEPTED_FIXTURES) {
            it(`accepted fixture ${path.basename(fixture.file)}: every rendered pod meets restricted`, async () => {
                const values = releaseValues(await evaluateStackFile(fixture.stack, fixture.file));
                const rendered = KUBE_PROMETHEUS_STACK_PODS.filter((entry) => podRendered(entry, values));
                expect(rendered.length).to.be.greaterThan(0);
                const problems = rendered.flatMap((entry) => restrictedViolations(podSecurityFromValues(entry, values)).map((p) => `${entry.pod}: ${p}`));
                expect(problems).to.deep.equal([]);
            });
        }

        describe("whatever the pass-through allowlist admits keeps every pod restricted", () => {
            /** Values each rule accepts, at both ends where it has two (stacks/podShape.ts). */
            const ACCEPTED: { [rule: string]: unknown[] } = {
                nonZeroId: [1, 2147483647],
                true: [true],
                false: [false],
                boolean: [false, true],
                seccompType: ["Localhost", "RuntimeDefault"],
                profileName: ["profiles/audit.json"],
                dropAll: [["ALL"], ["NET_RAW", "ALL"]],
                serviceType: ["NodePort", "ClusterIP"],
                port: [80],
                podAnnotations: [{ "container.apparmor.security.beta.kubernetes.io/grafana": "runtime/default" }, { "container.apparmor.security.beta.kubernetes.io/grafana": "localhost/audit" }],
            };
            const SWITCHES_ON: Values = {
                grafana: { persistence: { enabled: true }, sidecar: { dashboards: { enabled: true }, datasources: { enabled: true } } },
                prometheus: { enabled: true },
                alertmanager: { enabled: true },
                kubeStateMetrics: { enabled: true },
                prometheusOperator: { enabled: true },
            };
            const ruled = PASS_THROUGH_ALLOWLIST["kube-prometheus-stack"].filter((entry) => entry.value !== undefined);

            function admitted(end: 0 | 1): Values {
                const values: Values = JSON.parse(JSON.stringify(SWITCHES_ON));
                for (const entry of ruled) {
                    const samples = ACCEPTED[entry.value!.name];
                    expect(samples, `a sample for rule ${entry.value!.name}`).to.not.equal(undefined);
                    const sample = samples[Math.min(end, samples.length - 1)];
                    expect(entry.value!.problem(sample), `${entry.path.join(".")}: ${JSON.stringify(sample)}`).to.equal(undefined);
                    let node = values;
                    for (const segment of entry.path.slice(0, -1)) {
                        node = (node[segment] ??= {}) as Values;
                    }
                    node[entry.path[entry.path.length - 1]] = sample;
                }
                // The program's values go over the stack's (components/monitoring/values.ts).
                return helmCoalesce(values, MONITORING_RESTRICTED_VALUES) as Values;
            }

            for (const end of [0, 1] as const) {
                it(`every rendered pod, with each security leaf at ${end === 0 ? "one" : "the other"} end of what its rule accepts`, () => {
                    const values = admitted(end);
                    const rendered = KUBE_PROMETHEUS_STACK_PODS.filter((entry) => podRendered(entry, values));
                    expect(rendered.map((e) => e.pod)).to.include.members(["grafana (Deployment)", "prometheus (StatefulSet made by the operator)", "kube-state-metrics (Deployment)"]);
                    const problems = rendered.flatMap((entry) => restrictedViolations(podSecurityFromValues(entry, values)).map((p) => `${entry.pod}: ${p}`));
                    expect(problems).to.deep.equal([]);
                });
            }

            it("reaches every security context the allowlist makes settable (each is a pod's or a container's in the inventory)", () => {
                const inventory = new Set(
                    KUBE_PROMETHEUS_STACK_PODS.flatMap((entry) => [
                        entry.podSecurityContext.path,
                        ...entry.containers.flatMap((c) => ("path" in c.securityContext ? [c.securityContext.path] : [])),
                    ]),
                );
                const settable = new Set(
                    ruled
                        .map((entry) => entry.path.join("."))
                        .filter((key) => /[Ss]ecurityContext\./.test(key))
                        .map((key) => key.replace(/(\.(seccompProfile|capabilities))?\.[A-Za-z]+$/, "")),
                );
                expect([...settable].filter((key) => !inventory.has(key))).to.deep.equal([]);
                // Grafana pod, container and sidecars; Prometheus; Alertmanager; kube-state-metrics and the operator, pod and container.
                expect(settable.size).to.equal(9);
            });

            it("the check sees a leaf set outside its rule (runAsUser 0, privileged, capabilities without ALL)", () => {
                const values = admitted(0);
                const broken = helmCoalesce(values, {
                    grafana: { securityContext: { runAsUser: 0 }, containerSecurityContext: { privileged: true, capabilities: { drop: ["NET_RAW"] } } },
                }) as Values;
                const grafana = KUBE_PROMETHEUS_STACK_PODS.find((e) => e.pod === "grafana (Deployment)")!;
                expect(restrictedViolations(podSecurityFromValues(grafana, broken))).to.include.members([
                    "pod runAsUser is 0",
                    "container grafana: privileged",
                    "container grafana: capabilities do not drop ALL",
                ]);
            });
        });

        it("every pod of the inventory meets restricted with the chart's defaults alone, except the two the program or the stacks turn off", () => {
            const failing = KUBE_PROMETHEUS_STACK_PODS.map((entry) => {
                // Render every container, as if all its conditions held.
                const everything = { ...entry, containers: entry.containers.map((c) => ({ ...c, renderedWhen: [] })) };
                return [entry.pod, restrictedViolations(podSecurityFromValues(everything, {}))] as const;
            }).filter(([, problems]) => problems.length > 0);
            expect(failing.map(([pod]) => pod)).to.deep.equal(["grafana (Deployment)", "grafana test (Pod, helm test hook)"]);
            // grafana: only its init-chown-data container (root, CHOWN), which the prod stack turns off with persistence on.
            expect(failing[0][1].every((p) => p.startsWith("container init-chown-data:"))).to.equal(true);
        });

        it("the check fails a pod that breaks restricted (init-chown-data with persistence on, the test pod, host namespaces)", () => {
            const values = { grafana: { persistence: { enabled: true }, initChownData: { enabled: true }, testFramework: { enabled: true } } };
            const grafana = KUBE_PROMETHEUS_STACK_PODS.find((e) => e.pod === "grafana (Deployment)")!;
            expect(restrictedViolations(podSecurityFromValues(grafana, values))).to.include.members([
                "container init-chown-data: allowPrivilegeEscalation is not false",
                "container init-chown-data: runAsNonRoot is not true (container or pod)",
                "container init-chown-data: runAsUser is 0",
                "container init-chown-data: adds capability CHOWN",
            ]);
            const test = KUBE_PROMETHEUS_STACK_PODS.find((e) => e.pod.startsWith("grafana test"))!;
            expect(podRendered(test, values)).to.equal(true);
            expect(restrictedViolations(podSecurityFromValues(test, values))).to.have.length.greaterThan(0);
            // A stack that removes the chart's seccomp default with null breaks the Prometheus pod.
            const prometheus = KUBE_PROMETHEUS_STACK_PODS.find((e) => e.pod.startsWith("prometheus ("))!;
            expect(restrictedViolations(podSecurityFromValues(prometheus, { prometheus: { prometheusSpec: { securityContext: { seccompProfile: null } } } }))).to.include(
                "container prometheus: seccompProfile is not RuntimeDefault or Localhost (container or pod)",
            );
            expect(restrictedViolations({ hostNetwork: true, hostPID: true, securityContext: {}, containers: [], volumeTypes: ["hostPath"] })).to.deep.equal([
                "hostNetwork is true",
                "hostPID is true",
                "volume type hostPath",
            ]);
        });

        describe("restrictedViolations: one rule at a time, on a pod that otherwise meets restricted", () => {
            const container = () => ({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } as Values });
            const compliantPod = (): PodSpecSecurity => ({
                securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "Localhost" } },
                containers: [{ name: "app", securityContext: container() }],
                volumeTypes: ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"],
            });
            const violations = (change: (pod: PodSpecSecurity) => void) => {
                const pod = compliantPod();
                change(pod);
                return restrictedViolations(pod);
            };

            it("no violation: every allowed volume type, a Localhost seccomp profile from the pod, adding only NET_BIND_SERVICE", () => {
                expect(restrictedViolations(compliantPod())).to.deep.equal([]);
                expect(violations((pod) => (pod.containers[0].securityContext.seccompProfile = { type: "RuntimeDefault" }))).to.deep.equal([]);
                expect(violations((pod) => delete pod.volumeTypes)).to.deep.equal([]);
            });

            it("a volume type outside the allowed list", () => {
                expect(violations((pod) => pod.volumeTypes!.push("nfs"))).to.deep.equal(["volume type nfs"]);
            });

            it("host IPC", () => {
                expect(violations((pod) => (pod.hostIPC = true))).to.deep.equal(["hostIPC is true"]);
            });

            it("the pod runs as UID 0 (runAsNonRoot alone does not stop an explicit UID 0)", () => {
                expect(violations((pod) => (pod.securityContext.runAsUser = 0))).to.deep.equal(["pod runAsUser is 0"]);
            });

            it("a privileged container", () => {
                expect(violations((pod) => (pod.containers[0].securityContext.privileged = true))).to.deep.equal(["container app: privileged"]);
            });

            it("a container that may escalate privileges, runs as non-root false over the pod's true, or as UID 0", () => {
                expect(violations((pod) => delete pod.containers[0].securityContext.allowPrivilegeEscalation)).to.deep.equal([
                    "container app: allowPrivilegeEscalation is not false",
                ]);
                expect(violations((pod) => (pod.containers[0].securityContext.runAsNonRoot = false))).to.deep.equal([
                    "container app: runAsNonRoot is not true (container or pod)",
                ]);
                expect(violations((pod) => (pod.containers[0].securityContext.runAsUser = 0))).to.deep.equal(["container app: runAsUser is 0"]);
            });

            it("a seccomp profile other than RuntimeDefault or Localhost; the container's overrides the pod's", () => {
                expect(violations((pod) => (pod.containers[0].securityContext.seccompProfile = { type: "Unconfined" }))).to.deep.equal([
                    "container app: seccompProfile is not RuntimeDefault or Localhost (container or pod)",
                ]);
            });

            it("capabilities that do not drop ALL: no capabilities, a list without ALL, or ALL not as a list", () => {
                const message = ["container app: capabilities do not drop ALL"];
                expect(violations((pod) => (pod.containers[0].securityContext.capabilities = undefined))).to.deep.equal(message);
                expect(violations((pod) => (pod.containers[0].securityContext.capabilities = { drop: ["NET_RAW"] }))).to.deep.equal(message);
                expect(violations((pod) => (pod.containers[0].securityContext.capabilities = { drop: "ALL" }))).to.deep.equal(message);
            });

            it("adding any capability but NET_BIND_SERVICE, each named; an add that is not a list adds nothing", () => {
                expect(
                    violations((pod) => (pod.containers[0].securityContext.capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE", "SYS_ADMIN", "NET_RAW"] })),
                ).to.deep.equal(["container app: adds capability SYS_ADMIN", "container app: adds capability NET_RAW"]);
                expect(violations((pod) => (pod.containers[0].securityContext.capabilities = { drop: ["ALL"], add: "SYS_ADMIN" }))).to.deep.equal([]);
            });
        });

        it("names what values cannot show", () => {
            expect(NOT_CHECKABLE_FROM_VALUES.length).to.be.greaterThan(0);
            for (const entry of KUBE_PROMETHEUS_STACK_PODS) {
                for (const c of entry.containers) {
                    if ("setByOperator" in c.securityContext) expect(NOT_CHECKABLE_FROM_VALUES[0]).to.include(c.securityContext.source.split(" ")[1].split("/").slice(-1)[0]);
                }
            }
        });
    });
});
