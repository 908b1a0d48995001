/**
 * The state backend's stack lock for the GitHub workflows (see scripts/lib/stackLock.ts for why):
 *
 *   stack-lock acquire --stack <org/project/stack> [--timeout 25m] [--interval 20s]
 *       waits (bounded) until no other lock file exists, writes ours, prints its key (and appends
 *       `key=<key>` to $GITHUB_OUTPUT when set);
 *   stack-lock release --stack <org/project/stack> --key <key>
 *       deletes the lock file `acquire` wrote;
 *   stack-lock retry --stack <org/project/stack> [--timeout 30m] [--interval 30s] -- <command...>
 *       runs a command that takes the lock itself (`pulumi up`), again while it fails only because the
 *       stack is locked.
 *
 * The backend is $PULUMI_BACKEND_URL (s3:// with the aws CLI, or file://). Exit codes: 0 done, 1 the
 * lock was not obtained or the command failed, 2 usage.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import { acquireStackLock, lockStoreFor, parseDuration, releaseStackLock, retryWhileLocked, stackLockDir } from "./lib/stackLock";

function options(args: string[]): { flags: Map<string, string>; command: string[] } {
    const dash = args.indexOf("--");
    const own = dash === -1 ? args : args.slice(0, dash);
    const flags = new Map<string, string>();
    for (let i = 0; i < own.length; i += 2) {
        if (!own[i].startsWith("--") || own[i + 1] === undefined) throw new Error(`unexpected argument "${own[i]}"`);
        flags.set(own[i].slice(2), own[i + 1]);
    }
    return { flags, command: dash === -1 ? [] : args.slice(dash + 1) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stderr.write(`${line}\n`);

function runStreaming(command: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(command[0], command.slice(1), { stdio: ["inherit", "pipe", "pipe"] });
        // Keep only the tail: Pulumi prints the lock error last.
        let tail = "";
        const keep = (chunk: Buffer) => {
            tail = (tail + chunk.toString("utf8")).slice(-64 * 1024);
        };
        child.stdout.on("data", (c: Buffer) => (process.stdout.write(c), keep(c)));
        child.stderr.on("data", (c: Buffer) => (process.stderr.write(c), keep(c)));
        child.on("error", (err) => resolve({ code: 127, output: String(err) }));
        child.on("close", (code) => resolve({ code: code ?? 1, output: tail }));
    });
}

async function main(argv: string[]): Promise<number> {
    const [verb, ...rest] = argv;
    let parsed: ReturnType<typeof options>;
    try {
        parsed = options(rest);
        if (!["acquire", "release", "retry"].includes(verb)) throw new Error(`unknown command "${verb ?? ""}" (acquire, release or retry)`);
        stackLockDir(parsed.flags.get("stack") ?? "");
        if (verb === "retry" && parsed.command.length === 0) throw new Error("retry needs a command after --");
        if (!process.env.PULUMI_BACKEND_URL) throw new Error("PULUMI_BACKEND_URL is not set");
    } catch (err) {
        log(`stack-lock: ${(err as Error).message}`);
        return 2;
    }
    const stack = parsed.flags.get("stack")!;
    const store = lockStoreFor(process.env.PULUMI_BACKEND_URL!);
    const wait = (timeout: string, interval: string) => ({
        timeoutMs: parseDuration(parsed.flags.get("timeout") ?? timeout),
        intervalMs: parseDuration(parsed.flags.get("interval") ?? interval),
        sleep,
        now: () => Date.now(),
        log,
    });
    if (verb === "acquire") {
        const key = await acquireStackLock(store, stack, wait("25m", "20s"));
        process.stdout.write(`${key}\n`);
        if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `key=${key}\n`);
        return 0;
    }
    if (verb === "release") {
        releaseStackLock(store, stack, parsed.flags.get("key") ?? "");
        log(`stack-lock: released ${stack}`);
        return 0;
    }
    const result = await retryWhileLocked(() => runStreaming(parsed.command), wait("30m", "30s"));
    return result.code;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err: unknown) => {
        log(`stack-lock: ${(err as Error)?.message ?? String(err)}`);
        process.exitCode = 1;
    },
);
