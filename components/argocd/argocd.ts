import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ArgoCdConfig } from "../../stacks/deployments";
import { podSecurityLabels } from "../authentik/values";
import { OidcClientEndpoints } from "../oidcEndpoints";
import { ARGOCD_CHART, ARGOCD_OIDC_SECRET, ARGOCD_SECRET_LABELS, argoCdOidcConfig, argoCdReleaseValues } from "./values";

export interface ArgoCdArgs {
    config: ArgoCdConfig;
    /** ArgoCD's public URL, from its service entry; the registered redirect URI derives from it too. */
    publicUrl: string;
    /** The `argocd` OIDC client in Authentik. */
    client: OidcClientEndpoints;
    /** Client id of the service's public native client, for `argocd login --sso` (`cliClientID`). */
    cliClientId?: pulumi.Input<string>;
    /** PEM CA certificate(s) ArgoCD trusts for the issuer (`rootCA`). */
    issuerCaCertificate?: string;
    authentikHostAlias?: { ip: string; hostname: string };
    /** Resources the release waits for: the OIDC client, so its provider exists before ArgoCD discovers it. */
    releaseDependsOn: pulumi.Resource[];
}

/**
 * ArgoCD with SSO-only login through Authentik (replaces `terraform/argocd.tf`): its namespace, the
 * Secret that carries the OIDC client secret, and the `argo-cd` Helm release. Unlike the Authentik and
 * Grafana charts this stays a `helm.v3.Release`: Terraform made a real Helm release, which `pulumi import`
 * adopts and the next `up` upgrades (docs/decisions/0001-chart-ownership.md).
 */
export class ArgoCd extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly releaseName: pulumi.Output<string>;
    public readonly release: k8s.helm.v3.Release;
    /** Where ArgoCD reads its client secret: `{namespace, name, key}`. */
    public readonly clientSecretRef: pulumi.Output<{ namespace: string; name: string; key: string }>;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:argocd:ArgoCd", name, {}, opts);
        const { config } = args;

        // The namespace and the release are protected: deleting either deletes argocd-secret (the key that
        // signs every session) and the namespace also every Application and AppProject. Both are custom
        // resources with no children, so nothing else inherits it. `argocd.acknowledgeDataLoss` lifts it.
        const protect = !config.dataLossAcknowledged;
        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: config.namespace, labels: podSecurityLabels("restricted") } },
            { parent: this, protect },
        );

        const clientSecret = new k8s.core.v1.Secret(
            `${name}-oidc-client-secret`,
            {
                metadata: { name: ARGOCD_OIDC_SECRET.name, namespace: namespace.metadata.name, labels: { ...ARGOCD_SECRET_LABELS } },
                type: "Opaque",
                stringData: { [ARGOCD_OIDC_SECRET.key]: pulumi.secret(args.client.clientSecret) },
            },
            { parent: this },
        );

        const oidcConfig = pulumi
            .all([args.client.issuer, args.client.clientId, args.client.endSessionUrl, args.cliClientId])
            .apply(([issuer, clientId, logoutUrl, cliClientId]) =>
                argoCdOidcConfig({ issuer, clientId, logoutUrl, cliClientId, rootCa: args.issuerCaCertificate }),
            );

        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: config.releaseName,
                chart: ARGOCD_CHART.name,
                version: config.chartVersion,
                repositoryOpts: { repo: ARGOCD_CHART.repo },
                namespace: namespace.metadata.name,
                values: argoCdReleaseValues({ config, publicUrl: args.publicUrl, oidcConfig, authentikHostAlias: args.authentikHostAlias }),
                timeout: 600,
            },
            { parent: this, protect, dependsOn: [clientSecret, ...args.releaseDependsOn] },
        );

        this.namespace = namespace.metadata.name;
        this.releaseName = this.release.status.name;
        this.clientSecretRef = pulumi.output({ namespace: config.namespace, name: ARGOCD_OIDC_SECRET.name, key: ARGOCD_OIDC_SECRET.key });
        this.registerOutputs({ namespace: this.namespace, releaseName: this.releaseName, clientSecretRef: this.clientSecretRef });
    }
}
