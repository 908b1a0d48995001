import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesSecretTarget } from "../../stacks/secretDelivery";

export interface ClientSecretDeliveryArgs {
    /** The client secret, a Pulumi secret. */
    clientSecret: pulumi.Input<string>;
    /** The Secret to write it into (`services.<name>.clientSecretTo.kubernetesSecret`). */
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
                    ...(Object.keys(target.labels).length > 0 ? { labels: { ...target.labels } } : {}),
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
