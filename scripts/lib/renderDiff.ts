/**
 * `--diff <earlier.json>`: what changes between two offline renders, by resource and by key. Both sides
 * are masked documents, so the diff can show values without risk. A changed secret is invisible (both
 * sides read `[secret]`), so masked inputs are listed as changing, without values, when they depend on a
 * resource that gets a new secret value (a replaced `random:` resource, e.g. a rotated client secret),
 * and changes that make the provider replace a resource say so (scripts/lib/replacement.ts), with what
 * that deletes when the resource holds data.
 */
import { replacingPaths } from "./replacement";
import { RenderDocument, RenderedResource } from "./renderDocument";
import { SECRET_MASK } from "./secretMask";
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
    /** The changed keys (of `changes` and `secretChanges`) that make the provider replace it; absent when it updates in place. */
    replace?: string[];
    /** Masked inputs whose value changes, by dependency: `from` is the resource that gets a new secret value. */
    secretChanges?: { path: string; from: string }[];
    /** What the change deletes or cannot do in place, in plain words (data, protection, immutable fields). */
    callouts?: string[];
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
        if (kind === "StatefulSet") {
            return `deletes StatefulSet ${namespace ?? "default"}/${name ?? resource.name} and its pods; the claims made from its volume templates, and their data, stay until their namespace is deleted`;
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

/** Paths of the masked values in a resource's inputs (`[secret]`, whole or inside a text). */
export function maskedPaths(value: unknown, at = ""): string[] {
    if (typeof value === "string") {
        return value.includes(SECRET_MASK) ? [at || "(value)"] : [];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => maskedPaths(v, joinPath(at, i)));
    }
    if (isObject(value)) {
        return Object.keys(value)
            .sort()
            .flatMap((key) => maskedPaths(value[key], joinPath(at, key)));
    }
    return [];
}

function quantity(value: unknown): string {
    return typeof value === "string" || typeof value === "number" ? String(value) : show(value);
}

/** The data in the volume claims of the pinned charts' StatefulSets, by chart. */
const CHART_DATA: { [chart: string]: string } = {
    authentik: "PostgreSQL's volume claim (the Authentik database: users, providers, applications, sessions)",
    "kube-prometheus-stack": "the volume claims of Prometheus, Alertmanager and Grafana (metrics, alert state, dashboards)",
};

/** What replacing a resource that holds data deletes, or why the engine refuses, in plain words. */
function replacementCallouts(earlier: RenderedResource, resource: RenderedResource, replace: string[], beforeDoc: RenderDocument): string[] {
    const callouts: string[] = [];
    if (isHelmRelease(resource.type)) {
        const was = `${text(earlier.inputs.namespace) ?? "default"}/${text(earlier.inputs.name) ?? earlier.name}`;
        const now = `${text(resource.inputs.namespace) ?? "default"}/${text(resource.inputs.name) ?? resource.name}`;
        callouts.push(
            resource.type === "kubernetes:helm.sh/v4:Chart"
                ? `replaces every object the chart renders (release ${was} → ${now}: their names or namespace change); the volume claims of its StatefulSets are not chart objects and stay behind, with their data, in namespace "${text(earlier.inputs.namespace) ?? "default"}"`
                : `uninstalls Helm release ${was} and installs ${now}: every object it installed is deleted and created anew; volumes claimed by its StatefulSets stay in namespace "${text(earlier.inputs.namespace) ?? "default"}"`,
        );
    } else if (isKubernetesObject(resource)) {
        const was = kubernetesCoordinates(earlier.inputs);
        const now = kubernetesCoordinates(resource.inputs);
        const label = (c: { namespace?: string; name?: string }) => `${c.namespace ? `${c.namespace}/` : ""}${c.name ?? resource.name}`;
        if (now.kind === "Namespace") {
            const name = was.name ?? earlier.name;
            const inside = beforeDoc.resources
                .filter((r) => (isHelmRelease(r.type) ? text(r.inputs.namespace) === name : isKubernetesObject(r) && kubernetesCoordinates(r.inputs).namespace === name))
                .map((r) =>
                    isHelmRelease(r.type)
                        ? `chart ${compact(r.inputs.chart)} (release "${text(r.inputs.name) ?? r.name}") with ${CHART_DATA[String(r.inputs.chart)] ?? "its StatefulSets' volume claims"}`
                        : `${kubernetesCoordinates(r.inputs).kind} ${kubernetesCoordinates(r.inputs).name ?? r.name}`,
                );
            callouts.push(
                `replaces namespace "${name}" with "${now.name ?? resource.name}": deleting "${name}" deletes everything in it${inside.length ? `: ${inside.join(", ")}` : ""}, and the data in its PersistentVolumeClaims`,
            );
        } else if (now.kind === "PersistentVolumeClaim") {
            callouts.push(`replaces PersistentVolumeClaim ${label(was)}: the old claim and, by default, its volume's data are deleted`);
        } else if (now.kind === "StatefulSet") {
            callouts.push(`replaces StatefulSet ${label(was)}: its pods are deleted and created anew; the claims made from its volume templates stay and keep their old spec`);
        }
    }
    if (earlier.protect) {
        callouts.push(`it is protected: \`pulumi up\` refuses to replace it until a run registers it without protection (docs/operations.md, "What is protected")`);
    }
    return replace.length > 0 ? callouts : [];
}

/** Changes a chart's workloads cannot take in place although its own inputs update (immutable fields of what it renders). */
function chartCallouts(resource: RenderedResource, changes: KeyChange[]): string[] {
    if (resource.type !== "kubernetes:helm.sh/v4:Chart" || resource.inputs.chart !== "authentik") {
        return [];
    }
    return changes
        .filter((c) => c.path === "values.postgresql.primary.persistence.size")
        .map(
            (c) =>
                // What the engine does is what `npm run e2e` (e2e/steps/volumeSize.ts) observes.
                `PostgreSQL's volume size ${quantity(c.before)} → ${quantity(c.after)}: the chart's StatefulSet cannot take it in place (spec.volumeClaimTemplates is immutable): \`pulumi preview\` and \`pulumi up\` fail with the API server's "Forbidden: updates to statefulset spec" (\`--replace\` too), and nothing changes; delete the StatefulSet but keep its pod and claim (kubectl delete statefulset --cascade=orphan), \`pulumi refresh\`, then \`pulumi up\` makes it anew (docs/operations.md, "Change a Helm value"); the existing claim keeps its old size, since a StatefulSet never resizes its claims: expand the claim itself (kubectl edit pvc, if its StorageClass allows expansion)`,
        );
}

/**
 * Every resource on both sides that changes: its visible key changes, the masked inputs that change
 * by dependency, whether that replaces it, and what that deletes.
 */
function changedResources(before: RenderDocument, after: RenderDocument, beforeById: Map<string, RenderedResource>): ChangedResource[] {
    const entries = new Map<string, { earlier: RenderedResource; resource: RenderedResource; changes: KeyChange[]; secretChanges: { path: string; from: string }[] }>();
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
        entries.set(resource.urn, { earlier, resource, changes, secretChanges: [] });
    }
    const replaced = (entry: { earlier: RenderedResource; resource: RenderedResource; changes: KeyChange[]; secretChanges: { path: string }[] }) =>
        replacingPaths(entry.resource, [...entry.changes.map((c) => c.path), ...entry.secretChanges.map((c) => c.path)], entry.earlier.inputs);
    // Resources that get a new secret value: replaced random resources, then whatever takes its masked inputs from one.
    const renewed = new Map<string, string>();
    for (const entry of entries.values()) {
        if (entry.resource.type.startsWith("random:") && replaced(entry).length > 0) {
            renewed.set(entry.resource.urn, entry.resource.name);
        }
    }
    for (let grew = true; grew; ) {
        grew = false;
        for (const entry of entries.values()) {
            if (renewed.has(entry.resource.urn)) {
                continue;
            }
            const source = (entry.resource.dependencies ?? []).find((urn) => renewed.has(urn));
            const masked = source ? maskedPaths(entry.resource.inputs) : [];
            if (source && masked.length > 0) {
                entry.secretChanges = masked.filter((path) => !entry.changes.some((c) => c.path === path)).map((path) => ({ path, from: renewed.get(source)! }));
                renewed.set(entry.resource.urn, entry.resource.name);
                grew = true;
            }
        }
    }
    const result: ChangedResource[] = [];
    for (const entry of entries.values()) {
        if (entry.changes.length === 0 && entry.secretChanges.length === 0) {
            continue;
        }
        const replace = replaced(entry);
        const callouts = [...replacementCallouts(entry.earlier, entry.resource, replace, before), ...chartCallouts(entry.resource, entry.changes)];
        result.push({
            ...ref(entry.resource),
            changes: entry.changes,
            ...(entry.secretChanges.length ? { secretChanges: entry.secretChanges } : {}),
            ...(replace.length ? { replace } : {}),
            ...(callouts.length ? { callouts } : {}),
        });
    }
    return result;
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
    const changed = changedResources(before, after, beforeById);
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

/**
 * The text report: `+` added, `-` removed (with what that deletes), `~` changed with one line per changed
 * key, `+-` replaced (with the keys that force it), and `!` lines for what a change deletes or cannot do.
 */
export function formatDiff(diff: RenderDiff, title: string): string {
    const replacing = diff.changed.filter((r) => r.replace).length;
    const lines = [
        `${title}: ${diff.added.length} to add, ${diff.removed.length} to remove, ${diff.changed.length} to change${replacing ? ` (${replacing} to replace)` : ""}, ${diff.outputs.length} output change(s)`,
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
        // As `pulumi preview`: `+-` and "replace" when the provider deletes the resource and creates it anew.
        lines.push(resource.replace ? `+- ${label(resource)} (replace: ${resource.replace.join(", ")})` : `~ ${label(resource)}`);
        for (const change of resource.changes) {
            lines.push(...changeLines("    ", "", change));
        }
        for (const change of resource.secretChanges ?? []) {
            lines.push(...wrapWords("    ", `${change.path}: ${SECRET_MASK} changes (a new secret value from ${change.from})`));
        }
        for (const callout of resource.callouts ?? []) {
            lines.push(...wrapWords("    ! ", callout));
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
