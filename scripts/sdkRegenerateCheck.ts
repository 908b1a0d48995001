/**
 * `npm run sdk:regenerate-check [-- --keep]`
 *
 * Replays what `pulumi install` does to sdks/authentik, without the Pulumi CLI, and checks that nothing else in
 * the repository has to change. In a scratch copy of the working tree:
 * 1. every SDK module gets the generator's header and namespace imports (`pulumi`, `inputs`, `outputs`,
 *    `utilities`), used or not, as generated modules carry them; package.json becomes the generator's
 *    (scripts/lib/sdkGenerator.ts generatedPackageJson);
 * 2. `npm ci` against the committed package-lock.json (install scripts off, then the SDK's postinstall through
 *    `npm rebuild @pulumi/authentik`, exactly `npm run setup`), and the lock must stay byte-identical;
 * 3. `npm run build` and `npm test`.
 * Exits 0 when all pass. Uses the npm cache first (`--prefer-offline`); needs no Pulumi CLI and no plugin.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generatedPackageJson, GENERATOR_RULES, SdkIdentity, withGeneratorHeader } from "./lib/sdkGenerator";

const ROOT = path.resolve(__dirname, "..");
const SDK = path.join("sdks", "authentik");
const FIXTURE = path.join(ROOT, "test", "fixtures", "authentik-schema-2025.12.1.json");

function usage(): string {
    return "usage: npm run sdk:regenerate-check [-- --keep]   (--keep leaves the scratch copy for inspection)";
}

/** The working tree's files (tracked and untracked, not ignored), relative to ROOT. */
function projectFiles(): string[] {
    const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
    if (listed.status !== 0) {
        throw new Error(`git ls-files failed: ${listed.stderr}`);
    }
    return listed.stdout.split("\0").filter((f) => f && fs.existsSync(path.join(ROOT, f)));
}

function run(cwd: string, command: string, args: string[]): void {
    console.log(`\n$ ${[command, ...args].join(" ")}`);
    const result = spawnSync(command, args, {
        cwd,
        stdio: "inherit",
        env: { ...process.env, npm_config_prefer_offline: "true" },
    });
    if (result.status !== 0) {
        throw new Error(`'${[command, ...args].join(" ")}' failed (exit ${result.status ?? result.signal})`);
    }
}

/** Rewrites every SDK module as the generator could emit it; returns the modules touched. */
function regenerateModules(sdkRoot: string, dir = sdkRoot): string[] {
    const touched: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (!["bin", "node_modules"].includes(entry.name)) {
                touched.push(...regenerateModules(sdkRoot, full));
            }
            continue;
        }
        if (!entry.name.endsWith(".ts")) {
            continue;
        }
        const rel = path.relative(sdkRoot, full).split(path.sep).join("/");
        const relRoot = path.posix.relative(path.posix.dirname(rel), ".") || ".";
        const source = fs.readFileSync(full, "utf8");
        // utilities.ts is the module the others import as `utilities`: it only gets the header.
        const regenerated =
            rel === "utilities.ts"
                ? [...GENERATOR_RULES.modules.header, "", source.replace(/^(\/\/.*\n|\s*\n)*/, "")].join("\n")
                : withGeneratorHeader(source, relRoot);
        fs.writeFileSync(full, regenerated);
        touched.push(rel);
    }
    return touched;
}

function main(argv: string[]): number {
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(usage());
        return 0;
    }
    const unknown = argv.filter((a) => a !== "--keep");
    if (unknown.length) {
        console.error(`sdk:regenerate-check: unknown argument ${JSON.stringify(unknown[0])}\n${usage()}`);
        return 2;
    }
    const keep = argv.includes("--keep");
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-regenerate-"));
    console.log(`sdk:regenerate-check: scratch copy in ${scratch}`);
    try {
        for (const file of projectFiles()) {
            fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
            fs.copyFileSync(path.join(ROOT, file), path.join(scratch, file));
        }
        const sdkRoot = path.join(scratch, SDK);
        const touched = regenerateModules(sdkRoot);
        const identity = (JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as { package: SdkIdentity }).package;
        fs.writeFileSync(path.join(sdkRoot, "package.json"), generatedPackageJson(identity));
        console.log(`replaced ${touched.length} SDK modules (generator header + namespace imports) and package.json`);

        const lockBefore = fs.readFileSync(path.join(scratch, "package-lock.json"), "utf8");
        run(scratch, "npm", ["ci", "--ignore-scripts"]);
        run(scratch, "npm", ["rebuild", "@pulumi/authentik", "--ignore-scripts=false"]);
        if (fs.readFileSync(path.join(scratch, "package-lock.json"), "utf8") !== lockBefore) {
            throw new Error("npm ci changed package-lock.json: the committed lock does not hold the generated SDK's dependencies");
        }
        run(scratch, "npm", ["run", "build"]);
        run(scratch, "npm", ["test"]);
        console.log("\nsdk:regenerate-check: PASS (regenerated SDK modules and package.json; npm ci, build and test unchanged)");
        return 0;
    } finally {
        if (keep) {
            console.log(`kept ${scratch}`);
        } else {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    }
}

try {
    process.exitCode = main(process.argv.slice(2));
} catch (err) {
    console.error(`sdk:regenerate-check: FAIL: ${(err as Error).message}`);
    process.exitCode = 1;
}
