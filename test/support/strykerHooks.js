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

// The chart-key indexes are cached per process (stacks/chartKeys.ts); Stryker runs the suite again in
// the same process for each mutant, so a mutant in the loader would only ever meet the cache. Start
// every run without it.
const originalRunnerRun = Mocha.Runner.prototype.run;
Mocha.Runner.prototype.run = function run(...args) {
    if (globalThis[NAMESPACE]) {
        require("../../stacks/chartKeys").clearChartKeyIndexCache();
    }
    return originalRunnerRun.apply(this, args);
};
