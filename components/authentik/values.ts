/**
 * Pure builders for the Authentik platform: chart coordinates, the credentials Secret layout, and the
 * Helm values. The component in `platform.ts` only wires these into resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { PINNED_CHARTS } from "../../facts/charts";
import { ExternalSecretManifest, ExternalSecretStore, externalSecretManifest, templateRef } from "../secrets/externalSecret";

export const AUTHENTIK_CHART = PINNED_CHARTS.authentik;
/** Helm release name. It prefixes the chart's objects (`authentik-server`, `authentik-postgresql`). */
export const AUTHENTIK_RELEASE_NAME = "authentik";
/** Name of the Secret that holds Authentik's and PostgreSQL's credentials (as today). */
export const AUTHENTIK_SECRET_NAME = "authentik-secret";
/** Database user and database name (chart defaults, as today). */
export const AUTHENTIK_DB = { user: "authentik", name: "authentik", port: 5432 } as const;

/** Labels of `authentik-secret` (as today). */
export const AUTHENTIK_SECRET_LABELS = {
    "app.kubernetes.io/name": "authentik",
    "app.kubernetes.io/instance": "authentik",
} as const;

/**
 * One credential: the Secret keys it fills, the ExternalSecret item name and the Infisical key it is
 * read from today. The PostgreSQL password is written twice: once for Authentik
 * (`AUTHENTIK_POSTGRESQL__PASSWORD`) and once for the Bitnami subchart (`pg-password`).
 */
export interface AuthentikCredential {
    item: "secretKey" | "bootstrapPassword" | "bootstrapToken" | "pgPassword";
    remoteKey: string;
    secretKeys: string[];
}

export const AUTHENTIK_CREDENTIALS: readonly AuthentikCredential[] = [
    { item: "secretKey", remoteKey: "AUTHENTIK_SECRET_KEY", secretKeys: ["AUTHENTIK_SECRET_KEY"] },
    { item: "bootstrapPassword", remoteKey: "AUTHENTIK_BOOTSTRAP_PASSWORD", secretKeys: ["AUTHENTIK_BOOTSTRAP_PASSWORD"] },
    { item: "bootstrapToken", remoteKey: "AUTHENTIK_BOOTSTRAP_TOKEN", secretKeys: ["AUTHENTIK_BOOTSTRAP_TOKEN"] },
    { item: "pgPassword", remoteKey: "AUTHENTIK_POSTGRES_PASSWORD", secretKeys: ["AUTHENTIK_POSTGRESQL__PASSWORD", "pg-password"] },
];

/** Key of `authentik-secret` that the PostgreSQL subchart reads both passwords from. */
export const PG_PASSWORD_SECRET_KEY = "pg-password";

/** The ExternalSecret that renders `authentik-secret` from Infisical, exactly as today. */
export function authentikExternalSecret(namespace: string, store: ExternalSecretStore): ExternalSecretManifest {
    const template: { [key: string]: string } = {};
    for (const credential of AUTHENTIK_CREDENTIALS) {
        for (const secretKey of credential.secretKeys) {
            template[secretKey] = templateRef(credential.item);
        }
    }
    return externalSecretManifest({
        name: AUTHENTIK_SECRET_NAME,
        namespace,
        labels: { ...AUTHENTIK_SECRET_LABELS },
        storeName: store.storeName,
        refreshInterval: store.refreshInterval,
        data: AUTHENTIK_CREDENTIALS.map((c) => ({ secretKey: c.item, remoteKey: c.remoteKey })),
        template,
    });
}

/**
 * Pod Security Admission labels. Every namespace of this program enforces `restricted`, and no
 * configuration lowers it (issue 19 §2); the Authentik pods are restricted-compliant (see
 * `RESTRICTED_CONTAINER_SECURITY`).
 */
export function podSecurityLabels(level: "restricted"): { [key: string]: string } {
    return {
        "pod-security.kubernetes.io/enforce": level,
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
    };
}

/**
 * Pod-level securityContext of server and worker. In chart 2025.12.4 `server.securityContext` and
 * `worker.securityContext` are pod-level (there is no `podSecurityContext` key). The image's user is
 * UID 1000.
 */
export const AUTHENTIK_POD_SECURITY = {
    runAsUser: 1000,
    runAsGroup: 1000,
    runAsNonRoot: true,
    fsGroup: 1000,
    seccompProfile: { type: "RuntimeDefault" },
} as const;

/** Container-level hardening the `restricted` Pod Security Standard requires (absent today). */
export const RESTRICTED_CONTAINER_SECURITY = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
} as const;

export interface AuthentikValuesArgs {
    /** NodePorts of the `authentik-server` Service. */
    nodePorts: { http: pulumi.Input<number>; https: pulumi.Input<number> };
    /** Size of the embedded PostgreSQL volume, e.g. `2Gi`. */
    postgresqlVolumeSize: pulumi.Input<string>;
}

/**
 * Helm values for the `authentik` chart. Contains no secret: every credential reaches the pods from
 * `authentik-secret` (`authentik.existingSecret`) and PostgreSQL reads `pg-password` from it.
 */
export function authentikReleaseValues(args: AuthentikValuesArgs): { [key: string]: unknown } {
    const component = {
        replicas: 1,
        securityContext: { ...AUTHENTIK_POD_SECURITY },
        containerSecurityContext: { ...RESTRICTED_CONTAINER_SECURITY },
    };
    return {
        authentik: {
            existingSecret: { secretName: AUTHENTIK_SECRET_NAME },
        },
        global: {
            // In existingSecret mode the chart does not set the connection settings (goauthentik/helm 9406168).
            // No global.envFrom: existingSecret already injects authentik-secret (today it was loaded twice).
            env: [
                { name: "AUTHENTIK_POSTGRESQL__HOST", value: `${AUTHENTIK_RELEASE_NAME}-postgresql` },
                { name: "AUTHENTIK_POSTGRESQL__PORT", value: String(AUTHENTIK_DB.port) },
                { name: "AUTHENTIK_POSTGRESQL__USER", value: AUTHENTIK_DB.user },
                { name: "AUTHENTIK_POSTGRESQL__NAME", value: AUTHENTIK_DB.name },
            ],
            // Single-node cluster: "none" matches neither soft nor hard (anti-)affinity mode.
            affinity: { podAntiAffinity: "none", nodeAffinity: { type: "none" } },
        },
        server: {
            ...component,
            service: {
                type: "NodePort",
                nodePortHttp: args.nodePorts.http,
                nodePortHttps: args.nodePorts.https,
            },
        },
        worker: { ...component },
        postgresql: {
            enabled: true,
            auth: {
                username: AUTHENTIK_DB.user,
                database: AUTHENTIK_DB.name,
                existingSecret: AUTHENTIK_SECRET_NAME,
                secretKeys: { adminPasswordKey: PG_PASSWORD_SECRET_KEY, userPasswordKey: PG_PASSWORD_SECRET_KEY },
            },
            primary: {
                persistence: { enabled: true, size: args.postgresqlVolumeSize },
                // Kept as today: the chart default (true) has not been tried with this homelab's data volume.
                // The Bitnami container defaults (non-root 1001, no privilege escalation, drop ALL,
                // RuntimeDefault seccomp) already satisfy the restricted profile.
                containerSecurityContext: { readOnlyRootFilesystem: false },
            },
        },
        // Also disables the authentik-remote-cluster subchart (no ServiceAccount, ClusterRole or Role).
        serviceAccount: { create: false },
    };
}

/** In-cluster URL of the `authentik-server` Service (port 80 → 9000). */
export function authentikInClusterUrl(namespace: string): string {
    return `http://${AUTHENTIK_RELEASE_NAME}-server.${namespace}.svc.cluster.local`;
}
