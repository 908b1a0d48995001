// mocha's settings. `npm test` and a bare `mocha` run every test file; `npx mocha test/stack.test.ts`
// (any test file or directory named on the command line) runs only that: a spec in a static config
// would be added to the named file instead of replaced by it.
"use strict";
const fs = require("fs");

const named = process.argv.slice(2).filter((arg) => !arg.startsWith("-") && /\.ts$|(^|\/)test(\/|$)/.test(arg) && fs.existsSync(arg));

module.exports = {
    require: ["ts-node/register/transpile-only"],
    extension: ["ts"],
    spec: named.length > 0 ? [] : ["test/**/*.test.ts"],
    timeout: 20000,
    reporter: "./test/support/summaryReporter.js",
};
