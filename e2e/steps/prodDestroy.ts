/**
 * The prod-destroy step (issue 22 §3.5), on the prod-shaped stack of the prod-stack step: `pulumi destroy`
 * stops at the protected resources and deletes nothing; then docs/operations.md's steps ("What is
 * protected", "Turn off a deployment": the acknowledgement runs) let it remove what it should, and what
 * `retainOnDelete` keeps (a chart's PersistentVolumeClaim, kube-prometheus-stack's CRDs) stays in the API server.
 */
import * as fs from "fs";
import * as YAML from "yaml";
import { Cluster } from "../cluster/cluster";
import { expect, StepFailure, waitFor } from "../harness";
import { ProdStack } from "./prodStack";

/** What the API server holds that a delete would show: `<collection> <namespace>/<name>` to uid. */
async function inventory(cluster: Cluster): Promise<Map<string, string>> {
    const collections = [
        "/api/v1/namespaces", "/api/v1/services", "/api/v1/persistentvolumeclaims", "/api/v1/secrets",
        "/apis/apps/v1/deployments", "/apis/apps/v1/statefulsets",
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        "/apis/external-secrets.io/v1/externalsecrets", "/apis/argoproj.io/v1alpha1/applications",
    ];
    const found = new Map<string, string>();
    for (const collection of collections) {
        const res = await cluster.request("GET", collection);
        expect(res.status === 200, `the API server to list ${collection}`, `HTTP ${res.status}`);
        for (const item of res.body.items ?? []) {
            if (item.metadata.deletionTimestamp) continue;
            found.set(`${collection} ${item.metadata.namespace ?? ""}/${item.metadata.name}`, item.metadata.uid);
        }
    }
    return found;
}

/** What BEFORE held that AFTER lacks (deleted) or holds under another uid (recreated). */
export function lost(before: Map<string, string>, after: Map<string, string>): string[] {
    return [...before].filter(([key, uid]) => after.get(key) !== uid).map(([key]) => key);
}

/** A namespace is gone once the API server answers 404, or has it Terminating (the namespace controller empties it). */
async function namespaceGone(cluster: Cluster, name: string): Promise<string> {
    return waitFor(`namespace ${name} to be deleted (404 or Terminating)`, 60, async () => {
        const res = await cluster.request("GET", `/api/v1/namespaces/${name}`);
        if (res.status === 404) return "deleted";
        return res.body?.status?.phase === "Terminating" ? "terminating" : undefined;
    });
}

function exportedResources(prod: ProdStack): any[] {
    return JSON.parse(prod.workspace.run(prod.dir, ["stack", "export"], prod.env)).deployment.resources ?? [];
}

export async function prodDestroyStep(prod: ProdStack): Promise<string> {
    const { cluster, workspace, dir, env, authentik } = prod;
    const authentikNs: string = prod.userStack.config["homelab-sso:authentik"].namespace;
    const resources = exportedResources(prod);
    const protectedNames = resources.filter((r) => r.protect).map((r) => String(r.urn).split("::").pop()).sort();
    const namespaces = resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && r.protect);
    const namespaceOf = (component: string): string => {
        const found = namespaces.find((r) => String(r.urn).endsWith(`::${component}-namespace`));
        expect(found !== undefined, `the protected namespace ${component}-namespace in the state`, protectedNames.join(", "));
        return found.outputs.metadata.name;
    };
    const [monitoringNs, argocdNs] = [namespaceOf("grafana"), namespaceOf("argocd")];
    expect(namespaceOf("authentik") === authentikNs && protectedNames.includes("argocd-release"),
        "the three namespaces and argocd-release protected (docs/operations.md, \"What is protected\")", protectedNames.join(", "));

    // 1. `pulumi destroy` previews first and stops at the protected resources: nothing is deleted.
    const before = await inventory(cluster);
    const refused = await workspace.runAsync(dir, ["destroy", "--yes"], env).then(() => undefined, (error: Error) => error.message);
    expect(refused !== undefined && /protected/.test(refused), "`pulumi destroy --yes` to fail naming the protected resources",
        refused === undefined ? "it succeeded" : refused.slice(0, 600));
    const afterRefusal = lost(before, await inventory(cluster));
    expect(afterRefusal.length === 0, "nothing deleted or recreated by the refused destroy", afterRefusal.join(", "));

    // 2. retainOnDelete on a chart's PersistentVolumeClaim: when the chart stops rendering it, the state drops it and the claim stays.
    const pvc = exportedResources(prod).find((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim");
    expect(pvc !== undefined, "Grafana's chart-rendered PersistentVolumeClaim in the state", "none");
    const pvcPath = `/api/v1/namespaces/${pvc.outputs.metadata.namespace}/persistentvolumeclaims/${pvc.outputs.metadata.name}`;
    const pvcUid = (await cluster.request("GET", pvcPath)).body?.metadata?.uid;
    const doc = YAML.parseDocument(fs.readFileSync(prod.stackFile, "utf8"));
    doc.setIn(["config", "homelab-sso:grafana", "extraValues", "grafana", "persistence", "enabled"], false);
    fs.writeFileSync(prod.stackFile, doc.toString());
    await workspace.runAsync(dir, ["up", "--yes"], env);
    const kept = await cluster.request("GET", pvcPath);
    expect(kept.status === 200 && kept.body.metadata.uid === pvcUid && !kept.body.metadata.deletionTimestamp,
        `PersistentVolumeClaim ${pvc.outputs.metadata.name} left in the API server (retainOnDelete) once the chart stops rendering it`,
        `HTTP ${kept.status}${kept.body?.metadata?.deletionTimestamp ? ", being deleted" : ""} (its state entry had retainOnDelete: ${pvc.retainOnDelete})`);
    expect(!exportedResources(prod).some((r) => r.urn === pvc.urn), "the claim gone from the state", "still there");

    // 3. Run 1 of "Turn off a deployment": acknowledge, with everything still on. Only the state's protection changes.
    const acknowledge = [["authentik", authentikNs], ["grafana", monitoringNs], ["argocd", argocdNs]];
    for (const [section, namespace] of acknowledge) {
        workspace.run(dir, ["config", "set", "--path", `homelab-sso:${section}.acknowledgeDataLoss`, namespace], env);
    }
    const beforeRun1 = await inventory(cluster);
    await workspace.runAsync(dir, ["up", "--yes"], env);
    const afterRun1 = lost(beforeRun1, await inventory(cluster));
    expect(afterRun1.length === 0, "run 1 (acknowledgeDataLoss) to delete and recreate nothing", afterRun1.join(", "));
    const stillProtected = exportedResources(prod).filter((r) => r.protect).map((r) => r.urn);
    expect(stillProtected.length === 0, "no protected resource left after acknowledging the three namespaces", stillProtected.join(", "));

    // 4. Run 2: turn Grafana off, the documented command. Its namespace goes; its CRDs and its OIDC client stay.
    const crds = [...await inventory(cluster)].filter(([key]) => key.includes("customresourcedefinitions") && key.includes("monitoring.coreos.com"));
    expect(crds.length > 0, "kube-prometheus-stack's CRDs (monitoring.coreos.com) in the API server", "none");
    workspace.run(dir, ["config", "set", "--path", "homelab-sso:grafana.enabled", "false"], env);
    await workspace.runAsync(dir, ["up", "--yes"], env);
    const monitoring = await namespaceGone(cluster, monitoringNs);
    const afterRun2 = await inventory(cluster);
    const crdsLost = crds.filter(([key, uid]) => afterRun2.get(key) !== uid).map(([key]) => key);
    expect(crdsLost.length === 0, "kube-prometheus-stack's CRDs left in the API server (retainOnDelete)", `deleted: ${crdsLost.join(", ")}`);
    expect(authentik.state().providers.some((p: any) => p.name === "grafana"), "Grafana's OIDC client left in Authentik (it belongs to the service entry)",
        authentik.state().providers.map((p: any) => p.name).join(", "));

    // 5. Now `pulumi destroy` goes through: everything else is removed; the CRDs stay.
    await workspace.runAsync(dir, ["destroy", "--yes"], env).catch((error: Error) => {
        throw new StepFailure(`expected \`pulumi destroy --yes\` to succeed after the acknowledgement runs; ${error.message}`);
    });
    const gone = await Promise.all([authentikNs, argocdNs].map((ns) => namespaceGone(cluster, ns)));
    const afterDestroy = await inventory(cluster);
    const crdsAfterDestroy = crds.filter(([key, uid]) => afterDestroy.get(key) !== uid).map(([key]) => key);
    expect(crdsAfterDestroy.length === 0, "kube-prometheus-stack's CRDs still in the API server after destroy (retainOnDelete)",
        `deleted: ${crdsAfterDestroy.join(", ")}`);
    const left = exportedResources(prod).filter((r) => r.type !== "pulumi:pulumi:Stack");
    expect(left.length === 0, "an empty state after destroy", left.map((r) => r.urn).join(", "));
    const double = authentik.state();
    expect(double.providers.length === 0 && double.applications.length === 0, "no provider or application left in the double after destroy",
        `${double.providers.length} providers, ${double.applications.length} applications`);
    return `destroy refused (protected: ${protectedNames.join(", ")}), nothing deleted; Grafana PVC kept on stop-render; ` +
        `acknowledge run deleted nothing; grafana off: ${monitoringNs} ${monitoring}, ${crds.length} CRDs kept; ` +
        `destroy: ${authentikNs}, ${argocdNs} ${gone.join("/")}, CRDs kept, state and double empty`;
}
