/**
 * Stryker (`npm run mutate`) must run the suite the way `npm test` does, over the files the issue names,
 * and keep its record where the README says.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../support/stacks";

const strykerConfig = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mocharc = require(path.join(ROOT, ".mocharc.js")) as { require: string[]; extension: string[] };

describe("mutation testing setup (stryker.config.json)", () => {
    it("mutates index.ts, components/ and stacks/ only", () => {
        expect(strykerConfig.mutate).to.deep.equal(["components/**/*.ts", "stacks/**/*.ts", "index.ts"]);
    });

    it("runs mocha with the suite's own requires (ts-node transpile-only) plus the Stryker-only hook file", () => {
        expect(strykerConfig.testRunner).to.equal("mocha");
        expect(strykerConfig.mochaOptions.config).to.equal(".mocharc.js");
        expect(strykerConfig.mochaOptions.spec).to.deep.equal(["test/**/*.test.ts"]);
        expect(strykerConfig.mochaOptions.require).to.deep.equal([...mocharc.require, "./test/support/strykerHooks.js"]);
        expect(fs.existsSync(path.join(ROOT, "test", "support", "strykerHooks.js"))).to.equal(true);
    });

    it("checks types, analyses coverage per test and runs incrementally from the committed record", () => {
        expect(strykerConfig.checkers).to.deep.equal(["typescript"]);
        expect(strykerConfig.coverageAnalysis).to.equal("perTest");
        expect(strykerConfig.incremental).to.equal(true);
        // Stryker's own file (a copy of the record, see scripts/mutate.ts) is git-ignored, so a bare
        // `npx stryker run --mutate <file>` cannot overwrite the record with one file's results.
        expect(strykerConfig.incrementalFile).to.equal("reports/mutation/run-incremental.json");
        const gitignore = fs.readFileSync(path.join(ROOT, ".gitignore"), "utf8").split("\n");
        expect(gitignore).to.include(".stryker-tmp/");
        expect(gitignore.some((line) => line.startsWith("/reports/mutation"))).to.equal(true);
        expect(gitignore.some((line) => /^\/?reports\/?$/.test(line) || line.includes("stryker-incremental"))).to.equal(false);
    });

    it("the committed record holds only mutated files", function () {
        const record = path.join(ROOT, "reports", "stryker-incremental.json");
        if (!fs.existsSync(record)) {
            // Stryker's sandbox leaves reports/ out.
            this.skip();
        }
        const files = Object.keys(JSON.parse(fs.readFileSync(record, "utf8")).files);
        expect(files.length).to.be.greaterThan(0);
        for (const file of files) {
            expect(file).to.match(/^(components\/.*|stacks\/.*|index)\.ts$/);
        }
    });
});
