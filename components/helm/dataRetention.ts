/**
 * Which objects a `helm.v4.Chart` renders must outlive their own deletion (docs/operations.md,
 * "What is protected").
 *
 * The Chart itself is never protected: its objects are its children and inherit `protect` from it
 * (`@pulumi/pulumi` resource.js: `opts.protect = parent.__protect`), so an ordinary upgrade that drops
 * or replaces a Deployment, Service or Job would be refused. The data of these charts lives in
 * PersistentVolumeClaims, most of them made by StatefulSet controllers (PostgreSQL, Prometheus,
 * Alertmanager), not by the chart, and they go only with their namespace, which is protected. What the
 * chart renders itself gets `retainOnDelete` (dropped from the state, left in the cluster):
 * - a PersistentVolumeClaim (Grafana's `persistence.enabled`): deleting it deletes the volume's data;
 * - a CustomResourceDefinition (kube-prometheus-stack's): deleting it deletes every object of that kind
 *   in the whole cluster, including other applications' ServiceMonitors and PrometheusRules.
 */
import * as pulumi from "@pulumi/pulumi";

/** Chart object types that are dropped from the state instead of deleted. */
export const RETAINED_CHART_OBJECT_TYPES: readonly string[] = [
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
];

/** Resource transform for a `helm.v4.Chart`: `retainOnDelete` on the objects that hold data or shared definitions. */
export const retainChartData: pulumi.ResourceTransform = (args) => {
    if (!args.custom || !RETAINED_CHART_OBJECT_TYPES.includes(args.type)) {
        return undefined;
    }
    return { props: args.props, opts: { ...args.opts, retainOnDelete: true } };
};
