/**
 * `npm run verify -- --stack <name> | --outputs <file> [--json | --markdown] [--ca <pem>]
 *  [--in-cluster [--namespace <ns>] [--image <image>]] [--timeout <s>] [--retries <n>]`
 *
 * Exit codes: 0 every check passed; 1 a check failed (SSO is broken); 2 bad arguments or unreadable
 * outputs (nothing was checked).
 */
import { execFile } from "child_process";
import * as fs from "fs";
import { CliOptions, cliTokens, requireValue } from "../cliArgs";
import { CHECK_DESCRIPTIONS, CHECK_NAMES, CheckResult, verifyClient } from "./checks";
import { DEFAULT_HTTP_OPTIONS, HttpOptions } from "./http";
import { CommandRunner, DEFAULT_IN_CLUSTER_IMAGE, kubectlRunner, verifyInCluster } from "./inCluster";
import { readVerifyClients } from "./outputs";
import { formatJson, formatMarkdown, formatTable, summarize, VerifyReport } from "./report";

export interface VerifyIo {
    stdout(text: string): void;
    stderr(text: string): void;
}

export interface VerifyDeps {
    readFile(path: string): string;
    /** Runs `pulumi <args>`; resolves with its exit code and output. */
    pulumi: CommandRunner;
    kubectl: CommandRunner;
    /** Overrides of the request timeout/retry settings (tests shorten the retry delay). */
    http?: Partial<HttpOptions>;
    inClusterPollMs?: number;
}

export const USAGE = `Usage: npm run verify -- (--stack <name> | --outputs <file>) [options]

Checks every OIDC client of a deployed homelab-sso stack against the live Authentik, with read-only
requests: it never logs in, never obtains a token, and changes nothing.

  --stack <name>      read the outputs with \`pulumi stack output --json --stack <name>\`
  --outputs <file>    read them from a file holding that JSON
  --json              print the results as JSON (progress still goes to stderr)
  --markdown          print the results as a Markdown table
  --ca <pem file>     also trust this CA certificate (a private CA in front of Authentik)
  --in-cluster        also fetch each discovery document from a short-lived pod (kubectl access)
  --namespace <ns>    namespace of that pod (default: the stack's Authentik namespace)
  --image <image>     image of that pod, with sh and curl (default: ${DEFAULT_IN_CLUSTER_IMAGE})
  --timeout <s>       per request (default ${DEFAULT_HTTP_OPTIONS.timeoutMs / 1000})
  --retries <n>       extra attempts after network errors and 502/503/504 (default ${DEFAULT_HTTP_OPTIONS.retries})
  --help              this text

A value follows its option as the next word or inline (--stack=prod); any other argument is refused.

Checks, per client (and per native client):
${[...CHECK_NAMES, "dex-discovery" as const, "in-cluster" as const].map((name) => `  ${name.padEnd(16)} ${CHECK_DESCRIPTIONS[name]}`).join("\n")}

Exit code: 0 when every check passes, 1 when one fails, 2 when nothing could be checked.
`;

interface ParsedArgs {
    stack?: string;
    outputs?: string;
    format: "table" | "json" | "markdown";
    ca?: string;
    inCluster: boolean;
    namespace?: string;
    image: string;
    timeoutSeconds: number;
    retries: number;
    help: boolean;
}

const VERIFY_OPTIONS: CliOptions = {
    stack: { type: "string" },
    outputs: { type: "string" },
    ca: { type: "string" },
    namespace: { type: "string" },
    image: { type: "string" },
    timeout: { type: "string" },
    retries: { type: "string" },
    json: { type: "boolean" },
    markdown: { type: "boolean" },
    "in-cluster": { type: "boolean" },
    help: { type: "boolean", short: "h" },
};

function readArgs(argv: string[]): { args?: ParsedArgs; problems: string[] } {
    const problems: string[] = [];
    const args: ParsedArgs = { format: "table", inCluster: false, image: DEFAULT_IN_CLUSTER_IMAGE, timeoutSeconds: DEFAULT_HTTP_OPTIONS.timeoutMs / 1000, retries: DEFAULT_HTTP_OPTIONS.retries, help: false };
    for (const token of cliTokens(argv, VERIFY_OPTIONS)) {
        if (token.kind === "unknown") {
            problems.push(`unknown argument ${JSON.stringify(token.arg)}`);
            continue;
        }
        const flag = token.flag;
        const value = (): string | undefined =>
            requireValue(token, "--", (message) => {
                problems.push(message);
                return undefined;
            });
        switch (token.name) {
            case "stack":
                args.stack = value();
                break;
            case "outputs":
                args.outputs = value();
                break;
            case "ca":
                args.ca = value();
                break;
            case "namespace":
                args.namespace = value();
                break;
            case "image":
                args.image = value() ?? args.image;
                break;
            case "timeout":
            case "retries": {
                const raw = value();
                const n = Number(raw);
                const max = flag === "--timeout" ? 300 : 10;
                const min = flag === "--timeout" ? 1 : 0;
                if (raw !== undefined && (!Number.isInteger(n) || n < min || n > max)) {
                    problems.push(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
                } else if (raw !== undefined) {
                    if (flag === "--timeout") args.timeoutSeconds = n;
                    else args.retries = n;
                }
                break;
            }
            case "json":
                args.format = "json";
                break;
            case "markdown":
                args.format = "markdown";
                break;
            case "in-cluster":
                args.inCluster = true;
                break;
            default:
                args.help = true;
        }
    }
    if (!args.help && (args.stack === undefined) === (args.outputs === undefined)) {
        problems.push("give exactly one of --stack <name> and --outputs <file>");
    }
    if (args.stack !== undefined && !/^[A-Za-z0-9._/-]+$/.test(args.stack)) {
        problems.push(`--stack ${JSON.stringify(args.stack)}: allowed are letters, digits, ".", "_", "-" and "/"`);
    }
    if (argv.includes("--json") && argv.includes("--markdown")) {
        problems.push("give at most one of --json and --markdown");
    }
    return { args: problems.length === 0 ? args : undefined, problems };
}

async function readOutputs(args: ParsedArgs, deps: VerifyDeps): Promise<{ json?: unknown; source: string; problem?: string }> {
    if (args.outputs !== undefined) {
        const source = `file ${args.outputs}`;
        let text: string;
        try {
            text = deps.readFile(args.outputs);
        } catch (err) {
            return { source, problem: `cannot read --outputs ${args.outputs}: ${(err as Error).message}` };
        }
        try {
            return { json: JSON.parse(text), source };
        } catch {
            return { source, problem: `--outputs ${args.outputs} is not JSON (write it with \`pulumi stack output --json --stack <name> > ${args.outputs}\`)` };
        }
    }
    const source = `stack ${args.stack}`;
    const result = await deps.pulumi("pulumi", ["stack", "output", "--json", "--stack", args.stack!]);
    if (result.code !== 0) {
        return { source, problem: `\`pulumi stack output --json --stack ${args.stack}\` failed: ${result.stderr.trim() || `exit ${result.code}`} (without the Pulumi CLI, use --outputs <file>)` };
    }
    try {
        return { json: JSON.parse(result.stdout), source };
    } catch {
        return { source, problem: `\`pulumi stack output --json --stack ${args.stack}\` printed no JSON` };
    }
}

function namespaceFromOutputs(json: unknown): string | undefined {
    const authentik = (json as { authentik?: { namespace?: unknown } } | undefined)?.authentik;
    return typeof authentik?.namespace === "string" ? authentik.namespace : undefined;
}

export async function runVerifyCli(argv: string[], io: VerifyIo, deps: VerifyDeps = defaultVerifyDeps()): Promise<number> {
    const { args, problems } = readArgs(argv);
    if (!args) {
        io.stderr(`verify: ${problems.join("\nverify: ")}\n\n${USAGE}`);
        return 2;
    }
    if (args.help) {
        io.stdout(USAGE);
        return 0;
    }
    let ca: string | undefined;
    if (args.ca !== undefined) {
        try {
            ca = deps.readFile(args.ca);
        } catch (err) {
            io.stderr(`verify: cannot read --ca ${args.ca}: ${(err as Error).message}\n`);
            return 2;
        }
        if (!ca.includes("-----BEGIN CERTIFICATE-----")) {
            io.stderr(`verify: --ca ${args.ca} holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n`);
            return 2;
        }
    }
    const outputs = await readOutputs(args, deps);
    if (outputs.problem) {
        io.stderr(`verify: ${outputs.problem}\n`);
        return 2;
    }
    const { clients, problems: outputProblems } = readVerifyClients(outputs.json);
    if (outputProblems.length > 0) {
        io.stderr(`verify: the outputs of ${outputs.source} cannot be checked:\n${outputProblems.map((p) => `  - ${p}`).join("\n")}\n`);
        return 2;
    }
    if (clients.length === 0) {
        // A stack with every OIDC service disabled is valid; there is nothing that could be broken.
        io.stderr(`verify: ${outputs.source} exports no OIDC client (oidcClients is empty): nothing to verify\n`);
        io.stdout(args.format === "json" ? formatJson({ source: outputs.source, clients, results: [] }) : "");
        return 0;
    }
    const http: HttpOptions = { ...DEFAULT_HTTP_OPTIONS, timeoutMs: args.timeoutSeconds * 1000, retries: args.retries, ...deps.http, ca };
    io.stderr(`verify: ${clients.length} OIDC client(s) from ${outputs.source}\n`);
    const results: CheckResult[] = [];
    for (const [index, client] of clients.entries()) {
        io.stderr(`[${index + 1}/${clients.length}] ${client.label} (client id ${client.clientId}, ${client.clientType}) at ${client.issuer} ...\n`);
        const clientResults = await verifyClient(client, http);
        const failed = clientResults.filter((r) => r.status === "fail").map((r) => r.check);
        const passed = clientResults.filter((r) => r.status === "pass").length;
        io.stderr(`      ${passed} passed${failed.length > 0 ? `, FAILED: ${failed.join(", ")}` : ""}\n`);
        results.push(...clientResults);
    }
    if (args.inCluster) {
        const namespace = args.namespace ?? namespaceFromOutputs(outputs.json) ?? "default";
        io.stderr(`in-cluster: one pod in namespace ${namespace} fetches ${clients.length} discovery document(s)\n`);
        const inCluster = await verifyInCluster(clients, {
            namespace,
            image: args.image,
            ca,
            timeoutSeconds: 120,
            pollIntervalMs: deps.inClusterPollMs ?? 2000,
            kubectl: deps.kubectl,
        });
        for (const r of inCluster) {
            io.stderr(`  ${r.client}: in-cluster ${r.status === "fail" ? "FAIL" : r.status}\n`);
        }
        results.push(...inCluster);
    }
    const report: VerifyReport = { source: outputs.source, clients, results };
    io.stdout(args.format === "json" ? formatJson(report) : args.format === "markdown" ? formatMarkdown(report) : formatTable(report));
    return summarize(results).ok ? 0 : 1;
}

function pulumiRunner(): CommandRunner {
    return (command, args) =>
        new Promise((resolve) => {
            execFile(command, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
                if (err && (err as NodeJS.ErrnoException).code === "ENOENT") {
                    resolve({ code: 127, stdout: "", stderr: "the pulumi CLI is not on PATH" });
                    return;
                }
                resolve({ code: err ? 1 : 0, stdout, stderr });
            });
        });
}

export function defaultVerifyDeps(): VerifyDeps {
    return { readFile: (path) => fs.readFileSync(path, "utf8"), pulumi: pulumiRunner(), kubectl: kubectlRunner() };
}
