/**
 * The e2e's stack transforms, registered before the project's program loads (by the entry program
 * index.ts, or by preload.js when the README's own `pulumi up` runs from the repository root):
 *  - Every `helm.v4.Chart` and `helm.v3.Release` takes its chart from the loopback stand-in repository (E2E_CHART_REPO) and
 *    gets `skipAwait`: the stand-ins' workloads never become ready without a kubelet.
 *  - Every other Kubernetes object gets the provider's `pulumi.com/skipAwait` annotation for the same reason.
 */
import * as pulumi from "@pulumi/pulumi";

export function registerE2eTransforms(): void {
    const chartRepo = process.env.E2E_CHART_REPO;
    if (!chartRepo) {
        throw new Error("E2E_CHART_REPO is not set: the e2e runner (e2e/run.ts) sets it to the loopback chart repository");
    }
    pulumi.runtime.registerResourceTransform((args) => {
        if (!args.type.startsWith("kubernetes:")) return undefined;
        const props = { ...args.props };
        // ArgoCD's chart is a helm.v3 Release (for its hooks); the others are helm.v4 Charts. Both take
        // `repositoryOpts.repo` and `skipAwait`.
        if (args.type === "kubernetes:helm.sh/v4:Chart" || args.type === "kubernetes:helm.sh/v3:Release") {
            props.repositoryOpts = { ...(props.repositoryOpts ?? {}), repo: chartRepo };
            props.skipAwait = true;
        } else if (args.type !== "pulumi:providers:kubernetes" && props.metadata !== undefined) {
            props.metadata = {
                ...props.metadata,
                annotations: { ...(props.metadata.annotations ?? {}), "pulumi.com/skipAwait": "true" },
            };
        }
        return { props, opts: args.opts };
    });
}
