/**
 * The committed mutation-testing record and the scores read from it.
 *
 * The record is Stryker's own incremental file, committed gzip-compressed
 * (`reports/stryker-incremental.json.gz`); `npm run mutate` unpacks it into the git-ignored
 * `reports/stryker-incremental.json` Stryker reads and writes, and packs it again afterwards. Stryker 10
 * itself keeps the results of the files a scoped run does not mutate (where their code and the tests
 * that measured them are unchanged) and saves an interrupted run's results, so no merging is done
 * here. What this module adds: a machine-independent, stable form of the record (`recordText`: no
 * absolute project path or options, files and mutants in a fixed order), deterministic compression
 * (`packRecord`), and scores that say whether each file's row is a whole measurement of the file as it
 * is now (`scores`).
 */
import { gunzipSync, gzipSync } from "zlib";

/** The parts of Stryker's mutation-testing-report schema (version 1.0) this module reads. */
export interface MutantResult {
    id: string;
    mutatorName: string;
    replacement?: string;
    status: string;
    statusReason?: string;
    location: { start: { line: number; column: number }; end: { line: number; column: number } };
    killedBy?: string[];
    coveredBy?: string[];
    [key: string]: unknown;
}

export interface MutationReport {
    schemaVersion: string;
    thresholds?: { high: number; low: number; break?: number | null };
    files: { [file: string]: { language: string; source: string; mutants: MutantResult[] } };
    testFiles?: { [file: string]: { source?: string; tests: { id: string; name: string; location?: unknown }[] } };
    [key: string]: unknown;
}

/** Statuses that count as detected in the mutation score. */
const DETECTED = new Set(["Killed", "Timeout"]);
/** Statuses that count as undetected. Ignored, CompileError and RuntimeError count for neither. */
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

const byName = <T>(entries: { [name: string]: T }): { [name: string]: T } =>
    Object.fromEntries(Object.keys(entries).sort().map((name) => [name, entries[name]]));

/** Orders mutants by where they start and end, then mutator and replacement: Stryker writes them as they finish. */
function compareMutants(a: MutantResult, b: MutantResult): number {
    const place = (m: MutantResult) => [m.location.start.line, m.location.start.column, m.location.end.line, m.location.end.column];
    const [pa, pb] = [place(a), place(b)];
    for (let i = 0; i < pa.length; i++) {
        if (pa[i] !== pb[i]) {
            return pa[i] - pb[i];
        }
    }
    const rest = (m: MutantResult) => `${m.mutatorName}\u0000${m.replacement ?? ""}`;
    return rest(a) < rest(b) ? -1 : rest(a) > rest(b) ? 1 : 0;
}

/**
 * The text of the record for an incremental file Stryker wrote: only what Stryker reads back
 * (`schemaVersion`, `thresholds`, `files`, `testFiles`; not `projectRoot`, `config` or `framework`,
 * which hold this machine's paths and options), files sorted by name and each file's mutants by place,
 * so the same results give the same text on any machine and in any order of finishing.
 */
export function recordText(report: MutationReport): string {
    const files = byName(report.files);
    const record = {
        schemaVersion: report.schemaVersion,
        thresholds: report.thresholds,
        files: Object.fromEntries(Object.entries(files).map(([name, file]) => [name, { ...file, mutants: [...file.mutants].sort(compareMutants) }])),
        testFiles: report.testFiles === undefined ? undefined : byName(report.testFiles),
    };
    return `${JSON.stringify(record, null, 1)}\n`;
}

/**
 * The record's text gzip-compressed at level 9, byte for byte the same for the same text: zlib writes
 * no file name and a zero time, and the operating-system byte (which zlib sets per platform) is fixed
 * to 255, "unknown".
 */
export function packRecord(text: string): Buffer {
    const packed = gzipSync(Buffer.from(text, "utf8"), { level: 9 });
    packed[9] = 255;
    return packed;
}

/** The record's text from its compressed form. */
export function unpackRecord(packed: Buffer): string {
    return gunzipSync(packed).toString("utf8");
}

/** A mutant's identity in one version of a file: where it starts, its mutator and its replacement. */
export function mutantKey(mutant: { mutatorName: string; replacement?: string; location: { start: { line: number; column: number } } }): string {
    return `${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} ${JSON.stringify(mutant.replacement ?? null)}`;
}

/** The file as it is now: its text and the keys (`mutantKey`) of the mutants Stryker would make of it. */
export interface CurrentFile {
    source: string;
    mutants: readonly string[];
}

/**
 * The keys (`mutantKey`) of the mutants Stryker makes of `source`: the same instrumenter and default
 * mutators a run uses, without running anything.
 */
export async function currentMutantKeys(file: string, source: string): Promise<string[]> {
    const { Instrumenter } = await import("@stryker-mutator/instrumenter");
    const quiet = () => false;
    const logger = { debug() {}, trace() {}, info() {}, warn() {}, error() {}, fatal() {}, isTraceEnabled: quiet, isDebugEnabled: quiet, isInfoEnabled: quiet, isWarnEnabled: quiet, isErrorEnabled: quiet, isFatalEnabled: quiet };
    const { mutants } = await new Instrumenter(logger as never).instrument([{ name: file, content: source, mutate: true }], { plugins: null, excludedMutations: [], ignorers: [], noHeader: true });
    // The instrumenter counts lines and columns from 0, the report from 1.
    return mutants.map((m) => mutantKey({ ...m, location: { start: { line: m.location.start.line + 1, column: m.location.start.column + 1 } } }));
}

export interface FileScore {
    file: string;
    /** The file changed since it was measured: the results are of an older version. */
    stale?: boolean;
    /** Mutants of the current file with no result in the record. */
    unmeasured?: number;
    /** Killed + Timeout. */
    detected: number;
    /** Survived + NoCoverage. */
    undetected: number;
    /** Ignored (e.g. `// Stryker disable` for an equivalent mutant), CompileError, RuntimeError. */
    excluded: number;
    /** detected / (detected + undetected) in percent; undefined without any valid mutant. */
    score?: number;
}

/**
 * Stryker's mutation score per file and over all files of the report (`file: "all"`, last). With
 * `current` (the files as they are now), a row whose file changed since it was measured is marked
 * `stale`, and one with mutants that have no result says how many (`unmeasured`): the score of such a
 * row is of what was measured, not of the file.
 */
export function scores(report: MutationReport, current?: ReadonlyMap<string, CurrentFile>): FileScore[] {
    const rows = Object.entries(report.files).map(([file, { mutants, source }]): FileScore => {
        const now = current?.get(file);
        const stale = now !== undefined && now.source !== source;
        const measured = new Set(mutants.map(mutantKey));
        const unmeasuredCount = now !== undefined && !stale ? now.mutants.filter((key) => !measured.has(key)).length : 0;
        // Known the current mutants, `unmeasured` says exactly what an interrupted or scoped run left out.
        return { ...count(file, mutants), ...(stale ? { stale } : {}), ...(unmeasuredCount > 0 ? { unmeasured: unmeasuredCount } : {}) };
    });
    const total = count(
        "all",
        Object.values(report.files).flatMap((file) => file.mutants),
    );
    return [...rows, total];
}

/** Ignored because static (a module-level constant, not run under `ignoreStatic`), as Stryker words it. */
const isUnrunStatic = (m: MutantResult) => m.status === "Ignored" && /static/i.test(m.statusReason ?? "");

/**
 * The static mutants the record did not run, and the score if every one of them survived: the score
 * counts only mutants that ran, so this is the honest lower bound next to it.
 */
export function staticBound(report: MutationReport): { unrun: number; worstCase: number | undefined } {
    const mutants = Object.values(report.files).flatMap((file) => file.mutants);
    const { detected, undetected } = count("all", mutants);
    const unrun = mutants.filter(isUnrunStatic).length;
    const all = detected + undetected + unrun;
    return { unrun, worstCase: all > 0 ? (100 * detected) / all : undefined };
}

/** Whether every row is a whole, current measurement (no stale or unmeasured row). */
export function complete(rows: readonly FileScore[]): boolean {
    return rows.every((row) => !row.stale && row.unmeasured === undefined);
}

function count(file: string, mutants: MutantResult[]): FileScore {
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
    const excluded = mutants.length - detected - undetected;
    const valid = detected + undetected;
    return { file, detected, undetected, excluded, score: valid > 0 ? (100 * detected) / valid : undefined };
}

/** A fixed-width table of `scores`, for the terminal and docs/testing.md. */
export function formatScores(rows: FileScore[]): string {
    const header = ["file", "score", "killed", "survived", "excluded"];
    const label = (row: FileScore) =>
        [row.file, ...(row.stale ? ["(changed since)"] : []), ...(row.unmeasured !== undefined ? [`(${row.unmeasured} unmeasured)`] : [])].join(" ");
    const body = rows.map((row) => [label(row), row.score === undefined ? "n/a" : `${row.score.toFixed(1)}%`, String(row.detected), String(row.undetected), String(row.excluded)]);
    const widths = header.map((_, i) => Math.max(header[i].length, ...body.map((cells) => cells[i].length)));
    const line = (cells: string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ")} |`;
    return [line(header), `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...body.map(line)].join("\n");
}

/** The files among `files` Stryker makes mutants of (`current`: each as it is now); a file of types and interfaces only has none. */
export function filesWithMutants(files: readonly string[], current: ReadonlyMap<string, CurrentFile>): string[] {
    return files.filter((file) => (current.get(file)?.mutants.length ?? 0) > 0);
}

/** The files in `candidates` that the report has no mutants for. */
export function unmeasured(report: MutationReport, candidates: string[]): string[] {
    return candidates.filter((file) => !(file in report.files)).sort();
}

/** Undetected mutants of the report, for a to-do list: `file:line:column mutator (status)`. */
export function survivors(report: MutationReport): string[] {
    return Object.entries(report.files).flatMap(([file, { mutants }]) =>
        mutants
            .filter((m) => UNDETECTED.has(m.status))
            .map((m) => `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}${m.replacement !== undefined ? ` → ${JSON.stringify(m.replacement)}` : ""} (${m.status})`),
    );
}
