/**
 * stacks/podShape.ts: the values each pod-shaping leaf may hold (the `restricted` Pod Security level's),
 * and why a refused pod-shaping key is refused.
 */
import { expect } from "chai";
import {
    ANY_BOOLEAN,
    CONTAINER_SECURITY_CONTEXT,
    DROP_ALL,
    INIT_CHOWN_OFF,
    NODE_EXPORTER_OFF,
    NON_ZERO_ID,
    NOT_PRIVILEGED,
    NO_PRIVILEGE_ESCALATION,
    PORT,
    POD_ANNOTATIONS,
    POD_SECURITY_CONTEXT,
    PROFILE_NAME,
    RUN_AS_NON_ROOT,
    SECCOMP_TYPE,
    SERVICE_TYPE,
    ValueRule,
    podShapeReason,
    securityContextEntries,
} from "../../stacks/podShape";

const KPS = "kube-prometheus-stack";
const NULL = "null deletes the chart's default, which keeps the pod within the `restricted` Pod Security level every namespace of this program enforces";

function accepts(rule: ValueRule, ...values: unknown[]): void {
    for (const value of values) {
        expect(rule.problem(value), `${rule.name} ${JSON.stringify(value)}`).to.equal(undefined);
    }
}

function refuses(rule: ValueRule, ...values: unknown[]): void {
    for (const value of values) {
        expect(rule.problem(value), `${rule.name} ${JSON.stringify(value)}`).to.be.a("string");
    }
}

describe("pod shape: values a pod-shaping leaf may hold", () => {
    it("user and group ids: 1-2147483647, never 0 (root), a string or a fraction", () => {
        accepts(NON_ZERO_ID, 1, 472, 65534, 2147483647);
        refuses(NON_ZERO_ID, 2147483648, -1, 1.5, "1000", true, undefined, {});
        expect(NON_ZERO_ID.problem(0)).to.equal("0 is root, which the `restricted` Pod Security level every namespace of this program enforces forbids");
        expect(NON_ZERO_ID.problem("472")).to.equal('"472" is not a user or group id');
        expect(NON_ZERO_ID.problem(null)).to.equal(NULL);
        expect(NON_ZERO_ID.allowed).to.equal("an integer 1-2147483647");
    });

    it("runAsNonRoot only true; allowPrivilegeEscalation and privileged only false; null refused for each", () => {
        accepts(RUN_AS_NON_ROOT, true);
        refuses(RUN_AS_NON_ROOT, false, "true", 1);
        expect(RUN_AS_NON_ROOT.problem(false)).to.match(/^false would let the container run as root/);
        expect(RUN_AS_NON_ROOT.problem(null)).to.equal(NULL);
        accepts(NO_PRIVILEGE_ESCALATION, false);
        refuses(NO_PRIVILEGE_ESCALATION, true, "false", 0);
        expect(NO_PRIVILEGE_ESCALATION.problem(null)).to.equal(NULL);
        accepts(NOT_PRIVILEGED, false);
        expect(NOT_PRIVILEGED.problem(true)).to.match(/^true would run the container privileged/);
        expect([RUN_AS_NON_ROOT.allowed, NO_PRIVILEGE_ESCALATION.allowed, NOT_PRIVILEGED.allowed]).to.deep.equal(["true", "false", "false"]);
    });

    it("seccomp: RuntimeDefault or Localhost (with a relative profile path), never Unconfined", () => {
        accepts(SECCOMP_TYPE, "RuntimeDefault", "Localhost");
        refuses(SECCOMP_TYPE, "Unconfined", "runtime/default", null);
        expect(SECCOMP_TYPE.problem("Unconfined")).to.match(/^"Unconfined" is a seccomp profile the `restricted`/);
        accepts(PROFILE_NAME, "profiles/audit.json", "my-profile.json");
        refuses(PROFILE_NAME, "/etc/passwd", "../x.json", "a/../../b", "", 1, "audit.json!", "a b");
        expect(PROFILE_NAME.problem("/etc/passwd")).to.equal('"/etc/passwd" is not a relative profile path');
    });

    it("capabilities: a drop list that includes ALL (Helm replaces the chart's list whole)", () => {
        accepts(DROP_ALL, ["ALL"], ["NET_RAW", "ALL"]);
        // Each entry a capability name: not a list that prints as one, nor a name with lower-case at either end.
        refuses(DROP_ALL, ["NET_RAW"], [], "ALL", null, ["ALL", 1], ["all"], ["ALL", ["NET_RAW"]], ["ALL", "netRAW"], ["ALL", "NET_raw"]);
        expect(DROP_ALL.problem(["NET_RAW"])).to.match(/does not drop ALL capabilities/);
    });

    it("Service types: ClusterIP or NodePort, never LoadBalancer or ExternalName; ports 1-65535", () => {
        accepts(SERVICE_TYPE, "ClusterIP", "NodePort");
        refuses(SERVICE_TYPE, "LoadBalancer", "ExternalName", "nodeport", null);
        expect(SERVICE_TYPE.problem("LoadBalancer")).to.match(/^"LoadBalancer" would expose the Service beyond the cluster/);
        accepts(PORT, 1, 80, 65535);
        refuses(PORT, 0, 65536, "80", 80.5);
        expect(PORT.problem("80")).to.equal('"80" is not a port');
    });

    it("pod annotations: any strings, but AppArmor and seccomp annotations only the runtime's default or a node-local profile", () => {
        const apparmor = "container.apparmor.security.beta.kubernetes.io/grafana";
        accepts(POD_ANNOTATIONS, {}, { "prometheus.io/scrape": "true" }, { [apparmor]: "runtime/default" }, { [apparmor]: "localhost/audit" }, { "seccomp.security.alpha.kubernetes.io/pod": "runtime/default" });
        refuses(POD_ANNOTATIONS, { [apparmor]: "evil-localhost/audit" }, { [apparmor]: "unconfined" }, { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" }, { [apparmor]: "localhost/../x" }, { a: 1 }, null, ["x"]);
        expect(POD_ANNOTATIONS.problem(["x"])).to.equal('["x"] is not a map of annotations');
        expect(POD_ANNOTATIONS.problem({ a: 1 })).to.equal('the annotation "a" holds 1, not a string');
        expect(POD_ANNOTATIONS.problem({ [apparmor]: "unconfined" })).to.equal(
            `the annotation "${apparmor}": "unconfined" lifts the container's AppArmor or seccomp confinement, which the \`restricted\` Pod Security level every namespace of this program enforces forbids`,
        );
    });

    it("node-exporter and Grafana's init-chown-data may only be switched off; the reason says why", () => {
        accepts(NODE_EXPORTER_OFF, false);
        refuses(NODE_EXPORTER_OFF, true, "false", null);
        expect(NODE_EXPORTER_OFF.problem(true)).to.equal(
            "true would run node-exporter: node-exporter needs hostNetwork, hostPID and hostPath mounts of /, /proc and /sys, which the `restricted` level the monitoring namespace enforces forbids, " +
                "and no configuration lowers that level (today's homelab runs without node-exporter)",
        );
        accepts(INIT_CHOWN_OFF, false);
        expect(INIT_CHOWN_OFF.problem(true)).to.match(/^true would run Grafana's init-chown-data container as root with CHOWN/);
        accepts(ANY_BOOLEAN, true, false);
        refuses(ANY_BOOLEAN, "true", null);
        expect(ANY_BOOLEAN.problem("yes")).to.equal('"yes" is not a boolean');
    });

    it("lists the settable leaves of pod and container security contexts, and nothing that adds", () => {
        expect(Object.keys(POD_SECURITY_CONTEXT)).to.deep.equal(["runAsUser", "runAsGroup", "fsGroup", "runAsNonRoot", "seccompProfile/type", "seccompProfile/localhostProfile"]);
        expect(Object.keys(CONTAINER_SECURITY_CONTEXT)).to.deep.equal([
            "allowPrivilegeEscalation",
            "privileged",
            "readOnlyRootFilesystem",
            "runAsNonRoot",
            "runAsUser",
            "runAsGroup",
            "seccompProfile/type",
            "seccompProfile/localhostProfile",
            "capabilities/drop",
        ]);
        expect(securityContextEntries("a/securityContext", { runAsUser: NON_ZERO_ID })).to.deep.equal([{ path: "a/securityContext/runAsUser", value: NON_ZERO_ID }]);
    });
});

describe("pod shape: why a refused key shapes or exposes a pod", () => {
    it("containers, volumes, host namespaces, privileged mode and capabilities, at any depth", () => {
        const cases: [string[], string][] = [
            [["prometheus", "prometheusSpec", "containers"], "adds or patches a container (`containers`)"],
            [["alertmanager", "alertmanagerSpec", "initContainers"], "adds or patches an init container (`initContainers`)"],
            [["prometheus", "prometheusSpec", "volumes"], "adds a volume (`volumes`)"],
            [["prometheus", "prometheusSpec", "volumeMounts"], "mounts a volume into a container (`volumeMounts`)"],
            [["x", "hostPath", "path"], "mounts a path of the node (`hostPath`)"],
            [["prometheus", "prometheusSpec", "hostNetwork"], "puts the pod in the node's network namespace (`hostNetwork`)"],
            [["server", "hostPID"], "puts the pod in the node's process namespace (`hostPID`)"],
            [["server", "hostIPC"], "puts the pod in the node's IPC namespace (`hostIPC`)"],
            [["server", "hostUsers"], "runs the pod in the node's user namespace (`hostUsers`)"],
            [["grafana", "shareProcessNamespace"], "shares one process namespace between the pod's containers (`shareProcessNamespace`)"],
            [["grafana", "securityContext", "privileged"], "runs a container privileged (`privileged`)"],
            [["server", "containerSecurityContext", "capabilities", "add"], "changes a container's capabilities (they can only be dropped, under a container security context) (`capabilities`)"],
        ];
        for (const [segments, start] of cases) {
            const reason = podShapeReason(KPS, segments)!;
            expect(reason, segments.join(".")).to.satisfy((r: string) => r.startsWith(start + ": no container, volume, host namespace, privileged mode or added capability"));
        }
        expect(podShapeReason("argo-cd", ["server", "containers"])).to.match(/grafana-oauth Secret/);
    });

    it("Secrets and ConfigMaps an operator mounts by name, only directly under a *Spec", () => {
        expect(podShapeReason(KPS, ["prometheus", "prometheusSpecial", "secrets"])).to.equal(undefined);
        expect(podShapeReason(KPS, ["x", "SpecialSpec", "secrets"])).to.match(/into the Special pod/);
        expect(podShapeReason(KPS, ["prometheus", "prometheusSpec", "secrets"])).to.equal(
            "mounts Secrets or ConfigMaps by name into the prometheus pod (`secrets`), e.g. grafana-oauth; the program mounts what a pod needs",
        );
        expect(podShapeReason(KPS, ["alertmanager", "alertmanagerSpec", "configMaps"])).to.match(/into the alertmanager pod \(`configMaps`\)/);
        expect(podShapeReason(KPS, ["secrets"])).to.equal(undefined);
        expect(podShapeReason(KPS, ["grafana", "secrets"])).to.equal(undefined);
    });

    it("existing claims and volumes, where storage is shaped", () => {
        const claimKey = (segments: string[]) => /^points storage at an existing claim or volume \(`(\w+)`\)/.exec(podShapeReason(KPS, segments) ?? "")?.[1];
        expect(claimKey(["grafana", "persistence", "existingClaim"])).to.equal("existingClaim");
        expect(claimKey(["anything", "existingClaim"])).to.equal("existingClaim");
        expect(claimKey(["grafana", "persistence", "volumeName"])).to.equal("volumeName");
        expect(claimKey(["prometheus", "prometheusSpec", "storageSpec", "volumeClaimTemplate", "spec", "selector"])).to.equal("selector");
        expect(claimKey(["alertmanager", "alertmanagerSpec", "storage", "volumeClaimTemplate", "spec", "dataSource"])).to.equal("dataSource");
        // Sizing the chart's own claim is tuning, not pointing elsewhere.
        expect(podShapeReason(KPS, ["grafana", "persistence", "size"])).to.equal(undefined);
        // A selector elsewhere is not storage, nor under a key that only contains a storage word.
        expect(podShapeReason(KPS, ["prometheus", "xstorage", "selector"])).to.equal(undefined);
        expect(podShapeReason(KPS, ["prometheus", "storageX", "selector"])).to.equal(undefined);
        expect(podShapeReason(KPS, ["prometheus", "prometheusSpec", "selector"])).to.equal(undefined);
    });

    it("Service exposure: the type, external and load-balancer addresses, below a `service` key", () => {
        for (const field of ["type", "externalIPs", "loadBalancerIP", "loadBalancerClass", "loadBalancerSourceRanges", "externalTrafficPolicy", "clusterIP"]) {
            expect(podShapeReason(KPS, ["prometheus", "service", field]), field).to.match(new RegExp(`^decides how a Service is reached from outside the cluster \\(\`${field}\`\\)`));
        }
        expect(podShapeReason(KPS, ["prometheus", "service", "port"])).to.equal(undefined);
        expect(podShapeReason(KPS, ["prometheus", "type"])).to.equal(undefined);
        expect(podShapeReason(KPS, ["clusterIP", "x"])).to.equal(undefined);
        expect(podShapeReason("argo-cd", ["service", "type"])).to.equal(
            "decides how a Service is reached from outside the cluster (`type`); pass-through values may set only grafana.service.type (ClusterIP or NodePort), " +
                "grafana.service.nodePort and grafana.service.port; ArgoCD's server Service is the program's (homelab-sso:argocd.nodePorts)",
        );
    });

    it("node-exporter's settings, which never apply; only under kube-prometheus-stack", () => {
        expect(podShapeReason(KPS, ["prometheus-node-exporter", "resources"])).to.match(/^configures node-exporter, which never runs: node-exporter needs hostNetwork/);
        expect(podShapeReason(KPS, ["nodeExporter", "operatingSystems"])).to.match(/^configures node-exporter/);
        expect(podShapeReason(KPS, ["nodeExporter", "enabled"])).to.equal(undefined);
        expect(podShapeReason("argo-cd", ["prometheus-node-exporter", "resources"])).to.equal(undefined);
    });

    it("other security-context fields name what is allowed", () => {
        expect(podShapeReason(KPS, ["kube-state-metrics", "securityContext", "enabled"])).to.match(/^is a security-context field not on the allowlist; allowed: runAsUser/);
        expect(podShapeReason("argo-cd", ["server", "containerSecurityContext", "seLinuxOptions", "type"])).to.match(/capabilities\.drop \(with ALL\)$/);
        expect(podShapeReason(KPS, ["grafana", "replicaCount"])).to.equal(undefined);
        expect(podShapeReason(KPS, ["grafana", "mysecurityContext", "x"])).to.equal(undefined);
        expect(podShapeReason(KPS, ["grafana", "securityContextX", "x"])).to.equal(undefined);
    });
});
