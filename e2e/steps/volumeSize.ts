/**
 * The volume-size step (issue 21, last line): a new `homelab-sso:authentik.postgresqlVolumeSize` on the
 * deployed dev stack, through the engine. It checks what docs/operations.md ("Change a Helm value") and
 * the render diff's call-out say: the provider plans an update of the chart's PostgreSQL StatefulSet,
 * which the API server refuses (its volume claim template is immutable) in `preview`, `up` and
 * `preview --replace`; deleting it with its pod and claim orphaned, `refresh` and `up` make it anew,
 * and the existing claim stays, with its old size.
 * It changes the deployed stack, so it runs last.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect, waitFor } from "../harness";
import { runCommand } from "../harness";
import { DevStack } from "./devStack";
import { renderDiffFrom, renderTo } from "./rotationPreview";

/** A Kubernetes quantity in `Mi`/`Gi`/`Ti` doubled (`1Gi` → `2Gi`). */
export function doubledQuantity(quantity: string): string {
    const match = /^(\d+)(Mi|Gi|Ti)$/.exec(quantity);
    if (!match) throw new Error(`not a Mi/Gi/Ti quantity: ${quantity}`);
    return `${Number(match[1]) * 2}${match[2]}`;
}

export async function volumeSizeStep(dev: DevStack): Promise<string> {
    const cluster = dev.cluster;
    const namespace = dev.outputs.authentik?.namespace;
    const config = JSON.parse(await dev.pulumi(["config", "--json"]));
    const authentikEntry = config["homelab-sso:authentik"];
    const size = String((authentikEntry?.objectValue ?? JSON.parse(authentikEntry?.value ?? "{}")).postgresqlVolumeSize);
    const newSize = doubledQuantity(size);

    // The chart's StatefulSet whose claim template has the configured size, and the claim its controller made.
    const sets = (await cluster.request("GET", `/apis/apps/v1/namespaces/${namespace}/statefulsets`)).body?.items ?? [];
    const templateSize = (s: any) => s.spec.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage;
    const before = sets.find((s: any) => templateSize(s) === size);
    expect(before !== undefined, `a StatefulSet in namespace ${namespace} with a ${size} volume claim template (PostgreSQL's)`,
        sets.map((s: any) => `${s.metadata.name}: ${templateSize(s)}`).join(", ") || "none");
    const claimName = `${before.spec.volumeClaimTemplates[0].metadata.name}-${before.metadata.name}-0`;
    const claimBefore = (await cluster.request("GET", `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claimName}`)).body;
    expect(claimBefore?.spec?.resources?.requests?.storage === size, `claim ${namespace}/${claimName} of ${size}, made by the StatefulSet controller`,
        JSON.stringify(claimBefore?.spec?.resources ?? claimBefore?.reason ?? null));

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-volume-"));
    try {
        await renderTo(dev, path.join(scratch, "before.json"));
        await dev.pulumi(["config", "set", "--path", "homelab-sso:authentik.postgresqlVolumeSize", newSize]);

        // What the render diff says (the docs' call-out).
        const diff = await renderDiffFrom(dev, path.join(scratch, "before.json"));
        const callouts = diff.changed.flatMap((r) => r.callouts ?? []).filter((c) => c.includes("volume size"));
        expect(callouts.length === 1 && /Forbidden: updates to statefulset spec/.test(callouts[0]) && /--cascade=orphan/.test(callouts[0]) && /keeps its old size/.test(callouts[0]),
            "the render diff to call out PostgreSQL's new volume size as what follows: the API server's refusal, the orphaning delete, the claim's old size",
            JSON.stringify(callouts));

        // What the engine's preview and `up` do: the provider updates the StatefulSet in place, which the
        // API server refuses (its dry run in the preview, the update itself in `up`).
        const stsUrn = JSON.parse(await dev.pulumi(["stack", "export"])).deployment.resources
            .map((r: { urn: string }) => r.urn)
            // A chart child's name is `<chart>:<namespace>/<name>`.
            .find((urn: string) => urn.includes("$kubernetes:apps/v1:StatefulSet::") && urn.endsWith(`:${namespace}/${before.metadata.name}`));
        expect(stsUrn !== undefined, `StatefulSet ${namespace}/${before.metadata.name} in the state`, "none");
        const refusal = /Forbidden: updates to statefulset spec for fields other than/;
        const attempts: string[] = [];
        for (const args of [["preview", "--json"], ["up", "--yes"]]) {
            const result = await runCommand("pulumi", [...args, "--non-interactive", "--color", "never"], dev.root, dev.pulumiEnv);
            const text = `${result.stdout}${result.stderr}`;
            expect(result.status !== 0 && refusal.test(text) && text.includes(stsUrn),
                `\`pulumi ${args.join(" ")}\` to fail on ${stsUrn} with the API server's "Forbidden: updates to statefulset spec"`,
                `exit ${result.status}: ${text.split("\n").filter((l) => /error|forbidden|replace/i.test(l)).slice(0, 8).join(" | ") || text.slice(-600)}`);
            attempts.push(`\`${args[0]}\` refused`);
        }
        const unchanged = (await cluster.request("GET", `/apis/apps/v1/namespaces/${namespace}/statefulsets/${before.metadata.name}`)).body;
        expect(unchanged?.metadata?.uid === before.metadata.uid && templateSize(unchanged) === size, `StatefulSet ${before.metadata.name} untouched after the refused up`,
            `uid ${unchanged?.metadata?.uid} (was ${before.metadata.uid}), template ${templateSize(unchanged)}`);

        // `pulumi up --replace <urn>` does not get through either: the replacement is created before the old
        // one is deleted, under the same name, and the API server refuses that apply the same way.
        const replace = await runCommand("pulumi", ["preview", "--replace", stsUrn, "--non-interactive", "--color", "never"], dev.root, dev.pulumiEnv);
        expect(replace.status !== 0 && refusal.test(`${replace.stdout}${replace.stderr}`), "`pulumi preview --replace <urn>` to be refused the same way",
            `exit ${replace.status}`);
        attempts.push("`preview --replace` refused");

        // The documented way through (docs/operations.md): delete the StatefulSet and leave its pods and claim
        // (`kubectl delete statefulset --cascade=orphan`; here the same API call), forget it (`pulumi refresh`
        // of that URN), and `pulumi up` creates it anew with the new template, adopting the orphaned pod.
        const orphan = await cluster.request("DELETE", `/apis/apps/v1/namespaces/${namespace}/statefulsets/${before.metadata.name}`,
            { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Orphan" });
        expect(orphan.status === 200 || orphan.status === 202, `the StatefulSet deleted with propagationPolicy Orphan`, `HTTP ${orphan.status}`);
        await waitFor(`StatefulSet ${before.metadata.name} gone`, 60, async () =>
            (await cluster.request("GET", `/apis/apps/v1/namespaces/${namespace}/statefulsets/${before.metadata.name}`)).status === 404 ? true : undefined);
        await dev.pulumi(["refresh", "--yes", "--target", stsUrn]);
        await dev.pulumi(["up", "--yes"]);
        const after = (await cluster.request("GET", `/apis/apps/v1/namespaces/${namespace}/statefulsets/${before.metadata.name}`)).body;
        expect(after?.metadata?.uid !== undefined && after.metadata.uid !== before.metadata.uid, `a new StatefulSet ${before.metadata.name} (another uid)`,
            `uid ${after?.metadata?.uid} (was ${before.metadata.uid})`);
        expect(templateSize(after) === newSize, `its claim template to ask for ${newSize}`, String(templateSize(after)));
        const claimAfter = (await cluster.request("GET", `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${claimName}`)).body;
        expect(claimAfter?.metadata?.uid === claimBefore.metadata.uid, `claim ${claimName} kept (same uid)`, `uid ${claimAfter?.metadata?.uid} (was ${claimBefore.metadata.uid})`);
        expect(claimAfter.spec.resources.requests.storage === size, `claim ${claimName} to keep its ${size}`, String(claimAfter.spec.resources.requests.storage));
        return `${size} → ${newSize}: ${attempts.join(", ")} by the API server (StatefulSet spec immutable); ` +
            `after delete --cascade=orphan, refresh and up: a new StatefulSet (template ${newSize}); claim ${claimName} kept at ${size}`;
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}
