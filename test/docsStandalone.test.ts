/**
 * The project stands alone: no doc, comment or workflow points to material outside the repository
 * that a reader cannot open (the reference files the program was first written from). Citing upstream
 * projects by repository and path, or by URL, is fine.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./support/stacks";

/** Pointers to files outside the repository. */
const OUTSIDE = [/\.\.\/shared\//, /\/work\/shared/, /current-system\.md/, /authentik-sdk\.md/, /seed\/authentik-sso/, /seed table/i];

function files(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            // reports/ holds Stryker's record: copies of the sources checked here; .stryker-tmp its sandboxes.
            return ["node_modules", ".git", "out", ".tools", "bin", "reports", ".stryker-tmp"].includes(entry.name) ? [] : files(full);
        }
        return /\.(ts|js|md|ya?ml|json)$/.test(entry.name) && entry.name !== "package-lock.json" ? [full] : [];
    });
}

describe("docs and code stand alone", () => {
    it("point to nothing outside the repository", () => {
        const self = path.resolve(__filename);
        const hits = files(ROOT)
            .filter((file) => path.resolve(file) !== self)
            .flatMap((file) =>
                fs
                    .readFileSync(file, "utf8")
                    .split("\n")
                    .map((line, i) => ({ line, at: `${path.relative(ROOT, file)}:${i + 1}` }))
                    .filter(({ line }) => OUTSIDE.some((pattern) => pattern.test(line)))
                    .map(({ line, at }) => `${at}: ${line.trim()}`),
            );
        expect(hits).to.deep.equal([]);
    });
});
