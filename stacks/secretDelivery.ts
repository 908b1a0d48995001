/**
 * Where a service's client secret goes, and when it rotates (`homelab-sso:services.<name>.clientSecretTo`,
 * `homelab-sso:services.<name>.rotation`). Pure: read from one service entry, checked across entries.
 *
 * Default (no `clientSecretTo`): the secret goes to Authentik, to this stack's encrypted state and, for
 * the services this program deploys (ArgoCD, Grafana), to the Secret it writes for them; nowhere else.
 */
import { FORBIDDEN_KEYS } from "./boundary";
import { DNS_LABEL } from "./rules";
import { ObjectReader, ProblemList, isPlainObject } from "./validation";

/** A Kubernetes Secret the program creates with the client secret under `key`. */
export interface KubernetesSecretTarget {
    /** An existing namespace (the service's own); the program does not create it. */
    namespace: string;
    name: string;
    /** Data key that holds the secret. Default `client-secret`. */
    key: string;
    /** Labels of the Secret (e.g. `app.kubernetes.io/part-of: argocd` for ArgoCD's `$secret:key`). */
    labels: { [key: string]: string };
}

export interface ClientSecretDeliveryConfig {
    kubernetesSecret?: KubernetesSecretTarget;
    /** Also a secret stack output: `oidcClientSecrets.<service>`. */
    stackOutput: boolean;
}

/** Default data key of a delivered Secret. */
export const DEFAULT_SECRET_KEY = "client-secret";
/** Highest rotation number (a generation counter, not a date). */
export const MAX_ROTATION = 1_000_000;

/** RFC 1123 subdomain: a Secret's name. */
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
/** A Secret data key (`[-._a-zA-Z0-9]+`, at most 253). */
const SECRET_DATA_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
/** A label value: empty, or up to 63 alphanumerics with `-_.` inside. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export function checkLabelKey(value: string): string | undefined {
    if (FORBIDDEN_KEYS.includes(value)) {
        return `${JSON.stringify(value)} is not allowed as a key`;
    }
    const slash = value.lastIndexOf("/");
    const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
    // With no '/', slash is -1 and this is the whole key.
    const name = value.slice(slash + 1);
    if ((prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) || !LABEL_NAME.test(name)) {
        return `${JSON.stringify(value)} is not a label key; allowed: [<dns-prefix>/]<name>, the name at most 63 letters, digits, '-', '_' or '.'`;
    }
    return undefined;
}

export function checkLabelValue(value: string): string | undefined {
    return LABEL_VALUE.test(value) ? undefined : `${JSON.stringify(value)} is not a label value; allowed: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
}

/** Reads `services.<name>.clientSecretTo`. Undefined when absent or invalid (problems recorded). */
export function parseClientSecretTo(service: ObjectReader): ClientSecretDeliveryConfig | undefined {
    if (service.raw("clientSecretTo") === undefined) {
        return undefined;
    }
    const reader = service.object("clientSecretTo");
    if (!reader) {
        return undefined;
    }
    let valid = true;
    let kubernetesSecret: KubernetesSecretTarget | undefined;
    if (reader.raw("kubernetesSecret") !== undefined) {
        const target = reader.object("kubernetesSecret");
        kubernetesSecret = target && parseKubernetesSecret(target);
        valid = valid && kubernetesSecret !== undefined;
    }
    const stackOutput = reader.boolean("stackOutput", false);
    reader.finish();
    if (valid && kubernetesSecret === undefined && !stackOutput) {
        reader.problem("kubernetesSecret", "names no destination; allowed: a kubernetesSecret {namespace, name, key, labels}, stackOutput: true, or both (leave clientSecretTo out for neither)");
        return undefined;
    }
    return valid ? { ...(kubernetesSecret ? { kubernetesSecret } : {}), stackOutput } : undefined;
}

function parseKubernetesSecret(reader: ObjectReader): KubernetesSecretTarget | undefined {
    const namespace = reader.string("namespace", {
        required: true,
        check: (v) => (DNS_LABEL.test(v) ? undefined : `${JSON.stringify(v)} is not a namespace name; allowed: an existing namespace (RFC 1123 label)`),
    });
    const name = reader.string("name", {
        required: true,
        check: (v) => (DNS_SUBDOMAIN.test(v) ? undefined : `${JSON.stringify(v)} is not a Secret name; allowed: lower-case letters, digits, '-' and '.', at most 253 characters`),
    });
    const key = reader.string("key", {
        default: DEFAULT_SECRET_KEY,
        check: (v) => (SECRET_DATA_KEY.test(v) ? undefined : `${JSON.stringify(v)} is not a Secret data key; allowed: letters, digits, '-', '_' and '.'`),
    });
    const labels: { [key: string]: string } = {};
    let labelsValid = true;
    const rawLabels = reader.raw("labels");
    if (rawLabels !== undefined) {
        if (!isPlainObject(rawLabels)) {
            reader.problem("labels", "must be an object of label key to value");
            labelsValid = false;
        } else {
            for (const [labelKey, labelValue] of Object.entries(rawLabels)) {
                const keyProblem = checkLabelKey(labelKey);
                const valueProblem = typeof labelValue === "string" ? checkLabelValue(labelValue) : "must be a string";
                if (keyProblem !== undefined) {
                    reader.problem(`labels.${labelKey}`, keyProblem);
                    labelsValid = false;
                } else if (valueProblem !== undefined) {
                    reader.problem(`labels.${labelKey}`, valueProblem);
                    labelsValid = false;
                } else {
                    labels[labelKey] = labelValue as string;
                }
            }
        }
    }
    reader.finish();
    if (namespace === undefined || name === undefined || key === undefined || !labelsValid) {
        return undefined;
    }
    return { namespace, name, key, labels };
}

/** Reads `services.<name>.rotation`: 0 (default, never rotated) or a generation number. */
export function parseRotation(service: ObjectReader): number | undefined {
    return service.integer("rotation", { default: 0, min: 0, max: MAX_ROTATION, what: "rotation number" });
}

/** What the cross-check needs of a service. */
export interface DeliveringService {
    key: string;
    enabled: boolean;
    clientSecretTo?: ClientSecretDeliveryConfig;
}

/**
 * Each delivered Secret has one owner: no two services, and none of the Secrets the program writes for
 * the services it deploys (`reserved`), may name the same namespace/name.
 */
export function checkDeliveryTargets(
    services: DeliveringService[],
    reserved: { namespace: string; name: string; owner: string }[],
    servicesKey: string,
    problems: ProblemList,
): void {
    const owners = new Map<string, string>(reserved.map((r) => [`${r.namespace}/${r.name}`, r.owner]));
    for (const service of services) {
        const target = service.enabled ? service.clientSecretTo?.kubernetesSecret : undefined;
        if (!target) {
            continue;
        }
        const id = `${target.namespace}/${target.name}`;
        const key = `${servicesKey}.${service.key}.clientSecretTo.kubernetesSecret.name`;
        const owner = owners.get(id);
        if (owner !== undefined) {
            problems.add(key, `the Secret ${id} is already written by ${owner}; allowed: a Secret name no other service or deployment uses in that namespace`);
        } else {
            owners.set(id, key);
        }
    }
}

/**
 * The value of Grafana's pod annotation that restarts it when its client secret changes: where the
 * secret comes from and the rotation number, never anything derived from the secret itself.
 */
export function secretGeneration(source: string, rotation: number): string {
    return `${source}-${rotation}`;
}
