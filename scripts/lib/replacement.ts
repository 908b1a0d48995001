/**
 * Which input changes make a provider replace a resource (delete it and create it anew) instead of
 * updating it in place, by the rules the providers themselves apply, so the render diff can say
 * "replace" where `pulumi preview` would.
 *
 * - Kubernetes objects: pulumi/pulumi-kubernetes `provider/pkg/provider/diff.go`, `forceNewProperties`:
 *   `metadata.name` and `metadata.namespace` of every object, plus per kind the fields below. A Secret's
 *   `type`, `data` and `stringData` (and a ConfigMap's `data`, `binaryData`) replace it unless the
 *   provider sets `enableSecretMutable` (`enableConfigMapMutable`); this program uses the default
 *   provider, which sets neither.
 * - Helm: a `helm.v3.Release` is replaced when its `name` or `namespace` changes (`helm_release.go`,
 *   `Diff`: forceNewFields `.name`, `.namespace`). A `helm.v4.Chart` is a component: a new `namespace`
 *   (or release `name`, from which the charts name their objects) replaces the objects it renders.
 * - `@pulumi/random`: every input of a random resource (`keepers`, `length`, ...) forces a new value.
 * - Authentik (goauthentik/terraform-provider-authentik 2025.12.1, the provider Pulumi.yaml pins):
 *   `ForceNew` marks only `authentik_outpost_provider_attachment` (outpost, protocol_provider) and
 *   `authentik_rbac_permission_{role,user}`; every resource this program makes (providers,
 *   applications, groups, policy bindings) updates in place. The committed schema fixture
 *   (test/fixtures/authentik-schema-2025.12.1.json) carries no force-new flag either.
 */

/** Force-new fields by `apiVersion` group (core: ""), then kind; `[*]` matches every list element. */
const LABEL_SELECTOR = ["matchExpressions", "matchLabels"];
const selector = (prefix: string) => [prefix, ...LABEL_SELECTOR.map((f) => `${prefix}.${f}`)];
const CONTAINER_FIELDS = [
    "args",
    "command",
    "env",
    "image",
    "imagePullPolicy",
    "lifecycle",
    "livenessProbe",
    "ports",
    "readinessProbe",
    "resources",
    "securityContext",
    "stdin",
    "stdinOnce",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "tty",
    "volumeDevices",
    "volumeMounts",
    "workingDir",
];
const STATEFUL_SET = ["spec.podManagementPolicy", "spec.revisionHistoryLimit", ...selector("spec.selector"), "spec.serviceName", "spec.volumeClaimTemplates"];
const KUBERNETES_FORCE_NEW: { [group: string]: { [kind: string]: string[] } } = {
    apps: { DaemonSet: selector("spec.selector"), Deployment: selector("spec.selector"), StatefulSet: STATEFUL_SET },
    "": {
        Secret: ["type", "data", "stringData"],
        ConfigMap: ["data", "binaryData"],
        PersistentVolumeClaim: ["spec.accessModes", ...selector("spec.selector"), "spec.storageClassName", "spec.volumeName"],
        Service: ["spec.clusterIP"],
        ResourceQuota: ["spec.scopes"],
        Pod: [
            "spec.affinity",
            "spec.automountServiceAccountToken",
            "spec.dnsConfig",
            "spec.dnsPolicy",
            "spec.enableServiceLinks",
            "spec.hostAliases",
            "spec.hostIPC",
            "spec.hostNetwork",
            "spec.hostPID",
            "spec.hostname",
            "spec.imagePullSecrets",
            "spec.nodeName",
            "spec.nodeSelector",
            "spec.overhead",
            "spec.preemptionPolicy",
            "spec.priority",
            "spec.priorityClassName",
            "spec.readinessGates",
            "spec.restartPolicy",
            "spec.runtimeClassName",
            "spec.schedulerName",
            "spec.securityContext",
            "spec.serviceAccount",
            "spec.serviceAccountName",
            "spec.shareProcessNamespace",
            "spec.subdomain",
            "spec.terminationGracePeriodSeconds",
            "spec.volumes",
            ...["containers", "initContainers"].flatMap((list) => CONTAINER_FIELDS.map((f) => `spec.${list}[*].${f}`)),
        ],
    },
    batch: { Job: ["spec.completions", "spec.parallelism", ...selector("spec.selector"), "spec.template"] },
    "policy/v1beta1": { PodDisruptionBudget: ["spec"] },
    "rbac.authorization.k8s.io": { ClusterRoleBinding: ["roleRef"], RoleBinding: ["roleRef"] },
    "storage.k8s.io": { StorageClass: ["parameters", "provisioner"] },
};

/** Force-new inputs of Authentik resources, by type token (terraform-provider-authentik 2025.12.1). */
export const AUTHENTIK_FORCE_NEW: { [token: string]: string[] } = {
    "authentik:index/outpostProviderAttachment:OutpostProviderAttachment": ["outpost", "protocolProvider"],
    "authentik:index/rbacPermissionRole:RbacPermissionRole": ["role", "permission", "model", "objectId"],
    "authentik:index/rbacPermissionUser:RbacPermissionUser": ["user", "permission", "model", "objectId"],
};

/** The force-new fields of a Kubernetes object of `apiVersion`/`kind`, `metadata.name`/`namespace` first. */
export function kubernetesForceNewFields(apiVersion: string, kind: string): string[] {
    const slash = apiVersion.indexOf("/");
    const group = slash < 0 ? "" : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    // The PodDisruptionBudget rule is for policy/v1beta1 only; policy/v1 updates in place.
    const fields = KUBERNETES_FORCE_NEW[group === "policy" ? `policy/${version}` : group]?.[kind] ?? [];
    return ["metadata.name", "metadata.namespace", ...fields];
}

/** A changed path (`spec.containers[0].image`) in the form of the rules (`spec.containers[*].image`), without quoting. */
function ruleForm(path: string): string {
    return path.replace(/\[\d+\]/g, "[*]").replace(/\["([^"]*)"\]/g, ".$1");
}

/** Whether `path` is `field` or lies under it. */
function under(path: string, field: string): boolean {
    const p = ruleForm(path);
    return p === field || p.startsWith(`${field}.`) || p.startsWith(`${field}[`);
}

export interface ReplaceSubject {
    type: string;
    custom: boolean;
    inputs: { [key: string]: unknown };
}

/**
 * The changed paths (of `paths`, as the render diff writes them) that make the provider replace
 * `resource`; empty when it updates in place. `before` gives the earlier inputs (for a kind or
 * apiVersion that changed, the earlier one's rules apply too).
 */
export function replacingPaths(resource: ReplaceSubject, paths: string[], before?: { [key: string]: unknown }): string[] {
    const { type, inputs } = resource;
    let fields: string[] = [];
    if (type === "kubernetes:helm.sh/v3:Release" || type === "kubernetes:helm.sh/v4:Chart") {
        fields = ["name", "namespace"];
    } else if (type.startsWith("kubernetes:") && resource.custom && typeof inputs.kind === "string") {
        fields = kubernetesForceNewFields(String(inputs.apiVersion ?? ""), inputs.kind);
        if (before && typeof before.kind === "string") {
            fields = [...new Set([...fields, ...kubernetesForceNewFields(String(before.apiVersion ?? ""), before.kind)])];
        }
    } else if (type.startsWith("random:")) {
        return paths.filter((p) => !p.startsWith("("));
    } else if (type.startsWith("authentik:")) {
        fields = AUTHENTIK_FORCE_NEW[type] ?? [];
    }
    return paths.filter((p) => fields.some((f) => under(p, f)));
}
