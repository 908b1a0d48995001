/**
 * `npm run mutate [-- <stryker run options>]`, e.g. `npm run mutate -- --mutate stacks/redirects.ts`
 * `npm run mutate -- --scores`: only print the scores of the committed record.
 *
 * Mutation testing with Stryker (stryker.config.json), incremental. The record is committed
 * gzip-compressed (`reports/stryker-incremental.json.gz`); before Stryker runs it is unpacked into
 * Stryker's git-ignored incremental file (`reports/stryker-incremental.json`), and after the run, also
 * one stopped with Ctrl-C (Stryker saves what it has), that file is packed into the record again
 * (scripts/lib/mutationReport.ts). Prints the score per file and overall, the files not measured yet,
 * and the surviving mutants. Too slow for CI: run it on the files you changed.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CurrentFile, MutationReport, complete, currentMutantKeys, filesWithMutants, formatScores, packRecord, recordText, scores, staticBound, survivors, unmeasured, unpackRecord } from "./lib/mutationReport";

const ROOT = path.resolve(__dirname, "..");
/** The committed record, compressed. */
const RECORD = path.join(ROOT, "reports", "stryker-incremental.json.gz");
/** Stryker's incremental file (stryker.config.json `incrementalFile`, git-ignored): the record unpacked. */
const INCREMENTAL_FILE = path.join(ROOT, "reports", "stryker-incremental.json");

function readRecord(): MutationReport | undefined {
    return fs.existsSync(RECORD) ? (JSON.parse(unpackRecord(fs.readFileSync(RECORD))) as MutationReport) : undefined;
}

/** The files Stryker mutates (stryker.config.json `mutate`): index.ts, components/**, facts/**, stacks/**. */
function mutatedFiles(): string[] {
    const walk = (dir: string): string[] =>
        fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
            const relative = `${dir}/${entry.name}`;
            return entry.isDirectory() ? walk(relative) : entry.name.endsWith(".ts") ? [relative] : [];
        });
    return ["index.ts", ...walk("components"), ...walk("facts"), ...walk("stacks")];
}

/** Each of `files` as it is now (read and instrumented once), so a row measured on an older version shows. */
async function currentFiles(files: readonly string[]): Promise<Map<string, CurrentFile>> {
    const current = new Map<string, CurrentFile>();
    for (const file of files) {
        const full = path.join(ROOT, file);
        if (fs.existsSync(full)) {
            const source = fs.readFileSync(full, "utf8");
            current.set(file, { source, mutants: await currentMutantKeys(file, source) });
        }
    }
    return current;
}

async function printScores(report: MutationReport | undefined): Promise<void> {
    if (!report) {
        console.log(`no mutation record yet (${path.relative(ROOT, RECORD)})`);
        return;
    }
    const candidates = mutatedFiles();
    const current = await currentFiles([...new Set([...Object.keys(report.files), ...candidates])]);
    const rows = scores(report, current);
    console.log(formatScores(rows));
    console.log(
        complete(rows)
            ? "\nevery row is a whole measurement of the file as it is now"
            : "\nrows marked changed since or unmeasured are not whole measurements of the file as it is now: run `npm run mutate -- --mutate <file>` on them",
    );
    const { unrun, worstCase } = staticBound(report);
    if (unrun > 0 && worstCase !== undefined) {
        console.log(`\nstatic mutants not run (ignoreStatic): ${unrun}; if every one survived, the score would be ${worstCase.toFixed(1)}%`);
    }
    const withMutants = filesWithMutants(candidates, current);
    const missing = unmeasured(report, withMutants);
    console.log(`\nnot measured yet (${missing.length}): ${missing.length > 0 ? missing.join(", ") : "none"}`);
    const empty = candidates.filter((file) => !withMutants.includes(file));
    if (empty.length > 0) {
        console.log(`no mutants to measure (types only): ${empty.join(", ")}`);
    }
    const left = survivors(report);
    console.log(`\nsurviving mutants (${left.length}):${left.map((line) => `\n  ${line}`).join("")}`);
}

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--scores")) {
        await printScores(readRecord());
        return 0;
    }
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as { incrementalFile?: string };
    if (path.resolve(ROOT, config.incrementalFile ?? "") !== INCREMENTAL_FILE || argv.some((arg) => arg.startsWith("--incrementalFile"))) {
        throw new Error(`Stryker's incremental file must be ${path.relative(ROOT, INCREMENTAL_FILE)} (stryker.config.json), the record unpacked`);
    }
    // Always from the committed record: a file left from an earlier run or another branch never leaks in.
    fs.rmSync(INCREMENTAL_FILE, { force: true });
    if (fs.existsSync(RECORD)) {
        fs.writeFileSync(INCREMENTAL_FILE, unpackRecord(fs.readFileSync(RECORD)));
    }
    // The package's exports hide its bin; find it through package.json, which they do export.
    const strykerPackage = require.resolve("@stryker-mutator/core/package.json", { paths: [ROOT] });
    const stryker = path.join(path.dirname(strykerPackage), (require(strykerPackage) as { bin: { stryker: string } }).bin.stryker);
    const started = Date.now();
    // Ctrl-C reaches this process too: stay alive so that what Stryker saves on it gets packed.
    process.on("SIGINT", () => undefined);
    const run = spawnSync(process.execPath, [stryker, "run", ...argv], { cwd: ROOT, stdio: "inherit" });
    const written = fs.existsSync(INCREMENTAL_FILE) && fs.statSync(INCREMENTAL_FILE).mtimeMs >= started;
    if (!written) {
        console.error(`stryker exited with ${run.status ?? run.signal} and wrote no results; the record ${path.relative(ROOT, RECORD)} is unchanged`);
        return run.status ?? 1;
    }
    const report = JSON.parse(fs.readFileSync(INCREMENTAL_FILE, "utf8")) as MutationReport;
    fs.writeFileSync(RECORD, packRecord(recordText(report)));
    console.log(`\npacked this ${run.status !== 0 ? "interrupted or failed " : ""}run's results into ${path.relative(ROOT, RECORD)}; scores of the whole record:\n`);
    await printScores(report);
    return run.status ?? 1;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
    },
);
