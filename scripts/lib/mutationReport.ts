/**
 * The committed mutation-testing record (`reports/stryker-incremental.json`, Stryker's incremental
 * file) and the scores read from it.
 *
 * Stryker writes its incremental file from the mutants of the current run only, so a run scoped to
 * one file (`--mutate stacks/redirects.ts`) would drop every other file's results. `npm run mutate`
 * therefore gives Stryker a copy, and afterwards merges the run's files into the committed record:
 * a file of this run replaces its old entry, every other file is kept. Test ids in a report are
 * indices into that run's test list, so a kept file's `killedBy`/`coveredBy` are translated by test
 * (file and full name) into the ids of the newest run, and tests that no longer exist are dropped
 * (Stryker then retests those mutants next time). A kept result that the run's tests may no longer
 * give (killed by a test whose file changed since; undetected while any test changed or was added) is
 * dropped, so the next run of its file measures it again instead of reusing it.
 */

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
    /** `partial`: from an interrupted run, so only some of the file's mutants have a result yet. */
    files: { [file: string]: { language: string; source: string; mutants: MutantResult[]; partial?: boolean } };
    testFiles?: { [file: string]: { source?: string; tests: { id: string; name: string; location?: unknown }[] } };
    [key: string]: unknown;
}

/** Statuses that count as detected in the mutation score. */
const DETECTED = new Set(["Killed", "Timeout"]);
/** Statuses that count as undetected. Ignored, CompileError and RuntimeError count for neither. */
const UNDETECTED = new Set(["Survived", "NoCoverage"]);

/**
 * `base` with `run`'s files replacing theirs, test ids translated to `run`'s. `interrupted`: the run
 * was stopped (Ctrl-C), so its files hold only the mutants tested so far and are marked `partial`;
 * the next run tests the rest and reuses these.
 */
/**
 * `only`: the files the run was asked to mutate (`--mutate`). Stryker's output also repeats every other
 * file of the record it was given, keeping only the mutants whose code did not change; taking those would
 * silently drop the changed mutants from the record, so they keep their recorded results instead.
 */
export function mergeReports(base: MutationReport | undefined, run: MutationReport, interrupted = false, only?: readonly string[]): MutationReport {
    const taken = Object.keys(run.files).filter((file) => only === undefined || only.includes(file));
    const runIds = new Map<string, string>();
    for (const [file, { tests }] of Object.entries(run.testFiles ?? {})) {
        for (const test of tests) {
            runIds.set(testKey(file, test.name), test.id);
        }
    }
    const baseToRun = new Map<string, string>();
    for (const [file, { tests }] of Object.entries(base?.testFiles ?? {})) {
        for (const test of tests) {
            const id = runIds.get(testKey(file, test.name));
            if (id !== undefined) {
                baseToRun.set(test.id, id);
            }
        }
    }
    const translate = (ids: string[] | undefined) => ids?.flatMap((id) => (baseToRun.has(id) ? [baseToRun.get(id)!] : []));
    /** A recorded result carried into the merged record, its test ids in the run's terms. */
    const carry = (mutant: MutantResult, id = mutant.id) => withoutUndefined({ ...mutant, id, killedBy: translate(mutant.killedBy), coveredBy: translate(mutant.coveredBy) });
    const { changed, added } = testChanges(base, run);
    // A kept file's results were measured against the recorded tests. The merged record carries the
    // run's tests, so Stryker would take any test that changed since as unchanged and reuse results it
    // should measure again: drop those results here, as Stryker's own differ would (a test without a
    // location spans its whole file, so any change to the file changes each of its tests).
    const stillValid = (mutant: MutantResult): boolean => {
        if (DETECTED.has(mutant.status)) {
            return !(mutant.killedBy ?? []).some((id) => changed.has(id));
        }
        if (UNDETECTED.has(mutant.status)) {
            // A new or changed test may cover it now; which tests cover a kept file is not measured by this run.
            return changed.size === 0 && !added;
        }
        return true;
    };

    const files: MutationReport["files"] = {};
    for (const [file, result] of Object.entries(base?.files ?? {})) {
        if (!taken.includes(file)) {
            files[file] = {
                ...result,
                mutants: result.mutants.filter(stillValid).map((mutant) => carry(mutant)),
            };
        }
    }
    for (const file of taken) {
        const { partial: _ignored, ...complete } = run.files[file];
        if (!interrupted) {
            files[file] = complete;
            continue;
        }
        // A stopped run reports only the mutants it got to. Where the file is unchanged, the others keep
        // their recorded results (subject to the same test changes), so stopping never loses a result.
        const recorded = base?.files[file];
        const reported = new Set(complete.mutants.map(mutantKey));
        const kept =
            recorded !== undefined && recorded.source === complete.source
                ? recorded.mutants
                      .filter((mutant) => !reported.has(mutantKey(mutant)) && stillValid(mutant))
                      .map((mutant) => carry(mutant, `kept-${mutant.id}`))
                : [];
        files[file] = { ...complete, mutants: [...complete.mutants, ...kept], partial: true };
    }
    const sortedFiles = Object.fromEntries(Object.keys(files).sort().map((file) => [file, files[file]]));
    return { schemaVersion: run.schemaVersion, thresholds: run.thresholds, files: sortedFiles, testFiles: run.testFiles ?? base?.testFiles };
}

/**
 * The recorded tests (ids of `base`) that changed in `run`: gone, or in a test file whose text changed.
 * `added`: `run` has a test `base` did not record.
 */
export function testChanges(base: MutationReport | undefined, run: MutationReport): { changed: Set<string>; added: boolean } {
    const changed = new Set<string>();
    const baseKeys = new Set<string>();
    for (const [file, { source, tests }] of Object.entries(base?.testFiles ?? {})) {
        const now = run.testFiles?.[file];
        const names = new Set(now?.tests.map((test) => test.name));
        for (const test of tests) {
            baseKeys.add(testKey(file, test.name));
            if (now === undefined || now.source !== source || !names.has(test.name)) {
                changed.add(test.id);
            }
        }
    }
    const added = Object.entries(run.testFiles ?? {}).some(([file, { tests }]) => tests.some((test) => !baseKeys.has(testKey(file, test.name))));
    return { changed, added };
}

function testKey(file: string, name: string): string {
    return `${file}\u0000${name}`;
}

function withoutUndefined(mutant: MutantResult): MutantResult {
    return Object.fromEntries(Object.entries(mutant).filter(([, value]) => value !== undefined)) as MutantResult;
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
    /** Only some of the file's mutants have a result yet (an interrupted run). */
    partial?: boolean;
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
    const rows = Object.entries(report.files).map(([file, { mutants, partial, source }]): FileScore => {
        const now = current?.get(file);
        const stale = now !== undefined && now.source !== source;
        const measured = new Set(mutants.map(mutantKey));
        const unmeasuredCount = now !== undefined && !stale ? now.mutants.filter((key) => !measured.has(key)).length : 0;
        // Known the current mutants, `unmeasured` says exactly what an interrupted run left out.
        return { ...count(file, mutants), ...(partial && now === undefined ? { partial } : {}), ...(stale ? { stale } : {}), ...(unmeasuredCount > 0 ? { unmeasured: unmeasuredCount } : {}) };
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

/** Whether every row is a whole, current measurement (no partial, stale or unmeasured row). */
export function complete(rows: readonly FileScore[]): boolean {
    return rows.every((row) => !row.partial && !row.stale && row.unmeasured === undefined);
}

function count(file: string, mutants: MutantResult[]): FileScore {
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const undetected = mutants.filter((m) => UNDETECTED.has(m.status)).length;
    const excluded = mutants.length - detected - undetected;
    const valid = detected + undetected;
    return { file, detected, undetected, excluded, score: valid > 0 ? (100 * detected) / valid : undefined };
}

/** A fixed-width table of `scores`, for the terminal and the README. */
export function formatScores(rows: FileScore[]): string {
    const header = ["file", "score", "killed", "survived", "excluded"];
    const label = (row: FileScore) =>
        [row.file, ...(row.partial ? ["(partial)"] : []), ...(row.stale ? ["(changed since)"] : []), ...(row.unmeasured !== undefined ? [`(${row.unmeasured} unmeasured)`] : [])].join(" ");
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

/**
 * The files named by `--mutate` (comma-separated, with or without a `:line-range`), or undefined when the
 * run mutated the configured set or named a glob (then every file of the run's output is taken).
 */
export function mutatedFilesOf(argv: readonly string[]): string[] | undefined {
    const at = argv.findIndex((arg) => arg === "--mutate" || arg === "-m");
    const value = at >= 0 ? argv[at + 1] : argv.find((arg) => arg.startsWith("--mutate="))?.slice("--mutate=".length);
    if (value === undefined) {
        return undefined;
    }
    const files = value.split(",").map((entry) => entry.trim().replace(/:\d+(:\d+)?-\d+(:\d+)?$/, "")).filter(Boolean);
    return files.some((file) => /[*?[\]{}!]/.test(file)) ? undefined : files;
}
