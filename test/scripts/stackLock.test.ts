/**
 * The workflows' stack lock (scripts/stack-lock.ts): Pulumi's lock layout and format on a real
 * file:// backend directory, the bounded waits, and the aws CLI calls for an S3 backend.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    LockStore,
    PULUMI_LOCKED_MESSAGE,
    WaitOptions,
    acquireStackLock,
    fileLockStore,
    parseBackendUrl,
    parseDuration,
    releaseStackLock,
    retryWhileLocked,
    s3LockStore,
} from "../../scripts/lib/stackLock";
import { PROJECT_ROOT } from "../../scripts/lib/render";

const STACK = "organization/homelab-sso/prod";
const LOCK_DIR = ".pulumi/locks/organization/homelab-sso/prod/";

function tempBackend(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "stack-lock-test-"));
}

/** A clock that advances only when the code under test sleeps. */
function fakeWait(timeoutMs: number, intervalMs: number, onSleep: (slept: number) => void = () => {}): WaitOptions & { lines: string[] } {
    let now = 0;
    const lines: string[] = [];
    return {
        timeoutMs,
        intervalMs,
        now: () => now,
        sleep: async (ms) => {
            now += ms;
            onSleep(now);
        },
        log: (line) => lines.push(line),
        lines,
    };
}

const FOREIGN_LOCK = JSON.stringify({ pid: 4242, username: "runner", hostname: "fv-az123", timestamp: "2026-11-30T06:00:00Z" });

describe("stack lock (scripts/stack-lock.ts)", () => {
    describe("parseBackendUrl", () => {
        it("reads an S3-compatible URL: bucket, prefix, region, endpoint (https unless disabled), path style", () => {
            expect(parseBackendUrl("s3://state/homelab?region=auto&endpoint=abc.r2.cloudflarestorage.com")).to.deep.equal({
                kind: "s3",
                bucket: "state",
                prefix: "homelab/",
                region: "auto",
                endpoint: "https://abc.r2.cloudflarestorage.com",
                pathStyle: false,
                profile: undefined,
            });
            expect(parseBackendUrl("s3://state?endpoint=minio.local:9000&disableSSL=true&s3ForcePathStyle=true")).to.include({
                prefix: "",
                endpoint: "http://minio.local:9000",
                pathStyle: true,
            });
            expect(parseBackendUrl("file:///srv/state")).to.deep.equal({ kind: "file", root: "/srv/state" });
        });

        it("refuses stores it cannot lock, and relative file paths, with the reason", () => {
            expect(() => parseBackendUrl("gs://bucket")).to.throw(/gs:\/\/ is not supported by the stack lock \(s3:\/\/ and file:\/\/ are\)/);
            expect(() => parseBackendUrl("file://state")).to.throw(/absolute path/);
            expect(() => parseBackendUrl("not a url")).to.throw(/not a URL/);
        });
    });

    describe("acquire and release on a file:// backend", () => {
        it("writes one lock file in Pulumi's layout and JSON format, and release removes it", async () => {
            const root = tempBackend();
            const store = fileLockStore(root);
            const key = await acquireStackLock(store, STACK, fakeWait(60_000, 1000), { pid: 7, username: "runner", hostname: "host" });
            expect(key).to.match(/^\.pulumi\/locks\/organization\/homelab-sso\/prod\/[0-9a-f-]{36}\.json$/);
            const files = fs.readdirSync(path.join(root, LOCK_DIR));
            expect(files).to.deep.equal([path.basename(key)]);
            // The fields Pulumi's lockContent unmarshals (pid, username, hostname, timestamp).
            const body = JSON.parse(fs.readFileSync(path.join(root, key), "utf8"));
            expect(Object.keys(body).sort()).to.deep.equal(["hostname", "pid", "timestamp", "username"]);
            expect(body).to.include({ pid: 7, username: "runner", hostname: "host" });
            releaseStackLock(store, STACK, key);
            expect(fs.readdirSync(path.join(root, LOCK_DIR))).to.deep.equal([]);
        });

        it("waits while another lock (e.g. `pulumi up`'s) exists, and takes the lock once it is gone", async () => {
            const root = tempBackend();
            const store = fileLockStore(root);
            store.put(`${LOCK_DIR}pulumi-up.json`, FOREIGN_LOCK);
            const wait = fakeWait(600_000, 20_000, (now) => {
                if (now >= 60_000) store.delete(`${LOCK_DIR}pulumi-up.json`);
            });
            const key = await acquireStackLock(store, STACK, wait);
            expect(fs.readdirSync(path.join(root, LOCK_DIR))).to.deep.equal([path.basename(key)]);
            expect(wait.lines.filter((l) => /is locked by 1 lock\(s\)/.test(l))).to.have.length(3);
        });

        it("gives up after the timeout, naming the holder and `pulumi cancel`, and leaves no lock of its own", async () => {
            const root = tempBackend();
            const store = fileLockStore(root);
            store.put(`${LOCK_DIR}stale.json`, FOREIGN_LOCK);
            let error: Error | undefined;
            await acquireStackLock(store, STACK, fakeWait(60_000, 20_000)).catch((e: Error) => (error = e));
            expect(error?.message).to.match(/still locked after 60 s by .*stale\.json \(runner@fv-az123, pid 4242, since 2026-11-30T06:00:00Z\)/);
            expect(error?.message).to.include(`pulumi cancel --stack ${STACK}`);
            expect(fs.readdirSync(path.join(root, LOCK_DIR))).to.deep.equal(["stale.json"]);
        });

        it("backs off when another process writes its lock between our two looks (Pulumi's protocol)", async () => {
            const root = tempBackend();
            const inner = fileLockStore(root);
            let puts = 0;
            const racing: LockStore = {
                ...inner,
                put(key, body) {
                    inner.put(key, body);
                    // The first time, a `pulumi up` writes its lock right after ours; it then gives up (as its
                    // own second look sees ours) before our next attempt.
                    if (++puts === 1) inner.put(`${LOCK_DIR}racer.json`, FOREIGN_LOCK);
                },
            };
            const wait = fakeWait(600_000, 20_000, () => inner.delete(`${LOCK_DIR}racer.json`));
            const key = await acquireStackLock(racing, STACK, wait);
            expect(puts).to.equal(2);
            expect(fs.readdirSync(path.join(root, LOCK_DIR))).to.deep.equal([path.basename(key)]);
        });

        it("release deletes only a lock file of the stack", () => {
            const store = fileLockStore(tempBackend());
            expect(() => releaseStackLock(store, STACK, ".pulumi/stacks/homelab-sso/prod.json")).to.throw(/refusing to delete/);
            expect(() => releaseStackLock(store, STACK, `${LOCK_DIR}../../other/x.json`)).to.throw(/refusing to delete/);
            expect(() => releaseStackLock(store, "prod", `${LOCK_DIR}x.json`)).to.throw(/not a DIY backend stack name/);
        });
    });

    describe("retryWhileLocked (pulumi up)", () => {
        it("runs again while the only failure is Pulumi's lock error, then returns the command's result", async () => {
            const results = [
                { code: 255, output: `error: ${PULUMI_LOCKED_MESSAGE} by 1 lock(s).` },
                { code: 255, output: `error: ${PULUMI_LOCKED_MESSAGE} by 1 lock(s).` },
                { code: 0, output: "Resources: 3 updated" },
            ];
            const result = await retryWhileLocked(async () => results.shift()!, fakeWait(1_800_000, 30_000));
            expect(result).to.deep.equal({ code: 0, attempts: 3 });
        });

        it("never repeats a command that failed for another reason", async () => {
            let runs = 0;
            const result = await retryWhileLocked(async () => (runs++, { code: 1, output: "error: update failed" }), fakeWait(1_800_000, 30_000));
            expect(result).to.deep.equal({ code: 1, attempts: 1 });
            expect(runs).to.equal(1);
        });

        it("is bounded: still locked after the timeout, it returns the failure", async () => {
            const result = await retryWhileLocked(async () => ({ code: 255, output: PULUMI_LOCKED_MESSAGE }), fakeWait(120_000, 30_000));
            expect(result).to.deep.equal({ code: 255, attempts: 5 });
        });
    });

    it("S3: calls the aws CLI with the bucket, the prefixed key, region and endpoint", () => {
        const calls: string[][] = [];
        const store = s3LockStore(parseBackendUrl("s3://state/homelab?region=auto&endpoint=abc.r2.cloudflarestorage.com") as never, (args) => {
            calls.push(args);
            return args.includes("list-objects-v2")
                ? JSON.stringify({ Contents: [{ Key: `homelab/${LOCK_DIR}a.json` }, { Key: `homelab/${LOCK_DIR}sub/b.json` }] })
                : "";
        });
        expect(store.list(LOCK_DIR)).to.deep.equal([`${LOCK_DIR}a.json`]);
        store.put(`${LOCK_DIR}x.json`, "{}");
        store.delete(`${LOCK_DIR}x.json`);
        const common = ["--region", "auto", "--endpoint-url", "https://abc.r2.cloudflarestorage.com", "--output", "json", "s3api"];
        expect(calls[0]).to.deep.equal([...common, "list-objects-v2", "--bucket", "state", "--prefix", `homelab/${LOCK_DIR}`]);
        expect(calls[1].slice(0, common.length + 5)).to.deep.equal([...common, "put-object", "--bucket", "state", "--key", `homelab/${LOCK_DIR}x.json`]);
        expect(calls[2]).to.deep.equal([...common, "delete-object", "--bucket", "state", "--key", `homelab/${LOCK_DIR}x.json`]);
        expect(store.describe(`${LOCK_DIR}x.json`)).to.equal(`s3://state/homelab/${LOCK_DIR}x.json`);
    });

    it("parseDuration", () => {
        expect(parseDuration("20s")).to.equal(20_000);
        expect(parseDuration("25m")).to.equal(1_500_000);
        expect(() => parseDuration("0s")).to.throw(/duration/);
        expect(() => parseDuration("1d")).to.throw(/duration/);
    });

    describe("the command line, as the workflows run it", () => {
        const cli = (args: string[], env: NodeJS.ProcessEnv) =>
            spawnSync(process.execPath, ["--require", "ts-node/register/transpile-only", "scripts/stack-lock.ts", ...args], {
                cwd: PROJECT_ROOT,
                env: { ...process.env, ...env },
                encoding: "utf8",
            });

        it("acquire writes the key to $GITHUB_OUTPUT; release removes the lock", () => {
            const root = tempBackend();
            const output = path.join(root, "github-output");
            const env = { PULUMI_BACKEND_URL: `file://${root}`, GITHUB_OUTPUT: output };
            const acquired = cli(["acquire", "--stack", STACK], env);
            expect(acquired.status, acquired.stderr).to.equal(0);
            const key = /^key=(.*)$/m.exec(fs.readFileSync(output, "utf8"))![1];
            expect(fs.existsSync(path.join(root, key))).to.equal(true);
            const released = cli(["release", "--stack", STACK, "--key", key], env);
            expect(released.status, released.stderr).to.equal(0);
            expect(fs.existsSync(path.join(root, key))).to.equal(false);
        });

        it("retry reruns the command while it reports the lock (the lock is gone on the second run)", () => {
            const root = tempBackend();
            const counter = path.join(root, "runs");
            const script = `const fs=require("fs");const n=fs.existsSync(${JSON.stringify(counter)})?1:0;fs.writeFileSync(${JSON.stringify(counter)},"x");if(n===0){console.error("error: ${PULUMI_LOCKED_MESSAGE} by 1 lock(s).");process.exit(255)}console.log("updated")`;
            const run = cli(["retry", "--stack", STACK, "--interval", "1s", "--", process.execPath, "-e", script], { PULUMI_BACKEND_URL: `file://${root}` });
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout).to.include("updated");
            expect(run.stderr).to.include("retrying in 1 s");
        });

        it("usage errors exit 2", () => {
            expect(cli(["acquire", "--stack", "prod"], { PULUMI_BACKEND_URL: "file:///tmp" }).status).to.equal(2);
            expect(cli(["retry", "--stack", STACK], { PULUMI_BACKEND_URL: "file:///tmp" }).status).to.equal(2);
            expect(cli(["acquire", "--stack", STACK], { PULUMI_BACKEND_URL: "" }).status).to.equal(2);
        });
    });
});
