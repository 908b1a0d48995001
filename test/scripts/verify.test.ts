/**
 * `npm run verify` against a real OpenID provider: oidc-provider on 127.0.0.1, laid out like Authentik
 * (test/support/oidcServer.ts), with TLS from a CA made here. One good configuration passes every
 * check; each broken one fails exactly its check, with the cause and fix of that failure.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { argoCdUrlOfDexCallback, CHECK_NAMES, CheckResult } from "../../scripts/lib/verify/checks";
import { runVerifyCli, VerifyDeps } from "../../scripts/lib/verify/cli";
import { explain, FailureReason } from "../../scripts/lib/verify/explain";
import { httpRequest } from "../../scripts/lib/verify/http";
import { CommandRunner } from "../../scripts/lib/verify/inCluster";
import { readVerifyClients, VerifyClient } from "../../scripts/lib/verify/outputs";
import { Fault, makeTestTls, RunningTestServer, startTestServer, stackOutputs, TestTls } from "../support/oidcServer";
import { committedStack } from "../support/stacks";

interface JsonReport {
    ok: boolean;
    summary: { checks: number; passed: number; failed: number; skipped: number };
    results: CheckResult[];
}

const CLIENTS = ["argocd", "argocd/nativeClient", "grafana"];
const CONFIDENTIAL = ["argocd", "grafana"];
const SLUGS: { [client: string]: string } = { argocd: "argocd", "argocd/nativeClient": "argocd-cli", grafana: "grafana" };

let tmp: string;
let tls: TestTls;

function writeFile(name: string, content: string): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content);
    return file;
}

const noCommand: CommandRunner = async () => ({ code: 127, stdout: "", stderr: "not available in tests" });

function deps(overrides: Partial<VerifyDeps> = {}): VerifyDeps {
    return {
        readFile: (file) => fs.readFileSync(file, "utf8"),
        pulumi: noCommand,
        kubectl: noCommand,
        http: { retryDelayMs: 10, timeoutMs: 5000 },
        inClusterPollMs: 10,
        ...overrides,
    };
}

async function verify(argv: string[], overrides: Partial<VerifyDeps> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runVerifyCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, deps(overrides));
    return { code, stdout, stderr };
}

async function verifyJson(outputs: unknown, extra: string[] = ["--ca", path.join(tmp, "ca.pem")], overrides: Partial<VerifyDeps> = {}) {
    const file = writeFile(`outputs-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(outputs));
    const run = await verify(["--outputs", file, "--json", ...extra], overrides);
    return { ...run, report: JSON.parse(run.stdout) as JsonReport };
}

function failures(report: JsonReport): CheckResult[] {
    return report.results.filter((r) => r.status !== "pass");
}

before(async function () {
    this.timeout(30_000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "verify-test-"));
    tls = await makeTestTls();
    fs.writeFileSync(path.join(tmp, "ca.pem"), tls.caPem);
});

after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

describe("npm run verify against oidc-provider on loopback", () => {
    describe("a good configuration", () => {
        let server: RunningTestServer;
        before(async () => {
            server = await startTestServer({ tls });
        });
        after(() => server.close());

        it("passes every check of every client and its native client, exit 0", async () => {
            const { code, report } = await verifyJson(stackOutputs(server.baseUrl));
            expect(failures(report)).to.deep.equal([]);
            expect(code).to.equal(0);
            expect(report.ok).to.equal(true);
            expect(report.summary).to.deep.equal({ checks: CLIENTS.length * CHECK_NAMES.length, passed: CLIENTS.length * CHECK_NAMES.length, failed: 0, skipped: 0 });
            for (const client of CLIENTS) {
                expect(report.results.filter((r) => r.client === client).map((r) => r.check)).to.deep.equal([...CHECK_NAMES]);
            }
            const nativeToken = report.results.find((r) => r.client === "argocd/nativeClient" && r.check === "token-auth")!;
            expect(nativeToken.detail).to.match(/public client: no secret asked.*invalid_grant/);
            const grafanaToken = report.results.find((r) => r.client === "grafana" && r.check === "token-auth")!;
            expect(grafanaToken.detail).to.match(/refused a wrong client secret \(HTTP 401 invalid_client\)/);
        });

        it("prints progress per client on stderr and the table on stdout", async () => {
            const file = writeFile("good.json", JSON.stringify(stackOutputs(server.baseUrl)));
            const { code, stdout, stderr } = await verify(["--outputs", file, "--ca", path.join(tmp, "ca.pem")]);
            expect(code).to.equal(0);
            expect(stderr).to.match(/\[1\/3\] argocd \(client id argocd, confidential\)/);
            expect(stderr).to.match(/\[2\/3\] argocd\/nativeClient \(client id argocd-cli, public\)/);
            expect(stdout.split("\n")[0]).to.match(/^CLIENT\s+CHECK\s+RESULT\s+DETAIL$/);
            expect(stdout).to.match(/^grafana\s+redirect-strict\s+pass\s+refuses https:\/\/127\.0\.0\.1:8444\/login\/generic_oauth\/homelab-sso-verify-unregistered/m);
            expect(stdout).to.include("27 checks of 3 client(s): 27 passed, 0 failed, 0 skipped. SSO works.");
        });

        it("fails discovery on an untrusted certificate without --ca, and skips the rest", async () => {
            const { code, report } = await verifyJson(stackOutputs(server.baseUrl), []);
            expect(code).to.equal(1);
            for (const client of CLIENTS) {
                const rows = report.results.filter((r) => r.client === client);
                expect(rows[0]).to.include({ check: "discovery", status: "fail", reason: "tls" });
                expect(rows[0].detail).to.match(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
                expect(rows[0].fix).to.include("--ca");
                expect(rows.slice(1).map((r) => r.status)).to.deep.equal(Array(CHECK_NAMES.length - 1).fill("skip"));
            }
        });

        it("--markdown prints one table row per check, with cause and fix columns", async () => {
            const file = writeFile("good-md.json", JSON.stringify(stackOutputs(server.baseUrl)));
            const { code, stdout } = await verify(["--outputs", file, "--ca", path.join(tmp, "ca.pem"), "--markdown"]);
            expect(code).to.equal(0);
            expect(stdout).to.include("| Client | Check | Result | Detail | Likely cause | Fix |");
            expect(stdout.split("\n").filter((l) => l.startsWith("| argocd/nativeClient |"))).to.have.length(CHECK_NAMES.length);
        });
    });

    const broken: { name: string; faults: Fault[]; extraRedirect?: boolean; check: string; reason: FailureReason; clients: string[]; detail: RegExp }[] = [
        { name: "HS256 only (no signing key)", faults: ["hs256"], check: "signing", reason: "no-rs256", clients: CONFIDENTIAL, detail: /\["HS256"\], without RS256/ },
        {
            name: "an issuer without the trailing slash",
            faults: ["issuer-without-slash"],
            check: "discovery",
            reason: "issuer-mismatch",
            clients: CLIENTS,
            detail: /issuer is "https:\/\/127\.0\.0\.1:\d+\/application\/o\/[a-z-]+", the client is configured with "https:\/\/127\.0\.0\.1:\d+\/application\/o\/[a-z-]+\/"/,
        },
        { name: "an unregistered redirect URI accepted (wildcard)", faults: ["wildcard-redirect"], check: "redirect-strict", reason: "redirect-not-strict", clients: CLIENTS, detail: /accepted the unregistered .*error=login_required/ },
        { name: "a token endpoint that accepts a wrong secret", faults: ["accepts-wrong-secret"], check: "token-auth", reason: "secret-not-checked", clients: CONFIDENTIAL, detail: /accepted a wrong client secret.*invalid_grant/ },
        { name: "a redirect URI Authentik does not hold", faults: [], extraRedirect: true, check: "authorize", reason: "redirect-refused", clients: CONFIDENTIAL, detail: /generic_oauth\/extra: HTTP 400, redirect URI not registered/ },
        { name: "missing scope mappings", faults: ["missing-scopes"], check: "scopes", reason: "scopes-missing", clients: CLIENTS, detail: /lacks email, profile/ },
        { name: "no userinfo endpoint", faults: ["no-userinfo"], check: "userinfo", reason: "userinfo-unexpected", clients: CLIENTS, detail: /HTTP 404/ },
        { name: "no end-session endpoint", faults: ["no-end-session"], check: "end-session", reason: "end-session-missing", clients: CLIENTS, detail: /HTTP 404/ },
        { name: "a native client registered as confidential", faults: ["native-confidential"], check: "token-auth", reason: "public-needs-secret", clients: ["argocd/nativeClient"], detail: /refused the public client without a secret \(HTTP 401 invalid_client\)/ },
    ];

    for (const scenario of broken) {
        describe(`broken: ${scenario.name}`, () => {
            let server: RunningTestServer;
            before(async () => {
                server = await startTestServer({ tls, faults: scenario.faults });
            });
            after(() => server.close());

            it(`fails exactly ${scenario.check} (${scenario.reason}) with its cause and fix, exit 1`, async () => {
                const outputs = stackOutputs(server.baseUrl, undefined, scenario.extraRedirect ? "https://127.0.0.1:8444/login/generic_oauth/extra" : undefined);
                const { code, report } = await verifyJson(outputs);
                expect(code).to.equal(1);
                const failed = failures(report);
                expect(failed.map((r) => `${r.client} ${r.check} ${r.status}`)).to.deep.equal(scenario.clients.map((c) => `${c} ${scenario.check} fail`));
                for (const failure of failed) {
                    expect(failure.reason).to.equal(scenario.reason);
                    expect(failure.detail).to.match(scenario.detail);
                    const slug = SLUGS[failure.client];
                    expect({ cause: failure.cause, fix: failure.fix }).to.deep.equal(explain(scenario.reason, { slug } as VerifyClient));
                }
            });
        });
    }

    it("an unreachable host fails discovery (connection refused) after bounded retries, and skips the rest", async () => {
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise<void>((resolve) => closed.close(() => resolve()));
        const { code, report } = await verifyJson(stackOutputs(`https://127.0.0.1:${port}`), ["--retries", "1"]);
        expect(code).to.equal(1);
        expect(report.summary).to.deep.equal({ checks: 27, passed: 0, failed: 3, skipped: 24 });
        for (const failure of report.results.filter((r) => r.status === "fail")) {
            expect(failure).to.include({ check: "discovery", reason: "refused" });
            expect(failure.detail).to.match(/ECONNREFUSED.*\(after 2 attempts\)/);
        }
    });
});

describe("verify: ArgoCD's Dex (dex-discovery)", () => {
    /** An https server on loopback standing in for argocd-server's /api/dex proxy; `issuer` is what its discovery document says. */
    async function argoCdStandIn(issuerOf: (url: string) => string): Promise<{ url: string; close: () => Promise<void> }> {
        let url = "";
        const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
            if (req.url === "/api/dex/.well-known/openid-configuration") {
                res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer: issuerOf(url) }));
            } else {
                res.writeHead(404).end();
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
        return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }

    async function dexResults(argoCdUrl: string) {
        const server = await startTestServer({ tls, services: [{ name: "argocd", client: { slug: "argocd", clientId: "argocd", redirectUris: [`${argoCdUrl}/api/dex/callback`] } }] });
        try {
            const { code, report } = await verifyJson(stackOutputs(server.baseUrl, [{ name: "argocd", client: { slug: "argocd", clientId: "argocd", redirectUris: [`${argoCdUrl}/api/dex/callback`] } }]));
            return { code, dex: report.results.filter((r) => r.check === "dex-discovery"), all: report.results };
        } finally {
            await server.close();
        }
    }

    it("recognises ArgoCD's URL only from an https Dex callback", () => {
        expect(argoCdUrlOfDexCallback("https://argocd.example.net:8443/api/dex/callback")).to.equal("https://argocd.example.net:8443");
        expect(argoCdUrlOfDexCallback("https://argocd.example.net:8443/auth/callback")).to.equal(undefined);
        expect(argoCdUrlOfDexCallback("http://argocd.example.net/api/dex/callback")).to.equal(undefined);
        expect(argoCdUrlOfDexCallback(undefined)).to.equal(undefined);
    });

    it("passes when <ArgoCD URL>/api/dex serves Dex's discovery document with issuer <ArgoCD URL>/api/dex; the other checks run as for any client", async () => {
        const argocd = await argoCdStandIn((url) => `${url}/api/dex`);
        try {
            const { code, dex, all } = await dexResults(argocd.url);
            expect(dex.map((r) => [r.status, r.detail])).to.deep.equal([["pass", `issuer ${argocd.url}/api/dex`]]);
            expect(all.map((r) => r.check)).to.deep.equal([...CHECK_NAMES, "dex-discovery"]);
            expect(code).to.equal(0);
        } finally {
            await argocd.close();
        }
    });

    it("fails, with the cause and fix, when the document names another issuer", async () => {
        const argocd = await argoCdStandIn((url) => `${url}/api/dex/`);
        try {
            const { code, dex } = await dexResults(argocd.url);
            expect(dex).to.have.length(1);
            expect(dex[0]).to.deep.include({ status: "fail", reason: "dex-discovery" });
            expect(dex[0].detail).to.include(`expected "${argocd.url}/api/dex"`);
            expect(dex[0].fix).to.include("argocd-dex-server");
            expect(code).to.equal(1);
        } finally {
            await argocd.close();
        }
    });

    it("is skipped, not failed, when ArgoCD's URL does not answer from here", async () => {
        const argocd = await argoCdStandIn((url) => `${url}/api/dex`);
        const url = argocd.url;
        await argocd.close();
        const { code, dex } = await dexResults(url);
        expect(dex.map((r) => [r.status, r.optional])).to.deep.equal([["skip", true]]);
        expect(dex[0].detail).to.match(/^not run: .* did not answer from here/);
        // The run still says SSO works: only skips of checks that must run fail it.
        expect(code).to.equal(0);
    });
});

describe("verify: arguments and outputs", () => {
    it("exits 2 with the problem and the usage on bad arguments", async () => {
        for (const argv of [[], ["--stack", "prod", "--outputs", "x.json"], ["--outputs"], ["--outputs", "x", "--timeout", "0"], ["--frobnicate"]]) {
            const { code, stderr, stdout } = await verify(argv);
            expect(code, argv.join(" ")).to.equal(2);
            expect(stderr).to.include("Usage: npm run verify");
            expect(stdout).to.equal("");
        }
    });

    it("--help lists every check", async () => {
        const { code, stdout } = await verify(["--help"]);
        expect(code).to.equal(0);
        for (const name of [...CHECK_NAMES, "dex-discovery", "in-cluster"]) {
            expect(stdout).to.match(new RegExp(`^  ${name} `, "m"));
        }
    });

    it("reports every problem of malformed outputs at once, exit 2, without a request", async () => {
        const outputs = {
            oidcClients: {
                grafana: { slug: "grafana", clientId: "", issuer: "x", discoveryUrl: "y", redirectUris: [], endpoints: {}, clientType: "secret" },
                argocd: { nativeClient: "nope" },
            },
        };
        const file = writeFile("bad.json", JSON.stringify(outputs));
        const { code, stderr } = await verify(["--outputs", file]);
        expect(code).to.equal(2);
        for (const expected of [
            "oidcClients.grafana.clientId: expected a non-empty string",
            "oidcClients.grafana.redirectUris: expected a non-empty list of strings",
            "oidcClients.grafana.endpoints.token: expected a non-empty string",
            'oidcClients.grafana.clientType: expected "confidential" or "public", got "secret"',
            "oidcClients.argocd.slug: expected a non-empty string",
            "oidcClients.argocd.nativeClient: expected an object, got string",
        ]) {
            expect(stderr).to.include(expected);
        }
    });

    it("reads the outputs with `pulumi stack output --json --stack <name>`, and explains a missing CLI", async () => {
        const calls: string[][] = [];
        const pulumi: CommandRunner = async (command, args) => {
            calls.push([command, ...args]);
            return { code: 0, stdout: JSON.stringify({ oidcClients: {} }), stderr: "" };
        };
        const { code, stderr } = await verify(["--stack", "organization/homelab-sso/prod"], { pulumi });
        expect(calls).to.deep.equal([["pulumi", "stack", "output", "--json", "--stack", "organization/homelab-sso/prod"]]);
        expect(code).to.equal(0);
        expect(stderr).to.include("exports no OIDC client (oidcClients is empty): nothing to verify");
        const missing = await verify(["--stack", "prod"], { pulumi: async () => ({ code: 127, stdout: "", stderr: "the pulumi CLI is not on PATH" }) });
        expect(missing.code).to.equal(2);
        expect(missing.stderr).to.include("the pulumi CLI is not on PATH (without the Pulumi CLI, use --outputs <file>)");
    });
});

describe("verify: requests are bounded", () => {
    it("times out a silent server and retries a bounded number of times", async () => {
        const sockets = new Set<import("net").Socket>();
        const silent = http.createServer(() => undefined);
        silent.on("connection", (s) => sockets.add(s));
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const port = (silent.address() as AddressInfo).port;
        const started = Date.now();
        const result = await httpRequest({ method: "GET", url: `http://127.0.0.1:${port}/` }, { timeoutMs: 150, retries: 2, retryDelayMs: 10 });
        const elapsed = Date.now() - started;
        sockets.forEach((s) => s.destroy());
        await new Promise<void>((resolve) => silent.close(() => resolve()));
        expect(result).to.include({ ok: false, kind: "timeout", attempts: 3 });
        expect(elapsed).to.be.lessThan(2000);
    });

    it("retries 503 and returns the later answer; does not retry a 4xx", async () => {
        let hits = 0;
        const flaky = http.createServer((req, res) => {
            hits++;
            res.writeHead(req.url === "/404" ? 404 : hits < 2 ? 503 : 200).end("x");
        });
        await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
        const base = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
        const ok = await httpRequest({ method: "GET", url: `${base}/` }, { timeoutMs: 1000, retries: 3, retryDelayMs: 5 });
        expect(ok).to.include({ ok: true, status: 200, attempts: 2 });
        hits = 0;
        const notFound = await httpRequest({ method: "GET", url: `${base}/404` }, { timeoutMs: 1000, retries: 3, retryDelayMs: 5 });
        expect(notFound).to.include({ ok: true, status: 404, attempts: 1 });
        expect(hits).to.equal(1);
        await new Promise<void>((resolve) => flaky.close(() => resolve()));
    });
});

/**
 * `--in-cluster` with a stand-in for kubectl that checks the pod manifest and runs the pod's own
 * command here (sh + curl against the loopback provider), so the script and its parsing are real.
 */
describe("verify --in-cluster", () => {
    const haveCurl = fs.existsSync("/usr/bin/curl") || fs.existsSync("/bin/curl");

    function fakeKubectl(log: string[][], options: { createFails?: boolean } = {}): CommandRunner {
        let pod: { spec: { containers: { command: string[]; env: { name: string; value: string }[] }[] } } | undefined;
        return async (command, args, stdin) => {
            log.push([command, ...args]);
            if (args[0] === "create") {
                if (options.createFails) {
                    return { code: 1, stdout: "", stderr: 'pods "x" is forbidden: violates PodSecurity "restricted:latest"' };
                }
                pod = JSON.parse(stdin ?? "{}");
                return { code: 0, stdout: "pod/x\n", stderr: "" };
            }
            if (args[0] === "get") {
                return { code: 0, stdout: "Succeeded", stderr: "" };
            }
            if (args[0] === "logs") {
                const container = pod!.spec.containers[0];
                const [sh, ...shArgs] = container.command;
                const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, TMPDIR: tmp };
                for (const e of container.env) env[e.name] = e.value;
                const out = await new Promise<string>((resolve) => {
                    const child = spawn(sh, shArgs, { env });
                    let text = "";
                    child.stdout.on("data", (d) => (text += d));
                    child.stderr.on("data", (d) => (text += d));
                    child.on("close", () => resolve(text));
                });
                return { code: 0, stdout: out, stderr: "" };
            }
            return { code: 0, stdout: "", stderr: "" };
        };
    }

    it("runs one restricted pod that reads each discovery document, then deletes it", async function () {
        if (!haveCurl) {
            this.skip();
        }
        const server = await startTestServer({ tls });
        try {
            const log: string[][] = [];
            const { code, report } = await verifyJson(stackOutputs(server.baseUrl), ["--ca", path.join(tmp, "ca.pem"), "--in-cluster", "--namespace", "monitoring"], { kubectl: fakeKubectl(log) });
            const inCluster = report.results.filter((r) => r.check === "in-cluster");
            expect(inCluster.map((r) => `${r.client} ${r.status}`)).to.deep.equal(CLIENTS.map((c) => `${c} pass`));
            expect(code).to.equal(0);
            expect(log.map((c) => c[1])).to.deep.equal(["create", "get", "logs", "delete"]);
            expect(log[3]).to.include.members(["--namespace", "monitoring", "--ignore-not-found"]);
        } finally {
            await server.close();
        }
    });

    it("fails in-cluster when pods see another issuer", async function () {
        if (!haveCurl) {
            this.skip();
        }
        const server = await startTestServer({ tls, faults: ["issuer-without-slash"] });
        try {
            const { report } = await verifyJson(stackOutputs(server.baseUrl), ["--ca", path.join(tmp, "ca.pem"), "--in-cluster"], { kubectl: fakeKubectl([]) });
            const inCluster = report.results.filter((r) => r.check === "in-cluster");
            expect(inCluster.map((r) => r.reason)).to.deep.equal(CLIENTS.map(() => "in-cluster-issuer"));
        } finally {
            await server.close();
        }
    });

    it("the pod meets the restricted Pod Security Standard and gets the URLs as arguments", async () => {
        let manifest: { [key: string]: any } = {};
        // The pod ran and curl could not resolve the host: what a pod sees for a tailnet-only name.
        const kubectl: CommandRunner = async (_c, args, stdin) => {
            if (args[0] === "create") manifest = JSON.parse(stdin ?? "{}");
            const urls: string[] = manifest.spec?.containers[0].command.slice(4) ?? [];
            const log = urls.map((u) => `@@verify-begin ${u}\ncurl: (6) Could not resolve host: 127.0.0.1\n@@verify-curl-exit 6\n@@verify-end\n`).join("");
            return { code: 0, stdout: args[0] === "get" ? "Succeeded" : args[0] === "logs" ? log : "", stderr: "" };
        };
        const { report } = await verifyJson(stackOutputs("https://127.0.0.1:9"), ["--retries", "0", "--in-cluster"], { kubectl });
        const spec = manifest.spec;
        expect(spec.securityContext).to.deep.include({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        expect(spec.containers[0].securityContext).to.deep.equal({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        expect(spec.automountServiceAccountToken).to.equal(false);
        expect(spec.activeDeadlineSeconds).to.be.a("number").and.to.be.at.most(300);
        expect(spec.containers[0].command.slice(3)).to.deep.equal([
            "verify",
            "https://127.0.0.1:9/application/o/argocd/.well-known/openid-configuration",
            "https://127.0.0.1:9/application/o/argocd-cli/.well-known/openid-configuration",
            "https://127.0.0.1:9/application/o/grafana/.well-known/openid-configuration",
        ]);
        const inCluster = report.results.filter((r) => r.check === "in-cluster");
        expect(inCluster.map((r) => r.reason)).to.deep.equal(CLIENTS.map(() => "in-cluster-unreachable"));
        expect(inCluster[0].detail).to.include("curl exit 6: curl: (6) Could not resolve host");
    });

    it("reports a pod that cannot be created, with the reason", async () => {
        const log: string[][] = [];
        const { code, report } = await verifyJson(stackOutputs("https://127.0.0.1:9"), ["--retries", "0", "--in-cluster"], { kubectl: fakeKubectl(log, { createFails: true }) });
        expect(code).to.equal(1);
        const inCluster = report.results.filter((r) => r.check === "in-cluster");
        expect(inCluster[0].reason).to.equal("in-cluster-pod");
        expect(inCluster[0].detail).to.include("violates PodSecurity");
    });
});

describe("verify reads what the program exports", () => {
    for (const stack of ["prod", "dev"]) {
        it(`the ${stack} stack's outputs give one client per service (plus native clients), consistent with Authentik's URL layout`, async function () {
            this.timeout(60_000);
            const evaluation = await committedStack(stack);
            const { clients, problems } = readVerifyClients(JSON.parse(JSON.stringify(evaluation.outputs)));
            expect(problems).to.deep.equal([]);
            const services = Object.keys(evaluation.outputs.oidcClients as object).sort();
            expect(clients.filter((c) => !c.label.endsWith("/nativeClient")).map((c) => c.label)).to.deep.equal(services);
            for (const client of clients) {
                // Per-provider issuer `https://<host>/application/o/<slug>/`, or Authentik's global one
                // `https://<host>/` (a service whose web and native clients share it: ArgoCD).
                expect(client.issuer).to.match(/^https:\/\/[^/]+\/(application\/o\/[a-z0-9-]+\/)?$/);
                if (!client.issuer.endsWith(`/application/o/${client.slug}/`)) {
                    expect(client.issuer, client.label).to.equal(`${new URL(client.issuer).origin}/`);
                }
                const base = `${new URL(client.issuer).origin}/application/o/`;
                // On the global issuer a native client is described by its web client's document (the one at the root).
                const documentSlug = client.issuer.endsWith("/application/o/" + client.slug + "/") ? client.slug : clients.find((c) => c.label === client.service)!.slug;
                expect(client.discoveryUrl).to.equal(`${client.issuer}.well-known/openid-configuration`);
                expect(client.endpoints.endSession).to.equal(`${base}${documentSlug}/end-session/`);
                expect(client.endpoints.jwks).to.equal(`${base}${documentSlug}/jwks/`);
                expect(client.endpoints.authorize).to.equal(`${base}authorize/`);
                expect(client.endpoints.token).to.equal(`${base}token/`);
                expect(client.endpoints.userinfo).to.equal(`${base}userinfo/`);
                expect(client.redirectUris.length).to.be.greaterThan(0);
                if (client.label.endsWith("/nativeClient")) {
                    expect(client.clientType).to.equal("public");
                }
            }
        });
    }
});

describe("npm run verify:demo (test/support/verifyDemo.ts)", function () {
    this.timeout(120_000);
    const demo = (args: string[]) => {
        return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "..", "support", "verifyDemo.ts"), ...args], { encoding: "utf8", timeout: 90_000 });
    };

    it("says how to use it: --help, and the usage with a bad argument", () => {
        const help = demo(["--help"]);
        expect(help.status).to.equal(0);
        expect(help.stdout).to.include("usage: npm run verify:demo");
        expect(help.stdout).to.match(/until\s+--seconds pass \(default 600\) or Ctrl-C\. Run the `npm run verify` command it prints in a second terminal/);
        const bad = demo(["--frobnicate"]);
        expect(bad.status).to.equal(2);
        expect(bad.stderr).to.include('unknown argument "--frobnicate"\nusage: npm run verify:demo');
    });

    it("prints the verify command for a second terminal and how long it serves, then stops by itself", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-demo-test-"));
        try {
            const run = demo(["--dir", dir, "--seconds", "1"]);
            expect(run.status, run.stderr).to.equal(0);
            expect(run.stdout).to.include(`in a second terminal, run: npm run verify -- --outputs ${path.join(dir, "outputs.json")} --ca ${path.join(dir, "ca.pem")}\n`);
            expect(run.stdout).to.include("this terminal serves it until Ctrl-C, or 1s from now (--seconds <n> to change)");
            expect(fs.existsSync(path.join(dir, "outputs.json"))).to.equal(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
