// Loaded only by Stryker's mocha runner (stryker.config.json `mochaOptions.require`), never by `npm test`.
//
// Stryker runs each mutant only against the tests that covered it in the first (dry) run, and it
// learns that by tagging coverage with the test that is running, which it sets in a root `beforeEach`.
// Most suites here evaluate the whole program once in a `before` hook, which runs before any
// `beforeEach`: Stryker would charge that coverage to the previous suite's last test (so a mutant run
// would skip the suite whose assertions can kill it) or, for the first suite, treat it as "static"
// (every mutant run with the whole suite). So: coverage taken in a `before` hook belongs to every test
// of that hook's suite.
"use strict";
const Mocha = require("mocha");

const NAMESPACE = "__stryker__";
const originalRun = Mocha.Hook.prototype.run;

function testsOf(suite) {
    return [...suite.tests, ...suite.suites.flatMap(testsOf)];
}

Mocha.Hook.prototype.run = function run(fn) {
    const strykerContext = globalThis[NAMESPACE];
    const suite = this.parent;
    if (!strykerContext || !suite || !suite._beforeAll.includes(this)) {
        return originalRun.call(this, fn);
    }
    const hookId = `stryker-before-all:${suite.fullTitle()}:${suite._beforeAll.indexOf(this)}`;
    const previousTestId = strykerContext.currentTestId;
    strykerContext.currentTestId = hookId;
    return originalRun.call(this, (error) => {
        strykerContext.currentTestId = previousTestId;
        const coverage = strykerContext.mutantCoverage;
        const covered = coverage && coverage.perTest[hookId];
        if (covered) {
            delete coverage.perTest[hookId];
            for (const test of testsOf(suite)) {
                const counts = (coverage.perTest[test.fullTitle()] = coverage.perTest[test.fullTitle()] || {});
                for (const [mutantId, hits] of Object.entries(covered)) {
                    counts[mutantId] = (counts[mutantId] || 0) + hits;
                }
            }
        }
        fn(error);
    });
};

// Stryker runs every mutant in one long-lived process. A mutant can pollute a built-in prototype (a
// merge that no longer skips "__proto__" writes a test's `{"__proto__": {...}}` into Object.prototype),
// and every later mutant would then be tested in that polluted world: survivors that existing tests
// kill on their own. Each run after the first starts with the built-in prototypes as the first found them.
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Boolean.prototype];
let pristine;

function snapshot(proto) {
    return new Map(Reflect.ownKeys(proto).map((key) => [key, Object.getOwnPropertyDescriptor(proto, key)]));
}

/** Puts each prototype back as it was in the first run; returns the keys it had to remove or restore. */
function restorePrototypes() {
    const restored = [];
    PROTOTYPES.forEach((proto, index) => {
        const before = pristine[index];
        for (const key of Reflect.ownKeys(proto)) {
            if (!before.has(key)) {
                delete proto[key];
                restored.push(String(key));
            }
        }
        for (const [key, descriptor] of before) {
            const now = Object.getOwnPropertyDescriptor(proto, key);
            if (!now || now.value !== descriptor.value || now.get !== descriptor.get || now.set !== descriptor.set) {
                Object.defineProperty(proto, key, descriptor);
                restored.push(String(key));
            }
        }
    });
    return restored;
}

// The chart-key indexes are cached per process (stacks/chartKeys.ts); Stryker runs the suite again in
// the same process for each mutant, so a mutant in the loader would only ever meet the cache. Start
// every run without it.
const originalRunnerRun = Mocha.Runner.prototype.run;
Mocha.Runner.prototype.run = function run(...args) {
    if (globalThis[NAMESPACE]) {
        if (pristine === undefined) {
            pristine = PROTOTYPES.map(snapshot);
        } else {
            const restored = restorePrototypes();
            if (restored.length > 0) {
                globalThis[NAMESPACE].restoredPrototypeKeys = [...(globalThis[NAMESPACE].restoredPrototypeKeys || []), ...restored];
                // For a look after a run: which keys a mutant had left on a built-in prototype.
                require("fs").appendFileSync(require("path").join(require("os").tmpdir(), "stryker-restored-prototypes.log"), `${new Date().toISOString()} ${restored.join(" ")}\n`);
            }
        }
        require("../../stacks/chartKeys").clearChartKeyIndexCache();
    }
    return originalRunnerRun.apply(this, args);
};
