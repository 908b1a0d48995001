// The stand-in in sdks/authentik has the files Pulumi's Node.js generator writes for a local SDK, byte for byte
// (rules and sources: scripts/lib/sdkGenerator.ts), so that `pulumi install`, which replaces the folder with the
// generated SDK, changes nothing else in the repository. And the project consumes the SDK compiled, like any
// npm package: the root build never type-checks sdks/.

import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import * as ts from "typescript";
import * as YAML from "yaml";
import {
    GENERATOR_RULES,
    generatedPackageJson,
    generatedTsconfig,
    postinstallTypePackages,
    withGeneratorHeader,
} from "../../scripts/lib/sdkGenerator";
import { fixture, sdkDir, sdkMainDir } from "./harness";

const ROOT = path.resolve(__dirname, "..", "..");

function read(file: string): string {
    return fs.readFileSync(path.join(sdkDir, file), "utf8");
}

/** The SDK's TypeScript modules, relative to its root, as the generator lists them (bin/ and node_modules/ aside). */
function sdkModules(dir = sdkDir, prefix = ""): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
            if (!["bin", "node_modules"].includes(entry.name)) {
                out.push(...sdkModules(path.join(dir, entry.name), `${prefix}${entry.name}/`));
            }
        } else if (entry.name.endsWith(".ts")) {
            out.push(`${prefix}${entry.name}`);
        }
    }
    return out;
}

function parseTsconfig(file: string): ts.ParsedCommandLine {
    const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
    });
    return parsed!;
}

describe("@pulumi/authentik in the generator's shape (pulumi/pulumi pkg/codegen/nodejs/gen.go)", () => {
    describe("metadata files", () => {
        it("package.json is genNPMPackageMetadata's for this parameterized local SDK, byte for byte", () => {
            expect(read("package.json")).to.equal(generatedPackageJson(fixture.package));
        });

        it("package.json: main bin/index.js, build/postinstall scripts, typescript and @types/node as dependencies", () => {
            const pkg = JSON.parse(read("package.json"));
            expect(pkg.main).to.equal("bin/index.js");
            expect(pkg.scripts).to.deep.equal({ build: "tsc", postinstall: "node ./scripts/postinstall.js" });
            expect(pkg.dependencies).to.deep.equal({ "@pulumi/pulumi": "^3.238.0", "@types/node": "^20", typescript: "^4.7.0" });
            expect(pkg).to.not.have.property("types");
            expect(pkg).to.not.have.property("devDependencies");
        });

        it("tsconfig.json is genTypeScriptProjectFile's, listing every module under files", () => {
            expect(read("tsconfig.json")).to.equal(generatedTsconfig(sdkModules()));
            expect(sdkModules()).to.include.members(["index.ts", "utilities.ts", "provider.ts", "config/vars.ts", "types/output.ts"]);
        });

        it(".gitignore is genGitignoreFile's and .gitattributes GenGitAttributesFile's", () => {
            expect(read(".gitignore")).to.equal(GENERATOR_RULES.gitignore.text);
            expect(read(".gitignore")).to.equal("node_modules/\nbin/\n");
            expect(read(".gitattributes")).to.equal(GENERATOR_RULES.gitattributes.text);
        });
    });

    describe("scripts/postinstall.js (genPostInstallScript's behaviour)", () => {
        // Runs the script in a scratch copy with a stand-in `tsc` first on PATH, which records how it was called.
        function runPostinstall(fakeTscExit: number): { status: number | null; calls: string[]; dir: string; stderr: string } {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-postinstall-"));
            fs.mkdirSync(path.join(dir, "scripts"));
            fs.mkdirSync(path.join(dir, "tools"));
            fs.copyFileSync(path.join(sdkDir, GENERATOR_RULES.postinstall.file), path.join(dir, GENERATOR_RULES.postinstall.file));
            fs.copyFileSync(path.join(sdkDir, "package.json"), path.join(dir, "package.json"));
            const log = path.join(dir, "tsc-calls.log");
            const fakeTsc = path.join(dir, "tools", "tsc");
            fs.writeFileSync(
                fakeTsc,
                `#!/bin/sh\necho "$PWD $*" >> "${log}"\nmkdir -p bin\nexit ${fakeTscExit}\n`,
                { mode: 0o755 },
            );
            const result = childProcess.spawnSync(process.execPath, [path.join(dir, GENERATOR_RULES.postinstall.file)], {
                cwd: os.tmpdir(),
                env: { ...process.env, PATH: `${path.join(dir, "tools")}${path.delimiter}${process.env.PATH}` },
                encoding: "utf8",
            });
            const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
            return { status: result.status, calls, dir, stderr: result.stderr };
        }

        it("is what package.json's postinstall runs", () => {
            expect(JSON.parse(read("package.json")).scripts.postinstall).to.equal(GENERATOR_RULES.packageJson.scripts.postinstall);
            expect(fs.existsSync(path.join(sdkDir, GENERATOR_RULES.postinstall.file))).to.equal(true);
        });

        it("runs tsc in the package root with --types from its @types dependencies, then copies package.json into bin/", () => {
            const run = runPostinstall(0);
            try {
                expect(run.status, run.stderr).to.equal(0);
                const types = postinstallTypePackages(JSON.parse(read("package.json")));
                expect(types).to.deep.equal(["node"]);
                const [program, ...args] = GENERATOR_RULES.postinstall.command(types);
                expect(program).to.equal("tsc");
                expect(run.calls).to.deep.equal([[fs.realpathSync(run.dir), ...args].join(" ")]);
                expect(fs.readFileSync(path.join(run.dir, "bin", "package.json"), "utf8")).to.equal(read("package.json"));
            } finally {
                fs.rmSync(run.dir, { recursive: true, force: true });
            }
        });

        it("fails the install (exit 1) when tsc fails", () => {
            const run = runPostinstall(2);
            try {
                expect(run.status).to.equal(1);
                expect(fs.existsSync(path.join(run.dir, "bin", "package.json"))).to.equal(false);
            } finally {
                fs.rmSync(run.dir, { recursive: true, force: true });
            }
        });
    });

    describe("the compiled package the project loads", () => {
        it("resolves @pulumi/authentik to bin/, built from the current sources (run `npm rebuild @pulumi/authentik` after editing them)", () => {
            expect(sdkMainDir).to.equal(path.join(fs.realpathSync(sdkDir), "bin"));
            expect(fs.readFileSync(path.join(sdkMainDir, "package.json"), "utf8")).to.equal(read("package.json"));
            for (const module of sdkModules()) {
                const compiled = path.join(sdkMainDir, module.replace(/\.ts$/, ".js"));
                const declarations = path.join(sdkMainDir, module.replace(/\.ts$/, ".d.ts"));
                expect(fs.existsSync(compiled), compiled).to.equal(true);
                expect(fs.existsSync(declarations), declarations).to.equal(true);
                expect(fs.statSync(compiled).mtimeMs, `${module} is newer than its build`).to.be.at.least(fs.statSync(path.join(sdkDir, module)).mtimeMs);
            }
        });

        it("the committed lock holds the SDK's dependencies, and only one @pulumi/pulumi serves program and SDK", () => {
            const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
            const pkg = JSON.parse(read("package.json"));
            expect(lock.packages[fixture.package.sdkFolder].dependencies).to.deep.equal(pkg.dependencies);
            expect(lock.packages[`node_modules/${fixture.package.npmName}`]).to.deep.include({ resolved: fixture.package.sdkFolder, link: true });
            for (const dependency of Object.keys(pkg.dependencies)) {
                const nested = lock.packages[`${fixture.package.sdkFolder}/node_modules/${dependency}`];
                const hoisted = lock.packages[`node_modules/${dependency}`];
                expect(nested ?? hoisted, dependency).to.not.equal(undefined);
            }
            expect(lock.packages[`${fixture.package.sdkFolder}/node_modules/@pulumi/pulumi`]).to.equal(undefined);
            expect(require.resolve("@pulumi/pulumi", { paths: [sdkMainDir] })).to.equal(require.resolve("@pulumi/pulumi"));
        });
    });

    describe("the root build", () => {
        for (const config of ["tsconfig.json", "tsconfig.pulumi.json"]) {
            it(`${config} compiles no file under sdks/`, () => {
                const parsed = parseTsconfig(path.join(ROOT, config));
                expect(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).to.deep.equal([]);
                const sdkFiles = parsed.fileNames.filter((f) => path.relative(ROOT, f).split(path.sep)[0] === "sdks");
                expect(sdkFiles).to.deep.equal([]);
                expect(parsed.fileNames.map((f) => path.relative(ROOT, f))).to.include("index.ts");
            });
        }

        it("type-checks in npm run build; `pulumi` runs the program with Pulumi.yaml's tsconfig, whose own compilerOptions set noCheck", () => {
            // @pulumi/pulumi cmd/run reads only the named file's own compilerOptions (not `extends`) for noCheck.
            const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
            const pulumiTsconfig: string = project.runtime.options.tsconfig;
            expect(pulumiTsconfig).to.equal("tsconfig.pulumi.json");
            const own = ts.parseConfigFileTextToJson(pulumiTsconfig, fs.readFileSync(path.join(ROOT, pulumiTsconfig), "utf8")).config;
            expect(own.compilerOptions.noCheck).to.equal(true);
            expect(parseTsconfig(path.join(ROOT, "tsconfig.json")).options.noCheck).to.equal(undefined);
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
            expect(pkg.scripts.build).to.equal("tsc --noEmit -p tsconfig.json");
            expect(pkg.scripts.test).to.match(/^npm run build && /);
        });

        it("sees the SDK only through its compiled declarations, which skipLibCheck leaves unchecked", () => {
            const { options } = parseTsconfig(path.join(ROOT, "tsconfig.json"));
            expect(options.skipLibCheck).to.equal(true);
            const resolved = ts.resolveModuleName("@pulumi/authentik", path.join(ROOT, "index.ts"), options, ts.sys).resolvedModule;
            expect(resolved, "@pulumi/authentik resolves").to.not.equal(undefined);
            expect(resolved!.extension).to.equal(ts.Extension.Dts);
            expect(fs.realpathSync(resolved!.resolvedFileName)).to.equal(path.join(fs.realpathSync(sdkDir), "bin", "index.d.ts"));
        });

        it("imports no SDK source by path anywhere in the project", () => {
            const offenders: string[] = [];
            const walk = (dir: string) => {
                for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                    const full = path.join(dir, entry.name);
                    if (entry.isDirectory()) {
                        if (!["node_modules", "sdks", ".git", ".tools", "bin", "out"].includes(entry.name)) {
                            walk(full);
                        }
                    } else if (/\.(ts|js)$/.test(entry.name)) {
                        const text = fs.readFileSync(full, "utf8");
                        if (/(from|require\(|import\()\s*["'`][^"'`]*sdks\//.test(text) || /@pulumi\/authentik\/(?!package\.json)/.test(text)) {
                            offenders.push(path.relative(ROOT, full));
                        }
                    }
                }
            };
            walk(ROOT);
            expect(offenders).to.deep.equal([]);
        });
    });

    describe("withGeneratorHeader (used by npm run sdk:regenerate-check)", () => {
        it("puts the generator's header and namespace imports in place of the stand-in's own", () => {
            const out = withGeneratorHeader(read("index.ts"), ".");
            const lines = out.split("\n");
            expect(lines.slice(0, 2)).to.deep.equal([...GENERATOR_RULES.modules.header]);
            expect(lines.slice(3, 7)).to.deep.equal(GENERATOR_RULES.modules.namespaceImports("."));
            expect(out.match(/^import \* as pulumi from/gm)).to.have.length(1);
            expect(out).to.include('utilities.lazyLoad(exports, ["Application"]');
            expect(withGeneratorHeader(read("config/vars.ts"), "..")).to.include('import * as inputs from "../types/input";');
        });
    });
});
