/**
 * The migration's maintainer scripts answer `--help`/`-h` with their usage and exit 0, like the
 * render, bench and verify commands, instead of treating the flag as a bad argument.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { PROJECT_ROOT } from "../../scripts/lib/render";

function runScript(script: string, args: string[]) {
    return spawnSync(process.execPath, ["--require", "ts-node/register/transpile-only", path.join(PROJECT_ROOT, "scripts", script), ...args], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
}

describe("migration scripts: --help", () => {
    for (const [script, usage] of [
        ["import-files.ts", "usage: npm run import-files -- --stack <name>"],
        ["rehearsal.ts", "usage: npm run rehearsal"],
    ] as const) {
        for (const flag of ["--help", "-h"]) {
            it(`${script} ${flag} prints its usage and exits 0`, () => {
                const result = runScript(script, [flag]);
                expect(result.status, result.stderr).to.equal(0);
                expect(result.stdout).to.include(usage);
            });
        }
    }
});
