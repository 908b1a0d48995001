import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { podSecurityLabels } from "../authentik/values";
import { applyUnderArgoCdFieldManager } from "../helm/adoption";
import { retainChartData } from "../helm/dataRetention";
import { Values } from "../helm/mergeValues";
import { OidcClientEndpoints } from "../oidcEndpoints";
import { ExternalSecretStore } from "../secrets/externalSecret";
import {
    GRAFANA_ADMIN_SECRET,
    GRAFANA_ADMIN_SECRET_LABELS,
    GRAFANA_ISSUER_CA,
    GRAFANA_OAUTH_SECRET,
    KUBE_PROMETHEUS_STACK_CHART,
    GrafanaRoleGroups,
    grafanaAdminExternalSecret,
    grafanaReleaseValues,
    grafanaUserinfoUrl,
} from "./values";

export interface GrafanaArgs extends GrafanaRoleGroups {
    /** Namespace of the release, created here. Plain: the admin credentials' ExternalSecret manifest names it. */
    namespace: string;
    /** Helm release name of kube-prometheus-stack. */
    releaseName: pulumi.Input<string>;
    /** Exact version of the `kube-prometheus-stack` chart. */
    chartVersion: pulumi.Input<string>;
    /** The rest of the release (NodePort, persistence, Prometheus, Alertmanager, ...), merged under the SSO values. Default none. */
    extraValues?: Values;
    /** Lifts the `protect` of the namespace, so that this run may delete it. Default false. */
    dataLossAcknowledged?: boolean;
    /** Read Grafana's admin password from Infisical through this ClusterSecretStore. Default: Pulumi generates it. */
    adminCredentialsFrom?: ExternalSecretStore;
    /** Grafana's public URL (`root_url`). */
    publicUrl: pulumi.Input<string>;
    /** The `grafana` OIDC client in Authentik. */
    client: OidcClientEndpoints;
    authentikHostAlias?: { ip: string; hostname: string };
    /** Changes with each rotation of the client secret; a pod annotation, so Grafana restarts and reads the new one. */
    clientSecretGeneration: string;
    /** PEM CA certificate(s) Grafana trusts for the issuer: a ConfigMap mounted for `tls_client_ca`. */
    issuerCaCertificate?: string;
    /** Resources the chart waits for: the OIDC client, so its provider exists before Grafana uses it. */
    releaseDependsOn: pulumi.Resource[];
}

/**
 * Grafana with SSO-only login, deployed in kube-prometheus-stack (replaces the SSO part of today's
 * `monitoring-app.yaml`): the `monitoring` namespace, Grafana's admin credentials (`grafana-secret`),
 * the Secret with the OAuth client secret, and the chart (a `helm.v4.Chart`: each rendered object is its
 * own Pulumi resource, as ArgoCD applied them until now; docs/decisions/0001-chart-ownership.md).
 */
export class Grafana extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly releaseName: pulumi.Output<string>;
    public readonly chart: k8s.helm.v4.Chart;
    /** Where Grafana reads its client secret: `{namespace, name, key}`. */
    public readonly clientSecretRef: pulumi.Output<{ namespace: string; name: string; key: string }>;

    constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:monitoring:Grafana", name, {}, opts);

        // `restricted`, whatever the stack says: node-exporter never runs (see podSecurity.ts).
        // Protected: deleting it deletes the volumes of Prometheus, Alertmanager and Grafana;
        // `grafana.acknowledgeDataLoss` lifts it for the run before a deliberate removal (docs/operations.md,
        // "Turn off a deployment").
        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: args.namespace,
                    labels: podSecurityLabels("restricted"),
                },
            },
            { parent: this, protect: !args.dataLossAcknowledged },
        );
        const namespaceName = namespace.metadata.name;

        let adminCredentials: pulumi.Resource;
        if (args.adminCredentialsFrom !== undefined) {
            const manifest = grafanaAdminExternalSecret(args.namespace, args.adminCredentialsFrom);
            adminCredentials = new k8s.apiextensions.CustomResource(
                `${name}-admin-credentials`,
                { ...manifest, metadata: { ...manifest.metadata, namespace: namespaceName } },
                { parent: this },
            );
        } else {
            const adminPassword = new random.RandomPassword(`${name}-admin-password`, { length: 32, special: false }, { parent: this });
            adminCredentials = new k8s.core.v1.Secret(
                `${name}-admin-credentials`,
                {
                    metadata: { name: GRAFANA_ADMIN_SECRET.name, namespace: namespaceName, labels: { ...GRAFANA_ADMIN_SECRET_LABELS } },
                    type: "Opaque",
                    stringData: {
                        [GRAFANA_ADMIN_SECRET.userKey]: "admin",
                        [GRAFANA_ADMIN_SECRET.passwordKey]: pulumi.secret(adminPassword.result),
                    },
                },
                { parent: this },
            );
        }

        const oauthSecret = new k8s.core.v1.Secret(
            `${name}-oauth-client-secret`,
            {
                metadata: { name: GRAFANA_OAUTH_SECRET.name, namespace: namespaceName },
                type: "Opaque",
                stringData: { [GRAFANA_OAUTH_SECRET.key]: pulumi.secret(args.client.clientSecret) },
            },
            { parent: this },
        );

        // A CA certificate is public: a ConfigMap, not a Secret.
        const issuerCa =
            args.issuerCaCertificate !== undefined
                ? new k8s.core.v1.ConfigMap(
                      `${name}-issuer-ca`,
                      { metadata: { name: GRAFANA_ISSUER_CA.configMap, namespace: namespaceName }, data: { [GRAFANA_ISSUER_CA.key]: args.issuerCaCertificate } },
                      { parent: this },
                  )
                : undefined;

        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                name: args.releaseName,
                chart: KUBE_PROMETHEUS_STACK_CHART.name,
                version: args.chartVersion,
                repositoryOpts: { repo: KUBE_PROMETHEUS_STACK_CHART.repo },
                namespace: namespaceName,
                values: grafanaReleaseValues({
                    adminGroups: args.adminGroups,
                    editorGroups: args.editorGroups,
                    extraValues: args.extraValues ?? {},
                    publicUrl: args.publicUrl,
                    clientId: args.client.clientId,
                    authorizeUrl: args.client.authorizeUrl,
                    tokenUrl: args.client.tokenUrl,
                    apiUrl: pulumi.output(args.client.userinfoUrl).apply(grafanaUserinfoUrl),
                    endSessionUrl: args.client.endSessionUrl,
                    authentikHostAlias: args.authentikHostAlias,
                    clientSecretGeneration: args.clientSecretGeneration,
                    trustIssuerCa: issuerCa !== undefined,
                }),
            },
            {
                parent: this,
                dependsOn: [adminCredentials, oauthSecret, ...(issuerCa ? [issuerCa] : []), ...args.releaseDependsOn],
                // Not protected: its objects would inherit it (components/helm/dataRetention.ts).
                transforms: [applyUnderArgoCdFieldManager, retainChartData],
            },
        );

        this.namespace = namespaceName;
        this.releaseName = pulumi.output(args.releaseName);
        this.clientSecretRef = pulumi.output({ namespace: args.namespace, name: GRAFANA_OAUTH_SECRET.name, key: GRAFANA_OAUTH_SECRET.key });
        this.registerOutputs({ namespace: this.namespace, releaseName: this.releaseName, clientSecretRef: this.clientSecretRef });
    }
}
