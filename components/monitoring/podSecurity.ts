/**
 * Pod Security Admission for the monitoring namespace (issue 12 §5).
 *
 * node-exporter is the only pod of kube-prometheus-stack that needs what `restricted` forbids (host
 * network and PID namespaces, hostPath mounts of /proc, /sys and /). So the namespace enforces
 * `restricted` whenever node-exporter is off, and `baseline` only while it is on; audit and warn stay
 * `restricted`, so anything that would break the stricter level shows up.
 *
 * Every other pod the chart renders was checked against `restricted` from the chart's default values
 * plus the program's (test/components/monitoring/podSecurity.test.ts lists them, and the pods that
 * cannot be checked that way).
 */
import { Values } from "../helm/mergeValues";

export type PodSecurityLevel = "restricted" | "baseline";

function isObject(value: unknown): value is Values {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether kube-prometheus-stack renders node-exporter: the `prometheus-node-exporter` subchart's
 * condition is `nodeExporter.enabled`, true by default. Helm ignores a condition that is not a boolean
 * (and keeps the subchart), so only a literal `false` turns it off.
 */
export function nodeExporterEnabled(values: Values): boolean {
    const nodeExporter = Object.prototype.hasOwnProperty.call(values, "nodeExporter") ? values.nodeExporter : undefined;
    return !(isObject(nodeExporter) && Object.prototype.hasOwnProperty.call(nodeExporter, "enabled") && nodeExporter.enabled === false);
}

/** The level the monitoring namespace enforces for the chart's values. */
export function monitoringPodSecurityLevel(values: Values): PodSecurityLevel {
    return nodeExporterEnabled(values) ? "baseline" : "restricted";
}

/** The namespace labels for a level: enforce it; audit and warn always at `restricted`. */
export function podSecurityLabels(enforce: PodSecurityLevel): { [label: string]: string } {
    return {
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
    };
}

/**
 * Values the program sets so that `restricted` holds: the grafana subchart's `helm test` pod (`bats`)
 * has empty security contexts (`testFramework.securityContext: {}` in grafana 11.1.7). The program
 * never runs `helm test`, and a Release does not install test hooks, but a renderer that does would
 * create a pod `restricted` rejects. The stack's extraValues can still turn it on.
 */
export const MONITORING_RESTRICTED_DEFAULTS: Values = {
    grafana: { testFramework: { enabled: false } },
};

type SecurityContext = {
    privileged?: unknown;
    allowPrivilegeEscalation?: unknown;
    runAsNonRoot?: unknown;
    runAsUser?: unknown;
    seccompProfile?: { type?: unknown };
    capabilities?: { add?: unknown; drop?: unknown };
};

export interface PodSpecSecurity {
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    /** Pod-level `securityContext`. */
    securityContext: Values;
    /** Every container, init containers included, by name. */
    containers: { name: string; securityContext: Values }[];
    /** Volume types (`configMap`, `hostPath`, ...). */
    volumeTypes?: string[];
}

const RESTRICTED_VOLUME_TYPES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"]);

/**
 * The `restricted` Pod Security Standard (Kubernetes docs, "Pod Security Standards", latest) for the
 * fields a chart's values control: host namespaces, privileged, privilege escalation, running as
 * non-root (and not as UID 0), seccomp, capabilities, volume types. Returns every violation.
 */
export function restrictedViolations(pod: PodSpecSecurity): string[] {
    const problems: string[] = [];
    for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
        if (pod[field] === true) problems.push(`${field} is true`);
    }
    for (const type of pod.volumeTypes ?? []) {
        if (!RESTRICTED_VOLUME_TYPES.has(type)) problems.push(`volume type ${type}`);
    }
    const podContext = pod.securityContext as SecurityContext;
    if (podContext.runAsUser === 0) problems.push("pod runAsUser is 0");
    for (const container of pod.containers) {
        const c = container.securityContext as SecurityContext;
        const at = `container ${container.name}`;
        if (c.privileged === true) problems.push(`${at}: privileged`);
        if (c.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
        const nonRoot = c.runAsNonRoot ?? podContext.runAsNonRoot;
        if (nonRoot !== true) problems.push(`${at}: runAsNonRoot is not true (container or pod)`);
        if (c.runAsUser === 0) problems.push(`${at}: runAsUser is 0`);
        const seccomp = (c.seccompProfile ?? podContext.seccompProfile)?.type;
        if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") problems.push(`${at}: seccompProfile is not RuntimeDefault or Localhost (container or pod)`);
        const drop = c.capabilities?.drop;
        if (!(Array.isArray(drop) && drop.includes("ALL"))) problems.push(`${at}: capabilities do not drop ALL`);
        const add = Array.isArray(c.capabilities?.add) ? (c.capabilities!.add as unknown[]) : [];
        for (const capability of add) {
            if (capability !== "NET_BIND_SERVICE") problems.push(`${at}: adds capability ${String(capability)}`);
        }
    }
    return problems;
}
