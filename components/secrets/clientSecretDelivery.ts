import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A Kubernetes Secret to write a client secret into. */
export interface KubernetesSecretTarget {
    /** An existing namespace (the service's own); the component does not create it. */
    namespace: pulumi.Input<string>;
    name: pulumi.Input<string>;
    /** Data key that holds the secret. Plain: it is a key of the Secret's data. */
    key: string;
    /** Labels of the Secret (e.g. `app.kubernetes.io/part-of: argocd` for ArgoCD's `$secret:key`). Default none. */
    labels?: { [key: string]: pulumi.Input<string> };
}

export interface ClientSecretDeliveryArgs {
    /** The client secret, a Pulumi secret. */
    clientSecret: pulumi.Input<string>;
    /** The Secret to write it into. */
    kubernetesSecret: KubernetesSecretTarget;
}

/**
 * A service's client secret delivered as a Kubernetes Secret in the service's own namespace, for a
 * service this program does not deploy (e.g. Immich). The namespace must exist. Child:
 * `<name>-secret`. Not protected: a rotation updates it, and it holds nothing that Authentik and this
 * stack do not hold too.
 */
export class ClientSecretDelivery extends pulumi.ComponentResource {
    /** Where the secret is: `{namespace, name, key}`. */
    public readonly secretRef: pulumi.Output<{ namespace: string; name: string; key: string }>;
    public readonly secret: k8s.core.v1.Secret;

    constructor(name: string, args: ClientSecretDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:secrets:ClientSecretDelivery", name, {}, opts);
        const target = args.kubernetesSecret;
        this.secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: {
                    name: target.name,
                    namespace: target.namespace,
                    ...(target.labels !== undefined && Object.keys(target.labels).length > 0 ? { labels: { ...target.labels } } : {}),
                },
                type: "Opaque",
                stringData: { [target.key]: pulumi.secret(args.clientSecret) },
            },
            { parent: this },
        );
        this.secretRef = pulumi.output({ namespace: target.namespace, name: target.name, key: target.key });
        this.registerOutputs({ secretRef: this.secretRef });
    }
}
