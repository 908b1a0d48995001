/**
 * Where a service's client secret goes, and when it rotates (`homelab-sso:services.<name>.clientSecretTo`,
 * `homelab-sso:services.<name>.rotation`). Pure: read from one service entry, checked across entries.
 *
 * Default (no `clientSecretTo`): the secret goes to Authentik, to this stack's encrypted state and, for
 * the services this program deploys (ArgoCD, Grafana), to the Secret it writes for them; nowhere else.
 */
import { FORBIDDEN_KEYS } from "./boundary";
import { DNS_LABEL } from "./rules";
import { z } from "zod";
import { ProblemList, flag, integer, section, text } from "./validation";

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

/** A Secret data key's value schema: a label value, a string only. */
const labelValue = z.string({ error: () => "must be a string" }).check(
    z.superRefine((value: string, ctx) => {
        const message = checkLabelValue(value);
        if (message !== undefined) {
            ctx.addIssue({ code: "custom", message, input: value });
        }
    }),
);

/** `services.<name>.clientSecretTo.kubernetesSecret`: a Secret the program creates with the client secret under `key`. */
const KUBERNETES_SECRET_SCHEMA = section({
    namespace: text({
        pattern: DNS_LABEL,
        check: (v) => (DNS_LABEL.test(v) ? undefined : `${JSON.stringify(v)} is not a namespace name; allowed: an existing namespace (RFC 1123 label)`),
    }).meta({ description: "An existing namespace (the service's own); the program does not create it.", "x-default": "required" }),
    name: text({
        pattern: DNS_SUBDOMAIN,
        check: (v) => (DNS_SUBDOMAIN.test(v) ? undefined : `${JSON.stringify(v)} is not a Secret name; allowed: lower-case letters, digits, '-' and '.', at most 253 characters`),
    }).meta({ description: "The Secret's name; no other service or deployment may use it in that namespace.", "x-default": "required" }),
    key: text({
        pattern: SECRET_DATA_KEY,
        check: (v) => (SECRET_DATA_KEY.test(v) ? undefined : `${JSON.stringify(v)} is not a Secret data key; allowed: letters, digits, '-', '_' and '.'`),
    })
        .default(DEFAULT_SECRET_KEY)
        .meta({ description: "Its data key." }),
    labels: z
        .record(text({ check: checkLabelKey }), labelValue, { error: () => "must be an object of label key to value" })
        .default({})
        .meta({ description: "Labels of the Secret (e.g. `app.kubernetes.io/part-of: argocd` for ArgoCD's `$secret:key`)." }),
}).meta({ description: "A Secret the program creates with the client secret, in the service's existing namespace." });

export type KubernetesSecretTarget = z.output<typeof KUBERNETES_SECRET_SCHEMA>;

/** `services.<name>.clientSecretTo`: at least one destination. */
export const CLIENT_SECRET_TO_SCHEMA = section({
    kubernetesSecret: KUBERNETES_SECRET_SCHEMA.optional(),
    stackOutput: flag(false).meta({ description: "Also put it in the secret stack output `oidcClientSecrets.<name>` (`pulumi stack output oidcClientSecrets --show-secrets`)." }),
})
    .superRefine((value, ctx) => {
        if (value.kubernetesSecret === undefined && !value.stackOutput) {
            ctx.addIssue({
                code: "custom",
                path: ["kubernetesSecret"],
                message: "names no destination; allowed: a kubernetesSecret {namespace, name, key, labels}, stackOutput: true, or both (leave clientSecretTo out for neither)",
            });
        }
    })
    .meta({
        description:
            "Where else the client secret goes. Default: only Authentik, the encrypted state and a deployed service's own Secret (docs/operations.md, \"Add an OIDC service\").",
    });

export type ClientSecretDeliveryConfig = z.output<typeof CLIENT_SECRET_TO_SCHEMA>;

/** `services.<name>.rotation`: 0 (default, never rotated) or a generation number. */
export const ROTATION_SCHEMA = integer({ min: 0, max: MAX_ROTATION, what: "rotation number", default: 0 }).meta({
    description:
        "Rotation number of the client secret: raising it replaces the generated secret everywhere in one `pulumi up` and restarts Grafana (docs/operations.md, \"Rotate a client secret\").",
});

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
