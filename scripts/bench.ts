/**
 * `npm run bench [-- --runs <n>] [--sizes 2,10,50,200]`
 *
 * 1. Start-up: the prod stack started and evaluated in a fresh node process, with ts-node registered as
 *    `pulumi` registers it (scripts/lib/startupProbe.js), against transpile-only and type-checked start-ups.
 * 2. Evaluates the real program (stack prod with N generated OIDC services added to its own) under the
 *    mock runtime and prints, per size: resources registered, invokes made, median evaluation time of
 *    several runs after a warm-up, the per-service cost, and the registration floor (the same count and
 *    nesting of bare resources under the same mocks) with program ÷ floor.
 * Then checks the budgets (docs/performance.md) and prints PASS/FAIL lines; exits 1 when a budget fails.
 * 3. With --engine (or --engine-only): the engine's own figures (scripts/lib/engineBench.ts): a no-change
 *    `pulumi preview` of the prod-shaped stack deployed on the e2e's loopback cluster, with 0, 50 and 200
 *    generated services, against a plain program registering the same resources; real ÷ plain per size.
 *    Needs the e2e build (e2e/build/build.sh): without it the bench says what is missing and exits 1.
 * A script that prints figures, not a timed test.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { ConfigError } from "../stacks/validation";
import {
    BENCH_RUNS,
    BENCH_SIZES,
    BenchRow,
    checkEngineRatios,
    ENGINE_BENCH_RUNS,
    ENGINE_BENCH_SIZES,
    EngineBenchRow,
    formatEngineTable,
    BudgetResult,
    checkBudgets,
    checkFloor,
    checkStartup,
    formatBenchTable,
    formatStartupTable,
    median,
    StartupMode,
    StartupRow,
    withGeneratedServices,
} from "./lib/bench";
import { CliOptions, cliTokens } from "./lib/cliArgs";
import { evaluateProgram, Evaluation } from "./lib/mockRuntime";
import { floorPlan, setFloorPlan } from "./lib/registrationFloor";
import { PROJECT_ROOT } from "./lib/render";
import { loadRenderConfig } from "./lib/renderConfig";

const STACK = "prod";
const SERVICES_KEY = "homelab-sso:services";

const USAGE = `usage: npm run bench [-- --runs <n>] [--sizes 2,10,50,200] [--engine | --engine-only] [--engine-sizes 0,50,200] [--engine-runs <n>]

  --runs <n>       timed runs per measurement after one warm-up (default ${BENCH_RUNS}); the median is reported
  --sizes <list>   numbers of generated OIDC services to add to stack ${"prod"} (default ${BENCH_SIZES.join(",")})
  --engine         also the engine's own figures: a no-change \`pulumi preview\` of the prod-shaped stack deployed
                   on the e2e's loopback cluster, real program ÷ a plain program of the same resources (needs the
                   e2e build, e2e/build/build.sh; takes many minutes)
  --engine-only    the engine's figures only (no start-up or mock figures)
  --engine-sizes <list>  generated services the engine section deploys (default ${ENGINE_BENCH_SIZES.join(",")})
  --engine-runs <n>      timed previews per program and size after one warm-up each (default ${ENGINE_BENCH_RUNS})
  -h, --help       print this and exit

Prints the start-up of stack prod as \`pulumi\` runs it, the evaluation time per size with its registration
floor, then the budgets (docs/performance.md). Exit codes: 0 all budgets pass, 1 a budget fails or the bench
failed or the e2e build the engine section needs is missing, 2 the generated stack is invalid, 64 bad arguments.`;

class UsageError extends Error {}

const BENCH_OPTIONS: CliOptions = {
    help: { type: "boolean", short: "h" },
    runs: { type: "string" },
    sizes: { type: "string" },
    engine: { type: "boolean" },
    "engine-only": { type: "boolean" },
    "engine-sizes": { type: "string" },
    "engine-runs": { type: "string" },
};

interface BenchArgs {
    runs: number;
    sizes: number[];
    /** none: mock figures only; also: mock then engine; only: engine only. */
    engine: "none" | "also" | "only";
    engineSizes: number[];
    engineRuns: number;
}

const sizeList = (value: unknown) => String(value).split(",").map(Number);

function readArgs(argv: string[]): BenchArgs | "help" {
    const args: BenchArgs = { runs: BENCH_RUNS, sizes: [...BENCH_SIZES], engine: "none", engineSizes: [...ENGINE_BENCH_SIZES], engineRuns: ENGINE_BENCH_RUNS };
    for (const token of cliTokens(argv, BENCH_OPTIONS)) {
        if (token.kind === "unknown") {
            throw new UsageError(`unknown argument ${JSON.stringify(token.arg)}`);
        } else if (token.name === "help") {
            return "help";
        } else if (token.name === "runs") {
            args.runs = Number(token.value);
        } else if (token.name === "sizes") {
            args.sizes = sizeList(token.value);
        } else if (token.name === "engine") {
            args.engine = args.engine === "only" ? "only" : "also";
        } else if (token.name === "engine-only") {
            args.engine = "only";
        } else if (token.name === "engine-sizes") {
            args.engineSizes = sizeList(token.value);
        } else {
            args.engineRuns = Number(token.value);
        }
    }
    if (!Number.isInteger(args.runs) || args.runs < 1 || args.sizes.some((s) => !Number.isInteger(s) || s < 1)) {
        throw new UsageError("--runs needs a positive integer and --sizes positive integers");
    }
    if (!Number.isInteger(args.engineRuns) || args.engineRuns < 1 || args.engineSizes.some((s) => !Number.isInteger(s) || s < 0)) {
        throw new UsageError("--engine-runs needs a positive integer and --engine-sizes integers of 0 or more");
    }
    const sorted = (list: number[]) => [...new Set(list)].sort((a, b) => a - b);
    return { ...args, sizes: sorted(args.sizes), engineSizes: sorted(args.engineSizes) };
}

/** The stack file's config, read once; its own `homelab-sso:services` (if any) stay in every size. */
const stackConfig = loadRenderConfig({ root: PROJECT_ROOT, stack: STACK });
const ownServices: unknown = stackConfig.config[SERVICES_KEY] === undefined ? {} : JSON.parse(stackConfig.config[SERVICES_KEY]);

const FLOOR_PROGRAM = path.join(__dirname, "lib", "floorProgram.ts");

/** Evaluates the stack with `count` generated services added (`undefined`: the stack file as it is). */
async function evaluate(count: number | undefined, program?: string): Promise<{ evaluation: Evaluation; ms: number }> {
    const set = count === undefined ? {} : { [SERVICES_KEY]: withGeneratedServices(ownServices, count) };
    const { config, secretKeys } = loadRenderConfig({ root: PROJECT_ROOT, stack: STACK, set });
    const start = performance.now();
    const evaluation = await evaluateProgram({ stack: STACK, config, secretKeys, program });
    return { evaluation, ms: performance.now() - start };
}

/**
 * One warm-up, then `runs` timed evaluations, each followed by one run of the registration floor for the same
 * resources; resource and invoke counts must not vary between runs.
 */
async function measure(count: number | undefined, runs: number): Promise<BenchRow> {
    const warmUp = await evaluate(count);
    const resources = warmUp.evaluation.resources.length;
    const invokes = warmUp.evaluation.invokes.length;
    setFloorPlan(floorPlan(warmUp.evaluation));
    const floorWarmUp = await evaluate(count, FLOOR_PROGRAM);
    if (floorWarmUp.evaluation.resources.length !== resources) {
        throw new Error(`${count ?? 0} services: the registration floor registered ${floorWarmUp.evaluation.resources.length} resources, not ${resources}`);
    }
    const runsMs: number[] = [];
    const floorRunsMs: number[] = [];
    for (let i = 0; i < runs; i++) {
        const { evaluation, ms } = await evaluate(count);
        if (evaluation.resources.length !== resources || evaluation.invokes.length !== invokes) {
            throw new Error(`${count ?? 0} services: counts vary between runs (${resources}/${invokes} then ${evaluation.resources.length}/${evaluation.invokes.length})`);
        }
        runsMs.push(ms);
        floorRunsMs.push((await evaluate(count, FLOOR_PROGRAM)).ms);
    }
    return {
        services: count ?? 0,
        resources,
        invokes,
        medianMs: median(runsMs),
        runsMs,
        floor: { medianMs: median(floorRunsMs), runsMs: floorRunsMs },
    };
}

const STARTUP_MODES: StartupMode[] = ["pulumi", "transpile-only", "typecheck"];

/**
 * Start-up of stack prod in fresh node processes, the modes interleaved so that load on the machine hits
 * each alike: one warm-up round (fills the OS file cache), then `runs` timed rounds.
 */
function measureStartup(runs: number): StartupRow[] {
    const probe = path.join(__dirname, "lib", "startupProbe.js");
    const rows = new Map<StartupMode, StartupRow>();
    const env = { ...process.env };
    delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
    delete env.PULUMI_NODEJS_TSCONFIG_PATH;
    delete env.TS_NODE_PROJECT;
    delete env.TS_NODE_TRANSPILE_ONLY;
    for (let round = 0; round <= runs; round++) {
        for (const mode of STARTUP_MODES) {
            const start = performance.now();
            const result = spawnSync(process.execPath, [probe, STACK, mode], { cwd: PROJECT_ROOT, env, encoding: "utf8" });
            const ms = performance.now() - start;
            if (result.status !== 0) {
                throw new Error(`start-up probe (${mode}) failed:\n${result.stderr}`);
            }
            const reported = JSON.parse(result.stdout.trim().split("\n").pop()!) as { tsconfig: string; transpileOnly: boolean };
            const row = rows.get(mode) ?? { mode, tsconfig: reported.tsconfig, transpileOnly: reported.transpileOnly, runsMs: [], medianMs: NaN };
            if (round > 0) {
                row.runsMs.push(ms);
            }
            rows.set(mode, row);
        }
    }
    return STARTUP_MODES.map((mode) => {
        const row = rows.get(mode)!;
        return { ...row, medianMs: median(row.runsMs) };
    });
}

/** Whether the program accepts `homelab-sso:services` (the OIDC clients), judged by its own validation. */
async function programAcceptsServices(): Promise<boolean> {
    try {
        await evaluate(2);
        return true;
    } catch (err) {
        const problems = (err as ConfigError).problems;
        if ((err as Error)?.name === "ConfigError" && problems?.some((p) => p.key === SERVICES_KEY && /unknown key/.test(p.message))) {
            return false;
        }
        throw err;
    }
}

async function main(): Promise<number> {
    const args = readArgs(process.argv.slice(2));
    if (args === "help") {
        console.log(USAGE);
        return 0;
    }
    const { runs, sizes } = args;
    const cpus = os.cpus();
    if (args.engine === "only") {
        return engineSection(args, cpus);
    }
    const own = Object.keys(ownServices as object);
    console.log(`npm run bench: the real program under the mock runtime, stack ${STACK} plus N generated OIDC services`);
    console.log(`(the stack's own ${own.length} service(s)${own.length ? `, ${own.join(", ")},` : ""} stay in every size; "services" below counts the generated ones)`);
    console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown"}), node ${process.version}; median of ${runs} runs per size after 1 warm-up`);
    console.log("");
    console.log(`Start-up: a fresh node process registers ts-node, loads the program and evaluates stack ${STACK} under the mocks.`);
    console.log(`"pulumi" registers it as @pulumi/pulumi cmd/run does with Pulumi.yaml's runtime.options.tsconfig;`);
    console.log(`"transpile-only" as with PULUMI_NODEJS_TRANSPILE_ONLY=true; "typecheck" with tsconfig.json (no noCheck).`);
    const startup = measureStartup(runs);
    formatStartupTable(startup).forEach((line) => console.log(line));

    const withServices = await programAcceptsServices();
    const base = await measure(withServices ? 0 : undefined, runs);
    const rows: BenchRow[] = [];
    if (withServices) {
        for (const size of sizes) {
            rows.push(await measure(size, runs));
        }
    } else {
        console.log(`note: this program does not accept ${SERVICES_KEY} yet (its validation reports an unknown key), so only the base stack is measured`);
    }
    console.log("");
    formatBenchTable(base, rows).forEach((line) => console.log(line));
    console.log("");
    const results: BudgetResult[] = [...checkStartup(startup), ...checkBudgets(base, rows), checkFloor(base, rows)];
    for (const result of results) {
        console.log(`${result.status} ${result.budget}: ${result.detail}`);
    }
    const mockCode = results.some((r) => r.status === "FAIL") ? 1 : 0;
    if (args.engine === "also") {
        console.log("");
        return Math.max(mockCode, await engineSection(args, cpus));
    }
    return mockCode;
}

/** The engine's own figures; exits 1 (says why) when the e2e build is missing. */
async function engineSection(args: BenchArgs, cpus: os.CpuInfo[]): Promise<number> {
    // Loaded only here: the e2e harness and its servers are not needed by the mock figures or --help.
    const { engineBuild, runEngineBench } = await import("./lib/engineBench");
    const paths = engineBuild();
    console.log(`Engine: a no-change \`pulumi preview\` of stack ${STACK} (prod-shaped, plus N generated services; every step must be "same") deployed`);
    console.log("on the e2e's loopback cluster, chart repository and Authentik double, through the e2e's built CLI, language host and plugins;");
    console.log("against the same engine previewing a plain program that registers the same resources (types, names, parents, providers,");
    console.log("recorded inputs) from plain data: no logic, no Outputs between resources, no invokes.");
    console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at start; ` +
        `median of ${args.engineRuns} previews per program and size after 1 warm-up each, interleaved`);
    const started = Date.now();
    const rows: EngineBenchRow[] = await runEngineBench(paths, { sizes: args.engineSizes, runs: args.engineRuns, log: (line) => console.error(line) });
    console.log("");
    formatEngineTable(rows).forEach((line) => console.log(line));
    console.log(`(engine section: ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at the end)`);
    console.log("");
    for (const result of checkEngineRatios(rows)) {
        console.log(`${result.status} ${result.budget}: ${result.detail}`);
    }
    return 0;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (err: Error) => {
        if (err?.name === "EngineBuildMissing") {
            console.error(`bench: ${err.message}`);
            process.exitCode = 1;
            return;
        }
        if (err instanceof UsageError) {
            console.error(`bench: ${err.message}\n\n${USAGE}`);
            process.exitCode = 64;
            return;
        }
        // Config problems come from the generated services (scripts/lib/bench.ts generateServices) or the stack file.
        console.error(err?.name === "ConfigError" ? `bench: the generated stack is invalid:\n${err.message}` : `bench: ${err?.stack ?? String(err)}`);
        process.exitCode = err?.name === "ConfigError" ? 2 : 1;
    },
);
