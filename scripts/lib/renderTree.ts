/**
 * The offline render's human-readable view: a tree of every resource (nested by parent) with its key
 * inputs, the invokes the program made with their placeholder answers, and the stack outputs. Works on
 * an already-masked `RenderDocument`, so it never sees a secret.
 */
import { stringify } from "yaml";
import { RenderDocument, RenderedInvoke, RenderedResource } from "./renderDocument";

type Json = { [key: string]: unknown };

/** Longest piece of a value printed on one line; longer values wrap onto continuation lines, never cut. */
export const MAX_VALUE_WIDTH = 100;

function isObject(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One value on one line, whole: scalars as they are, structures as compact JSON, newlines as ` ⏎ `. */
export function compact(value: unknown): string {
    let text: string;
    if (typeof value === "string") {
        text = value === "" ? '""' : value;
    } else if (value === undefined) {
        text = "(absent)";
    } else {
        text = JSON.stringify(value);
    }
    return text.replace(/\s*\n\s*/g, " ⏎ ");
}

/** Characters after which a long value is preferably wrapped (URL and JSON boundaries, spaces). */
const WRAP_AFTER = ["/", "&", "?", ",", " ", "=", ":"];

/**
 * `prefix` and `text`, wrapped so that no line holds more than `width` characters of `text`:
 * continuation lines are indented to where the value starts. Nothing is cut; joining the pieces
 * gives `text` back.
 */
export function wrapValue(prefix: string, text: string, width = MAX_VALUE_WIDTH): string[] {
    const pieces: string[] = [];
    let rest = text;
    while (rest.length > width) {
        const from = Math.floor(width * 0.6);
        const window = rest.slice(from, width);
        const at = Math.max(...WRAP_AFTER.map((c) => window.lastIndexOf(c)));
        const cut = at >= 0 ? from + at + 1 : width;
        pieces.push(rest.slice(0, cut));
        rest = rest.slice(cut);
    }
    pieces.push(rest);
    const pad = " ".repeat(prefix.length);
    return pieces.map((piece, i) => `${i === 0 ? prefix : pad}${piece}`);
}

/** Prose (or a list of names) word-wrapped after `prefix`: breaks at spaces, which it drops; a longer word is kept whole. */
export function wrapWords(prefix: string, text: string, width = MAX_VALUE_WIDTH): string[] {
    const lines: string[] = [];
    let current = "";
    for (const word of text.split(" ")) {
        if (current !== "" && current.length + 1 + word.length > width) {
            lines.push(current);
            current = word;
        } else {
            current = current === "" ? word : `${current} ${word}`;
        }
    }
    lines.push(current);
    const pad = " ".repeat(prefix.length);
    return lines.map((line, i) => `${i === 0 ? prefix : pad}${line}`);
}

/** Number of leaf values under a value (a scalar counts as one). */
export function leafCount(value: unknown): number {
    if (Array.isArray(value)) {
        return value.reduce((n: number, v) => n + leafCount(v), 0);
    }
    if (isObject(value)) {
        return Object.values(value).reduce((n: number, v) => n + leafCount(v), 0);
    }
    return 1;
}

export function isHelmRelease(type: string): boolean {
    return type === "kubernetes:helm.sh/v3:Release" || type === "kubernetes:helm.sh/v4:Chart";
}

/** A Kubernetes object (not a Helm release, not a provider) with apiVersion/kind in its inputs. */
export function isKubernetesObject(resource: Pick<RenderedResource, "type" | "inputs">): boolean {
    return resource.type.startsWith("kubernetes:") && !isHelmRelease(resource.type) && typeof resource.inputs.kind === "string";
}

export function isAuthentikObject(type: string): boolean {
    return type.startsWith("authentik:");
}

/** Kubernetes object coordinates from its inputs. */
export function kubernetesCoordinates(inputs: Json): { kind: string; namespace?: string; name?: string } {
    const metadata = isObject(inputs.metadata) ? inputs.metadata : {};
    return {
        kind: String(inputs.kind),
        namespace: typeof metadata.namespace === "string" && metadata.namespace ? metadata.namespace : undefined,
        name: typeof metadata.name === "string" && metadata.name ? metadata.name : undefined,
    };
}

/** `top (n), other (m)`: the top-level keys of Helm values with how many settings each holds. */
export function valuesSummary(values: unknown): string {
    if (!isObject(values)) {
        return values === undefined ? "none" : compact(values);
    }
    const keys = Object.keys(values).sort();
    if (keys.length === 0) {
        return "none (chart defaults)";
    }
    const total = leafCount(values);
    return `${total} settings: ${keys.map((k) => `${k} (${leafCount(values[k])})`).join(", ")}`;
}

function helmLines(resource: RenderedResource): string[] {
    const inputs = resource.inputs;
    const repoOpts = isObject(inputs.repositoryOpts) ? inputs.repositoryOpts : {};
    const repo = repoOpts.repo ?? inputs.repo;
    return [
        ...wrapValue("chart: ", `${compact(inputs.chart)}${inputs.version !== undefined ? ` ${compact(inputs.version)}` : ""}${repo !== undefined ? ` from ${compact(repo)}` : ""}`),
        ...wrapValue("release: ", `${compact(inputs.name ?? resource.name)} in namespace ${compact(inputs.namespace ?? "default")}`),
        ...wrapValue("values: ", valuesSummary(inputs.values)),
    ];
}

function kubernetesLines(resource: RenderedResource): string[] {
    const { kind, namespace, name } = kubernetesCoordinates(resource.inputs);
    const lines = wrapValue("", `${kind} ${namespace ? `${namespace}/` : ""}${name ?? "(auto-named)"}`);
    for (const field of ["data", "stringData"]) {
        const value = resource.inputs[field];
        if (isObject(value)) {
            lines.push(...wrapWords(`${field} keys: `, Object.keys(value).sort().join(", ") || "none"));
        } else if (value !== undefined) {
            lines.push(...wrapValue(`${field}: `, compact(value)));
        }
    }
    return lines;
}

/**
 * `key: value` on one line when it fits; otherwise a list or object is spread one entry per line
 * (redirect URIs, scope mappings), and a value still too long wraps: nothing is cut off.
 */
export function valueLines(key: string, value: unknown): string[] {
    const text = compact(value);
    if (text.length <= MAX_VALUE_WIDTH || (!Array.isArray(value) && !isObject(value))) {
        return wrapValue(`${key}: `, text);
    }
    if (Array.isArray(value)) {
        return [`${key}:`, ...value.flatMap((item) => wrapValue("  - ", compact(item)))];
    }
    return [`${key}:`, ...Object.keys(value).sort().flatMap((k) => wrapValue(`  ${k}: `, compact(value[k])))];
}

/** The lines for each top-level input, keys sorted. */
export function fieldLines(inputs: Json): string[] {
    return Object.keys(inputs)
        .sort()
        .flatMap((key) => valueLines(key, inputs[key]));
}

/** The logical name of the provider in a provider reference (`<urn>::<id>`), e.g. `authentik-api`. */
export function providerName(reference: string): string {
    const parts = reference.split("::");
    return parts.length >= 2 ? parts[parts.length - 2] : reference;
}

/** The key inputs of one resource, as detail lines under it in the tree. */
export function describeResource(resource: RenderedResource): string[] {
    const provider = resource.provider ? [`(provider: ${providerName(resource.provider)})`] : [];
    if (isHelmRelease(resource.type)) {
        return [...helmLines(resource), ...provider];
    }
    if (isKubernetesObject(resource)) {
        return [...kubernetesLines(resource), ...provider];
    }
    return [...fieldLines(resource.inputs), ...provider];
}

/** The resource tree, nested by parent; siblings in document order (type, then name). */
export function formatResourceTree(resources: RenderedResource[]): string[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, RenderedResource[]>();
    const roots: RenderedResource[] = [];
    for (const resource of resources) {
        if (resource.parent && byUrn.has(resource.parent) && resource.parent !== resource.urn) {
            children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
        } else {
            roots.push(resource);
        }
    }
    const lines: string[] = [];
    const walk = (resource: RenderedResource, prefix: string, branch: string, continuation: string, seen: Set<string>) => {
        const flags = [...(resource.protect ? ["protected"] : []), ...(resource.retainOnDelete ? ["retained on delete"] : [])];
        lines.push(`${prefix}${branch}${resource.type} ${resource.name}${flags.length > 0 ? ` [${flags.join(", ")}]` : ""}`);
        const kids = seen.has(resource.urn) ? [] : children.get(resource.urn) ?? [];
        const detailPrefix = `${prefix}${continuation}${kids.length > 0 ? "│ " : "  "}  `;
        for (const detail of describeResource(resource)) {
            lines.push(`${detailPrefix}${detail}`);
        }
        const nextSeen = new Set(seen).add(resource.urn);
        kids.forEach((kid, i) => {
            const last = i === kids.length - 1;
            walk(kid, `${prefix}${continuation}`, last ? "└─ " : "├─ ", last ? "   " : "│  ", nextSeen);
        });
    };
    for (const root of roots) {
        walk(root, "", "", "", new Set());
    }
    return lines;
}

/** What an invoke's placeholder answer stands for: its `id`, or its `ids` for list lookups. */
export function invokeResult(result: Json | null): unknown {
    if (!result) {
        return "(no answer: unknown to the offline runtime)";
    }
    if (Array.isArray(result.ids) && (result.id === undefined || result.id === "-1")) {
        return result.ids;
    }
    return result.id !== undefined ? result.id : result;
}

/** Longest one-line invoke before its arguments and answer are spread over several lines. */
const MAX_INVOKE_LINE = 180;

/**
 * Invokes grouped by token and arguments, with how often each was made: one line
 * `token arg=value → answer` when it fits, else the token, then its arguments and `→ answer` below it.
 */
export function formatInvokes(invokes: RenderedInvoke[]): string[] {
    const groups = new Map<string, { invoke: RenderedInvoke; count: number }>();
    for (const invoke of invokes) {
        const key = `${invoke.token} ${JSON.stringify(invoke.inputs)}`;
        const group = groups.get(key);
        if (group) {
            group.count++;
        } else {
            groups.set(key, { invoke, count: 1 });
        }
    }
    return [...groups.values()].flatMap(({ invoke, count }) => {
        const times = count > 1 ? ` (×${count})` : "";
        const keys = Object.keys(invoke.inputs).sort();
        const args = keys.map((key) => `${key}=${compact(invoke.inputs[key])}`).join(" ") || "(no arguments)";
        const answer = invokeResult(invoke.result);
        const line = `${invoke.token} ${args} → ${compact(answer)}${times}`;
        if (line.length <= MAX_INVOKE_LINE) {
            return [line];
        }
        const answerLines = valueLines("→", answer).map((l) => l.replace(/^→:/, "→"));
        return [`${invoke.token}${times}`, ...keys.flatMap((key) => valueLines(key, invoke.inputs[key])).map((l) => `    ${l}`), ...answerLines.map((l) => `    ${l}`)];
    });
}

export function formatOutputs(outputs: Json): string[] {
    if (Object.keys(outputs).length === 0) {
        return ["(none)"];
    }
    return stringify(outputs, { sortMapEntries: true, lineWidth: 0 }).trimEnd().split("\n");
}

/** Header lines: what this is, and which secrets are placeholders. */
export function headerLines(document: Pick<RenderDocument, "stack" | "secretPlaceholders">, notes: string[] = []): string[] {
    const lines = [
        `# homelab-sso stack "${document.stack}": offline render of the real program under Pulumi's mock runtime (no Pulumi CLI, cluster, network or credentials).`,
    ];
    if (document.secretPlaceholders.length > 0) {
        lines.push(
            `# Secret config filled with placeholders, so no credentials are needed: ${document.secretPlaceholders.join(", ")}. Secret values print as [secret].`,
        );
    } else {
        lines.push("# Secret values print as [secret].");
    }
    return [...lines, ...notes.map((n) => `# ${n}`)];
}

/** The whole text view. */
export function formatRenderTree(document: RenderDocument, notes: string[] = []): string {
    const lines = [...headerLines(document, notes), ""];
    lines.push(`Resources (${document.resources.length}):`);
    lines.push(...formatResourceTree(document.resources).map((l) => `  ${l}`));
    lines.push("");
    lines.push(`Invokes (${document.invokes.length})${document.invokes.length ? ", answered with labelled placeholders:" : ": none"}`);
    lines.push(...formatInvokes(document.invokes).map((l) => `  ${l}`));
    lines.push("");
    lines.push("Outputs:");
    lines.push(...formatOutputs(document.outputs).map((l) => `  ${l}`));
    return lines.join("\n") + "\n";
}
