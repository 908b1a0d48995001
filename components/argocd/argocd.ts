import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podSecurityLabels } from "../authentik/values";
import { OidcClientEndpoints } from "../oidcEndpoints";
import { ARGOCD_DEX_ISSUER_CA, argoCdDexConfig } from "./dex";
import { ARGOCD_CHART, ARGOCD_OIDC_SECRET, ARGOCD_SECRET_LABELS, ArgoCdRbacGroups, argoCdReleaseValues } from "./values";
import { Values } from "../helm/mergeValues";

export interface ArgoCdArgs extends ArgoCdRbacGroups {
    /** Namespace of the release, created here. */
    namespace: pulumi.Input<string>;
    /** Helm release name. */
    releaseName: pulumi.Input<string>;
    /** Exact version of the `argo-cd` chart. */
    chartVersion: pulumi.Input<string>;
    /** NodePorts of the `argocd-server` Service. */
    nodePorts: { http: pulumi.Input<number>; https: pulumi.Input<number> };
    /** `configs.rbac."policy.default"`: the role every SSO user gets. */
    rbacDefaultPolicy: pulumi.Input<string>;
    /** Non-SSO values for the chart, merged under the program's SSO values. Default none. */
    extraValues?: Values;
    /** Lifts the `protect` of the namespace and the release, so that this run may delete them. Default false. */
    dataLossAcknowledged?: boolean;
    /** ArgoCD's public URL; the registered redirect URI (`/api/dex/callback`) derives from it too. */
    publicUrl: pulumi.Input<string>;
    /** The `argocd` OIDC client in Authentik, which Dex's connector uses. */
    client: OidcClientEndpoints;
    /** PEM CA certificate(s) Dex trusts for the issuer (a ConfigMap mounted for the connector's `rootCAs`). */
    issuerCaCertificate?: string;
    authentikHostAlias?: { ip: string; hostname: string };
    /** Resources the release waits for: the OIDC client, so its provider exists before ArgoCD discovers it. */
    releaseDependsOn: pulumi.Resource[];
}

/**
 * ArgoCD with SSO-only login through Authentik (replaces `terraform/argocd.tf`): its namespace, the
 * Secret that carries the OIDC client secret, the issuer's CA for Dex (local stacks), and the `argo-cd`
 * Helm release, whose bundled Dex brokers the login (docs/decisions/0003-argocd-sso-through-dex.md). Unlike the Authentik and
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

        // The namespace and the release are protected: deleting either deletes argocd-secret (the key that
        // signs every session) and the namespace also every Application and AppProject. Both are custom
        // resources with no children, so nothing else inherits it. `argocd.acknowledgeDataLoss` lifts it.
        const protect = !args.dataLossAcknowledged;
        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: args.namespace, labels: podSecurityLabels("restricted") } },
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

        // Dex's connector reads its CA from files (`rootCAs`), so the PEM goes into a ConfigMap the
        // Dex container mounts. A CA certificate is public: no Secret needed.
        const trustIssuerCa = args.issuerCaCertificate !== undefined;
        const issuerCa = trustIssuerCa
            ? [
                  new k8s.core.v1.ConfigMap(
                      `${name}-dex-issuer-ca`,
                      {
                          metadata: { name: ARGOCD_DEX_ISSUER_CA.configMap, namespace: namespace.metadata.name },
                          data: { [ARGOCD_DEX_ISSUER_CA.key]: args.issuerCaCertificate! },
                      },
                      { parent: this },
                  ),
              ]
            : [];

        const dexConfig = pulumi
            .all([args.client.issuer, args.client.clientId])
            .apply(([issuer, clientId]) => argoCdDexConfig({ issuer, clientId, trustIssuerCa }));

        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: args.releaseName,
                chart: ARGOCD_CHART.name,
                version: args.chartVersion,
                repositoryOpts: { repo: ARGOCD_CHART.repo },
                namespace: namespace.metadata.name,
                values: argoCdReleaseValues({
                    nodePorts: args.nodePorts,
                    rbacDefaultPolicy: args.rbacDefaultPolicy,
                    adminGroups: args.adminGroups,
                    readonlyGroups: args.readonlyGroups,
                    extraValues: args.extraValues ?? {},
                    publicUrl: args.publicUrl,
                    dexConfig,
                    trustIssuerCa,
                    authentikHostAlias: args.authentikHostAlias,
                }),
                timeout: 600,
            },
            { parent: this, protect, dependsOn: [clientSecret, ...issuerCa, ...args.releaseDependsOn] },
        );

        this.namespace = namespace.metadata.name;
        this.releaseName = this.release.status.name;
        this.clientSecretRef = pulumi.output({ namespace: args.namespace, name: ARGOCD_OIDC_SECRET.name, key: ARGOCD_OIDC_SECRET.key });
        this.registerOutputs({ namespace: this.namespace, releaseName: this.releaseName, clientSecretRef: this.clientSecretRef });
    }
}
