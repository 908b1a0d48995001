/**
 * What the e2e's steps share: the step failure that names what was expected, the built components'
 * paths, a Pulumi workspace on a file backend with passphrase secrets, polling, and manifests.
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Cluster } from "./cluster/cluster";

export const REPO = path.resolve(__dirname, "..");

export class StepFailure extends Error {}

/** Fails the step with what was expected and what was found. */
export function expect(condition: boolean, expected: string, found: string): asserts condition {
    if (!condition) throw new StepFailure(`expected ${expected}; found ${found}`);
}

export interface BuildPaths {
    pulumiBin: string;
    kubeBin: string;
    pulumiHome: string;
}

export function buildPaths(): BuildPaths {
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

export interface CommandResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs a command without blocking the event loop (the loopback servers of this process must answer). */
export async function runCommand(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input?: string): Promise<CommandResult> {
    const child = spawn(program, args, { cwd, env, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr!.on("data", (chunk: Buffer) => err.push(chunk));
    if (input !== undefined) child.stdin!.end(input);
    const status = await new Promise<number | null>((resolve, reject) => {
        child.once("error", reject);
        child.once("close", (code) => resolve(code));
    });
    return { status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}

/** A file backend in a temp folder, passphrase secrets, the built CLI and plugins only. */
export class PulumiWorkspace {
    readonly stateDir: string;
    readonly env: NodeJS.ProcessEnv;

    constructor(paths: BuildPaths, readonly passphrase: string) {
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
        const { status, stdout, stderr } = await runCommand("pulumi", [...args, "--non-interactive", "--color", "never"], dir, { ...this.env, ...extraEnv });
        const output = `${stdout}${stderr}`;
        if (status !== 0) throw new StepFailure(pulumiFailure(args, status, output));
        return output;
    }

    remove(): void {
        fs.rmSync(this.stateDir, { recursive: true, force: true });
    }
}

export async function waitFor<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new StepFailure(`${what} within ${seconds} s`);
        await new Promise((r) => setTimeout(r, 1000));
    }
}

/** Creates every object of a multi-document YAML file in the API server (the e2e's ESO CRDs). */
export async function installManifests(cluster: Cluster, file: string): Promise<number> {
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
 * A temp folder holding a copy of e2e/program/Pulumi.yaml, symlinks to the entry program and
 * node_modules, and a package.json: where a stack of the project's program is initialised (`pulumi
 * stack init` writes the passphrase salt into the stack file there, never into the repository).
 */
export function entryProgramDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const project = YAML.parse(fs.readFileSync(path.join(REPO, "e2e/program/Pulumi.yaml"), "utf8"));
    project.runtime.options.tsconfig = path.join(REPO, "tsconfig.pulumi.json");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify(project));
    fs.symlinkSync(path.join(REPO, "e2e/program/index.ts"), path.join(dir, "index.ts"));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: path.basename(dir), private: true }));
    return dir;
}

/** `pulumi config set --secret KEY` with the value on stdin, so it is never on a command line. */
export function setSecretConfig(workspace: PulumiWorkspace, dir: string, key: string, value: string, extraEnv: NodeJS.ProcessEnv = {}): void {
    const result = spawnSync("pulumi", ["config", "set", "--secret", "--path", key, "--non-interactive"], {
        cwd: dir, env: { ...workspace.env, ...extraEnv }, input: value, encoding: "utf8",
    });
    expect(result.status === 0, `\`pulumi config set --secret ${key}\` to succeed`, `${result.stderr}`);
}

/**
 * Server-side apply of OBJECT at API path COLLECTION/NAME as FIELD_MANAGER: a PATCH with
 * `application/apply-patch+yaml` (JSON is YAML), as ArgoCD's controller applies with ServerSideApply.
 */
export function serverSideApply(cluster: Cluster, collection: string, object: any, fieldManager: string, force = false): Promise<{ status: number; body: any }> {
    const payload = JSON.stringify(object);
    const query = `fieldManager=${encodeURIComponent(fieldManager)}${force ? "&force=true" : ""}`;
    return new Promise((resolve, reject) => {
        const req = https.request(`${cluster.server}${collection}/${object.metadata.name}?${query}`, {
            method: "PATCH",
            ca: fs.readFileSync(cluster.caPath),
            headers: {
                authorization: `Bearer ${cluster.token}`,
                accept: "application/json",
                "content-type": "application/apply-patch+yaml",
                "content-length": Buffer.byteLength(payload),
            },
        }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let body: unknown = text;
                try { body = JSON.parse(text); } catch { /* plain text */ }
                resolve({ status: res.statusCode ?? 0, body });
            });
        });
        req.on("error", reject);
        req.write(payload);
        req.end();
    });
}

/** The steps of a parsed `pulumi preview --json` that change something: op and URN of every step whose op is not `same`. */
export function previewChanges(preview: any): { op: string; urn: string }[] {
    return (preview.steps ?? []).filter((s: any) => s.op !== "same").map((s: any) => ({ op: String(s.op), urn: String(s.urn) }));
}

/** `pulumi ARGS --json` in DIR: the parsed standard output (diagnostics on standard error stay out of the JSON). */
export async function runJson(workspace: PulumiWorkspace, dir: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<any> {
    const { status, stdout, stderr } = await runCommand("pulumi", [...args, "--json", "--non-interactive", "--color", "never"], dir, { ...workspace.env, ...extraEnv });
    if (status !== 0) throw new StepFailure(pulumiFailure([...args, "--json"], status, `${stdout}${stderr}`));
    return JSON.parse(stdout);
}
