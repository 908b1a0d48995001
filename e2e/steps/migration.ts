/**
 * The migration step (issue 22 §3.6): docs/migration.md's adoption of today's Authentik objects, in a
 * fresh API server. Today's objects are made first by ArgoCD's field manager with server-side apply;
 * then the guide's steps that the API server can show run as written:
 *  - step 4: `npm run import-files` writes the import files from the (e2e's copy of the) stack file;
 *  - step 7: `pulumi import --file … --generate-code=false --protect=false --yes` of the Kubernetes file,
 *    limited to the Authentik platform's entries (ArgoCD's Helm release, the bootstrap objects and
 *    Grafana's are not made here), then its check: the URNs grew by the entries, and the preview (with
 *    PULUMI_K8S_ENABLE_PATCH_FORCE: without it, today's owner's namespace label fails the dry run) has no
 *    delete or replace;
 *  - step 8.1: every chart object is managed by `argocd-controller/Apply` only (and the controller
 *    manager's status);
 *  - step 8.3: the targeted cut-over `up` with PULUMI_K8S_UPSERT_EXISTING_OBJECTS and
 *    PULUMI_K8S_ENABLE_PATCH_FORCE; its preview has no delete or replace;
 *  - step 8.4 and "Check the objects' field managers": afterwards no object is recreated (same uid, the
 *    PostgreSQL Pod too), the apply removed what only today's sync set (the worker's
 *    `authentik-blueprints` volume: the same field manager no longer applies it), the fields still
 *    belong to `argocd-controller/Apply`, the namespace label is `restricted`, and a second preview of
 *    the same targets changes nothing.
 * Not shown here: steps 3, 5, 6 (a database, ArgoCD's controller, Terraform), 9 (the Authentik objects'
 * import needs today's objects in the double) and 10 (ArgoCD's Helm release record).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Cluster } from "../cluster/cluster";
import { BuildPaths, expect, previewChanges, REPO, runJson, serverSideApply, StepFailure, waitFor } from "../harness";
import { PROD_STACK, ProdStack, startProdStack } from "./prodStack";

/** ArgoCD's server-side apply field manager (argoproj/argo-cd `common/common.go`, `ArgoCDSSAManager`). */
const ARGOCD_MANAGER = "argocd-controller";

/** The collection path of a namespaced or cluster-scoped object, for the kinds today's Authentik has. */
export function collectionOf(object: any): string {
    const [group, version] = String(object.apiVersion).includes("/") ? String(object.apiVersion).split("/") : ["", object.apiVersion];
    const plural = ({ Namespace: "namespaces", Service: "services", ServiceAccount: "serviceaccounts", ConfigMap: "configmaps",
        Deployment: "deployments", StatefulSet: "statefulsets", ExternalSecret: "externalsecrets" } as { [kind: string]: string })[object.kind];
    if (!plural) throw new StepFailure(`expected only the kinds today's Authentik namespace holds; found ${object.kind} ${object.metadata.name}`);
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    return object.metadata.namespace ? `${base}/namespaces/${object.metadata.namespace}/${plural}` : `${base}/${plural}`;
}

/** An object as ArgoCD would apply it: the rendered manifest without the annotations only Pulumi adds. */
function asArgoCdApplies(inputs: any): any {
    const object = JSON.parse(JSON.stringify(inputs));
    const annotations = Object.fromEntries(Object.entries(object.metadata.annotations ?? {}).filter(([key]) => !key.startsWith("pulumi.com/")));
    object.metadata = { ...object.metadata, annotations };
    if (Object.keys(annotations).length === 0) delete object.metadata.annotations;
    return object;
}

/**
 * Today's Authentik objects, from the prod-shaped stack's state: the chart's rendered objects, the
 * namespace and the credentials' ExternalSecret, as the program applies them, with what today's sync
 * applies differently (docs/migration/rehearsal.md): the worker mounts the `authentik-blueprints`
 * ConfigMap, the server and worker containers have no `securityContext`, and the namespace's Pod
 * Security `enforce` label has another value (the program's needs PULUMI_K8S_ENABLE_PATCH_FORCE).
 */
export function todaysAuthentikObjects(resources: any[], namespace: string): any[] {
    const chart = resources.filter((r) => String(r.urn).includes("kubernetes:helm.sh/v4:Chart$") && r.inputs?.metadata?.namespace === namespace
        && String(r.urn).includes("authentik"));
    const own = resources.filter((r) => /::(authentik-namespace|authentik-credentials)$/.test(String(r.urn)));
    expect(chart.length > 0 && own.length === 2, `the authentik chart's objects, authentik-namespace and authentik-credentials in the prod stack's state`,
        `${chart.length} chart objects; ${own.map((r) => r.urn).join(", ")}`);
    const objects = [...own, ...chart].map((r) => asArgoCdApplies(r.inputs));
    for (const object of objects) {
        if (object.kind === "Namespace") {
            object.metadata.labels = { ...object.metadata.labels, "pod-security.kubernetes.io/enforce": "baseline" };
        }
        if (object.kind === "Deployment") {
            const pod = object.spec.template.spec;
            for (const container of pod.containers) delete container.securityContext;
            if (/worker/.test(object.metadata.name)) {
                pod.volumes = [...(pod.volumes ?? []), { name: "authentik-blueprints", configMap: { name: "authentik-blueprints" } }];
                pod.containers[0].volumeMounts = [...(pod.containers[0].volumeMounts ?? []),
                    { name: "authentik-blueprints", mountPath: "/blueprints/mounted/cm-authentik-blueprints" }];
            }
        }
    }
    // The namespace first: everything else lives in it.
    return objects.sort((a, b) => Number(b.kind === "Namespace") - Number(a.kind === "Namespace"));
}

/** `manager/operation` pairs of an object's managedFields. */
function managers(object: any): string[] {
    return [...new Set<string>((object.metadata.managedFields ?? []).map((f: any) => `${f.manager}/${f.operation}`))].sort();
}

async function live(cluster: Cluster, object: any): Promise<any> {
    const res = await cluster.request("GET", `${collectionOf(object)}/${object.metadata.name}`);
    expect(res.status === 200, `${object.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name} in the API server`, `HTTP ${res.status}`);
    return res.body;
}

/** A step whose op deletes or replaces (`delete`, `replace`, `create-replacement`, `delete-replaced`, `discard`). */
function destructive(changes: { op: string; urn: string }[]): string[] {
    return changes.filter((c) => /delete|replace|discard/.test(c.op)).map((c) => `${c.op} ${c.urn}`);
}

export async function migrationStep(paths: BuildPaths, prod: ProdStack): Promise<string> {
    const authentikNs: string = prod.userStack.config["homelab-sso:authentik"].namespace;
    const state = JSON.parse(prod.workspace.run(prod.dir, ["stack", "export"], prod.env)).deployment.resources ?? [];
    const today = todaysAuthentikObjects(state, authentikNs);
    const mig = await startProdStack(paths);
    try {
        return await cutOver(mig, today, authentikNs);
    } finally {
        await mig.stop();
    }
}

async function cutOver(mig: ProdStack, today: any[], authentikNs: string): Promise<string> {
    const { cluster, workspace, dir, env } = mig;
    // Today: ArgoCD's server-side syncs.
    for (const object of today) {
        const res = await serverSideApply(cluster, collectionOf(object), object, ARGOCD_MANAGER);
        expect(res.status === 200 || res.status === 201, `ArgoCD's server-side apply of ${object.kind} ${object.metadata.name}`,
            `HTTP ${res.status}: ${JSON.stringify(res.body).slice(0, 400)}`);
    }
    const statefulSet = today.find((o) => o.kind === "StatefulSet");
    expect(statefulSet !== undefined, "PostgreSQL's StatefulSet among today's objects", today.map((o) => o.kind).join(", "));
    const podPath = `/api/v1/namespaces/${authentikNs}/pods/${statefulSet.metadata.name}-0`;
    const pod = await waitFor(`the controller manager to create ${statefulSet.metadata.name}-0`, 120, async () => {
        const res = await cluster.request("GET", podPath);
        return res.status === 200 ? res.body : undefined;
    });
    const uids = new Map<string, string>();
    const summary = (o: any): string => `${o.kind}/${o.metadata.name}`;
    for (const object of today) {
        const found = await live(cluster, object);
        uids.set(summary(object), found.metadata.uid);
        // Step 8.1's listing: ArgoCD's Apply and the controller manager's status, nothing else.
        const stray = managers(found).filter((m) => m !== `${ARGOCD_MANAGER}/Apply` && !m.startsWith("kube-controller-manager/"));
        expect(stray.length === 0, `${summary(object)} managed by ${ARGOCD_MANAGER}/Apply only before the cut-over (step 8.1)`, stray.join(", "));
    }

    // Step 4: the import files, generated from the stack file.
    const importDir = path.join(dir, "import");
    const generate = spawnSync(process.execPath, [path.join(REPO, "node_modules/.bin/ts-node"), "--transpile-only", path.join(REPO, "scripts/import-files.ts"),
        "--stack", PROD_STACK, "--out", importDir, "--stack-file", mig.stackFile], { cwd: REPO, encoding: "utf8" });
    expect(generate.status === 0, "`npm run import-files -- --stack prod --out DIR --stack-file FILE` to succeed", `exit ${generate.status}: ${generate.stderr.slice(-800)}`);
    const kubernetesFile = fs.readdirSync(importDir).find((f) => /kubernetes\.json$/.test(f));
    expect(kubernetesFile !== undefined, "the Kubernetes import file", fs.readdirSync(importDir).join(", "));
    const file = JSON.parse(fs.readFileSync(path.join(importDir, kubernetesFile), "utf8"));
    // Only the Authentik platform's entries: their objects are the ones made above.
    const entries = file.resources.filter((r: any) => r.name === "authentik" || r.parent === "authentik");
    expect(entries.filter((r: any) => !r.component).map((r: any) => r.id).sort().join(" ") === `${authentikNs} ${authentikNs}/authentik-secret`,
        `step 7's file to import the namespace ${authentikNs} and the ExternalSecret ${authentikNs}/authentik-secret for Authentik`,
        JSON.stringify(entries));
    const authentikFile = path.join(importDir, "authentik-kubernetes.json");
    fs.writeFileSync(authentikFile, JSON.stringify({ ...file, resources: entries }, null, 2));

    // Step 7.
    const countUrns = (): number => (workspace.run(dir, ["stack", "--show-urns"], env).match(/urn:pulumi:prod::homelab-sso::/g) ?? []).length;
    const before = countUrns();
    await workspace.runAsync(dir, ["import", "--file", authentikFile, "--generate-code=false", "--protect=false", "--yes"], env);
    const imported = countUrns() - before;
    const importedObjects = entries.filter((r: any) => !r.component).length;
    expect(imported >= importedObjects, `step 7's check: the stack's URNs grew by the file's ${importedObjects} objects (and their component)`,
        `grew by ${imported}`);
    // The check's preview is a server-side dry run of each update: without force, the imported
    // namespace's label that today's owner set to another value is a conflict, and the preview fails.
    const unforced = await runJson(workspace, dir, ["preview"], env).then(() => undefined, (error: Error) => error.message);
    expect(unforced !== undefined && /conflict with \\?"argocd-controller\\?": \.metadata\.labels\.pod-security\.kubernetes\.io\/enforce/.test(unforced),
        "step 7's preview without PULUMI_K8S_ENABLE_PATCH_FORCE to fail on today's owner's enforce label (why the guide sets it)",
        unforced === undefined ? "it succeeded" : unforced.slice(0, 600));
    const forceEnv = { ...env, PULUMI_K8S_ENABLE_PATCH_FORCE: "true" };
    const afterImport = destructive(previewChanges(await runJson(workspace, dir, ["preview"], forceEnv)));
    expect(afterImport.length === 0, "step 7's check: `PULUMI_K8S_ENABLE_PATCH_FORCE=true pulumi preview` with no delete and no replace", afterImport.join("; "));

    // Step 8.3: the targeted cut-over, with the two variables for this run.
    const targets = [`urn:pulumi:${PROD_STACK}::homelab-sso::homelab:authentik:Platform**`, `urn:pulumi:${PROD_STACK}::homelab-sso::pulumi:providers:authentik::authentik-api`]
        .flatMap((t) => ["--target", t]);
    const cutOverEnv = { ...env, PULUMI_K8S_UPSERT_EXISTING_OBJECTS: "true", PULUMI_K8S_ENABLE_PATCH_FORCE: "true" };
    const preview = previewChanges(await runJson(workspace, dir, ["preview", ...targets], cutOverEnv));
    expect(destructive(preview).length === 0, "step 8.3's check: no delete, no replace", destructive(preview).join("; "));
    const chartObjects = today.filter((o) => o.kind !== "Namespace" && o.kind !== "ExternalSecret").length;
    const upserts = preview.filter((c) => c.op === "create" && c.urn.includes("kubernetes:helm.sh/v4:Chart$")).length;
    expect(upserts === chartObjects, `step 8.3's check: the chart's ${chartObjects} objects appear as creates (upserts)`, `${upserts} creates`);
    await workspace.runAsync(dir, ["up", "--yes", ...targets], cutOverEnv);

    // Step 8.4 and the field managers afterwards.
    const recreated: string[] = [];
    const strayAfter: string[] = [];
    for (const object of today) {
        const found = await live(cluster, object);
        if (found.metadata.uid !== uids.get(summary(object))) recreated.push(summary(object));
        if (object.kind !== "Namespace" && object.kind !== "ExternalSecret") {
            const stray = managers(found).filter((m) => m !== `${ARGOCD_MANAGER}/Apply` && !m.startsWith("kube-controller-manager/"));
            if (stray.length > 0 || !managers(found).includes(`${ARGOCD_MANAGER}/Apply`)) strayAfter.push(`${summary(object)}: ${managers(found).join(", ")}`);
        }
    }
    expect(recreated.length === 0, "no object recreated by the cut-over (same uid)", recreated.join(", "));
    expect(strayAfter.length === 0, `the chart's objects still managed by ${ARGOCD_MANAGER}/Apply only (the program applies as ArgoCD's next sync)`,
        strayAfter.join("; "));
    const podAfter = await cluster.request("GET", podPath);
    expect(podAfter.status === 200 && podAfter.body.metadata.uid === pod.metadata.uid, `${statefulSet.metadata.name}-0 not restarted (same Pod uid)`,
        `HTTP ${podAfter.status}, uid ${podAfter.body?.metadata?.uid} (was ${pod.metadata.uid})`);
    const worker = today.find((o) => o.kind === "Deployment" && /worker/.test(o.metadata.name));
    const workerAfter = await live(cluster, worker);
    const volumes = (workerAfter.spec.template.spec.volumes ?? []).map((v: any) => v.name);
    expect(!volumes.includes("authentik-blueprints"), "the worker's authentik-blueprints volume removed (today's sync set it; the same manager no longer applies it)",
        volumes.join(", "));
    const unhardened = (await Promise.all(today.filter((o) => o.kind === "Deployment").map((o) => live(cluster, o))))
        .flatMap((d) => d.spec.template.spec.containers.filter((c: any) => !c.securityContext).map((c: any) => `${d.metadata.name}/${c.name}`));
    expect(unhardened.length === 0, "every server and worker container with the program's securityContext", unhardened.join(", "));
    const ns = await cluster.request("GET", `/api/v1/namespaces/${authentikNs}`);
    const enforce = ns.body?.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
    expect(enforce === "restricted", `namespace ${authentikNs} labelled enforce: restricted (step 8.4)`, String(enforce));
    // docs/migration/rehearsal.md: the program applies the namespace as pulumi-kubernetes-<random>, forced
    // over the old owner's conflicting field; the old owner's entry stays for the fields it shares.
    const nsManagers = managers(ns.body);
    expect(nsManagers.some((m) => /^pulumi-kubernetes-[0-9a-f]+\/Apply$/.test(m)) && nsManagers.includes(`${ARGOCD_MANAGER}/Apply`),
        `namespace ${authentikNs} managed by pulumi-kubernetes-<random>/Apply, ${ARGOCD_MANAGER}'s entry left`, nsManagers.join(", "));
    const again = previewChanges(await runJson(workspace, dir, ["preview", ...targets], env));
    expect(again.length === 0, "no changes in a second preview of the cut-over's targets", again.map((c) => `${c.op} ${c.urn}`).join("; "));
    return `${today.length} objects applied by ${ARGOCD_MANAGER}; step 7 imported ${importedObjects}; cut-over adopted all: ` +
        `same uids (PostgreSQL's Pod too), ${ARGOCD_MANAGER}/Apply keeps the fields, blueprints volume removed, restricted; no changes after`;
}
