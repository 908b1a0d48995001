// stryker.config.json with static mutants run: a mutant in a module-level constant is live from the
// first require, so Stryker restarts the test runner and runs the whole suite for each one (slow).
// `npm run mutate -- stryker.static.config.mjs --mutate <file>`.
import base from "./stryker.config.json" with { type: "json" };

export default { ...base, ignoreStatic: false };
