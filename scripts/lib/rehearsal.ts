/**
 * `npm run rehearsal`: what the first `pulumi up` changes on today's cluster, derived from the program's
 * render and `docs/migration/today.yaml` (today's values, chart defaults, which workload each value
 * reaches). Written to docs/migration/rehearsal.md; a test regenerates it and fails when the render
 * drifts from the committed table.
 *
 * Key by key: today's value, the program's, and whether they differ once chart defaults are applied.
 * A changed key is mapped to the workloads it reaches (longest matching prefix in `effects`); a key no
 * entry covers, or whose effect is not known, says "not derived" instead of guessing.
 */
import { CHART_FIELD_MANAGER } from "../../components/helm/adoption";
import { RenderDocument, RenderedResource } from "./renderDocument";
import { kubernetesCoordinates } from "./renderTree";
import { Today, TodayChart, ValueEffect } from "./today";
import { ImportFiles } from "./importFiles";

type Json = { [key: string]: unknown };

function isObject(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A path segment as written in the table: quoted when it contains a dot (`grafana."grafana.ini"`). */
function segment(key: string): string {
    return key.includes(".") ? JSON.stringify(key) : key;
}

/** Leaf values by dotted path. Arrays are leaves: Helm replaces a list as a whole. Empty maps are leaves. */
export function flatten(value: unknown, prefix = ""): Map<string, unknown> {
    const leaves = new Map<string, unknown>();
    if (isObject(value) && Object.keys(value).length > 0) {
        for (const [key, inner] of Object.entries(value)) {
            for (const [path, leaf] of flatten(inner, prefix ? `${prefix}.${segment(key)}` : segment(key))) {
                leaves.set(path, leaf);
            }
        }
    } else if (prefix) {
        leaves.set(prefix, value);
    }
    return leaves;
}

/** Canonical text of a value: Helm stringifies scalars in many templates, so 5432 and "5432" compare equal only when written so. */
function show(value: unknown): string {
    if (value === undefined) {
        return "(unset)";
    }
    return JSON.stringify(value);
}

export type RowResult = "same" | "same (chart default)" | "changes" | "not recorded today";

export interface ValueRow {
    path: string;
    today: unknown;
    program: unknown;
    result: RowResult;
    /** For changes: the workloads and what happens to them. */
    effect?: string;
}

export interface ChartRehearsal {
    title: string;
    resource: string;
    rows: ValueRow[];
    /** Workloads whose pod template changes: each rolls once. */
    rolls: string[];
    /** Changes whose effect is not derived here. */
    notDerived: string[];
}

function effectFor(path: string, effects: ValueEffect[]): ValueEffect | undefined {
    const matching = effects.filter((e) => path === e.prefix || path.startsWith(`${e.prefix}.`));
    return matching.sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

function compareChart(title: string, resource: RenderedResource, today: TodayChart): ChartRehearsal {
    const programValues = (resource.inputs.values ?? {}) as Json;
    const recorded = (path: string): boolean => !today.compare || today.compare.some((prefix) => path === prefix || path.startsWith(`${prefix}.`));
    const todayLeaves = flatten(today.values);
    const programLeaves = flatten(programValues);
    const defaults = today.chartDefaults ?? {};
    const paths = [...new Set([...todayLeaves.keys(), ...programLeaves.keys()])].sort();
    const rows: ValueRow[] = [];
    const rolls = new Set<string>();
    const notDerived: string[] = [];
    for (const path of paths) {
        const todayValue = todayLeaves.get(path);
        const programValue = programLeaves.get(path);
        let result: RowResult;
        if (!recorded(path)) {
            if (todayLeaves.has(path) || !today.compare || !today.compare.some((prefix) => prefix.startsWith(path.split(".")[0]))) {
                continue;
            }
            result = "not recorded today";
        } else if (show(todayValue) === show(programValue)) {
            result = "same";
        } else {
            const effectiveToday = todayValue === undefined && path in defaults ? defaults[path] : todayValue;
            const effectiveProgram = programValue === undefined && path in defaults ? defaults[path] : programValue;
            result = show(effectiveToday) === show(effectiveProgram) ? "same (chart default)" : "changes";
        }
        const row: ValueRow = { path, today: todayValue, program: programValue, result };
        if (result === "changes") {
            const effect = effectFor(path, today.effects);
            if (!effect) {
                row.effect = "not derived: no template mapping recorded for this key";
                notDerived.push(path);
            } else if (effect.podTemplate === null) {
                row.effect = `${effect.workloads.join(", ")}: restart not derived${effect.note ? ` (${effect.note})` : ""}`;
                notDerived.push(path);
            } else {
                const what = effect.podTemplate ? "pod template changes: rolls once" : "no restart";
                row.effect = `${effect.workloads.length ? effect.workloads.join(", ") : "no object"}: ${what}${effect.note ? ` (${effect.note})` : ""}`;
                if (effect.podTemplate) {
                    effect.workloads.forEach((w) => rolls.add(w));
                }
            }
        }
        rows.push(row);
    }
    return { title, resource: `${resource.type} ${resource.name}`, rows, rolls: [...rolls].sort(), notDerived };
}

export interface OwnershipRow {
    object: string;
    how: string;
    changes: string;
}

export interface Rehearsal {
    stack: string;
    charts: ChartRehearsal[];
    ownership: OwnershipRow[];
}

function findResource(document: RenderDocument, type: string, name: string): RenderedResource {
    const found = document.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
        throw new Error(`rehearsal: the render of "${document.stack}" has no ${type} ${name}`);
    }
    return found;
}

function getPath(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), value);
}

export function buildRehearsal(document: RenderDocument, today: Today, imports: ImportFiles): Rehearsal {
    const charts = [
        compareChart("Authentik (chart authentik)", findResource(document, "kubernetes:helm.sh/v4:Chart", "authentik-chart"), today.charts.authentik),
        compareChart("Grafana (chart kube-prometheus-stack, `grafana.*`)", findResource(document, "kubernetes:helm.sh/v4:Chart", "grafana-chart"), today.charts["kube-prometheus-stack"]),
        compareChart("ArgoCD (chart argo-cd, Helm release)", findResource(document, "kubernetes:helm.sh/v3:Release", "argocd-release"), today.argocd),
    ];

    const ownership: OwnershipRow[] = [];
    for (const [name, todayChart] of [["authentik-chart", today.charts.authentik], ["grafana-chart", today.charts["kube-prometheus-stack"]]] as const) {
        ownership.push({
            object: `every object of ${name} (release ${todayChart.release}, namespace ${todayChart.namespace})`,
            how: "adopted by the cut-over `pulumi up` (upsert), not imported",
            changes:
                `applied under field manager \`${CHART_FIELD_MANAGER}\`, ArgoCD's own: fields ArgoCD applied that the program no longer renders are removed in the same apply; ` +
                "gains annotation `pulumi.com/patchFieldManager` (object metadata only, no restart); the chart's labels (`app.kubernetes.io/managed-by: Helm`, `app.kubernetes.io/instance`) stay as rendered, " +
                `and ArgoCD's tracking label has the same value (application name = release name \`${todayChart.release}\`; ArgoCD 2.14 tracks by label unless \`application.resourceTrackingMethod\` says otherwise, and today's argocd-cm does not). ` +
                "Not derived here: fields other managers own (e.g. `kubectl-edit`, `kubectl-rollout`), which step 6 lists before the run.",
        });
    }
    ownership.push({
        object: "Helm release argocd/argocd",
        how: "imported (`pulumi import`), then upgraded",
        changes: "`helm upgrade` by pulumi-kubernetes: the release record gets a new revision; objects keep `meta.helm.sh/release-*` and `managed-by: Helm`; keys dropped from the values leave the objects (three-way merge against the recorded manifest).",
    });
    const imported = imports.kubernetes.resources.filter((r) => !r.component && r.type !== "kubernetes:helm.sh/v3:Release");
    for (const entry of imported) {
        const resource = findResource(document, entry.type, entry.name);
        const { kind, namespace, name } = kubernetesCoordinates(resource.inputs);
        const todayObject = today.kubernetes.find((o) => o.kind === kind && o.name === name && (o.namespace ?? undefined) === (namespace ?? undefined));
        const dropped: string[] = [];
        for (const [mapPath, keys] of Object.entries(todayObject?.mapKeys ?? {})) {
            const programMap = getPath(resource.inputs, mapPath);
            const programKeys = isObject(programMap) ? Object.keys(programMap) : [];
            for (const key of keys.filter((k) => !programKeys.includes(k))) {
                dropped.push(`\`${mapPath}.${key}\``);
            }
        }
        ownership.push({
            object: `${kind} ${namespace ? `${namespace}/` : ""}${name}`,
            how: `imported; today: ${todayObject?.owner ?? "(not in today.yaml)"}`,
            changes:
                "the first `up` applies the program's fields as `pulumi-kubernetes-<random>` (forced over the old owner's conflicting fields); the old owner's field-manager entry and ArgoCD's tracking label `app.kubernetes.io/instance` stay (no Application of that name is left to act on it)" +
                (dropped.length ? `; **stays behind** (owned by the old manager, the program no longer sets it): ${dropped.join(", ")}; step 9 removes it` : ""),
        });
    }
    return { stack: document.stack, charts, ownership };
}

function cell(value: unknown): string {
    const text = value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value);
    const short = text.length > 90 ? `${text.slice(0, 89)}…` : text;
    return `\`${short.replace(/\n/g, "⏎").replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}

/** The committed Markdown (docs/migration/rehearsal.md). */
export function formatRehearsal(rehearsal: Rehearsal): string {
    const lines: string[] = [
        "<!-- Generated by `npm run rehearsal` from the program's render and docs/migration/today.yaml. Do not edit by hand. -->",
        `# Rehearsal of the first \`pulumi up\` on today's cluster (stack \`${rehearsal.stack}\`)`,
        "",
        "What the program's values change against today's, key by key, after chart defaults are applied; which",
        "workloads that restarts; and the ownership changes the first `up` makes. Regenerate after any change to",
        "the program's values or to `docs/migration/today.yaml`: `npm run rehearsal` (the test `test/migration/rehearsal.test.ts`",
        "fails while this file is out of date). \"Not derived\" means the inputs here (render, today's values, the pinned",
        "charts' defaults) cannot tell; check it on the cluster as docs/migration.md says. Not derived anywhere here:",
        "what a template computes from the cluster (`lookup`, API capabilities) and keys outside the recorded values;",
        "the `kubectl diff` of the guide's steps 8 and 10 shows the real apply before it happens.",
        "",
    ];
    for (const chart of rehearsal.charts) {
        const changes = chart.rows.filter((r) => r.result === "changes");
        const unrecorded = chart.rows.filter((r) => r.result === "not recorded today");
        lines.push(
            `## ${chart.title}`,
            "",
            `Program resource: \`${chart.resource}\`. ${chart.rows.length - unrecorded.length} keys compared, ${changes.length} change` +
                (unrecorded.length ? `; ${unrecorded.length} keys of the program are outside today's record (they come from the stack's \`extraValues\`, which carry today's file unchanged; not compared)` : "") +
                ".",
            "",
        );
        lines.push(`- Workloads that roll once: ${chart.rolls.length ? chart.rolls.map((w) => `\`${w}\``).join(", ") : "none"}.`);
        lines.push(`- Not derived: ${chart.notDerived.length ? chart.notDerived.map((p) => `\`${p}\``).join(", ") : "nothing"}.`, "");
        lines.push("| Key | Today | Program | Result | Effect |", "|---|---|---|---|---|");
        for (const row of chart.rows) {
            lines.push(`| \`${row.path.replace(/\|/g, "\\|")}\` | ${cell(row.today)} | ${cell(row.program)} | ${row.result} | ${row.effect ?? ""} |`);
        }
        lines.push("");
    }
    lines.push("## Ownership changes of the first `up`", "", "| Object | How the program takes it | What changes on it |", "|---|---|---|");
    for (const row of rehearsal.ownership) {
        lines.push(`| ${row.object} | ${row.how} | ${row.changes} |`);
    }
    lines.push("");
    return lines.join("\n");
}
