/**
 * The dev-stack step: the README's runnable blocks (```sh e2e, "Run it for real") run as written, in
 * order, in one environment, from a copy of the repository; their `pulumi up` is the deployment of the
 * dev stack that the later steps (devChecks, rotationPreview, volumeSize) check and change.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { blockCommands, runnableBlocks } from "../../scripts/lib/runnableBlocks";
import { AuthentikDouble, startAuthentikDouble } from "../authentik/server";
import { ChartRepo, startChartRepo } from "../charts/repo";
import { Cluster } from "../cluster/cluster";
import { BuildPaths, CommandResult, expect, installManifests, REPO, runCommand, StepFailure } from "../harness";

/** The deployed dev stack the later steps share: one copy of the repository, one backend, one cluster. */
export interface DevStack {
    /** The copy of the repository the README's commands ran in (its own Pulumi.dev.yaml). */
    root: string;
    /** The file backend's folder (PULUMI_BACKEND_URL). */
    stateDir: string;
    /** The environment every `pulumi` command of the stack gets: the blocks' exports plus the harness's. */
    pulumiEnv: NodeJS.ProcessEnv;
    /** The environment of the README's `npm` commands. */
    npmEnv: NodeJS.ProcessEnv;
    /** `pulumi stack output --json` as the README's block printed it. */
    outputs: { [name: string]: any };
    cluster: Cluster;
    authentik: AuthentikDouble;
    charts: ChartRepo;
    /** Runs `pulumi ARGS` in the copy; throws a StepFailure naming the command and its output's tail. */
    pulumi(args: string[], input?: string): Promise<string>;
    /** Runs `npm ARGS` in the copy; throws likewise. */
    npm(args: string[]): Promise<string>;
    stop(): Promise<void>;
}

/** A failed command's message: the diagnostics (error lines) first, then the output's tail. */
export function commandFailure(what: string, result: CommandResult): StepFailure {
    const text = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    const lines = text.split("\n");
    const errors = lines.filter((line) => /\berror\b/i.test(line)).slice(0, 20).join("\n");
    return new StepFailure(`expected \`${what}\` to succeed; it exited ${result.status}:\n${errors}\n...\n${lines.slice(-20).join("\n")}`);
}

/**
 * A copy of the repository's working tree as a clone has it (tracked and untracked, not ignored files):
 * the README's commands write into the repository root (`pulumi stack init` the passphrase salt into
 * Pulumi.dev.yaml), never into the developer's own. node_modules and the built SDK are the repository's,
 * linked: they are what `npm run setup` installed there (README, "Runnable blocks").
 */
export function copyWorkingTree(into: string): void {
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 })
        .toString().split("\0").filter((f) => f && fs.existsSync(path.join(REPO, f)) && !fs.lstatSync(path.join(REPO, f)).isSymbolicLink());
    for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
        fs.copyFileSync(path.join(REPO, file), path.join(into, file));
    }
    fs.symlinkSync(fs.realpathSync(path.join(REPO, "node_modules")), path.join(into, "node_modules"));
    fs.symlinkSync(fs.realpathSync(path.join(REPO, "sdks/authentik/bin")), path.join(into, "sdks/authentik/bin"));
}

/** The words of `pulumi up` as the e2e runs them: `--yes` added (README, "Runnable blocks"). */
export function withYes(words: string[]): string[] {
    return words[0] === "pulumi" && words[1] === "up" && !words.includes("--yes") && !words.includes("-y") ? [...words, "--yes"] : words;
}

export async function devStackStep(paths: BuildPaths, cluster: Cluster): Promise<{ detail: string; dev: DevStack }> {
    // The parameterized Authentik provider the SDK asks for (sdks/authentik/package.json `pulumi` block):
    // build.sh installs the e2e's stand-in under that name and version (e2e/build/README.md).
    const sdk = JSON.parse(fs.readFileSync(path.join(REPO, "sdks/authentik/package.json"), "utf8")).pulumi;
    const pluginDir = path.join(paths.pulumiHome, "plugins", `resource-${sdk.name}-v${sdk.version}`);
    expect(fs.existsSync(path.join(pluginDir, `pulumi-resource-${sdk.name}`)),
        `the Authentik provider plugin ${sdk.name} ${sdk.version} (parameterized ${sdk.parameterization.name} ` +
        `${sdk.parameterization.version}) in ${pluginDir}`, "none (run e2e/build/build.sh pulumi)");

    const token = execFileSync("openssl", ["rand", "-hex", "24"]).toString().trim();
    const authentik = await startAuthentikDouble({ token });
    const charts = await startChartRepo();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-dev-"));
    const root = path.join(scratch, "homelab-sso");
    const stateDir = path.join(scratch, "state");
    const pulumiHome = path.join(scratch, "pulumi-home");
    const stop = async () => {
        fs.rmSync(scratch, { recursive: true, force: true });
        await charts.stop();
        await authentik.stop();
    };
    try {
        copyWorkingTree(root);
        fs.mkdirSync(stateDir);
        // Its own PULUMI_HOME (`pulumi login` writes credentials there), with the plugins build.sh installed.
        fs.mkdirSync(pulumiHome);
        fs.symlinkSync(path.join(paths.pulumiHome, "plugins"), path.join(pulumiHome, "plugins"));
        const crds = await installManifests(cluster, path.join(REPO, "e2e/crds/external-secrets.io.yaml"));

        const npmEnv: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` };
        // The harness's part of every pulumi command: the built CLI and plugins only, the cluster's
        // kubeconfig (README step 4's cluster), the loopback chart repository through the transforms
        // preload.js registers, and a backend folder of this run. `pulumi login --local` runs as written,
        // but `file://~` is the account's home (not $HOME): PULUMI_BACKEND_URL, which takes precedence
        // over the login, keeps the state out of the real ~/.pulumi.
        const harnessEnv: NodeJS.ProcessEnv = {
            PATH: `${paths.pulumiBin}:${npmEnv.PATH}`,
            PULUMI_HOME: pulumiHome,
            PULUMI_BACKEND_URL: `file://${stateDir}`,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
            KUBECONFIG: cluster.kubeconfigPath,
            E2E_CHART_REPO: charts.url,
            E2E_PROGRAM_MAIN: path.join(root, "index.ts"),
            NODE_OPTIONS: `--require ${path.join(REPO, "e2e/program/preload.js")}`,
        };
        const exported: NodeJS.ProcessEnv = {};
        const pulumiEnv = () => ({ ...npmEnv, ...harnessEnv, ...exported });
        const pulumi = async (args: string[], input?: string) => {
            const result = await runCommand("pulumi", [...args, "--non-interactive", "--color", "never"], root, pulumiEnv(), input);
            if (result.status !== 0) throw commandFailure(`pulumi ${args.join(" ")}`, result);
            return result.stdout;
        };
        const npm = async (args: string[]) => {
            const result = await runCommand("npm", args, root, { ...npmEnv, ...exported });
            if (result.status !== 0) throw commandFailure(`npm ${args.join(" ")}`, result);
            return result.stdout;
        };

        // README steps 4 and 5 (cluster, CA, proxy; pointing the stack at them) are the harness's: the
        // cluster is this run's API server (KUBECONFIG), and Authentik is the double, reached with its own
        // token (the generated bootstrap token would reach a real Authentik through the chart; the double
        // cannot read it). `pulumi config set`, as step 5 does, before the first command that deploys.
        let pointed = false;
        const pointAtCluster = async () => {
            await pulumi(["config", "set", "--path", "homelab-sso:authentik.apiUrl", authentik.url]);
            await pulumi(["config", "set", "--path", "homelab-sso:authentik.apiTokenSource", "config"]);
            // From stdin, so the token is not on a command line.
            await pulumi(["config", "set", "--secret", "authentik:token"], token);
            pointed = true;
        };

        const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
        const blocks = runnableBlocks(readme);
        expect(blocks.length > 0, "README.md's runnable blocks (```sh e2e)", "none");
        const ran: string[] = [];
        let outputs: { [name: string]: any } | undefined;
        let deployed = false;
        for (const block of blocks) {
            for (const written of blockCommands(block.text)) {
                const words = withYes(written);
                const where = `README.md:${block.line}: ${written.join(" ")}`;
                const [program, ...args] = words;
                if (program === "export") {
                    const [, name, value] = /^([A-Z_][A-Z0-9_]*)=(.*)$/s.exec(args[0] ?? "") ?? [];
                    expect(name !== undefined, `${where} to export one NAME=value`, args.join(" "));
                    exported[name] = value;
                } else if (program === "pulumi") {
                    if (!pointed && (args[0] === "preview" || args[0] === "up")) await pointAtCluster();
                    const result = await runCommand("pulumi", args, root, pulumiEnv());
                    if (result.status !== 0) throw commandFailure(where, result);
                    if (args[0] === "up") deployed = true;
                    if (args[0] === "stack" && args[1] === "output" && args.includes("--json")) {
                        try {
                            outputs = JSON.parse(result.stdout);
                        } catch {
                            throw new StepFailure(`expected ${where} to print the outputs as JSON; found ${result.stdout.slice(0, 400)}`);
                        }
                    }
                } else if (program === "npm") {
                    const result = await runCommand("npm", args, root, { ...npmEnv, ...exported });
                    if (result.status !== 0) throw commandFailure(where, result);
                } else {
                    throw new StepFailure(`expected only npm, pulumi and export in ${where}`);
                }
                ran.push(words.join(" "));
            }
        }
        expect(deployed, "a `pulumi up` among the README's runnable blocks", ran.join("; "));
        expect(outputs !== undefined, "a `pulumi stack output --json` after it among the README's runnable blocks", ran.join("; "));

        const violations = authentik.violations();
        expect(violations.length === 0, "no request the Authentik double flags (unknown fields, unserved endpoints or parameters)",
            JSON.stringify(violations));
        const state = authentik.state();
        const config = JSON.parse(await pulumi(["config", "--json"]));
        const servicesConfig = (config["homelab-sso:services"]?.objectValue ?? JSON.parse(config["homelab-sso:services"]?.value ?? "{}")) as { [key: string]: { slug?: string } };
        const services = Object.entries(servicesConfig).map(([key, service]) => service.slug ?? key).sort();
        expect(services.length > 0, "services in the stack's config", JSON.stringify(config["homelab-sso:services"]));
        const providerNames = state.providers.map((p: any) => String(p.name)).sort();
        expect(services.every((slug) => providerNames.includes(slug)), `one OAuth2 provider per service (${services.join(", ")})`,
            providerNames.join(", ") || "none");
        const signingKey = state.certificateKeyPairs[0]?.pk;
        const wrong = state.providers.filter((p: any) => p.signing_key !== signingKey || (p.property_mappings ?? []).length !== 3
            || (p.redirect_uris ?? []).some((u: any) => u.matching_mode !== "strict"));
        expect(wrong.length === 0, "every provider signed with the self-signed RS256 key pair, strict redirect URIs and the three scope mappings",
            JSON.stringify(wrong));
        const applications = state.applications.map((a: any) => String(a.slug)).sort();
        const bookmarksConfig = config["homelab-sso:bookmarks"]?.objectValue ?? JSON.parse(config["homelab-sso:bookmarks"]?.value ?? "[]");
        const bookmarks = (bookmarksConfig as { slug: string }[]).map((b) => b.slug);
        expect([...services, ...bookmarks].every((slug) => applications.includes(slug)), "an application per service and per bookmark",
            applications.join(", "));

        await pulumi(["preview", "--expect-no-changes"]);
        // Read back what the double holds (the Authentik stand-in's Read), then nothing to change.
        await pulumi(["refresh", "--yes"]);
        await pulumi(["preview", "--expect-no-changes"]);
        const after = authentik.violations();
        expect(after.length === 0, "no request the double flags during preview and refresh", JSON.stringify(after));
        const dev: DevStack = { root, stateDir, pulumiEnv: pulumiEnv(), npmEnv, outputs, cluster, authentik, charts, pulumi, npm, stop };
        return {
            detail: `README blocks: ${ran.length} commands as written (${blocks.length} blocks); ${crds} CRDs installed; ` +
                `${state.providers.length} providers, ${state.applications.length} applications in the double; no violations; ` +
                `no changes after up and after refresh`,
            dev,
        };
    } catch (error) {
        await stop();
        throw error;
    }
}
