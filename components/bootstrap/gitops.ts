import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podSecurityLabels } from "../authentik/values";
import { EXTERNAL_SECRETS_API_VERSION } from "../secrets/externalSecret";

/** Where ESO's Infisical credentials live (as today's `terraform/bootstrap-secrets.tf`). */
export const ESO_MACHINE_IDENTITY = { namespace: "external-secrets", name: "infisical-machine-identity", idKey: "clientId", secretKey: "clientSecret" } as const;

/** Where the ClusterSecretStore reads Infisical: its API and the secrets' scope. */
export interface InfisicalStoreArgs {
    /** Infisical's API URL. */
    hostApi: pulumi.Input<string>;
    projectSlug: pulumi.Input<string>;
    environmentSlug: pulumi.Input<string>;
    secretsPath: pulumi.Input<string>;
}

/** ArgoCD's root App-of-Apps: the Git source of every other Application. */
export interface AppOfAppsArgs {
    /** Name of the root Application. */
    name: pulumi.Input<string>;
    repoUrl: pulumi.Input<string>;
    path: pulumi.Input<string>;
    revision: pulumi.Input<string>;
    /** ArgoCD project of the root Application. */
    project: pulumi.Input<string>;
}

/** The ClusterSecretStore spec for Infisical (universal auth), exactly as today's. */
export function infisicalClusterSecretStore(name: pulumi.Input<string>, store: InfisicalStoreArgs) {
    const credentialRef = (key: string) => ({ name: ESO_MACHINE_IDENTITY.name, namespace: ESO_MACHINE_IDENTITY.namespace, key });
    return {
        apiVersion: EXTERNAL_SECRETS_API_VERSION,
        kind: "ClusterSecretStore",
        metadata: { name },
        spec: {
            provider: {
                infisical: {
                    hostAPI: store.hostApi,
                    auth: {
                        universalAuthCredentials: {
                            clientId: credentialRef(ESO_MACHINE_IDENTITY.idKey),
                            clientSecret: credentialRef(ESO_MACHINE_IDENTITY.secretKey),
                        },
                    },
                    secretsScope: { projectSlug: store.projectSlug, environmentSlug: store.environmentSlug, secretsPath: store.secretsPath },
                },
            },
        },
    };
}

/** ArgoCD's root App-of-Apps `Application`, as today's `argocd-apps`. */
export function rootApplication(namespace: pulumi.Input<string>, app: AppOfAppsArgs) {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: {
            name: app.name,
            namespace,
            labels: {
                "app.kubernetes.io/name": app.name,
                "app.kubernetes.io/part-of": "homelab",
                "app.kubernetes.io/component": "gitops",
            },
        },
        spec: {
            project: app.project,
            source: { repoURL: app.repoUrl, targetRevision: app.revision, path: app.path },
            destination: { server: "https://kubernetes.default.svc", namespace },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["ServerSideApply=true"] },
        },
    };
}

export interface GitOpsBootstrapArgs {
    /** Create `external-secrets/infisical-machine-identity` from `machineIdentity`. Default false. */
    esoMachineIdentity?: boolean;
    /** Create the ESO `ClusterSecretStore` for Infisical, with this name. Default: none. */
    clusterSecretStore?: InfisicalStoreArgs & { name: pulumi.Input<string> };
    /** Create ArgoCD's root App-of-Apps `Application` (needs `argocd`). Default: none. */
    appOfApps?: AppOfAppsArgs;
    /** ESO's Infisical machine identity, a secret; required when `esoMachineIdentity` is on. */
    machineIdentity?: { clientId: pulumi.Input<string>; clientSecret: pulumi.Input<string> };
    /** ArgoCD, for the root Application (its CRDs come with the release). */
    argocd?: { namespace: pulumi.Input<string>; release: pulumi.Resource };
}

/**
 * The rest of today's Terraform bootstrap on the SSO path: ESO's Infisical credentials, the
 * `ClusterSecretStore`, and ArgoCD's root App-of-Apps. Each part is created only when its argument asks for it.
 */
export class GitOpsBootstrap extends pulumi.ComponentResource {
    constructor(name: string, args: GitOpsBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:bootstrap:GitOps", name, {}, opts);

        let credentials: k8s.core.v1.Secret | undefined;
        if (args.esoMachineIdentity) {
            if (!args.machineIdentity) {
                throw new Error("GitOpsBootstrap: esoMachineIdentity is on but no machine identity was given");
            }
            const namespace = new k8s.core.v1.Namespace(
                `${name}-external-secrets-namespace`,
                { metadata: { name: ESO_MACHINE_IDENTITY.namespace, labels: podSecurityLabels("restricted") } },
                { parent: this },
            );
            credentials = new k8s.core.v1.Secret(
                `${name}-eso-machine-identity`,
                {
                    metadata: { name: ESO_MACHINE_IDENTITY.name, namespace: namespace.metadata.name },
                    type: "Opaque",
                    stringData: {
                        [ESO_MACHINE_IDENTITY.idKey]: pulumi.secret(args.machineIdentity.clientId),
                        [ESO_MACHINE_IDENTITY.secretKey]: pulumi.secret(args.machineIdentity.clientSecret),
                    },
                },
                { parent: this },
            );
        }

        if (args.clusterSecretStore) {
            new k8s.apiextensions.CustomResource(
                `${name}-cluster-secret-store`,
                infisicalClusterSecretStore(args.clusterSecretStore.name, args.clusterSecretStore),
                { parent: this, dependsOn: credentials ? [credentials] : [] },
            );
        }

        if (args.appOfApps) {
            if (!args.argocd) {
                throw new Error("GitOpsBootstrap: appOfApps needs ArgoCD deployed by this program");
            }
            const manifest = rootApplication("argocd", args.appOfApps);
            new k8s.apiextensions.CustomResource(
                `${name}-root-application`,
                { ...manifest, metadata: { ...manifest.metadata, namespace: args.argocd.namespace } },
                { parent: this, dependsOn: [args.argocd.release] },
            );
        }

        // Stryker disable next-line CallExpression: equivalent; ComponentResource registers {} itself once the constructor returns when this is not called
        this.registerOutputs({});
    }
}
