/**
 * What the e2e's steps share: the step failure that names what was expected, the built components'
 * paths, a Pulumi workspace on a file backend with passphrase secrets, polling, and manifests.
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
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

