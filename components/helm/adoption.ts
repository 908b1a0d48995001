/**
 * Taking over the objects ArgoCD applied from a chart (see docs/decisions/0001-chart-ownership.md).
 *
 * ArgoCD renders a chart with `helm template` and applies the objects with server-side apply under
 * the field manager `argocd-controller` (argoproj/argo-cd `common/common.go` `ArgoCDSSAManager`,
 * `controller/sync.go`). The program renders the same chart with `helm.v4.Chart` and applies each
 * object itself. It applies them under that same field manager: pulumi-kubernetes reads the name from
 * the `pulumi.com/patchFieldManager` annotation (`provider/pkg/provider/provider.go` `fieldManagerName`),
 * which a resource transform sets on every object (transforms reach the children of a packaged component
 * such as the remote `helm.v4.Chart`: pulumi.com/blog/resource-transforms). The API server then treats the
 * first `pulumi up` as ArgoCD's next sync: no field conflicts with ArgoCD, and every field ArgoCD applied
 * that the program no longer renders (a dropped volume, env var, label) is removed in that same apply, so
 * each workload rolls at most once.
 */
import * as pulumi from "@pulumi/pulumi";

/** The field manager ArgoCD's server-side apply syncs use; chart objects are applied under it. */
export const CHART_FIELD_MANAGER = "argocd-controller";

/** pulumi-kubernetes reads the server-side apply field manager of a resource from this annotation. */
export const FIELD_MANAGER_ANNOTATION = "pulumi.com/patchFieldManager";

/** True for a Kubernetes object a chart renders (not the Chart component, not a provider). */
function isChartObject(args: pulumi.ResourceTransformArgs): boolean {
    return args.custom && args.type.startsWith("kubernetes:") && !args.type.startsWith("kubernetes:helm.sh/") && typeof args.props.metadata === "object";
}

/**
 * Resource transform for a `helm.v4.Chart`: every object it renders is applied under
 * `CHART_FIELD_MANAGER`. Only object metadata changes (never a pod template), so the annotation
 * itself restarts nothing.
 */
export const applyUnderArgoCdFieldManager: pulumi.ResourceTransform = (args) => {
    if (!isChartObject(args)) {
        return undefined;
    }
    const metadata = args.props.metadata as { annotations?: { [key: string]: string } };
    return {
        props: {
            ...args.props,
            metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), [FIELD_MANAGER_ANNOTATION]: CHART_FIELD_MANAGER } },
        },
        opts: args.opts,
    };
};
