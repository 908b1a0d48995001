/**
 * `NODE_OPTIONS=--require e2e/program/preload.js` with E2E_PROGRAM_MAIN=<path of a program's index.ts>:
 * registers the e2e's stack transforms (transforms.ts) just before @pulumi/pulumi's runner loads that
 * program, so that the README's own `pulumi preview`/`up`, run from a copy of the repository with the
 * project's Pulumi.yaml, reach the stand-in charts without a second entry program. By then the runner
 * has configured Pulumi's runtime and registered ts-node. Any other process (npm, the render) loads
 * nothing: E2E_PROGRAM_MAIN is set for the pulumi commands only.
 */
"use strict";
const Module = require("module");
const fs = require("fs");
const path = require("path");

const target = process.env.E2E_PROGRAM_MAIN;
if (target) {
    const realTarget = fs.realpathSync(target);
    const load = Module._load;
    let registered = false;
    Module._load = function (request, parent, isMain) {
        if (!registered && parent) {
            let file;
            try {
                file = fs.realpathSync(Module._resolveFilename(request, parent, isMain));
            } catch {
                file = undefined;
            }
            if (file === realTarget) {
                registered = true;
                require(path.join(__dirname, "transforms.ts")).registerE2eTransforms();
            }
        }
        return load.apply(this, arguments);
    };
}
