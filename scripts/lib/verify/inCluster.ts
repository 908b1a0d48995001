/**
 * `--in-cluster`: fetch each discovery document from inside the cluster, through the same host names
 * the services use (the runbook's "issuer not reachable from pods"). One short-lived pod that meets
 * the restricted Pod Security Standard runs curl over the URLs, prints the answers, and is deleted
 * afterwards whatever happens. Waiting is bounded by the pod's activeDeadlineSeconds and a fixed
 * number of polls.
 */
import { randomBytes } from "crypto";
import { execFile } from "child_process";
import { CheckResult, fail, pass } from "./checks";
import type { VerifyClient } from "./outputs";

export interface CommandResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs one command (kubectl) with optional stdin. Never throws. */
export type CommandRunner = (command: string, args: string[], stdin?: string) => Promise<CommandResult>;

export const DEFAULT_IN_CLUSTER_IMAGE = "curlimages/curl:8.11.1";

export interface InClusterOptions {
    namespace: string;
    image: string;
    /** Extra CA (PEM) for curl, from `--ca`. */
    ca?: string;
    /** Upper bound for the pod's run: its activeDeadlineSeconds, and how long verify waits. */
    timeoutSeconds: number;
    pollIntervalMs: number;
    kubectl: CommandRunner;
}

/** Real kubectl, each call bounded by `timeoutMs`. */
export function kubectlRunner(timeoutMs = 60_000): CommandRunner {
    return (command, args, stdin) =>
        new Promise((resolve) => {
            const child = execFile(command, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
                const code = err ? (typeof (err as NodeJS.ErrnoException).code === "number" ? Number((err as NodeJS.ErrnoException).code) : 1) : 0;
                const message = err && (err as NodeJS.ErrnoException).code === "ENOENT" ? `${command}: not found on PATH` : stderr;
                resolve({ code, stdout, stderr: message });
            });
            child.stdin?.end(stdin ?? "");
        });
}

/**
 * The pod's script (POSIX sh + curl): for each URL, a begin marker, the body, the HTTP status, an end
 * marker. URLs arrive as arguments, never spliced into the script.
 */
export const IN_CLUSTER_SCRIPT = [
    "set -u",
    // A private CA from --ca: curl reads CURL_CA_BUNDLE.
    'if [ -n "${CA_PEM:-}" ]; then printf "%s\\n" "$CA_PEM" > "${TMPDIR:-/tmp}/verify-ca.pem"; export CURL_CA_BUNDLE="${TMPDIR:-/tmp}/verify-ca.pem"; fi',
    'for url in "$@"; do',
    '  echo "@@verify-begin $url"',
    '  curl -sS --max-time 10 --retry 2 --retry-delay 1 -w "\\n@@verify-status %{http_code}\\n" "$url" 2>&1 || echo "@@verify-curl-exit $?"',
    '  echo "@@verify-end"',
    "done",
].join("\n");

export function checkPodManifest(name: string, options: Pick<InClusterOptions, "namespace" | "image" | "ca" | "timeoutSeconds">, urls: string[]): { [key: string]: unknown } {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
            name,
            namespace: options.namespace,
            labels: { "app.kubernetes.io/name": "homelab-sso-verify", "app.kubernetes.io/managed-by": "homelab-sso-verify" },
        },
        spec: {
            restartPolicy: "Never",
            activeDeadlineSeconds: options.timeoutSeconds,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
                {
                    name: "verify",
                    image: options.image,
                    command: ["sh", "-c", IN_CLUSTER_SCRIPT, "verify", ...urls],
                    env: options.ca ? [{ name: "CA_PEM", value: options.ca }] : [],
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
                    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "200m", memory: "64Mi" } },
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Mi" } }],
        },
    };
}

export interface FetchedInCluster {
    status?: number;
    body: string;
    curlExit?: number;
}

/** Splits the pod's log into one answer per URL. */
export function parseInClusterLog(log: string): Map<string, FetchedInCluster> {
    const answers = new Map<string, FetchedInCluster>();
    const blocks = log.split(/^@@verify-begin /m).slice(1);
    for (const block of blocks) {
        const newline = block.indexOf("\n");
        const url = block.slice(0, newline === -1 ? undefined : newline).trim();
        let rest = newline === -1 ? "" : block.slice(newline + 1);
        rest = rest.replace(/\n?@@verify-end\s*$/, "");
        const status = /\n?@@verify-status (\d+)\s*$/m.exec(rest);
        const curlExit = /@@verify-curl-exit (\d+)/.exec(rest);
        const body = rest.replace(/\n?@@verify-status \d+[\s\S]*$/, "").replace(/\n?@@verify-curl-exit \d+\s*$/, "");
        answers.set(url, {
            status: status ? Number(status[1]) : undefined,
            body,
            curlExit: curlExit ? Number(curlExit[1]) : undefined,
        });
    }
    return answers;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One `in-cluster` result per client. The pod is deleted in every case. */
export async function verifyInCluster(clients: VerifyClient[], options: InClusterOptions): Promise<CheckResult[]> {
    const name = `homelab-sso-verify-${randomBytes(4).toString("hex")}`;
    const urls = [...new Set(clients.map((c) => c.discoveryUrl))];
    const ns = ["--namespace", options.namespace];
    const podFailure = (detail: string) => clients.map((c) => fail(c, "in-cluster", "in-cluster-pod", detail));
    const manifest = JSON.stringify(checkPodManifest(name, options, urls));
    const created = await options.kubectl("kubectl", ["create", ...ns, "-f", "-", "-o", "name"], manifest);
    if (created.code !== 0) {
        return podFailure(`kubectl create pod ${name}: ${created.stderr.trim() || `exit ${created.code}`}`);
    }
    try {
        let phase = "";
        const polls = Math.max(1, Math.ceil((options.timeoutSeconds * 1000 + 10_000) / options.pollIntervalMs));
        for (let i = 0; i < polls && phase !== "Succeeded" && phase !== "Failed"; i++) {
            if (i > 0) {
                await sleep(options.pollIntervalMs);
            }
            const got = await options.kubectl("kubectl", ["get", "pod", name, ...ns, "-o", "jsonpath={.status.phase}"]);
            phase = got.code === 0 ? got.stdout.trim() : phase;
        }
        if (phase !== "Succeeded" && phase !== "Failed") {
            return podFailure(`pod ${name} did not finish within ${options.timeoutSeconds}s (phase ${phase || "unknown"})`);
        }
        const logs = await options.kubectl("kubectl", ["logs", name, ...ns]);
        if (logs.code !== 0) {
            return podFailure(`kubectl logs ${name}: ${logs.stderr.trim() || `exit ${logs.code}`}`);
        }
        const answers = parseInClusterLog(logs.stdout);
        return clients.map((client) => {
            const answer = answers.get(client.discoveryUrl);
            if (!answer) {
                return fail(client, "in-cluster", "in-cluster-pod", `the pod printed nothing for ${client.discoveryUrl} (phase ${phase})`);
            }
            if (answer.curlExit !== undefined || answer.status !== 200) {
                const why = answer.curlExit !== undefined ? `curl exit ${answer.curlExit}: ${answer.body.trim().split("\n").pop() ?? ""}` : `HTTP ${answer.status ?? "?"}`;
                return fail(client, "in-cluster", "in-cluster-unreachable", `from pod ${name} in ${options.namespace}: ${why}`);
            }
            let issuer: unknown;
            try {
                issuer = (JSON.parse(answer.body) as { issuer?: unknown }).issuer;
            } catch {
                return fail(client, "in-cluster", "in-cluster-unreachable", `from pod ${name}: the answer is not a discovery document`);
            }
            if (issuer !== client.issuer) {
                return fail(client, "in-cluster", "in-cluster-issuer", `from pod ${name}: issuer is ${JSON.stringify(issuer ?? null)}, expected ${JSON.stringify(client.issuer)}`);
            }
            return pass(client, "in-cluster", `a pod in ${options.namespace} read the discovery document, same issuer`);
        });
    } finally {
        await options.kubectl("kubectl", ["delete", "pod", name, ...ns, "--ignore-not-found", "--wait=false"]);
    }
}
