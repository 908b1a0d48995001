/**
 * Pure builders for External Secrets Operator objects. They return plain manifests; components
 * create them with `k8s.apiextensions.CustomResource` so the tests can check them directly.
 */

/** ESO's served and stored API version since 0.16 (v1beta1 is no longer served since 0.17). */
export const EXTERNAL_SECRETS_API_VERSION = "external-secrets.io/v1";

/** Where a component's ExternalSecrets read from: ESO's ClusterSecretStore and how often they refresh. */
export interface ExternalSecretStore {
    /** Name of the ClusterSecretStore. */
    storeName: string;
    /** ExternalSecret `refreshInterval`, e.g. `1h`. */
    refreshInterval: string;
}

export interface RemoteSecretItem {
    /** Name of the item inside the ExternalSecret, used by template expressions (`{{ .secretKey }}`). */
    secretKey: string;
    /** Key of the secret in the remote store (Infisical), relative to the store's `secretsPath`. */
    remoteKey: string;
}

export interface ExternalSecretSpecArgs {
    name: string;
    namespace: string;
    labels?: { [key: string]: string };
    storeName: string;
    refreshInterval: string;
    data: RemoteSecretItem[];
    /** Keys of the target Secret and their template (`{{ .item }}` expressions or literals). */
    template: { [key: string]: string };
    /** Labels that the generated Secret itself carries (ArgoCD only reads Secrets labelled part-of argocd). */
    targetLabels?: { [key: string]: string };
}

export interface ExternalSecretManifest {
    apiVersion: string;
    kind: "ExternalSecret";
    metadata: { name: string; namespace: string; labels?: { [key: string]: string } };
    spec: {
        refreshInterval: string;
        secretStoreRef: { kind: "ClusterSecretStore"; name: string };
        target: {
            name: string;
            creationPolicy: "Owner";
            template: { engineVersion: "v2"; metadata?: { labels: { [key: string]: string } }; data: { [key: string]: string } };
        };
        data: { secretKey: string; remoteRef: { key: string } }[];
    };
}

/** Template expression that inserts item `secretKey` of an ExternalSecret. */
export function templateRef(secretKey: string): string {
    return `{{ .${secretKey} }}`;
}

/** An ExternalSecret that renders a same-named Secret from a ClusterSecretStore. */
export function externalSecretManifest(args: ExternalSecretSpecArgs): ExternalSecretManifest {
    const referenced = new Set(args.data.map((item) => item.secretKey));
    for (const [key, value] of Object.entries(args.template)) {
        for (const match of value.matchAll(/\{\{\s*\.(\w+)\s*\}\}/g)) {
            if (!referenced.has(match[1])) {
                throw new Error(`ExternalSecret ${args.namespace}/${args.name}: template key ${key} uses .${match[1]}, which no data item defines`);
            }
        }
    }
    return {
        apiVersion: EXTERNAL_SECRETS_API_VERSION,
        kind: "ExternalSecret",
        metadata: { name: args.name, namespace: args.namespace, ...(args.labels ? { labels: args.labels } : {}) },
        spec: {
            refreshInterval: args.refreshInterval,
            secretStoreRef: { kind: "ClusterSecretStore", name: args.storeName },
            target: {
                name: args.name,
                creationPolicy: "Owner",
                template: {
                    engineVersion: "v2",
                    ...(args.targetLabels ? { metadata: { labels: args.targetLabels } } : {}),
                    data: args.template,
                },
            },
            data: args.data.map((item) => ({ secretKey: item.secretKey, remoteRef: { key: item.remoteKey } })),
        },
    };
}
