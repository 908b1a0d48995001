/**
 * `npm run bench [-- --runs <n>] [--sizes 2,10,50,200]`
 *
 * Evaluates the real program (stack prod with N generated OIDC services added to its own) under the
 * mock runtime and prints, per size: resources registered, invokes made, median
 * evaluation time of several runs after a warm-up, and the per-service cost. Then checks the budgets
 * (README "Performance") and prints PASS/FAIL lines; exits 1 when a budget fails. A script that prints
 * figures, not a timed test.
 */
import * as os from "os";
import { performance } from "perf_hooks";
import { ConfigError } from "../stacks/validation";
import { BENCH_RUNS, BENCH_SIZES, BenchRow, checkBudgets, formatBenchTable, median, withGeneratedServices } from "./lib/bench";
import { evaluateProgram, Evaluation } from "./lib/mockRuntime";
import { PROJECT_ROOT } from "./lib/render";
import { loadRenderConfig } from "./lib/renderConfig";

const STACK = "prod";
const SERVICES_KEY = "homelab-sso:services";

function parseArgs(argv: string[]): { runs: number; sizes: number[] } {
    let runs = BENCH_RUNS;
    let sizes: number[] = [...BENCH_SIZES];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--runs") {
            runs = Number(argv[++i]);
        } else if (argv[i] === "--sizes") {
            sizes = String(argv[++i]).split(",").map(Number);
        } else {
            throw new Error(`unknown argument ${JSON.stringify(argv[i])}; usage: npm run bench [-- --runs <n>] [--sizes 2,10,50,200]`);
        }
    }
    if (!Number.isInteger(runs) || runs < 1 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
        throw new Error("--runs needs a positive integer and --sizes positive integers");
    }
    return { runs, sizes: [...new Set(sizes)].sort((a, b) => a - b) };
}

/** The stack file's config, read once; its own `homelab-sso:services` (if any) stay in every size. */
const stackConfig = loadRenderConfig({ root: PROJECT_ROOT, stack: STACK });
const ownServices: unknown = stackConfig.config[SERVICES_KEY] === undefined ? {} : JSON.parse(stackConfig.config[SERVICES_KEY]);

/** Evaluates the stack with `count` generated services added (`undefined`: the stack file as it is). */
async function evaluate(count: number | undefined): Promise<{ evaluation: Evaluation; ms: number }> {
    const set = count === undefined ? {} : { [SERVICES_KEY]: withGeneratedServices(ownServices, count) };
    const { config, secretKeys } = loadRenderConfig({ root: PROJECT_ROOT, stack: STACK, set });
    const start = performance.now();
    const evaluation = await evaluateProgram({ stack: STACK, config, secretKeys });
    return { evaluation, ms: performance.now() - start };
}

/** One warm-up, then `runs` timed evaluations; resource and invoke counts must not vary between runs. */
async function measure(count: number | undefined, runs: number): Promise<BenchRow> {
    const warmUp = await evaluate(count);
    const resources = warmUp.evaluation.resources.length;
    const invokes = warmUp.evaluation.invokes.length;
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) {
        const { evaluation, ms } = await evaluate(count);
        if (evaluation.resources.length !== resources || evaluation.invokes.length !== invokes) {
            throw new Error(`${count ?? 0} services: counts vary between runs (${resources}/${invokes} then ${evaluation.resources.length}/${evaluation.invokes.length})`);
        }
        runsMs.push(ms);
    }
    return { services: count ?? 0, resources, invokes, medianMs: median(runsMs), runsMs };
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
    const { runs, sizes } = parseArgs(process.argv.slice(2));
    const cpus = os.cpus();
    const own = Object.keys(ownServices as object);
    console.log(`npm run bench: the real program under the mock runtime, stack ${STACK} plus N generated OIDC services`);
    console.log(`(the stack's own ${own.length} service(s)${own.length ? `, ${own.join(", ")},` : ""} stay in every size; "services" below counts the generated ones)`);
    console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown"}), node ${process.version}; median of ${runs} runs per size after 1 warm-up`);

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
    const results = checkBudgets(base, rows);
    for (const result of results) {
        console.log(`${result.status} ${result.budget}: ${result.detail}`);
    }
    return results.some((r) => r.status === "FAIL") ? 1 : 0;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (err: Error) => {
        // Config problems come from the generated services (scripts/lib/bench.ts generateServices) or the stack file.
        console.error(err?.name === "ConfigError" ? `bench: the generated stack is invalid:\n${err.message}` : `bench: ${err?.stack ?? String(err)}`);
        process.exitCode = err?.name === "ConfigError" ? 2 : 1;
    },
);
