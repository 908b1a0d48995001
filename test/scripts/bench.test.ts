/**
 * The benchmark's pure parts: generated services, statistics and budget checks. No timing here: the
 * figures come from `npm run bench`, which prints them.
 */
import { expect } from "chai";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as path from "path";
import {
    BenchRow,
    checkBudgets,
    checkFloor,
    checkStartup,
    floorRatio,
    formatBenchTable,
    formatStartupTable,
    generateServices,
    median,
    perServiceCosts,
    StartupRow,
    withGeneratedServices,
} from "../../scripts/lib/bench";
import { evaluateProgram } from "../../scripts/lib/mockRuntime";
import { floorPlan, setFloorPlan } from "../../scripts/lib/registrationFloor";
import { PROJECT_ROOT } from "../../scripts/lib/render";
import { loadRenderConfig } from "../../scripts/lib/renderConfig";
import { parseStackConfig, rawConfigFromPulumi } from "../../stacks/config";
import { ConfigError } from "../../stacks/validation";

function row(services: number, resources: number, invokes: number, medianMs: number): BenchRow {
    return { services, resources, invokes, medianMs, runsMs: [medianMs] };
}

const base = row(0, 11, 4, 100);

describe("npm run bench (scripts/lib/bench)", () => {
    describe("generated services", () => {
        it("makes `count` distinct services in the homelab-sso:services format", () => {
            const services = generateServices(200);
            const entries = Object.entries(services);
            expect(entries).to.have.length(200);
            for (const [key, service] of entries) {
                expect(key).to.match(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
                expect(service.name).to.be.a("string").and.not.equal("");
                expect(service.group).to.be.a("string").and.not.equal("");
                expect(new URL(service.publicUrl).protocol).to.equal("https:");
                expect(service.publicUrl).to.not.match(/\/$/);
                expect(service.callbackPath).to.match(/^\/\S+$/);
            }
            const urls = entries.map(([, s]) => s.publicUrl);
            expect(new Set(urls).size).to.equal(200);
        });

        it("uses the same access groups at every size, so lookups cannot grow with services", () => {
            const groups = (n: number) => [...new Set(Object.values(generateServices(n)).map((s) => s.accessGroup).filter(Boolean))].sort();
            expect(groups(2)).to.deep.equal(groups(200));
        });

        it("keeps the stack's own services and adds the generated ones", () => {
            const own = { grafana: { name: "Grafana" } };
            const services = withGeneratedServices(own, 3);
            expect(Object.keys(services)).to.deep.equal(["grafana", "bench-001", "bench-002", "bench-003"]);
            expect(withGeneratedServices(undefined, 2)).to.have.all.keys("bench-001", "bench-002");
        });

        it("passes the program's own config validation, added to the prod stack's services", function () {
            const prod = loadRenderConfig({ root: PROJECT_ROOT, stack: "prod" });
            const own = prod.config["homelab-sso:services"] ? JSON.parse(prod.config["homelab-sso:services"]) : {};
            const { config } = loadRenderConfig({ root: PROJECT_ROOT, stack: "prod", set: { "homelab-sso:services": withGeneratedServices(own, 50) } });
            try {
                parseStackConfig(rawConfigFromPulumi(config));
            } catch (err) {
                const unknown = err instanceof ConfigError && err.problems.some((p) => p.key === "homelab-sso:services" && /unknown key/.test(p.message));
                if (unknown) {
                    // The program does not read homelab-sso:services yet; the bench then measures the base stack only.
                    this.skip();
                }
                throw err;
            }
        });
    });

    describe("statistics and budgets", () => {
        it("takes the median of odd and even counts", () => {
            expect(median([5, 1, 3])).to.equal(3);
            expect(median([4, 1, 3, 2])).to.equal(2.5);
        });

        it("computes the per-service cost against the base stack and the previous size", () => {
            const costs = perServiceCosts(base, [row(10, 61, 6, 400), row(2, 21, 6, 160)]);
            expect(costs.map((c) => c.services)).to.deep.equal([2, 10]);
            expect(costs[0]).to.include({ resourcesPerService: 5, msPerService: 30, marginalMs: 30 });
            expect(costs[1]).to.include({ resourcesPerService: 5, msPerService: 30, marginalResources: 5, marginalMs: 30 });
        });

        const linear = [row(2, 21, 6, 160), row(10, 61, 6, 400), row(50, 261, 6, 1600), row(200, 1011, 6, 6100)];

        it("passes a linear stack with constant invokes under the time budget", () => {
            expect(checkBudgets(base, linear).map((r) => r.status)).to.deep.equal(["PASS", "PASS", "PASS"]);
        });

        it("fails when invokes grow with services", () => {
            const growing = linear.map((r) => ({ ...r, invokes: 4 + r.services }));
            expect(checkBudgets(base, growing)[0]).to.include({ status: "FAIL" });
        });

        it("fails when time per service at 200 is more than 3x that at 10", () => {
            const quadratic = [row(2, 21, 6, 104), row(10, 61, 6, 200), row(50, 261, 6, 2600), row(200, 1011, 6, 9000)];
            const [, growth, limit] = checkBudgets(base, quadratic);
            expect(growth.status).to.equal("FAIL");
            expect(limit.status).to.equal("PASS");
        });

        it("fails when the largest stack takes 10 s or more", () => {
            const slow = [...linear.slice(0, 3), row(200, 1011, 6, 10_000)];
            expect(checkBudgets(base, slow)[2]).to.include({ status: "FAIL" });
        });

        it("does not let timer noise at 10 services fail the linearity check", () => {
            const noisy = [row(2, 21, 6, 100), row(10, 61, 6, 100), row(50, 261, 6, 130), row(200, 1011, 6, 400)];
            expect(checkBudgets(base, noisy)[1].status).to.equal("PASS");
        });

        it("skips the service budgets when only the base stack could be measured", () => {
            expect(checkBudgets(base, []).map((r) => r.status)).to.deep.equal(["SKIP", "SKIP", "PASS"]);
        });

        it("says so, and skips, when the growth check would compare a size with itself (--sizes up to 10)", () => {
            const [, growth] = checkBudgets(base, [row(2, 21, 6, 160), row(10, 61, 6, 400)]);
            expect(growth.status).to.equal("SKIP");
            expect(growth.detail).to.include("compare 10 services with itself");
        });

        it("prints one table line per size, the base stack first", () => {
            const lines = formatBenchTable(base, linear);
            expect(lines).to.have.length(2 + 1 + linear.length);
            expect(lines[2]).to.match(/^0 \(base\)\s+11\s+4\s+100/);
            expect(lines[lines.length - 1]).to.match(/^\s+200\s+1011\s+6\s+6100/);
        });
    });

    describe("registration floor", () => {
        const withFloor = (r: BenchRow, floorMs: number): BenchRow => ({ ...r, floor: { medianMs: floorMs, runsMs: [floorMs] } });

        it("prints program ÷ floor at every size and reports the largest against the 2.0× target (MISS does not fail the bench)", () => {
            const rows = [withFloor(row(10, 61, 6, 400), 200), withFloor(row(200, 1011, 6, 6000), 2000)];
            expect(floorRatio(rows[1])).to.equal(3);
            const lines = formatBenchTable(withFloor(base, 50), rows);
            expect(lines[2]).to.match(/\s50\s+2\.00×$/);
            expect(lines[lines.length - 1]).to.match(/\s2000\s+3\.00×$/);
            expect(checkFloor(base, rows)).to.include({ status: "MISS" });
            expect(checkFloor(base, rows).detail).to.include("3.00×");
            expect(checkFloor(base, [withFloor(row(200, 1011, 6, 3900), 2000)])).to.include({ status: "PASS" });
            expect(checkFloor(base, [])).to.include({ status: "SKIP" });
        });

        it("registers the program's resources again, same count, types, nesting and inputs (plain), under the same mocks", async () => {
            const prod = loadRenderConfig({ root: PROJECT_ROOT, stack: "prod" });
            const program = await evaluateProgram({ stack: "prod", config: prod.config, secretKeys: prod.secretKeys });
            const plan = floorPlan(program);
            setFloorPlan(plan);
            const floor = await evaluateProgram({
                stack: "prod",
                config: prod.config,
                secretKeys: prod.secretKeys,
                program: path.join(PROJECT_ROOT, "scripts", "lib", "floorProgram.ts"),
            });
            const shape = (e: typeof program) => e.resources.map((r) => `${r.type} ${r.name} <- ${r.parent} ${r.custom}`).sort();
            expect(shape(floor)).to.deep.equal(shape(program));
            expect(floor.invokes).to.deep.equal([]);
            const secretIn = program.resources.find((r) => JSON.stringify(r.inputs).includes("4dabf18193072939515e22adb298388d"))!;
            const again = floor.resources.find((r) => r.type === secretIn.type && r.name === secretIn.name)!;
            expect(JSON.stringify(again.inputs)).to.not.include("4dabf18193072939515e22adb298388d");
        });
    });

    describe("start-up as pulumi runs the program", () => {
        const startup = (mode: StartupRow["mode"], ms: number, transpileOnly = true): StartupRow => ({
            mode,
            tsconfig: mode === "pulumi" ? "tsconfig.pulumi.json" : "tsconfig.json",
            transpileOnly,
            runsMs: [ms],
            medianMs: ms,
        });

        it("checks 1.5 s and 1.5× transpile-only, and prints the ratio to type-checked start-up", () => {
            const good = [startup("pulumi", 1000), startup("transpile-only", 900), startup("typecheck", 3000, false)];
            const results = checkStartup(good);
            expect(results.map((r) => r.status)).to.deep.equal(["PASS", "PASS"]);
            expect(results[0].detail).to.include("3.00× as long");
            expect(results[1].detail).to.include("1.11×");
            const slow = checkStartup([startup("pulumi", 1600), startup("transpile-only", 900)]);
            expect(slow.map((r) => r.status)).to.deep.equal(["FAIL", "FAIL"]);
            const lines = formatStartupTable(good);
            expect(lines[2]).to.match(/^pulumi\s+tsconfig\.pulumi\.json\s+no\s+1000/);
            expect(lines[4]).to.match(/^typecheck\s+tsconfig\.json\s+yes\s+3000/);
        });

        it("the probe registers ts-node as @pulumi/pulumi cmd/run does (a change there fails this)", () => {
            const run = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/run/run.js"), "utf8");
            for (const fragment of [
                'process.env["PULUMI_NODEJS_TSCONFIG_PATH"] ?? defaultTsConfigPath',
                "tsutils.loadTypeScriptCompilerOptions(tsConfigPath)",
                'transpileOnly = transpileOnlyEnv === "true"',
                "transpileOnly = compilerOptions.noCheck",
                'module: useNodeNext ? "nodenext" : "commonjs"',
                "...compilerOptions,",
                "tsn.register(options)",
            ]) {
                expect(run, fragment).to.include(fragment);
            }
        });

        it("the probe starts the prod stack with Pulumi.yaml's tsconfig and no type check", function () {
            this.timeout(60_000);
            const probe = path.join(PROJECT_ROOT, "scripts", "lib", "startupProbe.js");
            const env = { ...process.env };
            delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
            const result = childProcess.spawnSync(process.execPath, [probe, "prod", "pulumi"], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
            expect(result.status, result.stderr).to.equal(0);
            const reported = JSON.parse(result.stdout.trim());
            expect(reported).to.include({ mode: "pulumi", tsconfig: "tsconfig.pulumi.json", transpileOnly: true });
            expect(reported.resources).to.be.greaterThan(10);
        });
    });

    describe("the command line", () => {
        it("--help and -h print the usage and exit 0; an unknown argument exits 64 with the usage, no stack trace", function () {
            this.timeout(60_000);
            const bench = path.join(PROJECT_ROOT, "scripts", "bench.ts");
            const tsNode = require.resolve("ts-node/dist/bin.js");
            for (const flag of ["--help", "-h"]) {
                const result = childProcess.spawnSync(process.execPath, [tsNode, "--transpile-only", bench, flag], { cwd: PROJECT_ROOT, encoding: "utf8" });
                expect(result.status, result.stderr).to.equal(0);
                expect(result.stdout).to.match(/^usage: npm run bench/);
            }
            const bad = childProcess.spawnSync(process.execPath, [tsNode, "--transpile-only", bench, "--bogus"], { cwd: PROJECT_ROOT, encoding: "utf8" });
            expect(bad.status).to.equal(64);
            expect(bad.stderr).to.include('unknown argument "--bogus"').and.include("usage: npm run bench").and.not.include("    at ");
        });
    });
});
