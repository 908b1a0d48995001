import { expect } from "chai";
import { gunzipSync } from "zlib";
import { CurrentFile, MutantResult, MutationReport, complete, currentMutantKeys, filesWithMutants, formatScores, mutantKey, packRecord, recordText, scores, staticBound, survivors, unmeasured, unpackRecord } from "../../scripts/lib/mutationReport";

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
    it("keeps only what Stryker reads back, files and test files by name and each file's mutants by place, whatever order Stryker wrote", () => {
        const written = {
            ...report(
                {
                    "b.ts": file([mutant("7", "Killed"), mutant("3", "Survived", { mutatorName: "StringLiteral" }), mutant("3", "Survived", { mutatorName: "BooleanLiteral" })]),
                    "a.ts": file([mutant("2", "Killed"), mutant("1", "Killed", { location: { start: { line: 1, column: 9 }, end: { line: 1, column: 12 } } }), mutant("1", "Killed")]),
                },
                { "z.test.ts": ["x"], "a.test.ts": ["y"] },
            ),
            projectRoot: "/home/someone/homelab-sso",
            config: { concurrency: 2 },
            framework: { name: "StrykerJS" },
        };
        const text = recordText(written);
        const record = JSON.parse(text) as MutationReport;
        expect(Object.keys(record)).to.deep.equal(["schemaVersion", "files", "testFiles"]);
        expect(text).to.not.include("/home/someone");
        expect(Object.keys(record.files)).to.deep.equal(["a.ts", "b.ts"]);
        expect(Object.keys(record.testFiles!)).to.deep.equal(["a.test.ts", "z.test.ts"]);
        expect(record.files["a.ts"].mutants.map((m) => `${m.location.start.line}:${m.location.start.column}`)).to.deep.equal(["1:1", "1:9", "2:1"]);
        expect(record.files["b.ts"].mutants.map((m) => `${m.location.start.line} ${m.mutatorName}`)).to.deep.equal(["3 BooleanLiteral", "3 StringLiteral", "7 EqualityOperator"]);
        // The same results in another order give the same text; the text of a record is itself.
        const reordered = { ...written, files: { "a.ts": file([...written.files["a.ts"].mutants].reverse()), "b.ts": written.files["b.ts"] } };
        expect(recordText(reordered)).to.equal(text);
        expect(recordText(record)).to.equal(text);
    });

    it("packs the record as gzip, the same bytes for the same text, and unpacks it to the text", () => {
        const text = recordText(report({ "a.ts": file([mutant("1", "Killed")]) }, { "t.test.ts": ["x"] }));
        const packed = packRecord(text);
        expect([...packed.subarray(0, 3)]).to.deep.equal([0x1f, 0x8b, 8]);
        // No time (bytes 4-7), no file name (flags byte 3), and a fixed operating system (byte 9).
        expect([...packed.subarray(3, 10)]).to.deep.equal([0, 0, 0, 0, 0, 2, 255]);
        expect(gunzipSync(packed).toString("utf8")).to.equal(text);
        expect(unpackRecord(packed)).to.equal(text);
        expect(packRecord(text).equals(packed)).to.equal(true);
        expect(packRecord(`${text} `).equals(packed)).to.equal(false);
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
        // An interrupted run's file is judged by what it lacks of the file's current mutants.
        expect(scores(measured, new Map([["a.ts", { source: "v1", mutants: keysOf(1, 2, 3) }]]))[0]).to.deep.equal({ file: "a.ts", detected: 1, undetected: 1, excluded: 0, score: 50, unmeasured: 1 });
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
