import { expect } from "chai";
import { CurrentFile, MutantResult, MutationReport, complete, currentMutantKeys, filesWithMutants, formatScores, mergeReports, mutantKey, mutatedFilesOf, scores, staticBound, survivors, unmeasured } from "../../scripts/lib/mutationReport";

const at = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 5 } });
const mutant = (id: string, status: string, extra: Partial<MutantResult> = {}): MutantResult => ({ id, mutatorName: "EqualityOperator", status, location: at(Number(id)), ...extra });

function report(files: MutationReport["files"], tests: { [file: string]: string[] }): MutationReport {
    let next = 0;
    const testFiles: NonNullable<MutationReport["testFiles"]> = {};
    for (const [file, names] of Object.entries(tests)) {
        testFiles[file] = { tests: names.map((name) => ({ id: String(next++), name })) };
    }
    return { schemaVersion: "1.0", files, testFiles };
}
const file = (mutants: MutantResult[]) => ({ language: "typescript", source: "", mutants });

describe("mutation record (scripts/lib/mutationReport)", () => {
    it("keeps the files a scoped run did not mutate, and replaces the ones it did", () => {
        const base = report({ "a.ts": file([mutant("1", "Killed")]), "b.ts": file([mutant("2", "Survived")]) }, { "t.test.ts": ["x"] });
        const run = report({ "b.ts": file([mutant("2", "Killed")]) }, { "t.test.ts": ["x"] });
        const merged = mergeReports(base, run);
        expect(Object.keys(merged.files)).to.deep.equal(["a.ts", "b.ts"]);
        expect(merged.files["b.ts"].mutants[0].status).to.equal("Killed");
        expect(merged.files["a.ts"].mutants[0].status).to.equal("Killed");
    });

    it("takes only the files a scoped run was asked to mutate: the other files Stryker repeats keep their recorded results", () => {
        const base = report({ "a.ts": file([mutant("1", "Killed"), mutant("2", "Survived")]), "b.ts": file([mutant("3", "Survived")]) }, { "t.test.ts": ["x"] });
        // Stryker repeats a.ts with only its unchanged mutant.
        const run = report({ "a.ts": file([mutant("1", "Killed")]), "b.ts": file([mutant("3", "Killed")]) }, { "t.test.ts": ["x"] });
        const merged = mergeReports(base, run, false, ["b.ts"]);
        expect(merged.files["a.ts"].mutants.map((m) => m.status)).to.deep.equal(["Killed", "Survived"]);
        expect(merged.files["b.ts"].mutants[0].status).to.equal("Killed");
    });

    it("reads the files of --mutate (comma-separated, line ranges dropped); a glob or no --mutate takes every file", () => {
        expect(mutatedFilesOf(["--mutate", "stacks/a.ts,components/b.ts:10-20"])).to.deep.equal(["stacks/a.ts", "components/b.ts"]);
        expect(mutatedFilesOf(["--mutate=stacks/a.ts"])).to.deep.equal(["stacks/a.ts"]);
        expect(mutatedFilesOf(["-m", "stacks/*.ts"])).to.equal(undefined);
        expect(mutatedFilesOf(["--concurrency", "2"])).to.equal(undefined);
    });

    it("translates a kept file's test ids into the newest run's ids by test name, dropping tests that are gone", () => {
        const base = report({ "a.ts": file([mutant("1", "Killed", { killedBy: ["1"], coveredBy: ["0", "1"] })]) }, { "t.test.ts": ["gone", "stays"] });
        const run = report({ "b.ts": file([]) }, { "new.test.ts": ["added"], "t.test.ts": ["stays"] });
        const kept = mergeReports(base, run).files["a.ts"].mutants[0];
        expect(kept.killedBy).to.deep.equal(["1"]);
        expect(kept.coveredBy).to.deep.equal(["1"]);
        expect(mergeReports(base, run).testFiles).to.equal(run.testFiles);
    });

    it("drops a kept kill whose killing test's file changed since, and keeps a kill by an unchanged file", () => {
        const base = report(
            { "a.ts": file([mutant("1", "Killed", { killedBy: ["0"] }), mutant("2", "Killed", { killedBy: ["1"] }), mutant("3", "Timeout")]) },
            { "edited.test.ts": ["x"], "same.test.ts": ["y"] },
        );
        base.testFiles!["edited.test.ts"].source = "it('x', () => expect(f()).to.equal(1))";
        base.testFiles!["same.test.ts"].source = "it('y', () => {})";
        const run = report({ "b.ts": file([]) }, { "edited.test.ts": ["x"], "same.test.ts": ["y"] });
        run.testFiles!["edited.test.ts"].source = "it('x', () => expect(f()).to.be.a('number'))";
        run.testFiles!["same.test.ts"].source = "it('y', () => {})";
        expect(mergeReports(base, run).files["a.ts"].mutants.map((m) => m.id)).to.deep.equal(["2", "3"]);
    });

    it("drops a kept survivor when any test was added or changed (it may cover it now), and keeps it otherwise", () => {
        const base = report({ "a.ts": file([mutant("1", "Survived", { coveredBy: ["0"] }), mutant("2", "NoCoverage"), mutant("3", "Ignored"), mutant("4", "CompileError")]) }, { "t.test.ts": ["x"] });
        const same = report({ "b.ts": file([]) }, { "t.test.ts": ["x"] });
        expect(mergeReports(base, same).files["a.ts"].mutants.map((m) => m.id)).to.deep.equal(["1", "2", "3", "4"]);
        const added = report({ "b.ts": file([]) }, { "t.test.ts": ["x"], "new.test.ts": ["kills it"] });
        expect(mergeReports(base, added).files["a.ts"].mutants.map((m) => m.id)).to.deep.equal(["3", "4"]);
        const gone = report({ "b.ts": file([]) }, { "t.test.ts": [] });
        expect(mergeReports(base, gone).files["a.ts"].mutants.map((m) => m.id)).to.deep.equal(["3", "4"]);
    });

    it("marks the files of an interrupted run partial, and a later complete run clears the mark", () => {
        const interrupted = mergeReports(undefined, report({ "a.ts": file([mutant("1", "Killed")]) }, {}), true);
        expect(interrupted.files["a.ts"].partial).to.equal(true);
        expect(formatScores(scores(interrupted))).to.include("a.ts (partial)");
        const complete = mergeReports(interrupted, report({ "a.ts": { ...file([mutant("1", "Killed"), mutant("2", "Killed")]), partial: true } }, {}));
        expect(complete.files["a.ts"]).to.not.have.property("partial");
    });

    it("keeps the recorded results of the mutants a stopped run did not reach, where the file is unchanged", () => {
        const source = "export const a = 1;";
        const base = report({ "a.ts": { ...file([mutant("1", "Ignored", { statusReason: "Static mutant" }), mutant("2", "Killed")]), source } }, { "t.test.ts": ["x"] });
        const stopped = report({ "a.ts": { ...file([mutant("2", "Survived")]), source } }, { "t.test.ts": ["x"] });
        const merged = mergeReports(base, stopped, true).files["a.ts"];
        expect(merged.mutants.map((m) => [m.location.start.line, m.status])).to.deep.equal([
            [2, "Survived"],
            [1, "Ignored"],
        ]);
        expect(merged.partial).to.equal(true);
        const changed = report({ "a.ts": { ...file([mutant("2", "Killed")]), source: "export const a = 2;" } }, { "t.test.ts": ["x"] });
        expect(mergeReports(base, changed, true).files["a.ts"].mutants.map((m) => m.location.start.line)).to.deep.equal([2]);
        expect(mergeReports(base, stopped, false).files["a.ts"].mutants.map((m) => m.location.start.line)).to.deep.equal([2]);
    });

    it("starts the record from the first run", () => {
        const run = report({ "a.ts": file([mutant("1", "Killed")]) }, {});
        expect(mergeReports(undefined, run).files).to.deep.equal(run.files);
    });

    it("scores as Stryker does: (killed + timeout) / (killed + timeout + survived + no coverage), ignored mutants excluded", () => {
        const rows = scores(
            report(
                {
                    "a.ts": file([mutant("1", "Killed"), mutant("2", "Timeout"), mutant("3", "Survived"), mutant("4", "NoCoverage"), mutant("5", "Ignored"), mutant("6", "CompileError")]),
                    "b.ts": file([mutant("7", "Ignored")]),
                },
                {},
            ),
        );
        expect(rows).to.deep.equal([
            { file: "a.ts", detected: 2, undetected: 2, excluded: 2, score: 50 },
            { file: "b.ts", detected: 0, undetected: 0, excluded: 1, score: undefined },
            { file: "all", detected: 2, undetected: 2, excluded: 3, score: 50 },
        ]);
        const table = formatScores(rows);
        expect(table.split("\n")[2]).to.match(/^\| a\.ts +\| +50\.0% \| +2 \| +2 \| +2 \|$/);
        expect(table).to.include("n/a");
    });

    it("marks a row whose file changed since, or whose current mutants lack results, and only then calls the record incomplete", () => {
        const measured = report({ "a.ts": { ...file([mutant("1", "Killed"), mutant("2", "Survived")]), source: "v1" }, "b.ts": { ...file([mutant("1", "Killed")]), source: "b" } }, {});
        const keysOf = (...lines: number[]) => lines.map((line) => mutantKey({ mutatorName: "EqualityOperator", location: at(line) }));
        const whole = scores(measured, new Map([["a.ts", { source: "v1", mutants: keysOf(1, 2) }], ["b.ts", { source: "b", mutants: keysOf(1) }]]));
        expect(whole[0]).to.deep.equal({ file: "a.ts", detected: 1, undetected: 1, excluded: 0, score: 50 });
        expect(complete(whole)).to.equal(true);
        const changed = scores(measured, new Map([["a.ts", { source: "v2", mutants: keysOf(1, 2, 3) }], ["b.ts", { source: "b", mutants: keysOf(1, 4, 5) }]]));
        expect(changed.slice(0, 2)).to.deep.equal([
            { file: "a.ts", detected: 1, undetected: 1, excluded: 0, score: 50, stale: true },
            { file: "b.ts", detected: 1, undetected: 0, excluded: 0, score: 100, unmeasured: 2 },
        ]);
        expect(complete(changed)).to.equal(false);
        expect(complete(changed.filter((row) => row.file !== "a.ts"))).to.equal(false);
        const interrupted = { ...measured, files: { "a.ts": { ...measured.files["a.ts"], partial: true } } };
        expect(complete(scores(interrupted))).to.equal(false);
        // With the current mutants known, an interrupted run's file is judged by what it lacks.
        expect(complete(scores(interrupted, new Map([["a.ts", { source: "v1", mutants: keysOf(1, 2) }]])))).to.equal(true);
        expect(scores(interrupted, new Map([["a.ts", { source: "v1", mutants: keysOf(1, 2, 3) }]]))[0]).to.deep.equal({ file: "a.ts", detected: 1, undetected: 1, excluded: 0, score: 50, unmeasured: 1 });
        const table = formatScores(changed);
        expect(table).to.match(/\| a\.ts \(changed since\) +\|/).and.match(/\| b\.ts \(2 unmeasured\) +\|/);
        // The same place, mutator and replacement is the same mutant; any of them differing is another.
        expect(mutantKey({ mutatorName: "StringLiteral", replacement: '""', location: at(3) })).to.not.equal(mutantKey({ mutatorName: "StringLiteral", replacement: "``", location: at(3) }));
        expect(mutantKey({ mutatorName: "StringLiteral", location: { start: { line: 3, column: 2 } } })).to.not.equal(mutantKey({ mutatorName: "StringLiteral", location: at(3) }));
    });

    it("knows a file's current mutants as Stryker's report places them (lines and columns from 1)", async () => {
        const keys = await currentMutantKeys("x.ts", "// a comment\nexport const same = (a: number) => a === 2;\n");
        expect(keys).to.include(mutantKey({ mutatorName: "EqualityOperator", replacement: "a !== 2", location: { start: { line: 2, column: 36 } } }));
        expect(keys).to.include(mutantKey({ mutatorName: "ConditionalExpression", replacement: "true", location: { start: { line: 2, column: 36 } } }));
    });

    it("does not count a file of types only as unmeasured: Stryker makes no mutants of it", async () => {
        const sources = {
            "types.ts": "export interface Endpoints {\n    issuer: string;\n}\n",
            "code.ts": "export const isTwo = (a: number) => a === 2;\n",
        };
        const current = new Map<string, CurrentFile>();
        for (const [file, source] of Object.entries(sources)) {
            current.set(file, { source, mutants: await currentMutantKeys(file, source) });
        }
        expect(filesWithMutants(["types.ts", "code.ts", "gone.ts"], current)).to.deep.equal(["code.ts"]);
    });

    it("bounds the score by the static mutants it did not run, counting them as survivors", () => {
        const run = report(
            {
                "a.ts": file([
                    mutant("1", "Killed"),
                    mutant("2", "Killed"),
                    mutant("3", "Survived"),
                    mutant("4", "Ignored", { statusReason: 'Static mutant (and "ignoreStatic" was enabled)' }),
                    mutant("5", "Ignored", { statusReason: "Ignored because of excluded mutation" }),
                    mutant("6", "CompileError"),
                ]),
            },
            {},
        );
        expect(staticBound(run)).to.deep.equal({ unrun: 1, worstCase: 50 });
        expect(staticBound(report({}, {}))).to.deep.equal({ unrun: 0, worstCase: undefined });
    });

    it("lists the files without results and the undetected mutants", () => {
        const measured = report({ "a.ts": file([mutant("3", "Survived", { replacement: "true" }), mutant("1", "Killed")]) }, {});
        expect(unmeasured(measured, ["c.ts", "a.ts", "b.ts"])).to.deep.equal(["b.ts", "c.ts"]);
        expect(survivors(measured)).to.deep.equal(['a.ts:3:1 EqualityOperator → "true" (Survived)']);
    });
});
