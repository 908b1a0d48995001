/**
 * Config hygiene that no section parser can see:
 * - a key in an unknown namespace (`homelab-ssoo:argocd`) would be silently ignored, and a section the
 *   program no longer sees is a deployment it removes;
 * - a secret written in plain text (`pulumi config set` without `--secret`) sits unencrypted in the
 *   stack file and in git;
 * - a provider or Pulumi key the program does not name (issue 19 §3): provider settings change how
 *   and where resources are applied behind the program's checks (`kubernetes:renderYamlToDirectory`
 *   writes every Secret to disk in plain text instead of applying it).
 */
import { editDistance } from "./rules";
import { ProblemList, isPlainObject } from "./validation";

/** Namespaces a stack file may use: the project's own, the providers' and Pulumi's. */
export function knownNamespaces(project: string): string[] {
    return [project, "authentik", "kubernetes", "pulumi"];
}

/**
 * The config keys that hold secrets, written once for the plain-text check here, the config
 * boundary (no template parsing of secrets) and the offline render's placeholders: full keys for
 * other namespaces, project-relative otherwise. `perEntry`: a structured key whose entries are each a
 * secret (`clientSecrets.<service>`).
 */
export const SECRET_KEYS: readonly { readonly key: string; readonly perEntry: boolean }[] = [
    { key: "authentik:token", perEntry: false },
    { key: "infisicalClientId", perEntry: false },
    { key: "infisicalClientSecret", perEntry: false },
    { key: "clientSecrets", perEntry: true },
];

/**
 * Config keys that hold secrets, with how to set each: top-level keys, or a structured key whose
 * entries are each a secret (`clientSecrets.<service>`).
 */
export function secretConfigKeys(project: string): { key: string; perEntry: boolean }[] {
    return SECRET_KEYS.map(({ key, perEntry }) => ({ key: key.includes(":") ? key : `${project}:${key}`, perEntry }));
}

/**
 * The keys outside the project's namespace a stack file may hold, each with what it is for. Every
 * other key of the providers' and Pulumi's namespaces is refused (`checkOutsideKeys`).
 */
export const OUTSIDE_KEYS: { readonly [key: string]: string } = {
    "kubernetes:context": "the kube context the Kubernetes provider applies to",
    "authentik:token": "the Authentik API token (secret)",
    "pulumi:tags": "the stack's tags (metadata only)",
};

/** Why a provider key the program does not take from a stack file is refused, for the keys that need more than the namespace's reason. */
const OUTSIDE_KEY_REASONS: { readonly [key: string]: string } = {
    "kubernetes:renderYamlToDirectory":
        "makes the Kubernetes provider write every manifest, Secrets included (client secrets, the Authentik bootstrap credentials), to disk in plain text instead of applying it",
    "kubernetes:kubeconfig": "points the Kubernetes provider at a kubeconfig other than the one `pulumi` runs with; choose the cluster with kubernetes:context",
    "kubernetes:namespace": "moves every object without a namespace of its own into another namespace, past the Pod Security labels the program sets",
};

const NAMESPACE_REASONS: { readonly [namespace: string]: string } = {
    kubernetes:
        "is a Kubernetes provider setting the program does not take from a stack file: such settings change how and where objects are applied (cluster, namespace, server-side apply, rendering to disk), behind the program's checks",
    authentik:
        "is an Authentik provider setting the program does not take from a stack file: its provider's URL and TLS verification come from homelab-sso:authentik.apiUrl and apiInsecure, which are checked",
    pulumi: "is a Pulumi engine setting the program does not take from a stack file",
};

/**
 * Every key in a known namespace other than the project's that `OUTSIDE_KEYS` does not name is an
 * error with the reason. Keys in unknown namespaces are `checkNamespaces`'s.
 */
export function checkOutsideKeys(keys: string[], project: string, problems: ProblemList): void {
    const allowed = Object.keys(OUTSIDE_KEYS)
        .map((key) => (key === "authentik:token" ? `${key} (secret)` : key))
        .join(", ");
    for (const key of keys) {
        const namespace = key.slice(0, Math.max(key.indexOf(":"), 0));
        if (namespace === project || !Object.prototype.hasOwnProperty.call(NAMESPACE_REASONS, namespace) || Object.prototype.hasOwnProperty.call(OUTSIDE_KEYS, key)) {
            continue;
        }
        const reason = Object.prototype.hasOwnProperty.call(OUTSIDE_KEY_REASONS, key) ? `${NAMESPACE_REASONS[namespace]}; this one ${OUTSIDE_KEY_REASONS[key]}` : NAMESPACE_REASONS[namespace];
        problems.add(key, `${reason}; allowed outside ${project}: ${allowed}`);
    }
}

/** Every key outside the known namespaces is an error naming it (the value is never shown). */
export function checkNamespaces(keys: string[], project: string, problems: ProblemList): void {
    const known = knownNamespaces(project);
    for (const key of keys) {
        const colon = key.indexOf(":");
        // No colon (-1) or a leading one: no namespace.
        const namespace = key.slice(0, Math.max(colon, 0));
        if (known.includes(namespace)) {
            continue;
        }
        const closest = known.find((k) => editDistance(k, namespace) <= 2);
        const hint = closest ? ` (did you mean ${closest}:${key.slice(colon + 1)}?)` : "";
        problems.add(
            key,
            `unknown config namespace ${JSON.stringify(namespace)}${hint}: the program would ignore this key; allowed namespaces: ${known.join(", ")}`,
        );
    }
}

/**
 * Every secret key stored in plain text is an error naming it and the command that stores it
 * encrypted. `isSecret` answers per top-level key, as Pulumi hands config to a program: a structured
 * value counts as secret when any of its leaves is `secure:` (so `clientSecrets` entries set with
 * `--secret --path` are secret), which is why a plain entry beside a secure one is only visible in
 * the stack file itself (`plainLeavesBesideSecure`, used by the offline render).
 */
export function checkPlaintextSecrets(raw: { [key: string]: unknown }, project: string, isSecret: (key: string) => boolean, problems: ProblemList): void {
    for (const { key, perEntry } of secretConfigKeys(project)) {
        const value = raw[key];
        if (value === undefined || isSecret(key)) {
            continue;
        }
        if (perEntry && isPlainObject(value)) {
            for (const entry of Object.keys(value)) {
                problems.add(`${key}.${entry}`, plaintextMessage(`${key}.${entry}`, true));
            }
            continue;
        }
        problems.add(key, plaintextMessage(key, false));
    }
}

function plaintextMessage(key: string, path: boolean): string {
    const quoted = path ? `--path '${key}'` : key;
    return (
        `is a secret stored in plain text (value not shown); remove it with \`pulumi config rm ${quoted}\`, ` +
        `set it with \`pulumi config set --secret ${quoted} <value>\`, and treat the old value as leaked if the file was committed`
    );
}

/**
 * The paths (`key.entry`) of plain string leaves inside a secret structured value that also holds
 * `secure:` leaves, read from the stack file's `config:` block.
 */
export function plainLeavesBesideSecure(block: { [key: string]: unknown }, project: string): string[] {
    const isSecure = (v: unknown) => isPlainObject(v) && Object.keys(v).length === 1 && typeof v.secure === "string";
    const result: string[] = [];
    for (const { key, perEntry } of secretConfigKeys(project)) {
        const value = block[key];
        if (!perEntry || !isPlainObject(value) || isSecure(value)) {
            continue;
        }
        const entries = Object.entries(value);
        if (entries.some(([, v]) => isSecure(v))) {
            result.push(...entries.filter(([, v]) => !isSecure(v)).map(([entry]) => `${key}.${entry}`));
        }
    }
    return result;
}
