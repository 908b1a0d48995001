// A throwaway Kubernetes control plane on loopback for the e2e: one embedded
// etcd, kube-apiserver (Pod Security admission on, as by default) and
// kube-controller-manager, all built by e2e/build/build.sh. No kubelet and no
// scheduler: workloads get their Pods created and judged, the Pods stay
// Pending. Each call starts a fresh one in its own temp directory.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export interface Cluster {
    /** https://127.0.0.1:PORT */
    server: string;
    /** Admin kubeconfig (static token, system:masters). */
    kubeconfigPath: string;
    /** Admin kubeconfig's content, for the Kubernetes provider's `kubeconfig` input. */
    kubeconfig: string;
    caPath: string;
    token: string;
    dir: string;
    /** GET/POST/... against the API server as admin; resolves to status and parsed body. */
    request(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: any }>;
    stop(): Promise<void>;
}

export interface ClusterOptions {
    /** Folder holding etcd, kube-apiserver and kube-controller-manager. */
    binDir: string;
    /** Seconds to wait for the API server to be ready (default 180: the machine is shared). */
    readySeconds?: number;
}

export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address() as net.AddressInfo;
            server.close(() => resolve(address.port));
        });
    });
}

function openssl(dir: string, args: string[]): void {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** A test CA, a serving certificate for 127.0.0.1 and the service-account key pair. */
function writeCertificates(dir: string): void {
    openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=homelab-sso-e2e-ca"]);
    openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=kube-apiserver"]);
    fs.writeFileSync(path.join(dir, "server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n");
    openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", "server.ext"]);
    openssl(dir, ["genrsa", "-out", "sa.key", "2048"]);
    openssl(dir, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
}

function kubeconfigFor(server: string, caPath: string, token: string): string {
    const ca = fs.readFileSync(caPath).toString("base64");
    return [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: e2e",
        "  cluster:",
        `    server: ${server}`,
        `    certificate-authority-data: ${ca}`,
        "users:",
        "- name: admin",
        "  user:",
        `    token: ${token}`,
        "contexts:",
        "- name: e2e",
        "  context:",
        "    cluster: e2e",
        "    user: admin",
        "current-context: e2e",
        "",
    ].join("\n");
}

function startProcess(name: string, bin: string, args: string[], dir: string): ChildProcess {
    const log = fs.openSync(path.join(dir, `${name}.log`), "a");
    const child = spawn(bin, args, { cwd: dir, stdio: ["ignore", log, log] });
    fs.closeSync(log);
    child.on("error", (error) => fs.appendFileSync(path.join(dir, `${name}.log`), `spawn error: ${error}\n`));
    return child;
}

function logTail(dir: string, name: string): string {
    try {
        return fs.readFileSync(path.join(dir, `${name}.log`), "utf8").split("\n").slice(-15).join("\n");
    } catch {
        return "(no log)";
    }
}

async function stopProcess(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 15000).unref());
    if ((await Promise.race([exited, timeout])) === "timeout") {
        child.kill("SIGKILL");
        await exited;
    }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
    for (const bin of ["etcd", "kube-apiserver", "kube-controller-manager"]) {
        if (!fs.existsSync(path.join(options.binDir, bin))) {
            throw new Error(`${bin} is not built in ${options.binDir}: run bash e2e/build/build.sh`);
        }
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-cluster-"));
    const children: ChildProcess[] = [];
    const stop = async (): Promise<void> => {
        for (const child of [...children].reverse()) await stopProcess(child);
        children.length = 0;
        fs.rmSync(dir, { recursive: true, force: true });
    };
    try {
        writeCertificates(dir);
        const token = execFileSync("openssl", ["rand", "-hex", "24"]).toString().trim();
        fs.writeFileSync(path.join(dir, "tokens.csv"), `${token},e2e-admin,e2e-admin,"system:masters"\n`, { mode: 0o600 });
        const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
        const server = `https://127.0.0.1:${apiPort}`;
        const caPath = path.join(dir, "ca.crt");
        const kubeconfig = kubeconfigFor(server, caPath, token);
        const kubeconfigPath = path.join(dir, "admin.kubeconfig");
        fs.writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });

        children.push(startProcess("etcd", path.join(options.binDir, "etcd"), [
            "-data-dir", path.join(dir, "etcd-data"),
            "-listen-client-url", `http://127.0.0.1:${etcdClient}`,
            "-listen-peer-url", `http://127.0.0.1:${etcdPeer}`,
        ], dir));
        children.push(startProcess("kube-apiserver", path.join(options.binDir, "kube-apiserver"), [
            `--etcd-servers=http://127.0.0.1:${etcdClient}`,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            `--secure-port=${apiPort}`,
            `--cert-dir=${dir}`,
            "--tls-cert-file=server.crt",
            "--tls-private-key-file=server.key",
            "--client-ca-file=ca.crt",
            "--token-auth-file=tokens.csv",
            "--authorization-mode=RBAC",
            "--service-account-issuer=https://kubernetes.default.svc",
            "--service-account-key-file=sa.pub",
            "--service-account-signing-key-file=sa.key",
            // Only allocated, never routed: no kubelet or proxy runs.
            "--service-cluster-ip-range=10.96.0.0/16",
            // PodSecurity is on by default; named so the e2e fails if it is not.
            "--enable-admission-plugins=PodSecurity",
            "--endpoint-reconciler-type=none",
            "--enable-priority-and-fairness=false",
        ], dir));

        const request = makeRequest(server, fs.readFileSync(caPath), token);
        await waitReady(request, (options.readySeconds ?? 180) * 1000, () =>
            children.find((c) => c.exitCode !== null)
                ? `a process exited:\n--- etcd\n${logTail(dir, "etcd")}\n--- kube-apiserver\n${logTail(dir, "kube-apiserver")}`
                : undefined);

        children.push(startProcess("kube-controller-manager", path.join(options.binDir, "kube-controller-manager"), [
            `--kubeconfig=${kubeconfigPath}`,
            "--secure-port=0",
            "--leader-elect=false",
            "--service-account-private-key-file=sa.key",
            "--root-ca-file=ca.crt",
            "--use-service-account-credentials=false",
            "--controllers=*",
        ], dir));
        return { server, kubeconfigPath, kubeconfig, caPath, token, dir, request, stop };
    } catch (error) {
        const logs = ["etcd", "kube-apiserver"].map((n) => `--- ${n}\n${logTail(dir, n)}`).join("\n");
        await stop();
        throw new Error(`cluster did not start: ${(error as Error).message}\n${logs}`);
    }
}

function makeRequest(server: string, ca: Buffer, token: string): Cluster["request"] {
    return (method, apiPath, body) =>
        new Promise((resolve, reject) => {
            const payload = body === undefined ? undefined : JSON.stringify(body);
            const req = https.request(`${server}${apiPath}`, {
                method,
                ca,
                headers: {
                    authorization: `Bearer ${token}`,
                    accept: "application/json",
                    ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
                },
            }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    let parsed: unknown = text;
                    try { parsed = JSON.parse(text); } catch { /* plain text, e.g. /readyz */ }
                    resolve({ status: res.statusCode ?? 0, body: parsed });
                });
            });
            req.on("error", reject);
            if (payload) req.write(payload);
            req.end();
        });
}

async function waitReady(request: Cluster["request"], timeoutMs: number, failed: () => string | undefined): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer";
    while (Date.now() < deadline) {
        const reason = failed();
        if (reason) throw new Error(reason);
        try {
            const res = await request("GET", "/readyz");
            if (res.status === 200) return;
            last = `readyz ${res.status}`;
        } catch (error) {
            last = (error as Error).message;
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`API server not ready after ${timeoutMs / 1000} s (last: ${last})`);
}
