/**
 * What pass-through values may say about a pod's shape (issue 19 §2). The allowlist
 * (`passThrough.ts`) names leaves, not open subtrees, wherever a chart shapes a pod: a subtree taken
 * whole (`prometheus.prometheusSpec`) would let a stack file add a sidecar, mount the `grafana-oauth`
 * Secret, mount the host's `/` or run a container privileged.
 *
 * - Security-context leaves are settable only with values the `restricted` Pod Security level allows
 *   (`POD_SECURITY_CONTEXT`, `CONTAINER_SECURITY_CONTEXT`); a `null`, which Helm reads as "delete the
 *   chart's default", is refused too.
 * - Refused pod-shaping keys (containers, volumes, host namespaces, privileged, added capabilities,
 *   Secrets mounted by an operator, existing claims, Service exposure, node-exporter) say why.
 */

/** A check on the value at an allowlisted leaf: `problem` says what is wrong, `allowed` what is allowed. */
export interface ValueRule {
    /** Names the rule (tests pick accepted samples by it). */
    name: string;
    allowed: string;
    problem(value: unknown): string | undefined;
}

const RESTRICTED = "the `restricted` Pod Security level every namespace of this program enforces";

/** Helm reads a `null` as "delete the chart's default": for a security field that default is what keeps the pod restricted. */
function nullProblem(value: unknown): string | undefined {
    return value === null ? "null deletes the chart's default, which keeps the pod within " + RESTRICTED : undefined;
}

function onlyValue(name: string, expected: boolean, why: string): ValueRule {
    return {
        name,
        allowed: String(expected),
        problem: (value) => nullProblem(value) ?? (value === expected ? undefined : `${JSON.stringify(value)} ${why}`),
    };
}

/** UIDs and GIDs: 0 is root. */
export const NON_ZERO_ID: ValueRule = {
    name: "nonZeroId",
    allowed: "an integer 1-2147483647",
    problem: (value) =>
        nullProblem(value) ??
        (value === 0
            ? `0 is root, which ${RESTRICTED} forbids`
            : typeof value === "number" && Number.isInteger(value) && value > 0 && value <= 2147483647
              ? undefined
              : `${JSON.stringify(value)} is not a user or group id`),
};

export const RUN_AS_NON_ROOT = onlyValue("true", true, `would let the container run as root, which ${RESTRICTED} forbids`);
export const NO_PRIVILEGE_ESCALATION = onlyValue("false", false, `would let a process gain more privileges than its parent, which ${RESTRICTED} forbids`);
export const NOT_PRIVILEGED = onlyValue("false", false, `would run the container privileged (every host device and capability), which ${RESTRICTED} forbids`);

export const ANY_BOOLEAN: ValueRule = {
    name: "boolean",
    allowed: "true or false",
    problem: (value) => nullProblem(value) ?? (typeof value === "boolean" ? undefined : `${JSON.stringify(value)} is not a boolean`),
};

export const SECCOMP_TYPE: ValueRule = {
    name: "seccompType",
    allowed: "RuntimeDefault or Localhost",
    problem: (value) =>
        nullProblem(value) ?? (value === "RuntimeDefault" || value === "Localhost" ? undefined : `${JSON.stringify(value)} is a seccomp profile ${RESTRICTED} forbids`),
};

export const PROFILE_NAME: ValueRule = {
    name: "profileName",
    allowed: "a relative path of a seccomp profile on the node",
    problem: (value) => (typeof value === "string" && /^[A-Za-z0-9._-][A-Za-z0-9._/-]*$/.test(value) && !value.split("/").includes("..") ? undefined : `${JSON.stringify(value)} is not a relative profile path`),
};

/** `capabilities.drop`: Helm replaces a list whole, so a list without ALL would give back every default capability. */
export const DROP_ALL: ValueRule = {
    name: "dropAll",
    allowed: 'a list of capability names that includes "ALL"',
    problem: (value) =>
        nullProblem(value) ??
        (Array.isArray(value) && value.every((c) => typeof c === "string" && /^[A-Z_]+$/.test(c)) && value.includes("ALL")
            ? undefined
            : `${JSON.stringify(value)} does not drop ALL capabilities, which ${RESTRICTED} requires (the list replaces the chart's whole)`),
};

/** Pod-level `securityContext` leaves a stack may set (relative paths), each with its rule. */
export const POD_SECURITY_CONTEXT: { readonly [leaf: string]: ValueRule } = {
    runAsUser: NON_ZERO_ID,
    runAsGroup: NON_ZERO_ID,
    fsGroup: NON_ZERO_ID,
    runAsNonRoot: RUN_AS_NON_ROOT,
    "seccompProfile/type": SECCOMP_TYPE,
    "seccompProfile/localhostProfile": PROFILE_NAME,
};

/** Container-level security-context leaves a stack may set. Capabilities can only be dropped. */
export const CONTAINER_SECURITY_CONTEXT: { readonly [leaf: string]: ValueRule } = {
    allowPrivilegeEscalation: NO_PRIVILEGE_ESCALATION,
    privileged: NOT_PRIVILEGED,
    readOnlyRootFilesystem: ANY_BOOLEAN,
    runAsNonRoot: RUN_AS_NON_ROOT,
    runAsUser: NON_ZERO_ID,
    runAsGroup: NON_ZERO_ID,
    "seccompProfile/type": SECCOMP_TYPE,
    "seccompProfile/localhostProfile": PROFILE_NAME,
    "capabilities/drop": DROP_ALL,
};

/** Service types a pass-through value may choose: never LoadBalancer (or ExternalName). */
export const SERVICE_TYPE: ValueRule = {
    name: "serviceType",
    allowed: "ClusterIP or NodePort",
    problem: (value) =>
        value === "ClusterIP" || value === "NodePort"
            ? undefined
            : `${JSON.stringify(value)} would expose the Service beyond the cluster and the NodePort the program checks (a LoadBalancer takes an outside address)`,
};

export const PORT: ValueRule = {
    name: "port",
    allowed: "an integer 1-65535",
    problem: (value) => (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535 ? undefined : `${JSON.stringify(value)} is not a port`),
};

const NODE_EXPORTER_WHY =
    "node-exporter needs hostNetwork, hostPID and hostPath mounts of /, /proc and /sys, which the `restricted` level the monitoring namespace enforces forbids, " +
    "and no configuration lowers that level (today's homelab runs without node-exporter)";

/** Annotation prefixes that choose a container's AppArmor or seccomp profile (the older, annotation form of a security field). */
const PROFILE_ANNOTATION = /^(container\.apparmor\.security\.beta\.kubernetes\.io|seccomp\.security\.alpha\.kubernetes\.io)\//;

/** Pod annotations: any, except a profile annotation other than the runtime's default or a node-local profile. */
export const POD_ANNOTATIONS: ValueRule = {
    name: "podAnnotations",
    allowed: "a map of strings; AppArmor and seccomp annotations only runtime/default or localhost/<profile>",
    problem: (value) => {
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            return `${JSON.stringify(value)} is not a map of annotations`;
        }
        for (const [key, inner] of Object.entries(value)) {
            if (typeof inner !== "string") {
                return `the annotation ${JSON.stringify(key)} holds ${JSON.stringify(inner)}, not a string`;
            }
            if (PROFILE_ANNOTATION.test(key) && inner !== "runtime/default" && !/^localhost\/[A-Za-z0-9._-]+$/.test(inner)) {
                return `the annotation ${JSON.stringify(key)}: ${JSON.stringify(inner)} lifts the container's AppArmor or seccomp confinement, which ${RESTRICTED} forbids`;
            }
        }
        return undefined;
    },
};

/** node-exporter's switch: it needs host namespaces and hostPath, which `restricted` forbids, so it never runs. */
export const NODE_EXPORTER_OFF = onlyValue("false", false, `would run node-exporter: ${NODE_EXPORTER_WHY}`);

/** Grafana's init-chown-data container runs as root with CHOWN. */
export const INIT_CHOWN_OFF = onlyValue(
    "false",
    false,
    `would run Grafana's init-chown-data container as root with CHOWN, which ${RESTRICTED} forbids; grafana.securityContext.fsGroup gives the volume Grafana's group instead`,
);

/** Keys that add a container, a volume or host access to a pod. */
const POD_SHAPE_KEYS: { readonly [key: string]: string } = {
    containers: "adds or patches a container",
    initContainers: "adds or patches an init container",
    volumes: "adds a volume",
    volumeMounts: "mounts a volume into a container",
    hostPath: "mounts a path of the node",
    hostNetwork: "puts the pod in the node's network namespace",
    hostPID: "puts the pod in the node's process namespace",
    hostIPC: "puts the pod in the node's IPC namespace",
    hostUsers: "runs the pod in the node's user namespace",
    shareProcessNamespace: "shares one process namespace between the pod's containers",
    privileged: "runs a container privileged",
    capabilities: "changes a container's capabilities (they can only be dropped, under a container security context)",
};

/** Operator-built pods (Prometheus, Alertmanager) mount these Secrets and ConfigMaps by name. */
const OPERATOR_MOUNTS = new Set(["secrets", "configMaps"]);

/** Service fields that decide how a Service is reached from outside the cluster. */
const SERVICE_EXPOSURE = new Set(["type", "externalIPs", "loadBalancerIP", "loadBalancerClass", "loadBalancerSourceRanges", "externalTrafficPolicy", "clusterIP"]);

/**
 * Why a refused pass-through path shapes a pod or exposes it, or undefined. `segments` is the path
 * inside the chart's values; `chart` the chart's name.
 */
export function podShapeReason(chart: string, segments: readonly string[]): string | undefined {
    const shaping = segments.find((s) => Object.prototype.hasOwnProperty.call(POD_SHAPE_KEYS, s));
    if (shaping !== undefined) {
        return (
            `${POD_SHAPE_KEYS[shaping]} (\`${shaping}\`): no container, volume, host namespace, privileged mode or added capability can come from pass-through values ` +
            "(a sidecar could read the grafana-oauth Secret, a hostPath mount the node's files); tuning keys (resources, retention, storage size, replicas) are allowlisted by name"
        );
    }
    const operatorMount = segments.findIndex((s) => OPERATOR_MOUNTS.has(s));
    if (operatorMount > 0 && /Spec$/.test(segments[operatorMount - 1])) {
        return `mounts Secrets or ConfigMaps by name into the ${segments[operatorMount - 1].replace(/Spec$/, "")} pod (\`${segments[operatorMount]}\`), e.g. grafana-oauth; the program mounts what a pod needs`;
    }
    if (segments.includes("existingClaim") || segments.includes("volumeName") || segments.includes("dataSource") || segments.includes("selector")) {
        const key = segments.find((s) => ["existingClaim", "volumeName", "dataSource", "selector"].includes(s))!;
        if (key === "existingClaim" || segments.includes("persistence") || segments.some((s) => /^(storage|storageSpec|volumeClaimTemplate)$/.test(s))) {
            return `points storage at an existing claim or volume (\`${key}\`), which could be another application's data; allowed: the claim the chart creates, sized with size or storage`;
        }
    }
    const service = segments.indexOf("service");
    if (service >= 0 && SERVICE_EXPOSURE.has(segments[service + 1])) {
        return (
            `decides how a Service is reached from outside the cluster (\`${segments[service + 1]}\`); pass-through values may set only grafana.service.type (ClusterIP or NodePort), ` +
            "grafana.service.nodePort and grafana.service.port; ArgoCD's server Service is the program's (homelab-sso:argocd.nodePorts)"
        );
    }
    if (chart === "kube-prometheus-stack" && (segments[0] === "prometheus-node-exporter" || (segments[0] === "nodeExporter" && segments[1] !== "enabled"))) {
        return `configures node-exporter, which never runs: ${NODE_EXPORTER_WHY}`;
    }
    if (segments.some((s) => /^(securityContext|containerSecurityContext)$/.test(s))) {
        return (
            "is a security-context field not on the allowlist; allowed: runAsUser, runAsGroup, fsGroup (not 0), runAsNonRoot (true), seccompProfile.type (RuntimeDefault or Localhost) " +
            "and, for containers, allowPrivilegeEscalation (false), privileged (false), readOnlyRootFilesystem and capabilities.drop (with ALL)"
        );
    }
    return undefined;
}

/** Allowlist entries (relative `/` paths with rules) for a security context at `prefix`. */
export function securityContextEntries(prefix: string, leaves: { readonly [leaf: string]: ValueRule }): { path: string; value: ValueRule }[] {
    return Object.entries(leaves).map(([leaf, value]) => ({ path: `${prefix}/${leaf}`, value }));
}
