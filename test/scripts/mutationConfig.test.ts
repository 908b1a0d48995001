/**
 * Stryker (`npm run mutate`) must run the suite the way `npm test` does, over the files the issue names,
 * and keep its record where docs/testing.md says.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { MutationReport, recordText, unpackRecord } from "../../scripts/lib/mutationReport";
import { ROOT } from "../support/stacks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const collectFiles = require("mocha/lib/cli/collect-files") as (options: object) => string[] | { files: string[] };

const strykerConfig = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mocharc = require(path.join(ROOT, ".mocharc.js")) as { require: string[]; extension: string[] };

describe("mutation testing setup (stryker.config.json)", () => {
    it("mutates index.ts, components/, facts/ and stacks/ only", () => {
        expect(strykerConfig.mutate).to.deep.equal(["components/**/*.ts", "facts/**/*.ts", "stacks/**/*.ts", "index.ts"]);
    });

    it("runs mocha with the suite's own requires (ts-node transpile-only) plus the Stryker-only hook file", () => {
        expect(strykerConfig.testRunner).to.equal("mocha");
        expect(strykerConfig.mochaOptions.config).to.equal(".mocharc.js");
        expect(strykerConfig.mochaOptions.require).to.deep.equal([...mocharc.require, "./test/support/strykerHooks.js"]);
        expect(fs.existsSync(path.join(ROOT, "test", "support", "strykerHooks.js"))).to.equal(true);
    });

    it("runs every test file `npm test` runs, once each, with test/stacks first", () => {
        // Nearly every test covers the config code, and mocha stops a mutant's run at its first failure:
        // with the config tests first, a stacks/ mutant is killed before the slow component tests run.
        const collect = (spec: string[]): string[] => {
            const result = collectFiles({ ignore: [], extension: ["ts"], file: [], recursive: false, sort: false, spec });
            return (Array.isArray(result) ? result : result.files).map((file: string) => path.relative(ROOT, file));
        };
        const inRoot = (run: () => string[]) => {
            const cwd = process.cwd();
            process.chdir(ROOT);
            try {
                return run();
            } finally {
                process.chdir(cwd);
            }
        };
        const strykerFiles = inRoot(() => collect(strykerConfig.mochaOptions.spec));
        const npmTestFiles = inRoot(() => collect(["test/**/*.test.ts"]));
        expect(new Set(strykerFiles).size).to.equal(strykerFiles.length);
        expect([...strykerFiles].sort()).to.deep.equal([...npmTestFiles].sort());
        const firstOther = strykerFiles.findIndex((file) => !file.startsWith("test/stacks/"));
        expect(firstOther).to.be.greaterThan(0);
        expect(strykerFiles.slice(firstOther).some((file) => file.startsWith("test/stacks/"))).to.equal(false);
    });

    it("checks types, analyses coverage per test and runs incrementally from the committed record", () => {
        expect(strykerConfig.checkers).to.deep.equal(["typescript"]);
        // The checker compiles the mutated files (and what they import), not the tests and scripts.
        expect(strykerConfig.tsconfigFile).to.equal("tsconfig.stryker.json");
        const checked = ts.readConfigFile(path.join(ROOT, "tsconfig.stryker.json"), ts.sys.readFile).config as { extends: string; include: string[] };
        expect(checked.extends).to.equal("./tsconfig.json");
        expect(checked.include).to.deep.equal(strykerConfig.mutate);
        expect(strykerConfig.coverageAnalysis).to.equal("perTest");
        expect(strykerConfig.incremental).to.equal(true);
        // Stryker's own file is the record unpacked (scripts/mutate.ts), git-ignored; the compressed record is committed.
        expect(strykerConfig.incrementalFile).to.equal("reports/stryker-incremental.json");
        const gitignore = fs.readFileSync(path.join(ROOT, ".gitignore"), "utf8").split("\n");
        expect(gitignore).to.include(".stryker-tmp/");
        expect(gitignore.some((line) => line.startsWith("/reports/mutation"))).to.equal(true);
        expect(gitignore).to.include("/reports/stryker-incremental.json");
        expect(gitignore.some((line) => /^\/?reports\/?$/.test(line) || (line.includes("stryker-incremental") && line !== "/reports/stryker-incremental.json"))).to.equal(false);
        const ignored = spawnSync("git", ["check-ignore", "-q", "reports/stryker-incremental.json.gz"], { cwd: ROOT });
        expect(ignored.status, "reports/stryker-incremental.json.gz must not be git-ignored").to.equal(1);
    });

    it("the committed record, gzip-compressed, holds only mutated files, in the form npm run mutate writes", function () {
        const record = path.join(ROOT, "reports", "stryker-incremental.json.gz");
        if (!fs.existsSync(record)) {
            // Stryker's sandbox leaves reports/ out.
            this.skip();
        }
        const packed = fs.readFileSync(record);
        const text = unpackRecord(packed);
        const report = JSON.parse(text) as MutationReport;
        const files = Object.keys(report.files);
        expect(files.length).to.be.greaterThan(0);
        for (const file of files) {
            expect(file).to.match(/^(components\/.*|stacks\/.*|index)\.ts$/);
        }
        // In the stable form npm run mutate writes (its compression is pinned by mutationReport.test.ts;
        // the bytes themselves may differ with another zlib, so they are not compared here).
        expect(text).to.equal(recordText(report));
        expect([...packed.subarray(0, 2)]).to.deep.equal([0x1f, 0x8b]);
    });
});
