/** The engine step: a small Kubernetes-only program through the built CLI, language host and provider. */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Cluster } from "../cluster/cluster";
import { BuildPaths, expect, PulumiWorkspace, REPO, waitFor } from "../harness";

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

export async function engineStep(paths: BuildPaths, cluster: Cluster): Promise<string> {
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
