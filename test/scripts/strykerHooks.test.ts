/**
 * test/support/strykerHooks.js under a simulated Stryker: a run that pollutes a built-in prototype does
 * not leak into the next run of the same process.
 */
import { expect } from "chai";
import Mocha = require("mocha");

const NAMESPACE = "__stryker__";

describe("Stryker hooks (test/support/strykerHooks.js)", () => {
    const global = globalThis as unknown as { [NAMESPACE]?: { restoredPrototypeKeys?: string[] } };
    let replaced = false;

    before(function () {
        // Under Stryker itself the namespace is Stryker's: leave it alone.
        if (global[NAMESPACE] !== undefined) {
            this.skip();
        }
        global[NAMESPACE] = {};
        replaced = true;
        require("../support/strykerHooks.js");
    });

    after(() => {
        if (replaced) {
            delete global[NAMESPACE];
        }
    });

    it("starts every run after the first with Object.prototype as the first run found it", async () => {
        const seen: unknown[] = [];
        const mocha = new Mocha({ reporter: class {} as never });
        mocha.cleanReferencesAfterRun(false);
        let pollute = true;
        mocha.suite.addTest(
            new Mocha.Test("pollutes, then looks", () => {
                if (pollute) {
                    (Object.prototype as { [key: string]: unknown }).strykerHooksPolluted = "yes";
                }
                seen.push(({} as { [key: string]: unknown }).strykerHooksPolluted);
            }),
        );
        const run = () => new Promise<void>((resolve) => mocha.run(() => resolve()));
        try {
            await run();
            pollute = false;
            await run();
        } finally {
            delete (Object.prototype as { [key: string]: unknown }).strykerHooksPolluted;
        }
        expect(seen).to.deep.equal(["yes", undefined]);
        expect(global[NAMESPACE]!.restoredPrototypeKeys).to.deep.equal(["strykerHooksPolluted"]);
    });
});
