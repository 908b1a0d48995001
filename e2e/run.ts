/**
 * `npm run e2e`: the real Pulumi engine against a real Kubernetes API server on loopback.
 *
 * Steps run in order; each prints a row (step, result, seconds) in one table at the end, and the run
 * exits non-zero naming the first failed step and what was expected. A step that cannot run because an
 * earlier one failed is listed as "not run", never as passed.
 *
 *  1. build          e2e/build/build.sh: the real components from Go modules, cached (a warm run rebuilds nothing)
 *  2. cluster        etcd + kube-apiserver + kube-controller-manager on loopback (e2e/cluster/cluster.ts)
 *  3. engine         `pulumi up` of a small Kubernetes-only program through the built CLI, language host and
 *                    provider: objects exist, the controller manager creates the Deployment's Pod, Pod Security
 *                    `restricted` admits it, a second `up` changes nothing, `destroy` removes it
 *  4. dev-stack      `pulumi up --yes` of the dev stack through e2e/program (stack transforms, then the program)
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Cluster, startCluster } from "./cluster/cluster";

const REPO = path.resolve(__dirname, "..");

interface Row {
    step: string;
    result: "pass" | "FAIL" | "not run";
    seconds: number;
    detail?: string;
}

class StepFailure extends Error {}

/** Fails the step with what was expected and what was found. */
function expect(condition: boolean, expected: string, found: string): asserts condition {
    if (!condition) throw new StepFailure(`expected ${expected}; found ${found}`);
}

function buildPaths(): { pulumiBin: string; kubeBin: string; pulumiHome: string } {
    const out = execFileSync("bash", [path.join(REPO, "e2e/build/build.sh"), "--print"]).toString();
    const value = (key: string): string => {
        const match = new RegExp(`^${key}=(.*)$`, "m").exec(out);
        if (!match) throw new Error(`build.sh --print gave no ${key}`);
        return match[1];
    };
    return { pulumiBin: value("PULUMI_BIN"), kubeBin: value("KUBE_BIN"), pulumiHome: value("PULUMI_HOME") };
}

/** A file backend in a temp folder, passphrase secrets, the built CLI and plugins only. */
class PulumiWorkspace {
    readonly stateDir: string;
    readonly env: NodeJS.ProcessEnv;

    constructor(paths: ReturnType<typeof buildPaths>, readonly passphrase: string) {
        this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-state-"));
        this.env = {
            ...process.env,
            PATH: `${paths.pulumiBin}:${path.dirname(process.execPath)}:${process.env.PATH}`,
            PULUMI_HOME: paths.pulumiHome,
            PULUMI_BACKEND_URL: `file://${this.stateDir}`,
            PULUMI_CONFIG_PASSPHRASE: passphrase,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            // Plugins come from the cache layout build.sh installs, not from whatever is on PATH.
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
            // Type checking is npm run build's job; the engine only needs the program transpiled.
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        };
    }

    /** Runs `pulumi ARGS` in DIR; throws a StepFailure with the output's tail when it fails. */
    run(dir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): string {
        const result = spawnSync("pulumi", [...args, "--non-interactive", "--color", "never"], {
            cwd: dir,
            env: { ...this.env, ...extraEnv },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
        if (result.status !== 0) {
            const tail = output.split("\n").slice(-40).join("\n");
            throw new StepFailure(`\`pulumi ${args.join(" ")}\` to succeed; it exited ${result.status}:\n${tail}`);
        }
        return output;
    }

    remove(): void {
        fs.rmSync(this.stateDir, { recursive: true, force: true });
    }
}

async function waitFor<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new StepFailure(`${what} within ${seconds} s`);
        await new Promise((r) => setTimeout(r, 1000));
    }
}

/** A Kubernetes-only program: a `restricted` namespace and a Deployment whose Pod passes that level. */
const ENGINE_PROGRAM = `
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

const config = new pulumi.Config();
const provider = new k8s.Provider("e2e", { kubeconfig: config.requireSecret("kubeconfig") });
const password = new random.RandomPassword("e2e-password", { length: 24, special: false });
const ns = new k8s.core.v1.Namespace("e2e", {
    metadata: { name: "e2e-engine", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
}, { provider });
new k8s.core.v1.Secret("e2e", {
    metadata: { name: "e2e-password", namespace: ns.metadata.name },
    stringData: { password: password.result },
}, { provider });
new k8s.apps.v1.Deployment("e2e", {
    metadata: { name: "e2e", namespace: ns.metadata.name, annotations: { "pulumi.com/skipAwait": "true" } },
    spec: {
        replicas: 2,
        selector: { matchLabels: { app: "e2e" } },
        template: {
            metadata: { labels: { app: "e2e" } },
            spec: {
                securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                containers: [{
                    name: "main",
                    image: "registry.invalid/e2e:1",
                    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                }],
            },
        },
    },
}, { provider });
export const namespace = ns.metadata.name;
export const passwordLength = password.result.apply((p) => p.length);
`;

async function engineStep(paths: ReturnType<typeof buildPaths>, cluster: Cluster): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-engine-"));
    const passphrase = execFileSync("openssl", ["rand", "-hex", "16"]).toString().trim();
    const workspace = new PulumiWorkspace(paths, passphrase);
    try {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: e2e-engine\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n");
        fs.writeFileSync(path.join(dir, "index.ts"), ENGINE_PROGRAM);
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", moduleResolution: "node", target: "ES2022", esModuleInterop: true } }));
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "e2e-engine", private: true }));
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));

        const version = workspace.run(dir, ["version"]).trim();
        expect(version === "v3.276.0", "the built CLI to report v3.276.0", version);
        workspace.run(dir, ["stack", "init", "e2e"]);
        // From stdin, so the admin token is not on a command line.
        const configSet = spawnSync("pulumi", ["config", "set", "--secret", "kubeconfig", "--non-interactive"], {
            cwd: dir, env: workspace.env, input: cluster.kubeconfig, encoding: "utf8",
        });
        expect(configSet.status === 0, "`pulumi config set --secret kubeconfig` to succeed", `${configSet.stderr}`);
        workspace.run(dir, ["up", "--yes", "--skip-preview"]);

        const ns = await cluster.request("GET", "/api/v1/namespaces/e2e-engine");
        expect(ns.status === 200, "namespace e2e-engine in the API server", `HTTP ${ns.status}`);
        const pods = await waitFor("the controller manager to create the Deployment's 2 Pods", 120, async () => {
            const res = await cluster.request("GET", "/api/v1/namespaces/e2e-engine/pods");
            return res.body?.items?.length >= 2 ? res.body.items : undefined;
        });
        const events = await cluster.request("GET", "/api/v1/namespaces/e2e-engine/events");
        const forbidden = (events.body?.items ?? []).filter((e: any) => e.reason === "FailedCreate" && /PodSecurity/.test(e.message));
        expect(forbidden.length === 0, "no FailedCreate event naming PodSecurity", JSON.stringify(forbidden.map((e: any) => e.message)));

        // Passphrase-encrypted state: the generated password never appears in plaintext in the backend.
        const exported = JSON.parse(workspace.run(dir, ["stack", "export", "--show-secrets"]));
        // `--show-secrets` keeps the secret envelope and adds its JSON-encoded `plaintext`.
        const envelope = exported.deployment.resources.find((r: any) => r.type === "random:index/randomPassword:RandomPassword")?.outputs?.result;
        const secret = typeof envelope?.plaintext === "string" ? JSON.parse(envelope.plaintext) : envelope;
        expect(typeof secret === "string" && secret.length === 24, "the RandomPassword's 24-character result in the decrypted export", String(secret));
        const grep = spawnSync("grep", ["-rlF", "--", secret, workspace.stateDir], { encoding: "utf8" });
        expect(grep.status === 1, "the password's plaintext nowhere in the backend folder (grep exit 1)", `grep exit ${grep.status}: ${grep.stdout}`);

        workspace.run(dir, ["preview", "--expect-no-changes"]);
        workspace.run(dir, ["refresh", "--yes"]);
        workspace.run(dir, ["preview", "--expect-no-changes"]);
        workspace.run(dir, ["destroy", "--yes"]);
        const gone = await waitFor("namespace e2e-engine to be deleted (or terminating)", 60, async () => {
            const res = await cluster.request("GET", "/api/v1/namespaces/e2e-engine");
            return res.status === 404 || res.body?.status?.phase === "Terminating" ? res.status : undefined;
        });
        return `${pods.length} Pods created and admitted (restricted); no-op second preview; destroy ${gone === 404 ? "removed" : "terminating"}`;
    } finally {
        workspace.remove();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

async function devStackStep(paths: ReturnType<typeof buildPaths>): Promise<string> {
    // The parameterized Authentik provider the SDK asks for (sdks/authentik/package.json `pulumi` block).
    const sdk = JSON.parse(fs.readFileSync(path.join(REPO, "sdks/authentik/package.json"), "utf8")).pulumi;
    const pluginDir = path.join(paths.pulumiHome, "plugins", `resource-${sdk.name}-v${sdk.version}`);
    expect(fs.existsSync(pluginDir),
        `the Authentik provider plugin ${sdk.name} ${sdk.version} (parameterized ${sdk.parameterization.name} ` +
        `${sdk.parameterization.version}) in ${pluginDir}`,
        "none: the Go module proxy serves neither github.com/pulumi/pulumi-terraform-provider (the dynamic bridge) " +
        "nor github.com/goauthentik/terraform-provider-authentik, so no Authentik provider can be built here");
    const repoModule = path.join(REPO, "e2e/charts/repo.ts");
    const serverModule = path.join(REPO, "e2e/authentik/server.ts");
    expect(fs.existsSync(repoModule) && fs.existsSync(serverModule),
        "the stand-in chart repository (e2e/charts/repo.ts) and the Authentik double (e2e/authentik/server.ts)",
        "missing files");
    throw new StepFailure("the dev stack's `pulumi up` to be wired to the chart repository and the Authentik double; it is not yet");
}

async function main(): Promise<void> {
    const rows: Row[] = [];
    const steps = ["build", "cluster", "engine", "dev-stack"];
    let failed: Row | undefined;
    let paths: ReturnType<typeof buildPaths> | undefined;
    let cluster: Cluster | undefined;

    const step = async (name: string, body: () => Promise<string | void>): Promise<void> => {
        if (failed) {
            rows.push({ step: name, result: "not run", seconds: 0, detail: `after ${failed.step} failed` });
            return;
        }
        const start = Date.now();
        try {
            const detail = await body();
            rows.push({ step: name, result: "pass", seconds: (Date.now() - start) / 1000, detail: detail || undefined });
        } catch (error) {
            failed = { step: name, result: "FAIL", seconds: (Date.now() - start) / 1000, detail: (error as Error).message };
            rows.push(failed);
        }
    };

    try {
        await step("build", async () => {
            const result = spawnSync("bash", [path.join(REPO, "e2e/build/build.sh")], { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"] });
            process.stderr.write(result.stderr);
            expect(result.status === 0, "e2e/build/build.sh to succeed", `exit ${result.status}`);
            paths = buildPaths();
            const built = (result.stderr.match(/^build: .* took \d+ s$/gm) ?? []).length;
            return built === 0 ? "warm: nothing rebuilt" : `${built} component(s) built`;
        });
        await step("cluster", async () => {
            cluster = await startCluster({ binDir: paths!.kubeBin });
            const ns = await cluster.request("GET", "/api/v1/namespaces/default");
            expect(ns.status === 200, "the default namespace from the API server", `HTTP ${ns.status}`);
            return cluster.server;
        });
        await step("engine", () => engineStep(paths!, cluster!));
        await step("dev-stack", () => devStackStep(paths!));
    } finally {
        await cluster?.stop();
    }
    for (const name of steps) {
        if (!rows.some((r) => r.step === name)) rows.push({ step: name, result: "not run", seconds: 0 });
    }

    const width = Math.max(...rows.map((r) => r.step.length), 4);
    console.log(`\n${"step".padEnd(width)}  result   seconds`);
    for (const row of rows) {
        console.log(`${row.step.padEnd(width)}  ${row.result.padEnd(7)}  ${row.seconds.toFixed(1).padStart(7)}${row.result === "pass" && row.detail ? `  ${row.detail}` : ""}`);
    }
    const passed = rows.filter((r) => r.result === "pass").length;
    console.log(`\ne2e: ${passed} passed, ${rows.length - passed} failed`);
    if (failed) {
        console.error(`\ne2e failed at step "${failed.step}": ${failed.detail}`);
        process.exit(1);
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
