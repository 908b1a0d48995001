/**
 * What a pinned chart does with a value path, from its committed key index (`charts/index/`, made by
 * `npm run chart-index` from `charts/upstream/`). Helm ignores a key no template reads, silently: a
 * pass-through value the chart does not read is a config error here, with the nearest key the chart
 * does read as a suggestion.
 *
 * `chartReads(chart, version, path)` is the one question the rest of the program asks; the
 * pass-through allowlist (`passThrough.ts`) lists only paths it answers `read` (or below) for.
 */
import * as fs from "fs";
import * as path from "path";
import { editDistance } from "./rules";
import { isPlainObject } from "./validation";

export { PINNED_CHARTS } from "../facts/charts";

/** `read`: the chart reads the key; `handedOnWhole`: a template passes it (or a parent map) on whole; `freeForm`: it sits in a free-form default map; `unknown`: nothing reads it. */
export type ChartKeyUse = "read" | "handedOnWhole" | "freeForm" | "unknown";

interface LoadedIndex {
    read: Set<string>;
    handedOnWhole: Set<string>;
    freeForm: Set<string>;
    /** Every known path, for suggestions. */
    known: string[];
}

const INDEX_DIR = path.resolve(__dirname, "..", "charts", "index");
const cache = new Map<string, LoadedIndex | undefined>();

/**
 * Forgets the loaded indexes. Only for a test runner that runs the suite again in one process with
 * different code (Stryker, through test/support/strykerHooks.js): a cached index would hide a change
 * to the loader.
 */
// Stryker disable all: only Stryker's hook calls it, and a test cannot see the cache without writing into charts/index
export function clearChartKeyIndexCache(): void {
    cache.clear();
}
// Stryker restore all

function indexFile(chart: string, version: string): string {
    return path.join(INDEX_DIR, `${chart}-${version}.json`);
}

function load(chart: string, version: string): LoadedIndex | undefined {
    const id = `${chart}@${version}`;
    // Stryker disable next-line ConditionalExpression: equivalent; without the cache every call reads the file again, with the same result
    if (!cache.has(id)) {
        const file = indexFile(chart, version);
        const committed = /^[a-z0-9-]+$/.test(chart) && /^[0-9A-Za-z.+-]+$/.test(version) && fs.existsSync(file);
        cache.set(id, committed ? readIndex(file) : undefined);
    }
    return cache.get(id);
}

function readIndex(file: string): LoadedIndex {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { read: string[]; handedOnWhole: string[]; freeForm: string[] };
    return { read: new Set(data.read), handedOnWhole: new Set(data.handedOnWhole), freeForm: new Set(data.freeForm), known: data.read };
}

/** Whether a key index is committed for this chart version. */
export function hasChartIndex(chart: string, version: string): boolean {
    return load(chart, version) !== undefined;
}

/** The chart versions with a committed index, for error messages. */
export function indexedVersions(chart: string): string[] {
    // charts/index/ is committed: it is always there.
    return versionsIn(chart, fs.readdirSync(INDEX_DIR));
}

/** The versions of `chart` among index file names (`<chart>-<version>.json`), sorted. */
export function versionsIn(chart: string, fileNames: readonly string[]): string[] {
    return fileNames
        .filter((f) => f.startsWith(`${chart}-`) && f.endsWith(".json"))
        .map((f) => f.slice(chart.length + 1, -".json".length))
        .filter((v) => /^\d/.test(v))
        .sort();
}

/**
 * What `chart`@`version` does with the value at `segments` (e.g. `["grafana", "grafana.ini", "server"]`).
 * Throws when no index is committed for that version (config validation reports that first).
 */
export function chartReads(chart: string, version: string, segments: readonly string[]): ChartKeyUse {
    const index = load(chart, version);
    if (index === undefined) {
        throw new Error(`no key index for ${chart} ${version} in charts/index/`);
    }
    // The shortest prefix that is handed on whole or free-form decides; the whole path counts as one.
    for (let i = 1; i <= segments.length; i++) {
        const prefix = segments.slice(0, i).join(".");
        if (index.handedOnWhole.has(prefix)) {
            return "handedOnWhole";
        }
        if (index.freeForm.has(prefix)) {
            return "freeForm";
        }
    }
    return index.read.has(segments.join(".")) ? "read" : "unknown";
}

/** Lower case without `-` and `_`, so `kubeStateMetrics` and `kube-state-metrics` compare equal. */
function normalise(key: string): string {
    // Stryker disable next-line MethodExpression: equivalent; both sides of every comparison are folded the same way, upper or lower
    return key.toLowerCase().replace(/[-_]/g, "");
}

/** The key the chart reads that is nearest to `segments` (normalised edit distance; ties: the shorter key). */
export function nearestReadKey(chart: string, version: string, segments: readonly string[]): string | undefined {
    const index = load(chart, version);
    if (index === undefined) {
        return undefined;
    }
    const wanted = normalise(segments.join("."));
    // Past this many edits the nearest key is a guess, not a typo (`qqqq` is not `persistence.size`).
    const limit = Math.max(2, Math.floor(normalise(segments[segments.length - 1]).length / 2));
    let best: { key: string; distance: number } | undefined;
    for (const key of index.known) {
        const candidate = normalise(key);
        // At least as many edits as the lengths differ: such a key is past the limit, skip it cheaply.
        // Stryker disable next-line ConditionalExpression,BlockStatement: equivalent; a skipped key would fail the limit below anyway
        if (Math.abs(candidate.length - wanted.length) > limit) {
            continue;
        }
        const distance = editDistance(wanted, candidate);
        if (!best || distance < best.distance || (distance === best.distance && key.length < best.key.length)) {
            best = { key, distance };
        }
    }
    return best !== undefined && best.distance <= limit ? best.key : undefined;
}

/** A pass-through key the chart does not read. */
export interface UnreadKey {
    /** The path inside the values, e.g. `["grafana", "replicaCount"]`. */
    path: string[];
    /** The nearest key the chart reads. */
    suggestion?: string;
}

/**
 * Every key of `values` that `chart`@`version` does not read, all at once. Objects are walked key by
 * key; below a key handed on whole or a free-form map anything is accepted; lists are values (Helm
 * replaces them whole), so their items are not walked.
 */
export function unreadKeys(chart: string, version: string, values: unknown, at: string[] = []): UnreadKey[] {
    if (!isPlainObject(values)) {
        return [];
    }
    const found: UnreadKey[] = [];
    for (const [key, inner] of Object.entries(values)) {
        const segments = [...at, key];
        const use = chartReads(chart, version, segments);
        if (use === "unknown") {
            found.push({ path: segments, suggestion: nearestReadKey(chart, version, segments) });
            continue;
        }
        // Stryker disable next-line ConditionalExpression: equivalent; below a key handed on whole or free-form every path is that kind again (the shortest prefix decides), so walking it finds nothing
        if (use === "read") {
            found.push(...unreadKeys(chart, version, inner, segments));
        }
    }
    return found;
}
