/** stryker.static.config.mjs: the committed Stryker configuration with static mutants run, nothing else changed. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";

const ROOT = path.join(__dirname, "..", "..");

describe("Stryker configuration for static mutants", () => {
    it("is stryker.config.json with ignoreStatic off", async () => {
        // A native import: the .mjs file reads the JSON with an import attribute.
        const nativeImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<{ default: { [key: string]: unknown } }>;
        const { default: config } = await nativeImport(pathToFileURL(path.join(ROOT, "stryker.static.config.mjs")).href);
        const base = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as { [key: string]: unknown };
        expect(base.ignoreStatic).to.equal(true);
        expect(config).to.deep.equal({ ...base, ignoreStatic: false });
    });
});
