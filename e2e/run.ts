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
 *  4. dev-stack      `pulumi up --yes` of the dev stack through e2e/program (stack transforms, then the program),
 *                    against the stand-in chart repository, ESO's CRDs and the Authentik double (through the
 *                    e2e's Authentik stand-in plugin): the double flags nothing and holds a provider and an
 *                    application per service and the bookmarks; `preview --expect-no-changes` passes before
 *                    and after `refresh`
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { startAuthentikDouble } from "./authentik/server";
import { startChartRepo } from "./charts/repo";
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

/** What a failed `pulumi` run says: the engine's diagnostics first (a long `up` ends with its outputs, which hide them), then the tail. */
function pulumiFailure(args: string[], status: number | null, output: string): string {
    const lines = output.split("\n");
    const errors = lines.filter((line) => /\berror\b/i.test(line)).slice(0, 20).join("\n");
    const tail = lines.slice(-20).join("\n");
    return `\`pulumi ${args.join(" ")}\` to succeed; it exited ${status}:\n${errors}\n...\n${tail}`;
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
            throw new StepFailure(pulumiFailure(args, result.status, output));
        }
        return output;
    }

    /**
     * As run, without blocking the event loop: the loopback servers of this process (the chart
     * repository, the Authentik double) must answer the engine while it runs.
     */
    async runAsync(dir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
        const child = spawn("pulumi", [...args, "--non-interactive", "--color", "never"], {
            cwd: dir,
            env: { ...this.env, ...extraEnv },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const chunks: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
        const status = await new Promise<number | null>((resolve, reject) => {
            child.once("error", reject);
            child.once("close", (code) => resolve(code));
        });
        const output = Buffer.concat(chunks).toString("utf8");
        if (status !== 0) throw new StepFailure(pulumiFailure(args, status, output));
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

/** Creates every object of a multi-document YAML file in the API server (the e2e's ESO CRDs). */
async function installManifests(cluster: Cluster, file: string): Promise<number> {
    let count = 0;
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))) {
        const object = doc.toJS();
        if (!object) continue;
        expect(object.kind === "CustomResourceDefinition", `only CustomResourceDefinitions in ${file}`, String(object.kind));
        const res = await cluster.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", object);
        expect(res.status === 201 || res.status === 409, `CRD ${object.metadata?.name} to be created`, `HTTP ${res.status}: ${JSON.stringify(res.body)}`);
        count++;
    }
    return count;
}

/**
 * `pulumi up --yes` of the dev stack through e2e/program, against the cluster, the stand-in chart
 * repository and the Authentik double. The e2e's copy of Pulumi.dev.yaml differs from the user's in two
 * keys only: `authentik.apiUrl` is the double's loopback URL, and `authentik.apiTokenSource` is `config`
 * with the double's token in `authentik:token` (the generated bootstrap token would reach a real
 * Authentik through the chart; the double cannot read it).
 */
async function devStackStep(paths: ReturnType<typeof buildPaths>, cluster: Cluster): Promise<string> {
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
    const passphrase = execFileSync("openssl", ["rand", "-hex", "16"]).toString().trim();
    const workspace = new PulumiWorkspace(paths, passphrase);
    // The stack's config lives beside a copy of e2e/program/Pulumi.yaml in a temp folder (`pulumi stack
    // init` writes the passphrase salt there, never into the repository); index.ts is a symlink, which
    // Node resolves, so the entry program still loads the repository's program.
    const programDir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-dev-"));
    try {
        const project = YAML.parse(fs.readFileSync(path.join(REPO, "e2e/program/Pulumi.yaml"), "utf8"));
        project.runtime.options.tsconfig = path.join(REPO, "tsconfig.pulumi.json");
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), YAML.stringify(project));
        fs.symlinkSync(path.join(REPO, "e2e/program/index.ts"), path.join(programDir, "index.ts"));
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(programDir, "node_modules"));
        fs.writeFileSync(path.join(programDir, "package.json"), JSON.stringify({ name: "homelab-sso-e2e-dev", private: true }));
        const crds = await installManifests(cluster, path.join(REPO, "e2e/crds/external-secrets.io.yaml"));

        const stackFile = path.join(programDir, "Pulumi.dev.yaml");
        const stack = YAML.parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
        stack.config["homelab-sso:authentik"] = { ...stack.config["homelab-sso:authentik"], apiUrl: authentik.url, apiTokenSource: "config" };
        fs.writeFileSync(stackFile, YAML.stringify(stack));
        const env = { KUBECONFIG: cluster.kubeconfigPath, E2E_CHART_REPO: charts.url };
        workspace.run(programDir, ["stack", "init", "dev"], env);
        // From stdin, so the token is not on a command line.
        const configSet = spawnSync("pulumi", ["config", "set", "--secret", "authentik:token", "--non-interactive"], {
            cwd: programDir, env: { ...workspace.env, ...env }, input: token, encoding: "utf8",
        });
        expect(configSet.status === 0, "`pulumi config set --secret authentik:token` to succeed", `${configSet.stderr}`);

        await workspace.runAsync(programDir, ["up", "--yes"], env);

        const violations = authentik.violations();
        expect(violations.length === 0, "no request the Authentik double flags (unknown fields, unserved endpoints or parameters)",
            JSON.stringify(violations));
        const state = authentik.state();
        const services = Object.entries(stack.config["homelab-sso:services"] as { [key: string]: { slug?: string } })
            .map(([key, service]) => service.slug ?? key).sort();
        const providerNames = state.providers.map((p: any) => String(p.name)).sort();
        expect(services.every((slug) => providerNames.includes(slug)), `one OAuth2 provider per service (${services.join(", ")})`,
            providerNames.join(", ") || "none");
        const signingKey = state.certificateKeyPairs[0]?.pk;
        const wrong = state.providers.filter((p: any) => p.signing_key !== signingKey || (p.property_mappings ?? []).length !== 3
            || (p.redirect_uris ?? []).some((u: any) => u.matching_mode !== "strict"));
        expect(wrong.length === 0, "every provider signed with the self-signed RS256 key pair, strict redirect URIs and the three scope mappings",
            JSON.stringify(wrong));
        const applications = state.applications.map((a: any) => String(a.slug)).sort();
        const bookmarks = (stack.config["homelab-sso:bookmarks"] ?? []).map((b: { slug: string }) => b.slug);
        expect([...services, ...bookmarks].every((slug) => applications.includes(slug)), "an application per service and per bookmark",
            applications.join(", "));

        await workspace.runAsync(programDir, ["preview", "--expect-no-changes"], env);
        // Read back what the double holds (the Authentik stand-in's Read), then nothing to change.
        await workspace.runAsync(programDir, ["refresh", "--yes"], env);
        await workspace.runAsync(programDir, ["preview", "--expect-no-changes"], env);
        const after = authentik.violations();
        expect(after.length === 0, "no request the double flags during preview and refresh", JSON.stringify(after));
        return `${crds} CRDs installed; ${state.providers.length} providers, ${state.applications.length} applications, ` +
            `${state.policyBindings.length} bindings in the double; no violations; no changes after up and after refresh`;
    } finally {
        workspace.remove();
        fs.rmSync(programDir, { recursive: true, force: true });
        await charts.stop();
        await authentik.stop();
    }
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
        await step("dev-stack", () => devStackStep(paths!, cluster!));
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
