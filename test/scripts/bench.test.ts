/**
 * The benchmark's pure parts: generated services, statistics and budget checks. No timing here: the
 * figures come from `npm run bench`, which prints them.
 */
import { expect } from "chai";
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    BenchRow,
    checkBudgets,
    checkEngineRatios,
    checkFloor,
    checkStartup,
    engineBenchStackFile,
    EngineBenchRow,
    engineRatio,
    floorRatio,
    formatBenchTable,
    formatEngineTable,
    formatStartupTable,
    generateServices,
    median,
    parameterizedPackage,
    perServiceCosts,
    PLAIN_PROGRAM_SOURCE,
    PLAIN_SECRET,
    plainProgramPlan,
    previewChanges,
    StateResource,
    StartupRow,
    withGeneratedServices,
} from "../../scripts/lib/bench";
import { evaluateProgram } from "../../scripts/lib/mockRuntime";
import { floorPlan, setFloorPlan } from "../../scripts/lib/registrationFloor";
import { PROJECT_ROOT } from "../../scripts/lib/render";
import { loadRenderConfig } from "../../scripts/lib/renderConfig";
import { parseStackConfig, rawConfigFromPulumi } from "../../stacks/config";
import { ConfigError } from "../../stacks/validation";
import * as YAML from "yaml";

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

    describe("the engine's figures (--engine)", () => {
        const SIG = "4dabf18193072939515e22adb298388d";
        const secret = (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });
        const urn = (typeChain: string, name: string) => `urn:pulumi:prod::homelab-sso::${typeChain}::${name}`;
        const STACK_URN = urn("pulumi:pulumi:Stack", "homelab-sso-prod");
        const K8S = urn("pulumi:providers:kubernetes", "k8s");
        const AK_DEFAULT = urn("pulumi:providers:authentik", "default_2025_12_1");
        const PLATFORM = urn("homelab:authentik:Platform", "authentik");
        const CHART = urn("homelab:authentik:Platform$kubernetes:helm.sh/v4:Chart", "authentik-chart");
        /** A deployed stack's state as `pulumi stack export --show-secrets` has it: a remote Chart with a child, an explicit and a default provider. */
        const state: StateResource[] = [
            { urn: STACK_URN, type: "pulumi:pulumi:Stack", custom: false },
            { urn: K8S, type: "pulumi:providers:kubernetes", custom: true, id: "k8s-id", parent: STACK_URN, inputs: { kubeconfig: secret("apiVersion: v1"), version: "4.34.2" } },
            { urn: AK_DEFAULT, type: "pulumi:providers:authentik", custom: true, id: "ak-id", inputs: { url: "http://127.0.0.1:1", version: "2025.12.1" } },
            { urn: PLATFORM, type: "homelab:authentik:Platform", custom: false, parent: STACK_URN, inputs: {} },
            { urn: CHART, type: "kubernetes:helm.sh/v4:Chart", custom: false, parent: PLATFORM, inputs: { chart: "authentik", values: { secret_key: secret("s3cret") } } },
            {
                urn: urn("homelab:authentik:Platform$kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment", "authentik-chart:authentik/authentik-server"),
                type: "kubernetes:apps/v1:Deployment", custom: true, id: "authentik/authentik-server", parent: CHART, provider: `${K8S}::k8s-id`,
                inputs: { metadata: { name: "authentik-server" } }, retainOnDelete: true,
            },
            {
                urn: urn("homelab:authentik:Platform$authentik:index/providerOauth2:ProviderOauth2", "grafana"),
                type: "authentik:index/providerOauth2:ProviderOauth2", custom: true, id: "1", parent: PLATFORM, provider: `${AK_DEFAULT}::ak-id`,
                inputs: { name: "grafana", clientSecret: secret("cs") }, protect: true,
            },
        ];
        const sdk = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "sdks/authentik/package.json"), "utf8")).pulumi;
        const authentikPackage = parameterizedPackage(sdk)!;

        it("real ÷ plain, NaN without two positive medians", () => {
            expect(engineRatio(1300, 1000)).to.equal(1.3);
            expect(engineRatio(1000, 0)).to.be.NaN;
            expect(engineRatio(NaN, 1000)).to.be.NaN;
            expect(median([30, 10, 20])).to.equal(20);
        });

        it("prints real ÷ plain per size from the medians, and checks each against the 1.3× target (MISS does not fail)", () => {
            const rows: EngineBenchRow[] = [
                { services: 200, resources: 1100, deploySeconds: 300, realMs: [30000, 26000, 28000], plainMs: [20000, 21000, 19000] },
                { services: 0, resources: 56, deploySeconds: 28, realMs: [12000, 14000, 13000], plainMs: [11000, 10000, 12000] },
            ];
            const lines = formatEngineTable(rows);
            expect(lines[2]).to.match(/^\s+0\s+56\s+28\s+13000\s+12000 14000 13000\s+11000\s+11000 10000 12000\s+1\.18×$/);
            expect(lines[3]).to.match(/^\s+200\s+1100\s+300\s+28000 .*\s+20000 .*\s+1\.40×$/);
            const checks = checkEngineRatios(rows);
            expect(checks.map((c) => c.status)).to.deep.equal(["PASS", "MISS"]);
            expect(checks[1].detail).to.equal("28000 ms against 20000 ms for 1100 resources: 1.40×");
        });

        it("derives the prod-shaped stack file: loopback API URL, no kube context, no second-run appOfApps, N generated services beside prod's own", () => {
            const committed = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8"));
            const derived = engineBenchStackFile(committed, "http://127.0.0.1:4321", 50);
            expect(derived.config).to.not.have.property("kubernetes:context");
            expect(derived.config["homelab-sso:authentik"]).to.deep.equal({ ...committed.config["homelab-sso:authentik"], apiUrl: "http://127.0.0.1:4321" });
            expect(derived.config["homelab-sso:bootstrap"]).to.not.have.property("appOfApps");
            expect(derived.config["homelab-sso:bootstrap"]).to.include({ esoMachineIdentity: true });
            expect(derived.config["homelab-sso:secrets"]).to.deep.equal(committed.config["homelab-sso:secrets"]);
            const services = Object.keys(derived.config["homelab-sso:services"] as object);
            expect(services).to.have.length(52).and.include.members(["grafana", "argocd", "bench-001", "bench-050"]);
            expect(Object.keys(engineBenchStackFile(committed, "http://x", 0).config["homelab-sso:services"] as object)).to.deep.equal(["grafana", "argocd"]);
            // The committed stack is not changed in place.
            expect(committed.config).to.have.property("kubernetes:context");
            // The derived stack passes the program's own validation, with the three secrets the bench sets by `pulumi config set --secret`.
            const raw: { [key: string]: string } = { "authentik:token": "t", "homelab-sso:infisicalClientId": "i", "homelab-sso:infisicalClientSecret": "s" };
            for (const [key, value] of Object.entries(derived.config)) raw[key] = typeof value === "string" ? value : JSON.stringify(value);
            expect(() => parseStackConfig(rawConfigFromPulumi(raw))).to.not.throw();
        });

        it("plans the plain program from the state: no stack or default providers, parents and explicit providers by index, versions, packages, secrets marked", () => {
            const plan = plainProgramPlan(state, { authentik: authentikPackage });
            expect(plan.packages.authentik).to.deep.equal({
                baseProviderName: "terraform-provider", baseProviderVersion: sdk.version, baseProviderDownloadUrl: "",
                packageName: "authentik", packageVersion: "2025.12.1", base64Parameter: sdk.parameterization.value,
            });
            expect(plan.resources).to.deep.equal([
                { type: "pulumi:providers:kubernetes", name: "k8s", custom: true, version: "4.34.2", inputs: { kubeconfig: { [PLAIN_SECRET]: "apiVersion: v1" }, version: "4.34.2" } },
                { type: "homelab:authentik:Platform", name: "authentik", custom: false, inputs: {} },
                { type: "kubernetes:helm.sh/v4:Chart", name: "authentik-chart", custom: false, parent: 1, inputs: { chart: "authentik", values: { secret_key: { [PLAIN_SECRET]: "s3cret" } } } },
                {
                    type: "kubernetes:apps/v1:Deployment", name: "authentik-chart:authentik/authentik-server", custom: true, parent: 2, provider: 0,
                    version: "4.34.2", retainOnDelete: true, inputs: { metadata: { name: "authentik-server" } },
                },
                {
                    type: "authentik:index/providerOauth2:ProviderOauth2", name: "grafana", custom: true, parent: 1, version: "2025.12.1",
                    package: "authentik", protect: true, inputs: { name: "grafana", clientSecret: { [PLAIN_SECRET]: "cs" } },
                },
            ]);
        });

        it("refuses a state it cannot reproduce as plain data, naming the resource", () => {
            const encrypted = state.map((r) => (r.urn === K8S ? { ...r, inputs: { kubeconfig: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" } } } : r));
            expect(() => plainProgramPlan(encrypted)).to.throw(`${K8S}.kubeconfig: a secret without plaintext (export with --show-secrets)`);
            const asset = state.map((r) => (r.urn === K8S ? { ...r, inputs: { file: { [SIG]: "c44067f5952c0a294b673a41bacd8c17", path: "x" } } } : r));
            expect(() => plainProgramPlan(asset)).to.throw(`${K8S}.file: a value of signature c44067f5952c0a294b673a41bacd8c17 (asset, archive or resource reference)`);
            expect(() => plainProgramPlan([...state.slice(0, 4), ...state.slice(5), state[4]])).to.throw(`its parent ${CHART} is not registered before it`);
        });

        it("the generated plain program registers the plan under the mocks: same types, names, parents, providers, inputs, secrets and options, and no invokes", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plain-"));
            try {
                fs.writeFileSync(path.join(dir, "index.ts"), PLAIN_PROGRAM_SOURCE);
                fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(plainProgramPlan(state, { authentik: authentikPackage })));
                fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
                const evaluation = await evaluateProgram({ stack: "prod", config: {}, secretKeys: [], program: path.join(dir, "index.ts") });
                // The mocks' URNs carry only the parent's own type (the engine's carry the whole chain, as the state's do):
                // compare type, name and parent's name.
                const parentName = (parent: string | undefined) => (parent && !parent.endsWith("::homelab-sso-prod") ? parent.split("::").pop() : "");
                const shape = (r: { type: string; urn: string; parent?: string; custom?: boolean }) => `${r.type} ${r.urn.split("::").pop()} <- ${parentName(r.parent)} ${r.custom}`;
                const expected = state.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.urn.includes("::default_"));
                expect(evaluation.resources.map(shape)).to.have.members(expected.map(shape));
                expect(evaluation.invokes).to.deep.equal([]);
                const byName = new Map(evaluation.resources.map((r) => [r.name, r]));
                const deployment = byName.get("authentik-chart:authentik/authentik-server")!;
                expect(deployment).to.include({ provider: `${K8S}::${byName.get("k8s")!.id}`, retainOnDelete: true, custom: true });
                expect(deployment.inputs).to.deep.equal({ metadata: { name: "authentik-server" } });
                const oauth = byName.get("grafana")!;
                expect(oauth).to.include({ parent: PLATFORM, protect: true, provider: undefined });
                expect(JSON.stringify(oauth.inputs.clientSecret)).to.include(SIG).and.include("cs");
                expect(JSON.stringify(byName.get("authentik-chart")!.inputs)).to.include(SIG).and.include("s3cret");
                expect(JSON.stringify(byName.get("k8s")!.inputs.kubeconfig)).to.include(SIG);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("names every change a preview proposes, and nothing for a no-change preview", () => {
            expect(previewChanges({ steps: [{ op: "same", urn: "a" }], changeSummary: { same: 1 } })).to.deep.equal([]);
            expect(previewChanges({ steps: [{ op: "same", urn: "a" }, { op: "update", urn: "b", diffReasons: ["spec", "metadata"] }, { op: "create", urn: "c" }] }))
                .to.deep.equal(["update b (spec, metadata)", "create c"]);
            expect(previewChanges({ steps: [{ op: "update", urn: "b", detailedDiff: { "values.x": {} } }] })).to.deep.equal(["update b (values.x)"]);
            expect(previewChanges({ steps: [], changeSummary: { same: 3, update: 1 } })).to.deep.equal(["change summary update 1"]);
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

        it("--engine without the e2e build says what is missing and exits 1 (never skips the engine figures silently); bad --engine-runs exits 64", function () {
            this.timeout(120_000);
            const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), "bench-no-e2e-build-"));
            const tsNode = require.resolve("ts-node/dist/bin.js");
            const bench = path.join(PROJECT_ROOT, "scripts", "bench.ts");
            const runs = childProcess.spawnSync(process.execPath, [tsNode, "--transpile-only", bench, "--engine-only", "--engine-runs", "0"], { cwd: PROJECT_ROOT, encoding: "utf8" });
            expect(runs.status).to.equal(64);
            expect(runs.stderr).to.include("--engine-runs needs a positive integer");
            try {
                const result = childProcess.spawnSync(process.execPath, [tsNode, "--transpile-only", bench, "--engine-only"], {
                    cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: emptyCache },
                });
                expect(result.status, result.stderr).to.equal(1);
                expect(result.stderr).to.include("the engine section needs the e2e build").and.include(path.join(emptyCache, "homelab-sso/e2e/pulumi-"))
                    .and.include("bash e2e/build/build.sh").and.not.include("    at ");
                expect(result.stdout).to.not.include("real ÷ plain");
            } finally {
                fs.rmSync(emptyCache, { recursive: true, force: true });
            }
        });
    });
});
