/**
 * `npm run e2e`: the real Pulumi engine against a real Kubernetes API server on loopback.
 *
 * Steps run in order; each prints a row (step, result, seconds) in one table at the end, and the run
 * exits non-zero naming the first failed step and what was expected. A step that cannot run because an
 * earlier one failed is listed as "not run", never as passed.
 *
 *  1. build          e2e/build/build.sh: the real components from Go modules, cached (a warm run rebuilds nothing)
 *  2. cluster        etcd + kube-apiserver + kube-controller-manager on loopback (e2e/cluster/cluster.ts)
 *  3. engine         `pulumi up` of a small Kubernetes-only program through the built CLI, language host and
 *                    provider: objects exist, the controller manager creates the Deployment's Pod, Pod Security
 *                    `restricted` admits it, a second `up` changes nothing, `destroy` removes it
 *  4. dev-stack      the README's runnable blocks (```sh e2e) as written, in order, from a copy of the repository
 *                    (their `pulumi up --yes` deploys the dev stack; e2e/program/preload.js registers the stack
 *                    transforms), against the stand-in chart repository, ESO's CRDs and the Authentik double
 *                    (through the e2e's Authentik stand-in plugin): the double flags nothing and holds a provider
 *                    and an application per service and the bookmarks; `preview --expect-no-changes` passes
 *                    before and after `refresh`. The stack stays deployed for the steps below.
 *  5. dev-checks     on that stack: every object the render and the stand-in charts predict exists; each workload has
 *                    the Pods its spec asks, none refused by Pod Security; namespace levels as the program sets
 *                    them; the outputs of stacks/outputs.ts, read by the docs' consumer example through a
 *                    StackReference; no secret's plaintext in the backend folder
 *  6. rotation       one service's `rotation` raised: the engine's `preview --json` changes the same URNs as the
 *                    render diff (a chart's children count as their chart); the stack file is restored after
 *  7. volume-size    `authentik.postgresqlVolumeSize` doubled: the render diff's call-out; the provider plans an update
 *                    of PostgreSQL's StatefulSet that the API server refuses in `preview`, `up` and `--replace`; the
 *                    documented remedy (orphaning delete, `refresh`, `up`) keeps the claim at its old size
 *                    (last of the dev steps: it changes the stack)
 *  8. prod-stack     in a second API server, a prod-shaped copy of Pulumi.prod.yaml (`secrets.source: infisical`;
 *                    e2e/steps/prodStack.ts lists what the copy changes) against the double on HTTPS with a test CA
 *                    the provider trusts through SSL_CERT_FILE: the first `up` without `bootstrap.appOfApps`, the
 *                    second with it (its preview creates only the root Application), a third preview changes nothing
 *  9. migration      docs/migration.md's adoption in a third API server: today's Authentik objects applied first by
 *                    ArgoCD's field manager (server-side apply); the import files, step 7's import and checks, the
 *                    targeted cut-over `up` of step 8; no object recreated, argocd-controller/Apply keeps the chart's
 *                    fields and the apply removes what only today's sync set (e2e/steps/migration.ts lists the steps)
 * 10. prod-destroy   on that stack: `pulumi destroy` fails at the protected resources and deletes nothing; a chart's
 *                    PVC it stops rendering stays (retainOnDelete); docs/operations.md's acknowledgement run deletes
 *                    nothing and lifts the protection; turning Grafana off removes its namespace and keeps its CRDs
 *                    and OIDC client; then `destroy` empties the state and the double, and the CRDs stay
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { Cluster, startCluster } from "./cluster/cluster";
import { BuildPaths, buildPaths, expect, REPO } from "./harness";
import { devChecksStep } from "./steps/devChecks";
import { DevStack, devStackStep } from "./steps/devStack";
import { engineStep } from "./steps/engine";
import { rotationPreviewStep } from "./steps/rotationPreview";
import { volumeSizeStep } from "./steps/volumeSize";
import { migrationStep } from "./steps/migration";
import { prodDestroyStep } from "./steps/prodDestroy";
import { ProdStack, prodStackStep, startProdStack } from "./steps/prodStack";

interface Row {
    step: string;
    result: "pass" | "FAIL" | "not run";
    seconds: number;
    detail?: string;
}

async function main(): Promise<void> {
    const rows: Row[] = [];
    const steps = ["build", "cluster", "engine", "dev-stack", "dev-checks", "rotation", "volume-size", "prod-stack", "migration", "prod-destroy"];
    let failed: Row | undefined;
    let paths: BuildPaths | undefined;
    let cluster: Cluster | undefined;
    let dev: DevStack | undefined;
    let prod: ProdStack | undefined;

    const step = async (name: string, body: () => Promise<string | void>): Promise<void> => {
        if (failed) {
            rows.push({ step: name, result: "not run", seconds: 0, detail: `after ${failed.step} failed` });
            return;
        }
        const start = Date.now();
        try {
            const detail = await body();
            rows.push({ step: name, result: "pass", seconds: (Date.now() - start) / 1000, detail: detail || undefined });
        } catch (error) {
            failed = { step: name, result: "FAIL", seconds: (Date.now() - start) / 1000, detail: (error as Error).message };
            rows.push(failed);
        }
    };

    try {
        await step("build", async () => {
            const result = spawnSync("bash", [path.join(REPO, "e2e/build/build.sh")], { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"] });
            process.stderr.write(result.stderr);
            expect(result.status === 0, "e2e/build/build.sh to succeed", `exit ${result.status}`);
            paths = buildPaths();
            const built = (result.stderr.match(/^build: .* took \d+ s$/gm) ?? []).length;
            return built === 0 ? "warm: nothing rebuilt" : `${built} component(s) built`;
        });
        await step("cluster", async () => {
            cluster = await startCluster({ binDir: paths!.kubeBin });
            const ns = await cluster.request("GET", "/api/v1/namespaces/default");
            expect(ns.status === 200, "the default namespace from the API server", `HTTP ${ns.status}`);
            return cluster.server;
        });
        await step("engine", () => engineStep(paths!, cluster!));
        await step("dev-stack", async () => {
            const deployed = await devStackStep(paths!, cluster!);
            dev = deployed.dev;
            return deployed.detail;
        });
        await step("dev-checks", () => devChecksStep(dev!));
        await step("rotation", () => rotationPreviewStep(dev!));
        await step("volume-size", () => volumeSizeStep(dev!));
        await step("prod-stack", async () => {
            prod = await startProdStack(paths!);
            return prodStackStep(prod);
        });
        // Before prod-destroy: today's objects are read from the prod stack's state.
        await step("migration", () => migrationStep(paths!, prod!));
        await step("prod-destroy", () => prodDestroyStep(prod!));
    } finally {
        await dev?.stop();
        await prod?.stop();
        await cluster?.stop();
    }
    for (const name of steps) {
        if (!rows.some((r) => r.step === name)) rows.push({ step: name, result: "not run", seconds: 0 });
    }

    const width = Math.max(...rows.map((r) => r.step.length), 4);
    console.log(`\n${"step".padEnd(width)}  result   seconds`);
    for (const row of rows) {
        console.log(`${row.step.padEnd(width)}  ${row.result.padEnd(7)}  ${row.seconds.toFixed(1).padStart(7)}${row.result === "pass" && row.detail ? `  ${row.detail}` : ""}`);
    }
    const passed = rows.filter((r) => r.result === "pass").length;
    console.log(`\ne2e: ${passed} passed, ${rows.length - passed} failed`);
    if (failed) {
        console.error(`\ne2e failed at step "${failed.step}": ${failed.detail}`);
        process.exit(1);
    }
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});
