/**
 * What a stack's pass-through Helm values (`homelab-sso:argocd.extraValues`,
 * `homelab-sso:grafana.extraValues`, and any future Authentik pass-through) may set: only paths on a
 * committed allowlist per chart. A denylist cannot promise that no configuration undoes SSO-only
 * login (an env variable, a server flag, a sidecar or an extra object can each do it), so everything
 * not listed is refused, with the reason; paths the program owns for SSO say so.
 *
 * Literal secrets are refused anywhere in pass-through values, listed or not: a secret-like leaf
 * name holding a string. References to a Secret are the alternative, and are never flagged.
 *
 * The walk reads own properties only (`Object.keys`), and the config boundary (`boundary.ts`) has
 * already refused `__proto__`, `constructor` and `prototype` keys and bounded the depth.
 */
import {
    ANY_BOOLEAN,
    CONTAINER_SECURITY_CONTEXT,
    INIT_CHOWN_OFF,
    NODE_EXPORTER_OFF,
    PORT,
    POD_ANNOTATIONS,
    POD_SECURITY_CONTEXT,
    SERVICE_TYPE,
    ValueRule,
    podShapeReason,
    securityContextEntries,
} from "./podShape";
import { ConfigObject, isPlainObject } from "./validation";

/** One allowlisted values path: this key and everything below it may be set. */
export interface AllowedPath {
    /** Segments from the chart's values root; `*` matches any one segment. */
    path: readonly string[];
    /**
     * `toYaml`: the chart hands the strings below on through `toYaml` (never `tpl`), so they may hold
     * template syntax and line breaks, e.g. `{{ $labels.instance }}` in an alert rule's annotation.
     */
    text?: "toYaml";
    /** The values this leaf may hold (a security field, a Service type, a switch), when not any. */
    value?: ValueRule;
}

const p = (dotted: string, text?: "toYaml"): AllowedPath => ({ path: dotted.split("/"), ...(text ? { text } : {}) });
const v = (dotted: string, value: ValueRule): AllowedPath => ({ path: dotted.split("/"), value });
/** The leaves of a security context at `prefix`, each with the values `restricted` allows. */
const securityContext = (prefix: string, leaves: { readonly [leaf: string]: ValueRule }): AllowedPath[] =>
    securityContextEntries(prefix, leaves).map((entry) => v(entry.path, entry.value));

/** Scheduling and sizing keys every workload of a chart may set (podAnnotations has a rule: `workloadKey`). */
const WORKLOAD_KEYS = ["replicas", "resources", "nodeSelector", "tolerations", "affinity", "topologySpreadConstraints", "priorityClassName", "podAnnotations", "podLabels"];

/** A workload key's entry: pod annotations may not lift AppArmor or seccomp confinement. */
const workloadKey = (dotted: string): AllowedPath => (dotted.endsWith("/podAnnotations") ? v(dotted, POD_ANNOTATIONS) : p(dotted));

/** Tuning keys of a Prometheus or Alertmanager spec (the operator builds the pod from the rest). */
const OPERATOR_SPEC_KEYS = ["replicas", "retention", "resources", "nodeSelector", "tolerations", "affinity", "topologySpreadConstraints", "priorityClassName"];

/** A volume claim template's size, access modes and class: never an existing volume, selector or data source. */
const CLAIM_TEMPLATE_KEYS = ["accessModes", "resources", "storageClassName"];

/**
 * The allowlists, per chart name (paths use `/` between segments, so `grafana.ini` stays one
 * segment). Each path is one the pinned chart reads (a test checks it against `charts/index/`).
 * Today's homelab (Pulumi.prod.yaml, Pulumi.dev.yaml, docs/migration/today.yaml) needs the
 * kube-prometheus-stack entries; ArgoCD's stack sections pass nothing through today. Where a chart
 * shapes a pod, entries are leaves (stacks/podShape.ts): no container, volume, host namespace,
 * privileged mode or added capability can be set, and security fields only to `restricted` values.
 */
export const PASS_THROUGH_ALLOWLIST: { readonly [chart: string]: readonly AllowedPath[] } = {
    "kube-prometheus-stack": [
        // Grafana: storage, sizing, scheduling, service, security contexts, dashboards.
        v("grafana/service/type", SERVICE_TYPE),
        p("grafana/service/nodePort"),
        v("grafana/service/port", PORT),
        v("grafana/persistence/enabled", ANY_BOOLEAN),
        p("grafana/persistence/size"),
        p("grafana/persistence/storageClassName"),
        p("grafana/persistence/accessModes"),
        v("grafana/initChownData/enabled", INIT_CHOWN_OFF),
        ...securityContext("grafana/securityContext", POD_SECURITY_CONTEXT),
        ...securityContext("grafana/containerSecurityContext", CONTAINER_SECURITY_CONTEXT),
        ...WORKLOAD_KEYS.map((k) => workloadKey(`grafana/${k}`)),
        p("grafana/defaultDashboardsEnabled"),
        p("grafana/defaultDashboardsTimezone"),
        p("grafana/sidecar/dashboards/enabled"),
        p("grafana/sidecar/datasources/enabled"),
        p("grafana/sidecar/resources"),
        ...securityContext("grafana/sidecar/securityContext", CONTAINER_SECURITY_CONTEXT),
        p("grafana/podDisruptionBudget"),
        // grafana.ini sections with no say over login.
        p("grafana/grafana.ini/analytics"),
        p("grafana/grafana.ini/log"),
        p("grafana/grafana.ini/dashboards"),
        // Prometheus and Alertmanager: tuning keys of their specs, by name.
        p("prometheus/enabled"),
        ...[...OPERATOR_SPEC_KEYS, "retentionSize", "scrapeInterval", "evaluationInterval"].map((k) => p(`prometheus/prometheusSpec/${k}`)),
        ...CLAIM_TEMPLATE_KEYS.map((k) => p(`prometheus/prometheusSpec/storageSpec/volumeClaimTemplate/spec/${k}`)),
        ...securityContext("prometheus/prometheusSpec/securityContext", POD_SECURITY_CONTEXT),
        p("alertmanager/enabled"),
        ...OPERATOR_SPEC_KEYS.map((k) => p(`alertmanager/alertmanagerSpec/${k}`)),
        ...CLAIM_TEMPLATE_KEYS.map((k) => p(`alertmanager/alertmanagerSpec/storage/volumeClaimTemplate/spec/${k}`)),
        ...securityContext("alertmanager/alertmanagerSpec/securityContext", POD_SECURITY_CONTEXT),
        // Which components run; node-exporter never does (stacks/podShape.ts, NODE_EXPORTER_OFF).
        v("nodeExporter/enabled", NODE_EXPORTER_OFF),
        ...["kubeStateMetrics", "kubeProxy", "kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubelet", "coreDns", "kubeDns", "kubeApiServer"].map((k) => p(`${k}/enabled`)),
        ...WORKLOAD_KEYS.map((k) => workloadKey(`kube-state-metrics/${k}`)),
        ...securityContext("kube-state-metrics/securityContext", POD_SECURITY_CONTEXT),
        ...securityContext("kube-state-metrics/containerSecurityContext", CONTAINER_SECURITY_CONTEXT),
        p("prometheusOperator/enabled"),
        ...["resources", "nodeSelector", "tolerations", "affinity"].map((k) => p(`prometheusOperator/${k}`)),
        ...securityContext("prometheusOperator/securityContext", POD_SECURITY_CONTEXT),
        ...securityContext("prometheusOperator/containerSecurityContext", CONTAINER_SECURITY_CONTEXT),
        // Alert and recording rules: templates/prometheus/additionalPrometheusRules.yaml hands each
        // map entry's groups on through toYaml, so `{{ $labels }}` reaches Prometheus untouched.
        p("defaultRules/create"),
        p("defaultRules/rules"),
        p("defaultRules/disabled"),
        p("additionalPrometheusRulesMap", "toYaml"),
    ],
    "argo-cd": [
        ...["controller", "server", "repoServer", "applicationSet", "redis", "notifications"].flatMap((component) => [
            // argo-cd 7.8.0 runs one redis and one notifications controller: no replicas key.
            ...WORKLOAD_KEYS.filter((k) => k !== "replicas" || !["redis", "notifications"].includes(component)).map((k) => workloadKey(`${component}/${k}`)),
            // Issue 19 §2: security-context leaves with `restricted` values only.
            ...securityContext(`${component}/containerSecurityContext`, CONTAINER_SECURITY_CONTEXT),
        ]),
        // server.service.type is the program's (NodePort, homelab-sso:argocd.nodePorts).
        p("server/service/annotations"),
        p("server/service/labels"),
        p("global/nodeSelector"),
        p("global/tolerations"),
        p("global/affinity"),
        ...securityContext("global/securityContext", POD_SECURITY_CONTEXT),
        p("global/priorityClassName"),
        v("global/podAnnotations", POD_ANNOTATIONS),
        p("global/podLabels"),
    ],
    // No Authentik pass-through exists today; an added one starts from an empty list.
    authentik: [],
};

/** Keys that reach a process's environment, arguments or files: each can override what the program sets for SSO. */
const PROCESS_ROUTES = new Set([
    "env",
    "envFrom",
    "envFromSecret",
    "envFromSecrets",
    "envFromConfigMaps",
    "envValueFrom",
    "envRenderSecret",
    "extraEnv",
    "extraEnvFrom",
    "extraArgs",
    "args",
    "command",
    "extraContainers",
    "extraInitContainers",
    "sidecarContainers",
    "extraVolumes",
    "extraVolumeMounts",
    "extraConfigmapMounts",
    "extraSecretMounts",
    "extraEmptyDirMounts",
    "lifecycleHooks",
]);

/** Routes that take a whole Secret or ConfigMap, so the keys they set cannot be seen in config. */
const HIDDEN_KEY_ROUTES = new Set(["envFrom", "envFromSecret", "envFromSecrets", "envFromConfigMaps", "extraEnvFrom"]);

/** Why a path the allowlist refuses is owned by the program, when it is; undefined for "just not listed". */
export function ownedReason(chart: string, segments: readonly string[]): string | undefined {
    const route = segments.find((s) => PROCESS_ROUTES.has(s));
    if (route !== undefined) {
        const hidden = HIDDEN_KEY_ROUTES.has(route) ? " (envFrom-style keys are refused outright: the keys inside them cannot be seen)" : "";
        return (
            `is an env, args or file route into the process (\`${route}\`), which can override the login settings the program owns for SSO ` +
            `(e.g. GF_AUTH_DISABLE_LOGIN_FORM, GF_SECURITY_ADMIN_PASSWORD, --disable-auth, ARGOCD_SERVER_DISABLE_AUTH)${hidden}`
        );
    }
    if (segments.includes("extraObjects") || segments.includes("extraManifests")) {
        return "creates arbitrary Kubernetes objects (one could replace argocd-cm or Grafana's ConfigMap and undo SSO-only login)";
    }
    const [first, second, third] = segments;
    if (chart === "kube-prometheus-stack" && first === "grafana") {
        if (second === "grafana.ini") {
            // String(undefined) is "undefined": no section named.
            if (/^auth($|\.)/.test(String(third))) {
                return `is Grafana's [${third}] section, which decides who may log in; the program owns it for SSO-only login`;
            }
            return "is a grafana.ini section the program owns or that can reach login (server.root_url, security, users, auth.*); only [analytics], [log] and [dashboards] pass through";
        }
        if (second === "admin" || second === "adminUser" || second === "adminPassword") {
            return "is Grafana's local admin account, which the program owns (SSO-only login: no password login)";
        }
        if (second === "ldap") {
            return "is a second login path (LDAP); the program owns Grafana's login for SSO";
        }
    }
    if (chart === "argo-cd") {
        if (first === "configs" && second === "cm") {
            return "is argocd-cm, which holds ArgoCD's login settings (url, dex.config, oidc.config, admin.enabled, users.anonymous.enabled, accounts.<name>); the program owns it for SSO";
        }
        if (first === "configs" && second === "rbac") {
            return "is ArgoCD's RBAC policy, which the program writes from rbacDefaultPolicy, adminGroups and readonlyGroups";
        }
        if (first === "configs" && second === "params") {
            return "is argocd-cmd-params-cm, whose keys are server flags (server.disable.auth turns login off); the program owns them for SSO";
        }
        if (first === "configs" && second === "secret") {
            return "is argocd-secret, which holds the admin password and the OIDC client secret; the program owns it";
        }
        if (first === "server" && second === "service" && /^nodePort/.test(String(third))) {
            return "is set by the program from homelab-sso:argocd.nodePorts (http, https); set them there";
        }
        if (first === "server" && second === "service" && third === "type") {
            return "is set by the program: argocd-server is a NodePort Service on homelab-sso:argocd.nodePorts (never a LoadBalancer)";
        }
        if (first === "dex") {
            return "is ArgoCD's Dex, its one login path, which the program owns for SSO (enabled, dex.config's connector, the restricted security context, the issuer CA mount)";
        }
    }
    return podShapeReason(chart, segments);
}

/** Whether `path` begins with every segment of `prefix` (or is `prefix`). */
function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
    return prefix.every((segment, i) => path[i] === segment);
}

/** Where a values path stands against a chart's allowlist. */
export type PathStanding = { kind: "allowed"; entry: AllowedPath } | { kind: "ancestor" } | { kind: "refused" };

/** Whether `segments` is allowlisted (itself or below an entry), an ancestor of entries (walk into it), or refused. */
export function standing(chart: string, segments: readonly string[]): PathStanding {
    const allowlist = PASS_THROUGH_ALLOWLIST[chart] ?? [];
    for (const entry of allowlist) {
        if (startsWith(segments, entry.path)) {
            return { kind: "allowed", entry };
        }
    }
    // An entry as long as `segments` that starts with it is `segments` itself, allowed above.
    if (allowlist.some((entry) => startsWith(entry.path, segments))) {
        return { kind: "ancestor" };
    }
    return { kind: "refused" };
}

/** The paths of the non-object values below `at` (lists count as one value, as Helm replaces them whole). */
function objectLeaves(value: unknown, at: string[]): string[][] {
    const result: string[][] = [];
    const stack: { value: unknown; at: string[] }[] = [{ value, at }];
    while (stack.length > 0) {
        const next = stack.pop()!;
        if (isPlainObject(next.value) && Object.keys(next.value).length > 0) {
            for (const key of Object.keys(next.value)) {
                stack.push({ value: next.value[key], at: [...next.at, key] });
            }
        } else {
            result.push(next.at);
        }
    }
    return result;
}

/** A pass-through path the allowlist refuses. */
export interface RefusedPath {
    path: string[];
    reason: string;
}

/** The allowlisted paths directly below `segments` (for "allowed here" in messages). */
function allowedBelow(chart: string, segments: readonly string[]): string[] {
    const next = new Set<string>();
    for (const entry of PASS_THROUGH_ALLOWLIST[chart] ?? []) {
        if (!startsWith(entry.path, segments)) {
            continue;
        }
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent; `segments` is never an allowlisted path itself (an allowed path is not walked into), the only entry as long as it that starts with it
        if (entry.path.length > segments.length) {
            next.add(entry.path[segments.length]);
        }
    }
    return [...next].sort();
}

/**
 * Every path of `values` the allowlist of `chart` refuses, all at once: refused keys are reported
 * where they appear (nothing below them is walked), and a non-object where the allowlist expects
 * an object (an ancestor of allowed keys) is refused too.
 */
export function refusedPaths(chart: string, values: ConfigObject, suggest: (segments: string[]) => string | undefined = () => undefined): RefusedPath[] {
    const found: RefusedPath[] = [];
    // Only objects are walked into: an ancestor holding anything else is refused below.
    const stack: { value: ConfigObject; at: string[] }[] = [{ value: values, at: [] }];
    while (stack.length > 0) {
        const { value, at } = stack.pop()!;
        // The walk's order does not matter: the result is sorted.
        for (const key of Object.keys(value)) {
            const segments = [...at, key];
            const place = standing(chart, segments);
            const inner = value[key];
            if (place.kind === "allowed") {
                // An entry with a value rule is a leaf, reached exactly (the walk stops at the first allowed path).
                const problem = place.entry.value?.problem(inner);
                if (problem !== undefined) {
                    found.push({ path: segments, reason: `${problem}; allowed: ${place.entry.value!.allowed}` });
                }
                continue;
            }
            if (place.kind === "ancestor") {
                if (isPlainObject(inner)) {
                    stack.push({ value: inner, at: segments });
                } else {
                    found.push({
                        path: segments,
                        reason: `must be an object here (it holds keys the program sets); allowed below it: ${allowedBelow(chart, segments).join(", ")}`,
                    });
                }
                continue;
            }
            const below = allowedBelow(chart, at);
            const allowed = `; allowed here: ${below.length > 0 ? below.join(", ") : "(nothing)"} (stacks/passThrough.ts)`;
            // Each leaf below a refused key that reaches something the program owns is named with
            // that reason (`configs.cm."users.anonymous.enabled"`); the rest is reported once here.
            let unowned = false;
            for (const leaf of objectLeaves(inner, segments)) {
                const owned = ownedReason(chart, leaf);
                if (owned !== undefined) {
                    found.push({ path: leaf, reason: owned + allowed });
                } else {
                    unowned = true;
                }
            }
            if (unowned) {
                const suggestion = suggest(segments);
                found.push({
                    path: segments,
                    reason:
                        "is not on the pass-through allowlist of this chart (storage, resources, replicas, service, scheduling, security contexts, Prometheus and Alertmanager specs)" +
                        (suggestion !== undefined ? `; did you mean \`${suggestion}\`?` : "") +
                        allowed,
                });
            }
        }
    }
    // Stryker disable next-line EqualityOperator: equivalent; no path is refused twice, so no two are equal
    return found.sort((a, b) => (a.path.join("\u0000") < b.path.join("\u0000") ? -1 : 1));
}

/** Leaf names that hold a secret when they hold a literal string. */
export const SECRET_LIKE_NAME = /pass(word|wd)|secret|token|api[-_ ]?key|private[-_ ]?key|credential/i;

/** Keys whose values name a Secret (or a key in one) rather than hold a secret: never flagged, and everything below them is a reference too. */
const SECRET_REFERENCES = new Set(["existingSecret", "existingSecretName", "secretName", "secretKeyRef", "secretRef", "secretKeys", "valueFrom"]);

/** Whether the leaf at `segments` names a Secret (or a key in one) instead of holding a secret. */
export function isSecretReference(segments: readonly string[], parent: unknown): boolean {
    if (segments.some((s) => SECRET_REFERENCES.has(s))) {
        return true;
    }
    // A list item's parent is the list, never an object beside `existingSecret`.
    const last = segments[segments.length - 1];
    // `passwordKey: admin-password` beside `existingSecret`: the key inside that Secret.
    return /Key$/.test(last) && isPlainObject(parent) && typeof parent.existingSecret === "string";
}

/** A leaf of a values tree with its path and the object (or list) holding it. */
export interface ValuesLeaf {
    path: string[];
    value: unknown;
    parent: unknown;
}

/** Every leaf of a values tree, own properties only, without recursion. */
export function valuesLeaves(values: unknown): ValuesLeaf[] {
    const result: ValuesLeaf[] = [];
    const stack: { value: unknown; at: string[]; parent: unknown }[] = [{ value: values, at: [], parent: undefined }];
    while (stack.length > 0) {
        const { value, at, parent } = stack.pop()!;
        if (isPlainObject(value)) {
            for (const key of Object.keys(value).reverse()) {
                stack.push({ value: value[key], at: [...at, key], parent: value });
            }
        } else if (Array.isArray(value)) {
            for (let i = value.length - 1; i >= 0; i--) {
                stack.push({ value: value[i], at: [...at, String(i)], parent: value });
            }
        } else if (at.length > 0) {
            result.push({ path: at, value, parent });
        }
    }
    return result;
}

/** The paths of literal secrets in pass-through values (values never shown). */
export function literalSecretPaths(values: unknown): string[][] {
    return valuesLeaves(values)
        .filter((leaf) => {
            const named = leaf.path.filter((s) => !/^\d+$/.test(s));
            // Undefined (a list item at the root) tests false: it names nothing.
            const name = named[named.length - 1];
            return SECRET_LIKE_NAME.test(name) && typeof leaf.value === "string" && leaf.value !== "" && !isSecretReference(leaf.path, leaf.parent);
        })
        .map((leaf) => leaf.path);
}

export const LITERAL_SECRET_MESSAGE =
    "holds a literal secret (value not shown): it would sit in the Helm release, the Pulumi state and `helm get values`; " +
    "allowed: a reference to a Kubernetes Secret, e.g. existingSecret, secretName or valueFrom.secretKeyRef";

/** How strings at a pass-through path may look: toYaml-handed subtrees may hold template syntax and line breaks. */
export function passThroughText(chart: string, segments: readonly string[]): "toYaml" | "plain" {
    const place = standing(chart, segments);
    return place.kind === "allowed" && place.entry.text === "toYaml" ? "toYaml" : "plain";
}
