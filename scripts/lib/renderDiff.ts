/**
 * `--diff <earlier.json>`: what changes between two offline renders, by resource and by key. Both sides
 * are masked documents, so the diff can show values without risk (a changed secret is invisible:
 * both sides read `[secret]`).
 */
import { RenderDocument, RenderedResource } from "./renderDocument";
import { MAX_VALUE_WIDTH, compact, isHelmRelease, isKubernetesObject, kubernetesCoordinates, wrapValue, wrapWords } from "./renderTree";

export interface KeyChange {
    /** Dotted path, e.g. `values.server.replicas`, `metadata.labels["app.kubernetes.io/name"]`, `spec.data[0].secretKey`. */
    path: string;
    before: unknown;
    after: unknown;
}

export interface ResourceRef {
    urn: string;
    type: string;
    name: string;
    /** For a removed resource: what deleting it destroys outside Pulumi, in plain words (cluster names). */
    destroys?: string;
}

export interface ChangedResource extends ResourceRef {
    changes: KeyChange[];
}

export interface RenderDiff {
    added: ResourceRef[];
    removed: ResourceRef[];
    changed: ChangedResource[];
    /** Changes to stack outputs, by path. */
    outputs: KeyChange[];
    /** Invokes (token and arguments) made more or fewer times. */
    invokes: { invoke: string; before: number; after: number }[];
}

/** A value absent on one side. */
const ABSENT = undefined;

function isObject(value: unknown): value is { [key: string]: unknown } {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Appends a key to a dotted path, bracket-quoting keys that are not plain identifiers. */
export function joinPath(base: string, key: string | number): string {
    if (typeof key === "number") {
        return `${base}[${key}]`;
    }
    if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) {
        return base ? `${base}.${key}` : key;
    }
    return `${base}[${JSON.stringify(key)}]`;
}

/**
 * Every leaf-level difference between two JSON values, as dotted paths. An object that appears or
 * disappears as a whole is listed leaf by leaf too, so no line holds a whole structure.
 */
export function diffValues(before: unknown, after: unknown, at = ""): KeyChange[] {
    if (before === ABSENT && isObject(after) && Object.keys(after).length > 0) {
        return diffValues({}, after, at);
    }
    if (isObject(before) && Object.keys(before).length > 0 && after === ABSENT) {
        return diffValues(before, {}, at);
    }
    if (isObject(before) && isObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => diffValues(key in before ? before[key] : ABSENT, key in after ? after[key] : ABSENT, joinPath(at, key)));
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const length = Math.max(before.length, after.length);
        const changes: KeyChange[] = [];
        for (let i = 0; i < length; i++) {
            changes.push(...diffValues(i < before.length ? before[i] : ABSENT, i < after.length ? after[i] : ABSENT, joinPath(at, i)));
        }
        return changes;
    }
    if (JSON.stringify(before) === JSON.stringify(after)) {
        return [];
    }
    return [{ path: at || "(value)", before, after }];
}

/** Identity of a resource across renders: its URN (type, name and parent types), as Pulumi sees it. */
function identity(resource: RenderedResource): string {
    return resource.urn || `${resource.type}::${resource.name}`;
}

function ref(resource: RenderedResource): ResourceRef {
    return { urn: resource.urn, type: resource.type, name: resource.name };
}

function text(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * What `pulumi up` deletes with a removed resource, by the names the cluster and Authentik know
 * (Pulumi's logical names say little about that): a Namespace takes everything in it, a Helm release
 * its workloads and every object it installed.
 */
export function destroyedBy(resource: RenderedResource): string {
    const inputs = resource.inputs;
    if (isHelmRelease(resource.type)) {
        const release = text(inputs.name) ?? resource.name;
        const namespace = text(inputs.namespace) ?? "default";
        // `helm uninstall` removes what the chart rendered; claims made from StatefulSet volume templates
        // are not part of the release and stay until their namespace goes.
        return `deletes Helm release "${release}" in namespace "${namespace}" (chart ${compact(inputs.chart)}): its workloads and every object it installed; volumes claimed by its StatefulSets stay until their namespace is deleted`;
    }
    if (isKubernetesObject(resource)) {
        const { kind, namespace, name } = kubernetesCoordinates(inputs);
        if (kind === "Namespace") {
            return `deletes namespace "${name ?? resource.name}" and everything in it (workloads, Secrets, PersistentVolumeClaims and their data)`;
        }
        if (kind === "PersistentVolumeClaim") {
            return `deletes PersistentVolumeClaim ${namespace ?? "default"}/${name ?? resource.name} and, by default, its volume's data`;
        }
        return `deletes ${kind} ${namespace ? `${namespace}/` : ""}${name ?? resource.name}`;
    }
    if (resource.type.startsWith("authentik:") && resource.custom) {
        const kind = resource.type.split(":").pop() ?? resource.type;
        const label = text(inputs.slug) ?? text(inputs.name) ?? resource.name;
        return `deletes Authentik ${kind} "${label}"`;
    }
    if (!resource.custom) {
        return "removes the component (its children are listed)";
    }
    return "deletes it";
}

export function diffDocuments(before: RenderDocument, after: RenderDocument): RenderDiff {
    const beforeById = new Map(before.resources.map((r) => [identity(r), r]));
    const afterById = new Map(after.resources.map((r) => [identity(r), r]));
    const added = after.resources.filter((r) => !beforeById.has(identity(r))).map(ref);
    const removed = before.resources
        .filter((r) => !afterById.has(identity(r)))
        .map((r) => ({
            ...ref(r),
            destroys: r.protect
                ? `${destroyedBy(r)}; it is protected, so \`pulumi up\` refuses to delete it unless an earlier run lifted the protection (docs/operations.md, "Turn off a deployment")`
                : destroyedBy(r),
        }));
    const changed: ChangedResource[] = [];
    for (const resource of after.resources) {
        const earlier = beforeById.get(identity(resource));
        if (!earlier) {
            continue;
        }
        const changes = [
            ...diffValues(earlier.inputs, resource.inputs),
            ...diffValues(earlier.parent, resource.parent, "(parent)"),
            ...diffValues(earlier.provider, resource.provider, "(provider)"),
            ...diffValues(earlier.protect ?? false, resource.protect ?? false, "(protect)"),
        ];
        if (changes.length > 0) {
            changed.push({ ...ref(resource), changes });
        }
    }

    const countInvokes = (doc: RenderDocument) => {
        const counts = new Map<string, number>();
        for (const invoke of doc.invokes) {
            const key = `${invoke.token} ${JSON.stringify(invoke.inputs)}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        return counts;
    };
    const invokesBefore = countInvokes(before);
    const invokesAfter = countInvokes(after);
    const invokes = [...new Set([...invokesBefore.keys(), ...invokesAfter.keys()])]
        .sort()
        .map((invoke) => ({ invoke, before: invokesBefore.get(invoke) ?? 0, after: invokesAfter.get(invoke) ?? 0 }))
        .filter((i) => i.before !== i.after);

    return { added, removed, changed, outputs: diffValues(before.outputs, after.outputs), invokes };
}

export function isEmptyDiff(diff: RenderDiff): boolean {
    return !diff.added.length && !diff.removed.length && !diff.changed.length && !diff.outputs.length && !diff.invokes.length;
}

function show(value: unknown): string {
    return value === ABSENT ? "(absent)" : compact(JSON.stringify(value));
}

function label(resource: ResourceRef): string {
    return `${resource.type} ${resource.name}`;
}

/**
 * `path: before → after` on one line when it fits, else the path, then `- before` and `+ after` below
 * it, each wrapped (never cut).
 */
function changeLines(indent: string, marker: string, change: KeyChange): string[] {
    const before = show(change.before);
    const after = show(change.after);
    const line = `${before} → ${after}`;
    if (line.length <= MAX_VALUE_WIDTH) {
        return [`${indent}${marker}${change.path}: ${line}`];
    }
    const inner = `${indent}${" ".repeat(marker.length)}  `;
    return [`${indent}${marker}${change.path}:`, ...wrapValue(`${inner}- `, before), ...wrapValue(`${inner}+ `, after)];
}

/** The text report: `+` added, `-` removed (with what that deletes), `~` changed with one line per changed key. */
export function formatDiff(diff: RenderDiff, title: string): string {
    const lines = [
        `${title}: ${diff.added.length} to add, ${diff.removed.length} to remove, ${diff.changed.length} to change, ${diff.outputs.length} output change(s)`,
    ];
    if (isEmptyDiff(diff)) {
        lines.push("No differences.");
        return lines.join("\n") + "\n";
    }
    for (const resource of diff.added) {
        lines.push(`+ ${label(resource)}`);
    }
    for (const resource of diff.removed) {
        lines.push(`- ${label(resource)}`);
        if (resource.destroys) {
            lines.push(...wrapWords("    ", resource.destroys));
        }
    }
    for (const resource of diff.changed) {
        lines.push(`~ ${label(resource)}`);
        for (const change of resource.changes) {
            lines.push(...changeLines("    ", "", change));
        }
    }
    if (diff.outputs.length) {
        lines.push("Outputs:");
        for (const change of diff.outputs) {
            lines.push(...changeLines("  ", change.before === ABSENT ? "+ " : change.after === ABSENT ? "- " : "~ ", change));
        }
    }
    if (diff.invokes.length) {
        lines.push("Invokes:");
        for (const invoke of diff.invokes) {
            lines.push(...wrapValue(`  ${invoke.after > invoke.before ? "+" : "-"} `, `${invoke.invoke}: ${invoke.before} → ${invoke.after} call(s)`, 140));
        }
    }
    return lines.join("\n") + "\n";
}
