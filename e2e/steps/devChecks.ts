/**
 * The dev-checks step (issue 22 §3.2), on the dev stack the README's blocks deployed: every predicted
 * Kubernetes object exists, the controller manager made every workload's Pods and Pod Security refused
 * none, the namespaces carry the levels the program sets, the outputs are there and a second stack reads
 * them with `StackReference`, and no secret's plaintext is in the backend.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gunzipSync } from "zlib";
import * as YAML from "yaml";
import { RenderDocument } from "../../scripts/lib/renderDocument";
import { isKubernetesObject, kubernetesCoordinates } from "../../scripts/lib/renderTree";
import { HOMELAB_SSO_OUTPUT_NAMES } from "../../stacks/outputs";
import { Cluster } from "../cluster/cluster";
import { expect, StepFailure, waitFor } from "../harness";
import { runCommand } from "../harness";
import { commandFailure, DevStack } from "./devStack";

/** One Kubernetes object, by where it lives. */
export interface ObjectRef {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
    /** Where the prediction comes from: the render, a chart's children in the state, a Helm release's manifest. */
    from: string;
}

export function objectLabel(o: Pick<ObjectRef, "kind" | "namespace" | "name">): string {
    return `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
}

/** The secret envelope's signature in Pulumi's state (sdk/go/common/resource/sig). */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A secret value of the state, with where it is (never printed). */
export interface SecretLeaf {
    /** `<urn> <property path>`. */
    at: string;
    value: string;
}

/** Every string leaf of the secret values in a `stack export --show-secrets` document, with where it is. */
export function secretLeaves(exported: unknown, at = ""): SecretLeaf[] {
    const found: SecretLeaf[] = [];
    const leaves = (value: unknown, where: string): void => {
        if (typeof value === "string") found.push({ at: where, value });
        else if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${where}[${i}]`));
        else if (value && typeof value === "object") Object.entries(value).forEach(([k, v]) => leaves(v, `${where}.${k}`));
    };
    const walk = (value: unknown, where: string): void => {
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
        else if (value && typeof value === "object") {
            const record = value as { [key: string]: unknown };
            if (record["4dabf18193072939515e22adb298388d"] === SECRET_SIG && "plaintext" in record) {
                leaves(typeof record.plaintext === "string" ? JSON.parse(record.plaintext) : record.plaintext, where);
            } else {
                const urn = typeof record.urn === "string" && typeof record.type === "string" ? record.urn : undefined;
                Object.entries(record).forEach(([k, v]) => walk(v, urn ? `${urn} ${k}` : `${where}.${k}`));
            }
        }
    };
    walk(exported, at);
    return found;
}

/** The Kubernetes objects of a Helm release's manifest, from its storage Secret (`sh.helm.release.v1.<name>.v<n>`). */
export function helmReleaseObjects(releaseData: string): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }[] {
    // Helm stores base64(gzip(JSON)); the API server's `data` adds one more base64.
    const json = JSON.parse(gunzipSync(Buffer.from(Buffer.from(releaseData, "base64").toString("utf8"), "base64")).toString("utf8"));
    return YAML.parseAllDocuments(String(json.manifest ?? "")).map((d) => d.toJS()).filter((o) => o && o.kind)
        .map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? json.namespace } }));
}

/** API paths by apiVersion and kind, from the API server's discovery. */
class Discovery {
    private readonly cache = new Map<string, { name: string; kind: string; namespaced: boolean }[]>();
    constructor(private readonly cluster: Cluster) {}

    async path(o: Pick<ObjectRef, "apiVersion" | "kind" | "namespace" | "name">): Promise<string> {
        const base = o.apiVersion.includes("/") ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
        if (!this.cache.has(base)) {
            const res = await this.cluster.request("GET", base);
            this.cache.set(base, res.status === 200 ? res.body.resources : []);
        }
        const resource = this.cache.get(base)!.find((r) => r.kind === o.kind && !r.name.includes("/"));
        if (!resource) throw new StepFailure(`expected the API server to serve ${o.apiVersion} ${o.kind}; found no such resource in ${base}`);
        return resource.namespaced ? `${base}/namespaces/${o.namespace ?? "default"}/${resource.name}/${o.name}` : `${base}/${resource.name}/${o.name}`;
    }
}

async function render(dev: DevStack): Promise<RenderDocument> {
    return JSON.parse(await dev.npm(["run", "-s", "render", "--", "--stack", "dev", "--json"]));
}

export async function devChecksStep(dev: DevStack): Promise<string> {
    const cluster = dev.cluster;
    const discovery = new Discovery(cluster);
    const exported = JSON.parse(await dev.pulumi(["stack", "export", "--show-secrets"]));
    const resources: any[] = exported.deployment.resources;
    const byUrn = new Map(resources.map((r) => [r.urn as string, r]));

    // 1. What the render predicts (the program's own registrations, offline) was registered by the engine,
    //    and with the charts' children (as the stand-ins rendered them) exists in the API server.
    const document = await render(dev);
    const rendered = document.resources.filter(isKubernetesObject);
    const unregistered = rendered.filter((r) => !byUrn.has(r.urn)).map((r) => r.urn);
    expect(unregistered.length === 0, "every Kubernetes object of the render registered by the engine (same URN)", unregistered.join(", "));
    const expected: ObjectRef[] = rendered.map((r) => {
        const c = kubernetesCoordinates(r.inputs);
        return { apiVersion: String(r.inputs.apiVersion), kind: c.kind, namespace: c.namespace, name: c.name ?? byUrn.get(r.urn)?.outputs?.metadata?.name, from: "render" };
    });
    const charts = document.resources.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");
    const underChart = (r: any): boolean => {
        for (let p = r.parent; p; p = byUrn.get(p)?.parent) if (byUrn.get(p)?.type === "kubernetes:helm.sh/v4:Chart") return true;
        return false;
    };
    const chartChildren = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:") && underChart(r));
    for (const chart of charts) {
        const children = chartChildren.filter((r) => {
            for (let p = r.parent; p; p = byUrn.get(p)?.parent) if (p === chart.urn) return true;
            return false;
        });
        expect(children.some((r) => ["Deployment", "StatefulSet"].includes(r.outputs?.kind)),
            `chart ${chart.name}'s children in the state to include its workloads (the stand-in renders them)`, children.map((r) => r.urn).join(", ") || "none");
    }
    for (const r of chartChildren) {
        const o = r.outputs ?? {};
        expect(typeof o.kind === "string" && typeof o.metadata?.name === "string", `apiVersion, kind and name in the state of ${r.urn}`, JSON.stringify(o).slice(0, 200));
        expect(o.metadata?.annotations?.["pulumi.com/skipAwait"] === "true", `the e2e's skipAwait on chart child ${r.urn} (the stack transforms reach a Chart's children)`,
            JSON.stringify(o.metadata?.annotations ?? {}));
        expected.push({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, from: `chart child ${r.urn}` });
    }
    // helm.v3 Releases (ArgoCD's): Helm's own record of what it installed.
    const releases = document.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    for (const release of releases) {
        const state = byUrn.get(release.urn);
        const status = state?.outputs?.status ?? {};
        expect(typeof status.name === "string" && typeof status.namespace === "string", `the status (name, namespace) of Release ${release.name} in the state`, JSON.stringify(status).slice(0, 200));
        const secret = await cluster.request("GET", `/api/v1/namespaces/${status.namespace}/secrets/sh.helm.release.v1.${status.name}.v${status.revision ?? 1}`);
        expect(secret.status === 200, `Helm's release record of ${status.name} in namespace ${status.namespace}`, `HTTP ${secret.status}`);
        const objects = helmReleaseObjects(secret.body.data.release);
        expect(objects.some((o) => o.kind === "Deployment"), `Deployments in release ${status.name}'s manifest`, objects.map((o) => objectLabel({ ...o, ...o.metadata })).join(", "));
        for (const o of objects) expected.push({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, from: `release ${status.name}` });
    }
    const missing: string[] = [];
    const found = new Map<string, any>();
    for (const o of expected) {
        const res = await cluster.request("GET", await discovery.path(o));
        if (res.status === 200) found.set(`${o.apiVersion} ${objectLabel(o)}`, res.body);
        else missing.push(`${objectLabel(o)} (${o.from}): HTTP ${res.status}`);
    }
    expect(missing.length === 0, `every predicted object in the API server (${expected.length})`, `missing: ${missing.join("; ")}`);

    // 2. The controller manager made each workload's Pods (admitted by Pod Security); no FailedCreate names Pod Security.
    const workloads = expected.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
    expect(workloads.length > 0, "Deployments or StatefulSets among the predicted objects", "none");
    const short: string[] = [];
    let podCount = 0;
    for (const w of workloads) {
        const object = found.get(`${w.apiVersion} ${objectLabel(w)}`);
        const wanted = object.spec.replicas ?? 1;
        try {
            const pods = await waitFor(`${objectLabel(w)}'s ${wanted} Pod(s)`, 90, async () => {
                const owners = new Set<string>([object.metadata.uid]);
                if (w.kind === "Deployment") {
                    const sets = await cluster.request("GET", `/apis/apps/v1/namespaces/${w.namespace}/replicasets`);
                    for (const rs of sets.body?.items ?? []) {
                        if ((rs.metadata.ownerReferences ?? []).some((ref: any) => ref.uid === object.metadata.uid) && (rs.spec.replicas ?? 0) > 0) owners.add(rs.metadata.uid);
                    }
                }
                const list = await cluster.request("GET", `/api/v1/namespaces/${w.namespace}/pods`);
                const owned = (list.body?.items ?? []).filter((p: any) => (p.metadata.ownerReferences ?? []).some((ref: any) => owners.has(ref.uid)));
                return owned.length === wanted ? owned.length : undefined;
            });
            podCount += pods;
        } catch (error) {
            short.push((error as Error).message);
        }
    }
    const events = await cluster.request("GET", "/api/v1/events");
    const forbidden = (events.body?.items ?? []).filter((e: any) => e.reason === "FailedCreate" && /pod ?security/i.test(e.message ?? ""));
    expect(forbidden.length === 0, "no FailedCreate event naming Pod Security", forbidden.map((e: any) => `${e.involvedObject?.namespace}/${e.involvedObject?.name}: ${e.message}`).join("; "));
    expect(short.length === 0, "as many Pods as each workload's spec asks, made by the controller manager", short.join("; "));

    // 3. Namespace Pod Security labels as the program sets them; restricted for Authentik's.
    const namespaces = rendered.filter((r) => r.inputs.kind === "Namespace");
    const wrongLevels: string[] = [];
    for (const ns of namespaces) {
        const name = kubernetesCoordinates(ns.inputs).name!;
        const want = Object.entries(((ns.inputs.metadata as any)?.labels ?? {}) as { [key: string]: string }).filter(([k]) => k.startsWith("pod-security.kubernetes.io/"));
        const live = (await cluster.request("GET", `/api/v1/namespaces/${name}`)).body?.metadata?.labels ?? {};
        for (const [key, value] of want) if (live[key] !== value) wrongLevels.push(`${name} ${key}: want ${value}, found ${live[key] ?? "(none)"}`);
    }
    expect(wrongLevels.length === 0, "every namespace's Pod Security labels as the program sets them", wrongLevels.join("; "));
    const authentikNamespace = dev.outputs.authentik?.namespace;
    const authentikLabels = (await cluster.request("GET", `/api/v1/namespaces/${authentikNamespace}`)).body?.metadata?.labels ?? {};
    expect(authentikLabels["pod-security.kubernetes.io/enforce"] === "restricted", `namespace ${authentikNamespace} (Authentik's) to enforce restricted`,
        String(authentikLabels["pod-security.kubernetes.io/enforce"]));

    // 4. The outputs stacks/outputs.ts names, then a second stack reads them with StackReference (the docs' consumer example).
    const absent = HOMELAB_SSO_OUTPUT_NAMES.filter((name) => dev.outputs[name] === undefined);
    expect(absent.length === 0, `the stack outputs ${HOMELAB_SSO_OUTPUT_NAMES.join(", ")} (stacks/outputs.ts)`, `absent: ${absent.join(", ")}`);
    const services = Object.keys(dev.outputs.oidcClients ?? {});
    expect(services.length > 0 && services.every((s) => typeof dev.outputs.oidcClients[s].issuer === "string"), "an OIDC client with an issuer per service in oidcClients",
        JSON.stringify(dev.outputs.oidcClients).slice(0, 300));
    const consumer = await consumerReads(dev);

    // 5. No generated secret's plaintext in the backend folder (the state file and everything beside it):
    //    every random password (its result and bcrypt hash) and the API token the providers were given,
    //    each also in base64 (as a Kubernetes Secret's `data` holds it). Other secret-marked values (the
    //    Helm release's whole inputs, say) hold public text too, so they are not searched for.
    const generated = resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
    expect(generated.length > 0, "generated passwords (random:RandomPassword) in the dev stack", "none");
    const secrets = [
        ...generated.flatMap((r) => secretLeaves({ result: r.outputs?.result, bcryptHash: r.outputs?.bcryptHash }, r.urn)),
        ...resources.filter((r) => r.type.startsWith("pulumi:providers:")).flatMap((r) => secretLeaves({ token: r.outputs?.token }, r.urn)),
    ];
    const results = secrets.filter((s) => s.at.endsWith(".result"));
    expect(results.length === generated.length && results.every((s) => s.value.length > 0), "every generated password's plaintext in the decrypted export",
        `${results.length} of ${generated.length}`);
    expect(secrets.some((s) => s.at.endsWith(".token")), "the Authentik provider's token among the decrypted export's secrets", "none");
    expect(grepTree(dev.stateDir, generated[0].urn).length > 0, `the search to see the state (the first password's URN in ${dev.stateDir})`, "not found");
    // Where each secret (or its base64) is found; the message names places, never values.
    const leaked = secrets.flatMap((s) => [s.value, Buffer.from(s.value).toString("base64")]
        .flatMap((text) => grepTree(dev.stateDir, text).map((file) => `${s.at} (${s.value.length} chars) in ${path.relative(dev.stateDir, file)}`)));
    expect(leaked.length === 0, `no generated secret's plaintext (or its base64) in the backend folder (${secrets.length} secrets)`,
        `${leaked.length} places: ${leaked.slice(0, 10).join("; ")}${leaked.length > 10 ? "; ..." : ""}`);

    return `${expected.length} objects present (${rendered.length} rendered, ${chartChildren.length} chart children, ` +
        `${expected.length - rendered.length - chartChildren.length} in Helm releases); ${podCount} Pods for ${workloads.length} workloads; ` +
        `${namespaces.length} namespaces' Pod Security labels; outputs read by a StackReference (${consumer}); ` +
        `${secrets.length} generated secrets, none in the backend`;
}

/** The files under DIR that contain TEXT. */
function grepTree(dir: string, text: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? grepTree(p, text) : e.isFile() && fs.readFileSync(p).includes(text) ? [p] : [];
    });
}

/** Where the consumer example lives (the section must exist: a missing heading fails the step). */
const CONSUMER_EXAMPLE = { file: "docs/oidc-clients.md", heading: "### Reading the outputs from another stack" };

/**
 * The consumer example of docs/oidc-clients.md ("Reading the outputs from another stack"), as written but for the stack it names (dev, not
 * prod), in a program of its own next to a link to the copy of the repository, on the same backend.
 */
async function consumerReads(dev: DevStack): Promise<string> {
    const guide = fs.readFileSync(path.join(dev.root, CONSUMER_EXAMPLE.file), "utf8");
    const start = guide.indexOf(CONSUMER_EXAMPLE.heading);
    expect(start >= 0, `the heading "${CONSUMER_EXAMPLE.heading}" in ${CONSUMER_EXAMPLE.file}`, "none");
    const section = guide.slice(start);
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example !== undefined && example.includes("StackReference"), `a TypeScript consumer example with a StackReference under ${CONSUMER_EXAMPLE.file} "${CONSUMER_EXAMPLE.heading}"`, String(example));
    const exportName = /export const (\w+)/.exec(example)?.[1];
    expect(exportName !== undefined, "an exported value in the docs' consumer example", example);
    expect(example.includes('"organization/homelab-sso/prod"'), "the example to name organization/homelab-sso/prod", example);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-consumer-"));
    try {
        fs.writeFileSync(path.join(dir, "index.ts"), example.replace('"organization/homelab-sso/prod"', '"organization/homelab-sso/dev"'));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: sso-consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "sso-consumer", private: true }));
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", moduleResolution: "node", target: "ES2022", esModuleInterop: true } }));
        fs.symlinkSync(dev.root, path.join(dir, "homelab-sso"));
        fs.symlinkSync(fs.realpathSync(path.join(dev.root, "node_modules")), path.join(dir, "node_modules"));
        // Not the harness's preload: the consumer is a plain program.
        const env = { ...dev.pulumiEnv, NODE_OPTIONS: "", E2E_PROGRAM_MAIN: "", PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
        for (const args of [["stack", "init", "consumer"], ["up", "--yes"]]) {
            const result = await runCommand("pulumi", [...args, "--non-interactive", "--color", "never"], dir, env);
            if (result.status !== 0) throw commandFailure(`pulumi ${args.join(" ")} (the consumer)`, result);
        }
        const result = await runCommand("pulumi", ["stack", "output", "--json"], dir, env);
        if (result.status !== 0) throw commandFailure("pulumi stack output --json (the consumer)", result);
        const read = JSON.parse(result.stdout)[exportName];
        const want = dev.outputs.oidcClients?.argocd?.issuer;
        expect(typeof want === "string" && read === want, `the consumer's ${exportName} to be the dev stack's oidcClients.argocd.issuer (${want})`, String(read));
        return `${exportName} = ${read}`;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
