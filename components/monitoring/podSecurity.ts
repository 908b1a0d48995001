/**
 * Pod Security for the monitoring namespace: it enforces `restricted`, like every namespace of this
 * program, and no configuration lowers it (issue 19 §2). node-exporter is the only pod of
 * kube-prometheus-stack that needs what `restricted` forbids (host network and PID namespaces,
 * hostPath mounts of /proc, /sys and /), so it never runs: the program turns it off, and a stack that
 * turns it on is refused (stacks/podShape.ts, NODE_EXPORTER_OFF).
 *
 * Every other pod the chart renders was checked against `restricted` from the chart's default values
 * plus the program's (test/components/monitoring/podSecurity.test.ts lists them, and the pods that
 * cannot be checked that way).
 */
import { Values } from "../helm/mergeValues";

/**
 * Values the program owns so that `restricted` holds, merged over the stack's extraValues:
 * - node-exporter off: the `prometheus-node-exporter` subchart's condition is `nodeExporter.enabled`,
 *   true by default;
 * - Grafana's init-chown-data container off: it runs as root with CHOWN when persistence is on
 *   (`grafana.securityContext.fsGroup` gives the volume Grafana's group instead);
 * - the grafana subchart's `helm test` pod (`bats`) off: its security contexts are empty
 *   (`testFramework.securityContext: {}` in grafana 11.1.7). The program never runs `helm test`, and a
 *   Release does not install test hooks, but a renderer that does would create a pod `restricted` rejects.
 * Pass-through values may only repeat `false` for the first two and cannot reach the third.
 */
export const MONITORING_RESTRICTED_VALUES: Values = {
    grafana: { testFramework: { enabled: false }, initChownData: { enabled: false } },
    nodeExporter: { enabled: false },
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
