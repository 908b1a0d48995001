/**
 * The engine section of `npm run bench -- --engine`: a no-change `pulumi preview` of the prod-shaped stack
 * through the e2e's real engine (e2e/build), against the same engine previewing a plain program that
 * registers the same resources (scripts/lib/bench.ts `plainProgramPlan`, `PLAIN_PROGRAM_SOURCE`).
 *
 * One loopback cluster, chart repository and Authentik double (the e2e harness's) hold one prod-shaped stack;
 * each size is deployed onto it with `pulumi up` (0, then 50, then 200 generated services: each `up` adds the
 * difference), then both programs preview the same stack in the same backend, interleaved so that load on the
 * machine hits each alike: one warm-up each, then `runs` timed previews each, every one checked to
 * propose no change (a plain program that does not reproduce the deployment fails the bench, naming what differs).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import * as YAML from "yaml";
import { startAuthentikDouble } from "../../e2e/authentik/server";
import { startChartRepo } from "../../e2e/charts/repo";
import { Cluster, startCluster } from "../../e2e/cluster/cluster";
import { BuildPaths, buildPaths, installManifests, PulumiWorkspace, REPO, runCommand } from "../../e2e/harness";
import {
    ACCESS_GROUPS,
    EngineBenchRow,
    engineBenchStackFile,
    parameterizedPackage,
    PLAIN_PROGRAM_SOURCE,
    previewChanges,
    plainProgramPlan,
    StateResource,
} from "./bench";

const STACK = "prod";

/** The e2e build is missing: the engine section cannot run (and never skips silently). */
export class EngineBuildMissing extends Error {
    override name = "EngineBuildMissing";
}

/** What the engine section needs from e2e/build/build.sh; throws EngineBuildMissing naming what is not built. */
export function engineBuild(): BuildPaths {
    const paths = buildPaths();
    const sdkBlock = (pkg: string) => {
        const json = JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", pkg, "package.json"), "utf8"));
        return { name: json.pulumi?.name ?? json.name.replace("@pulumi/", ""), version: json.pulumi?.version ?? json.version };
    };
    const plugins = ["@pulumi/kubernetes", "@pulumi/random", "@pulumi/authentik"].map(sdkBlock);
    const needed = [
        path.join(paths.pulumiBin, "pulumi"),
        path.join(paths.pulumiBin, "pulumi-language-nodejs"),
        ...["etcd", "kube-apiserver", "kube-controller-manager"].map((bin) => path.join(paths.kubeBin, bin)),
        ...plugins.map((p) => path.join(paths.pulumiHome, "plugins", `resource-${p.name}-v${p.version}`, `pulumi-resource-${p.name}`)),
    ];
    const missing = needed.filter((file) => !fs.existsSync(file));
    if (missing.length) {
        throw new EngineBuildMissing(
            `the engine section needs the e2e build, and ${missing.length} component(s) are not built:\n  ${missing.join("\n  ")}\n` +
                "Build them with `bash e2e/build/build.sh` (npm run e2e runs it; cached, but a cold build takes about an hour), " +
                "or run `npm run bench` without --engine for the mock figures only.",
        );
    }
    return paths;
}

export interface EngineBenchOptions {
    sizes: number[];
    runs: number;
    log: (line: string) => void;
}

/** Writes a Pulumi project folder that runs `index.ts` with the project's runtime options (as e2e/program does). */
function projectDir(prefix: string, indexTs: { symlinkTo: string } | { source: string }): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const project = YAML.parse(fs.readFileSync(path.join(REPO, "e2e/program/Pulumi.yaml"), "utf8"));
    project.runtime.options.tsconfig = path.join(REPO, "tsconfig.pulumi.json");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify(project));
    if ("symlinkTo" in indexTs) {
        fs.symlinkSync(indexTs.symlinkTo, path.join(dir, "index.ts"));
    } else {
        fs.writeFileSync(path.join(dir, "index.ts"), indexTs.source);
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: path.basename(dir), private: true }));
    return dir;
}

/** Sets a secret config value from stdin, so it is not on a command line. */
function setSecret(workspace: PulumiWorkspace, dir: string, env: NodeJS.ProcessEnv, key: string, value: string): void {
    const result = spawnSync("pulumi", ["config", "set", "--secret", key, "--non-interactive"], {
        cwd: dir, env: { ...workspace.env, ...env }, input: value, encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`pulumi config set --secret ${key} failed: ${result.stderr}`);
}

/**
 * `pulumi preview --json` of DIR's program; resolves to its wall time when every step is `same`, and fails
 * naming each proposed change (URN, operation, keys) otherwise, or with the output when the preview fails.
 */
async function noChangePreview(workspace: PulumiWorkspace, dir: string, env: NodeJS.ProcessEnv, what: string): Promise<number> {
    const start = performance.now();
    const { status, stdout, stderr } = await runCommand("pulumi", ["preview", "--json", "--non-interactive", "--stack", STACK], dir, { ...workspace.env, ...env });
    const ms = performance.now() - start;
    if (status !== 0) {
        throw new Error(`\`pulumi preview\` of the ${what} exited ${status}:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`);
    }
    const changes = previewChanges(JSON.parse(stdout));
    if (changes.length) {
        throw new Error(`the ${what}'s preview proposes ${changes.length} change(s), not none:\n  ${changes.slice(0, 20).join("\n  ")}`);
    }
    return ms;
}

async function timed(body: () => Promise<unknown>): Promise<number> {
    const start = performance.now();
    await body();
    return performance.now() - start;
}

/** Deploys each size onto one loopback cluster and previews both programs; returns one row per size. */
export async function runEngineBench(paths: BuildPaths, options: EngineBenchOptions): Promise<EngineBenchRow[]> {
    const { log } = options;
    const random = () => execFileSync("openssl", ["rand", "-hex", "24"]).toString().trim();
    const token = random();
    let cluster: Cluster | undefined;
    // The generated services' access groups (scripts/lib/bench.ts ACCESS_GROUPS) exist in the homelab's Authentik
    // before the program runs; in a fresh one they do not.
    const authentik = await startAuthentikDouble({ token, groups: [...ACCESS_GROUPS] });
    const charts = await startChartRepo();
    const workspace = new PulumiWorkspace(paths, random());
    const realDir = projectDir("homelab-sso-bench-real-", { symlinkTo: path.join(REPO, "e2e/program/index.ts") });
    const plainDir = projectDir("homelab-sso-bench-plain-", { source: PLAIN_PROGRAM_SOURCE });
    try {
        cluster = await startCluster({ binDir: paths.kubeBin });
        await installManifests(cluster, path.join(REPO, "e2e/crds/external-secrets.io.yaml"));
        const env = { KUBECONFIG: cluster.kubeconfigPath, E2E_CHART_REPO: charts.url };
        const committed = YAML.parse(fs.readFileSync(path.join(REPO, `Pulumi.${STACK}.yaml`), "utf8"));
        const stackFile = path.join(realDir, `Pulumi.${STACK}.yaml`);
        fs.writeFileSync(stackFile, YAML.stringify(engineBenchStackFile(committed, authentik.url, 0)));
        workspace.run(realDir, ["stack", "init", STACK], env);
        setSecret(workspace, realDir, env, "authentik:token", token);
        // prod's bootstrap.esoMachineIdentity: ESO's Infisical machine identity, throwaway values here.
        setSecret(workspace, realDir, env, "homelab-sso:infisicalClientId", random());
        setSecret(workspace, realDir, env, "homelab-sso:infisicalClientSecret", random());
        const sdkPulumi = JSON.parse(fs.readFileSync(path.join(REPO, "sdks/authentik/package.json"), "utf8")).pulumi;
        const authentikPackage = parameterizedPackage(sdkPulumi)!;

        const rows: EngineBenchRow[] = [];
        for (const size of options.sizes) {
            // The stack file keeps the salt and secure values `pulumi config set` wrote; only the config changes.
            const current = YAML.parse(fs.readFileSync(stackFile, "utf8"));
            const config = { ...current.config, ...engineBenchStackFile(committed, authentik.url, size).config };
            fs.writeFileSync(stackFile, YAML.stringify({ ...current, config }));
            log(`engine: ${size} services: pulumi up ...`);
            const deployMs = await timed(() => workspace.runAsync(realDir, ["up", "--yes", "--skip-preview", "--stack", STACK], env));
            const violations = authentik.violations();
            if (violations.length) throw new Error(`the Authentik double flagged requests: ${JSON.stringify(violations.slice(0, 5))}`);

            // The plain program's plan comes from what the engine recorded of the real program's registrations.
            const exported = JSON.parse(workspace.run(realDir, ["stack", "export", "--show-secrets", "--stack", STACK], env));
            const state: StateResource[] = exported.deployment.resources;
            const plan = plainProgramPlan(state, { [authentikPackage.packageName]: authentikPackage });
            // Plaintext of this throwaway stack's secrets (loopback cluster, double, generated passwords), owner-only,
            // removed with the folder at the end.
            fs.writeFileSync(path.join(plainDir, "plan.json"), JSON.stringify(plan), { mode: 0o600 });
            fs.copyFileSync(stackFile, path.join(plainDir, `Pulumi.${STACK}.yaml`));

            const real = () => noChangePreview(workspace, realDir, env, "real program");
            const plain = () => noChangePreview(workspace, plainDir, env, "plain program");
            const row: EngineBenchRow = { services: size, resources: state.length, deploySeconds: deployMs / 1000, realMs: [], plainMs: [] };
            log(`engine: ${size} services: ${state.length} resources deployed in ${(deployMs / 1000).toFixed(0)} s; previews (warm-up, then ${options.runs} each) ...`);
            await real();
            await plain();
            for (let i = 0; i < options.runs; i++) {
                row.realMs.push(await real());
                row.plainMs.push(await plain());
            }
            rows.push(row);
        }
        return rows;
    } finally {
        workspace.remove();
        fs.rmSync(realDir, { recursive: true, force: true });
        fs.rmSync(plainDir, { recursive: true, force: true });
        await charts.stop();
        await authentik.stop();
        await cluster?.stop();
    }
}
