/**
 * Derives the key index of a pinned Helm chart: which value paths the chart reads, which it hands on
 * whole (so any key below passes through), and which default maps are free-form (`{}`: any key).
 *
 * Inputs, all under `charts/upstream/` (see charts/README.md for how to refresh them on an upgrade):
 * - `<chart>-<version>.values.yaml`: the chart's default values (`helm show values`);
 * - the default values of each subchart, placed under the key its values sit under in the parent;
 * - `<chart>-<version>.template-keys.json`: the value paths the chart's (and its subcharts')
 *   templates read (`.Values.a.b`) or hand on whole (`toYaml`, `tpl`, `range`, `with`, `index`, ...).
 * Plus `charts/allowlist.json`: keys the text scan misses, each citing the template that reads it.
 *
 * Paths are dotted strings (`grafana.grafana.ini.server`): the template scan writes keys that contain
 * dots (`oidc.config`, `grafana.ini`) the same way, so a lookup joins a path's segments with ".".
 * Pure: file contents in, index out.
 */
import { parse } from "yaml";

/** What a chart does with one value path. */
export type KeyUse = "read" | "handedOnWhole" | "freeForm";

export interface ChartIndex {
    chart: string;
    version: string;
    /** Paths the defaults have or a template reads, and every ancestor of those. */
    read: string[];
    /** Paths a template hands on whole: any key below is passed through. */
    handedOnWhole: string[];
    /** Default maps that are empty (`{}`) or null: any key below is accepted. */
    freeForm: string[];
    /** Allowlist entries applied, as committed. */
    allowlisted: AllowlistEntry[];
}

export interface AllowlistEntry {
    chart: string;
    version: string;
    /** Dotted value path. */
    key: string;
    /** `read`: the path itself; `handedOnWhole`: the path and anything below. */
    use: "read" | "handedOnWhole";
    /** The template (chart-relative path) that reads it, and how: required. */
    template: string;
}

export interface TemplateKeys {
    chart: string;
    version: string;
    read: string[];
    handedOnWhole?: string[];
    subcharts?: { [folder: string]: TemplateKeys };
}

export interface ChartSources {
    chart: string;
    version: string;
    /** Text of the chart's default values.yaml. */
    values: string;
    /** Text of each subchart's default values.yaml, by the key its values sit under. */
    subchartValues: { [key: string]: string };
    templateKeys: TemplateKeys;
    allowlist: AllowlistEntry[];
}

/** Library charts: their templates are helpers evaluated with the caller's values; the scan lists doc examples. */
const LIBRARY_SUBCHARTS = new Set(["common"]);

function isMap(value: unknown): value is { [key: string]: unknown } {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function ancestors(path: string): string[] {
    const parts = path.split(".");
    return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join("."));
}

/** Checks allowlist entries: each needs a key, a use and the template that reads it. Returns problems. */
export function checkAllowlist(entries: unknown): string[] {
    if (!Array.isArray(entries)) {
        return ["charts/allowlist.json: entries must be a list"];
    }
    const problems: string[] = [];
    entries.forEach((entry, i) => {
        const e = entry as Partial<AllowlistEntry>;
        const at = `charts/allowlist.json entries[${i}]`;
        if (typeof e.chart !== "string" || typeof e.version !== "string" || typeof e.key !== "string" || e.key === "") {
            problems.push(`${at}: needs chart, version and key`);
        }
        if (e.use !== "read" && e.use !== "handedOnWhole") {
            problems.push(`${at}: use must be "read" or "handedOnWhole"`);
        }
        if (typeof e.template !== "string" || !/templates\/\S+/.test(e.template)) {
            problems.push(`${at}: must cite the template that reads the key (e.g. "templates/deployment.yaml: ...")`);
        }
    });
    return problems;
}

export function buildChartIndex(sources: ChartSources): ChartIndex {
    const read = new Set<string>();
    const whole = new Set<string>();
    const freeForm = new Set<string>();

    const addRead = (path: string) => {
        read.add(path);
        ancestors(path).forEach((a) => read.add(a));
    };

    const walkDefaults = (value: unknown, prefix: string) => {
        if (!isMap(value)) {
            return;
        }
        for (const [key, inner] of Object.entries(value)) {
            const path = prefix ? `${prefix}.${key}` : key;
            addRead(path);
            if (inner === null || (isMap(inner) && Object.keys(inner).length === 0)) {
                freeForm.add(path);
            } else if (isMap(inner)) {
                walkDefaults(inner, path);
            }
        }
    };
    walkDefaults(parse(sources.values), "");
    for (const [key, text] of Object.entries(sources.subchartValues)) {
        addRead(key);
        walkDefaults(parse(text), key);
    }

    // A parent template that hands a whole subchart map to a helper (`include "x" (index .Values
    // "kube-state-metrics")`, `with .Values.redis-ha`) reads a few fields of it, not everything:
    // what the subchart reads is its own templates' business, so a subchart root is never "whole".
    const subchartRoots = new Set([...Object.keys(sources.subchartValues), ...Object.keys(sources.templateKeys.subcharts ?? {})]);
    const addTemplateKeys = (keys: TemplateKeys, prefix: string) => {
        const place = (path: string) => (prefix === "" || path === "global" || path.startsWith("global.") ? path : `${prefix}.${path}`);
        keys.read.forEach((path) => addRead(place(path)));
        (keys.handedOnWhole ?? []).forEach((path) => {
            addRead(place(path));
            if (!subchartRoots.has(place(path))) {
                whole.add(place(path));
            }
        });
        for (const [folder, sub] of Object.entries(keys.subcharts ?? {})) {
            if (!LIBRARY_SUBCHARTS.has(folder)) {
                addTemplateKeys(sub, prefix === "" ? folder : `${prefix}.${folder}`);
            }
        }
    };
    addTemplateKeys(sources.templateKeys, "");

    const allowlisted = sources.allowlist.filter((e) => e.chart === sources.chart && e.version === sources.version);
    for (const entry of allowlisted) {
        addRead(entry.key);
        if (entry.use === "handedOnWhole") {
            whole.add(entry.key);
        }
    }

    const sorted = (set: Set<string>) => [...set].sort();
    return {
        chart: sources.chart,
        version: sources.version,
        read: sorted(read),
        handedOnWhole: sorted(whole),
        freeForm: sorted(freeForm),
        allowlisted: allowlisted.map((e) => ({ ...e })),
    };
}

/** The index as committed: stable JSON, one path per line, so a chart upgrade shows as a readable diff. */
export function serialiseChartIndex(index: ChartIndex): string {
    return `${JSON.stringify(index, null, 1)}\n`;
}
