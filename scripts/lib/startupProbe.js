// One start-up of the program as `pulumi preview`/`up` would start it, for `npm run bench` (scripts/bench.ts,
// which runs this in a fresh node process per measurement). Plain JavaScript on purpose: the process must start
// without ts-node, then register it the way @pulumi/pulumi cmd/run/run.js does, then load and evaluate the
// program (stack prod, under the same mocks as the tests) and print its timings as one JSON line.
//
// usage: node scripts/lib/startupProbe.js <stack> <pulumi|typecheck|transpile-only>
//   pulumi          Pulumi.yaml's runtime.options.tsconfig (PULUMI_NODEJS_TSCONFIG_PATH), transpileOnly from its
//                   own compilerOptions.noCheck: what the CLI does with this project.
//   typecheck       tsconfig.json, which has no noCheck: ts-node type-checks (the CLI's default).
//   transpile-only  tsconfig.json with PULUMI_NODEJS_TRANSPILE_ONLY=true: the floor for start-up.
"use strict";
const { performance } = require("perf_hooks");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const [stack, mode] = process.argv.slice(2);

/** Pulumi.yaml's runtime.options.tsconfig, as the language host passes it in PULUMI_NODEJS_TSCONFIG_PATH. */
function pulumiYamlTsconfig() {
    const YAML = require("yaml");
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    const options = project && project.runtime && project.runtime.options;
    return options && typeof options.tsconfig === "string" ? options.tsconfig : undefined;
}

/** The ts-node registration of @pulumi/pulumi cmd/run/run.js (CommonJS project, TypeScript >= 4.7). */
function registerLikePulumi(tsConfigPath, transpileOnlyEnv) {
    const semver = require("semver");
    const tsutils = require("@pulumi/pulumi/tsutils");
    const skipProject = !fs.existsSync(tsConfigPath);
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck;
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    const ts = require(typescriptRequire);
    const tsVersion = semver.parse(ts.version);
    const useNodeNext = tsVersion && tsVersion.compare(new semver.SemVer("4.7.0")) >= 0;
    require(tsnodeRequire).register({
        compiler: typescriptRequire,
        transpileOnly,
        project: tsConfigPath,
        skipProject,
        compilerOptions: {
            target: "ES2020",
            module: useNodeNext ? "nodenext" : "commonjs",
            moduleResolution: useNodeNext ? "nodenext" : "node",
            sourceMap: "true",
            ...compilerOptions,
        },
    });
    return { tsconfig: tsConfigPath, transpileOnly: Boolean(transpileOnly) };
}

async function main() {
    process.chdir(ROOT);
    let registered;
    if (mode === "pulumi") {
        const tsconfig = pulumiYamlTsconfig() || "tsconfig.json";
        registered = registerLikePulumi(tsconfig, process.env.PULUMI_NODEJS_TRANSPILE_ONLY);
    } else if (mode === "typecheck") {
        registered = registerLikePulumi("tsconfig.json", undefined);
    } else if (mode === "transpile-only") {
        registered = registerLikePulumi("tsconfig.json", "true");
    } else {
        throw new Error(`unknown mode ${JSON.stringify(mode)}; use pulumi, typecheck or transpile-only`);
    }
    const registeredAt = performance.now();
    const { evaluateProgram } = require("./mockRuntime");
    const { loadRenderConfig } = require("./renderConfig");
    const { config, secretKeys } = loadRenderConfig({ root: ROOT, stack });
    const evaluation = await evaluateProgram({ stack, config, secretKeys });
    const doneAt = performance.now();
    process.stdout.write(
        JSON.stringify({
            mode,
            ...registered,
            registeredMs: registeredAt,
            totalMs: doneAt,
            resources: evaluation.resources.length,
        }) + "\n",
    );
}

main().then(
    () => process.exit(0),
    (err) => {
        process.stderr.write(`startupProbe: ${(err && err.stack) || String(err)}\n`);
        process.exit(1);
    },
);
