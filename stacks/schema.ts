/**
 * A JSON Schema (draft 2020-12) of a stack file, `Pulumi.<stack>.yaml`, for editors: with the
 * yaml-language-server modeline at the top of each stack file (or the README's settings), VS Code
 * and other editors complete and check the `config:` block as it is typed.
 *
 * Each section defined in zod (`*_SCHEMA` in `config.ts`, `services.ts`, `deployments.ts`) is the one
 * source of its validation, its type and its part of this schema (`z.toJSONSchema`). The rest
 * (`homelab-sso:services`, `clientSecrets`, the secret and outside keys) is still described here by
 * hand, beside its reader. The program also checks what a schema cannot (cross-references,
 * uniqueness, chart keys, canonical URLs, PEM, the pass-through values), and the config boundary
 * (`boundary.ts`) checks every string. `npm run config-schema` writes
 * `schema/stack-config.schema.json` (standard keywords only: it loads in Ajv 2020 strict mode) and the
 * README's generated configuration table (which also reads the table-only `x-default` and
 * `x-key-name` annotations).
 */
import { z } from "zod";
import { AUTHENTIK_SCHEMA, PUBLIC_HOST_SCHEMA, SECRETS_SCHEMA } from "./config";
import { ARGOCD_SCHEMA, BOOTSTRAP_SCHEMA, GRAFANA_SCHEMA, HOST_ALIAS_SCHEMA, ISSUER_CA_SCHEMA } from "./deployments";
import { BOOKMARKS_SCHEMA, OIDC_SCHEMA, SERVICES_SCHEMA } from "./services";

/** A JSON Schema node (the subset used here). */
export interface SchemaNode {
    type?: string | string[];
    description?: string;
    default?: unknown;
    enum?: readonly (string | number | boolean)[];
    properties?: { [key: string]: SchemaNode };
    additionalProperties?: boolean | SchemaNode;
    patternProperties?: { [pattern: string]: SchemaNode };
    propertyNames?: SchemaNode;
    required?: string[];
    items?: SchemaNode;
    minItems?: number;
    minimum?: number;
    maximum?: number;
    pattern?: string;
    maxLength?: number;
    /** Where the README lists a key as required or defaulted in words (`"required when ..."`). */
    "x-default"?: string;
    /** An object whose keys are names (services), documented as `<name>`. */
    "x-key-name"?: string;
    [key: string]: unknown;
}

/** The JSON Schema of a section defined in zod (its table annotations included; `stackFileSchema` drops them). */
function fromZod(schema: z.ZodType): SchemaNode {
    const { $schema: _, ...node } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as SchemaNode;
    return node;
}

/** `node` without the table's annotations (`x-default`, `x-key-name`): the published schema has standard keywords only. */
function withoutTableAnnotations(node: unknown): unknown {
    if (Array.isArray(node)) {
        return node.map(withoutTableAnnotations);
    }
    if (typeof node !== "object" || node === null) {
        return node;
    }
    return Object.fromEntries(Object.entries(node).filter(([key]) => key !== "x-default" && key !== "x-key-name").map(([key, value]) => [key, withoutTableAnnotations(value)]));
}

/** A value `pulumi config set --secret` stores: `{secure: <ciphertext>}` (the program reads it decrypted). */
function secure(description: string, shownDefault?: string) {
    return z.strictObject({ secure: z.string() }).meta({ description, ...(shownDefault !== undefined ? { "x-default": shownDefault } : {}) });
}

/** The `config:` block's keys, full (`homelab-sso:authentik`), in the order the README lists them. */
export function configProperties(): { [key: string]: SchemaNode } {
    return {
        "homelab-sso:publicHost": fromZod(PUBLIC_HOST_SCHEMA),
        "homelab-sso:secrets": fromZod(SECRETS_SCHEMA),
        "homelab-sso:authentik": fromZod(AUTHENTIK_SCHEMA),
        "homelab-sso:oidc": fromZod(OIDC_SCHEMA),
        "homelab-sso:services": fromZod(SERVICES_SCHEMA),
        "homelab-sso:bookmarks": fromZod(BOOKMARKS_SCHEMA),
        "homelab-sso:clientSecrets": fromZod(
            z.record(z.string(), secure("An encrypted value: set it with `pulumi config set --secret`.")).meta({
                description: "Client secrets kept from an earlier setup, by service name; each entry secret (`pulumi config set --secret --path 'homelab-sso:clientSecrets.<service>'`).",
                "x-key-name": "<service>",
            }),
        ),
        "homelab-sso:argocd": fromZod(ARGOCD_SCHEMA),
        "homelab-sso:grafana": fromZod(GRAFANA_SCHEMA),
        "homelab-sso:authentikHostAlias": fromZod(HOST_ALIAS_SCHEMA),
        "homelab-sso:issuerCaCertificate": fromZod(ISSUER_CA_SCHEMA),
        "homelab-sso:bootstrap": fromZod(BOOTSTRAP_SCHEMA),
        "homelab-sso:infisicalClientId": fromZod(secure("Infisical machine identity client id (secret); required with `bootstrap.esoMachineIdentity`.", "required with esoMachineIdentity")),
        "homelab-sso:infisicalClientSecret": fromZod(
            secure("Infisical machine identity client secret (secret); required with `bootstrap.esoMachineIdentity`.", "required with esoMachineIdentity"),
        ),
        "authentik:token": fromZod(secure("Authentik API token (secret).", "required when `apiTokenSource` is `config`")),
        // Keys outside homelab-sso: only these (stacks/hygiene.ts, OUTSIDE_KEYS); any other provider or Pulumi key is refused.
        "kubernetes:context": fromZod(
            z.string().meta({
                description: "The kube context the Kubernetes provider applies to. No other `kubernetes:` key is accepted (`renderYamlToDirectory` would write every Secret to disk in plain text).",
                "x-default": "the kubeconfig's current context",
            }),
        ),
        "pulumi:tags": fromZod(
            z.record(z.string(), z.unknown()).meta({ description: "The stack's tags (metadata only). No other `pulumi:` or `authentik:` key is accepted.", "x-default": "none" }),
        ),
    };
}

/** The schema of a whole stack file. */
export function stackFileSchema(): SchemaNode {
    return withoutTableAnnotations({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "https://github.com/holdennguyen/homelab-sso/schema/stack-config.schema.json",
        title: "homelab-sso stack file (Pulumi.<stack>.yaml)",
        description: "Generated by `npm run config-schema` from stacks/schema.ts; do not edit by hand.",
        type: "object",
        properties: {
            config: {
                type: "object",
                description: "Stack configuration. Outside homelab-sso only kubernetes:context, authentik:token and pulumi:tags are accepted.",
                properties: configProperties(),
                additionalProperties: false,
            },
            secretsprovider: { type: "string" },
            encryptedkey: { type: "string" },
            encryptionsalt: { type: "string" },
            environment: {},
        },
        additionalProperties: false,
    }) as SchemaNode;
}

/** One row of the generated configuration table. */
export interface ReferenceRow {
    key: string;
    defaultValue: string;
    meaning: string;
}

function describeDefault(node: SchemaNode): string {
    if (node["x-default"] !== undefined) {
        return node["x-default"];
    }
    if (node.default === undefined) {
        return "none";
    }
    return `\`${typeof node.default === "string" ? node.default : JSON.stringify(node.default)}\``;
}

function allowed(node: SchemaNode): string {
    const parts: string[] = [];
    if (node.enum) {
        parts.push(`One of ${node.enum.map((v) => `\`${v}\``).join(", ")}.`);
    }
    if (node.minimum !== undefined && node.maximum !== undefined) {
        parts.push(`Integer ${node.minimum}-${node.maximum}.`);
    }
    return parts.join(" ");
}

/** The rows of the README's configuration table: every key the schema knows, depth first. */
export function referenceRows(properties: { [key: string]: SchemaNode } = configProperties(), prefix = ""): ReferenceRow[] {
    const rows: ReferenceRow[] = [];
    for (const [name, node] of Object.entries(properties)) {
        const key = `${prefix}${name}`;
        const meaning = [node.description ?? "", allowed(node)].filter((s) => s !== "").join(" ");
        rows.push({ key, defaultValue: describeDefault(node), meaning });
        if (node.properties && node.additionalProperties === false && !node.required?.includes("secure")) {
            rows.push(...referenceRows(node.properties, `${key}.`));
        } else if (typeof node.additionalProperties === "object" && node.additionalProperties.properties && !node.additionalProperties.required?.includes("secure")) {
            rows.push(...referenceRows(node.additionalProperties.properties, `${key}.${node["x-key-name"] ?? "<key>"}.`));
        } else if (node.items?.properties) {
            rows.push(...referenceRows(node.items.properties, `${key}[].`));
        }
    }
    return rows;
}

/** The generated configuration table (Markdown). */
export function referenceTable(rows: ReferenceRow[] = referenceRows()): string {
    const escape = (text: string) => text.replace(/\|/g, "\\|");
    const lines = ["| Key | Default | Allowed / meaning |", "|---|---|---|"];
    for (const row of rows) {
        lines.push(`| \`${row.key}\` | ${escape(row.defaultValue)} | ${escape(row.meaning)} |`);
    }
    return lines.join("\n");
}
