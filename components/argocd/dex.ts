/**
 * Pure builders for ArgoCD's bundled Dex (docs/decisions/0003-argocd-sso-through-dex.md): the
 * `dex.config` ArgoCD hands Dex, and the chart's `dex.*` values. ArgoCD (argo-cd v2.14
 * `util/dex/config.go`, `GenerateDexConfigYAML`) adds the rest of Dex's configuration itself: the
 * issuer `<url>/api/dex`, in-memory storage, the static clients `argo-cd` (confidential, the web UI)
 * and `argo-cd-cli` (public, PKCE, `argocd login --sso`), each connector's `redirectURI`
 * `<url>/api/dex/callback`, and the `$<secret>:<key>` references resolved from labelled Secrets.
 */
import { stringify } from "yaml";
import { Values } from "../helm/mergeValues";
import { ARGOCD_OIDC_SECRET, ARGOCD_REQUESTED_SCOPES } from "./values";

/** Where argocd-server proxies Dex, relative to ArgoCD's URL: Dex's issuer (`settings.go` `IssuerURL`). */
export const ARGOCD_DEX_PATH = "/api/dex";
/** The redirect URI ArgoCD sets on every oidc connector, relative to ArgoCD's URL (`DexRedirectURL`). */
export const ARGOCD_DEX_CALLBACK_PATH = `${ARGOCD_DEX_PATH}/callback`;

/** The ConfigMap (in ArgoCD's namespace) carrying the issuer's CA for Dex, and where the Dex container sees it. */
export const ARGOCD_DEX_ISSUER_CA = {
    configMap: "argocd-dex-issuer-ca",
    key: "ca.crt",
    volume: "issuer-ca",
    mountPath: "/etc/homelab-sso/issuer-ca",
} as const;

/**
 * The fields of Dex's oidc connector `Config` (dexidp/dex `connector/oidc/oidc.go` at v2.41.1, commit
 * 43956db7fd75, the Dex the argo-cd chart 7.8.0 runs), by their JSON names. Dex decodes the connector
 * config without refusing unknown fields, so a misspelt field would do nothing: the tests check that
 * every field the program writes is one of these.
 */
export const DEX_OIDC_CONNECTOR_FIELDS = [
    "issuer",
    "clientID",
    "clientSecret",
    "redirectURI",
    "providerDiscoveryOverrides",
    "basicAuthUnsupported",
    "scopes",
    "hostedDomains",
    "rootCAs",
    "insecureSkipEmailVerified",
    "insecureEnableGroups",
    "allowedGroups",
    "acrValues",
    "insecureSkipVerify",
    "getUserInfo",
    "userIDKey",
    "userNameKey",
    "promptType",
    "overrideClaimMapping",
    "claimMapping",
    "claimModifications",
] as const;

export interface ArgoCdDexSettings {
    /** The ArgoCD provider's per-provider issuer, `https://<host>/application/o/<slug>/`. */
    issuer: string;
    clientId: string;
    /** Whether the stack's issuer CA is mounted into the Dex container (`rootCAs` reads files). */
    trustIssuerCa: boolean;
}

/**
 * `dex.config`: one `oidc` connector to Authentik, as YAML with sorted keys (stable across runs). The
 * client secret is a `$<secret>:<key>` reference to the labelled Secret the program writes, never the
 * value. `insecureEnableGroups` makes Dex pass the ID token's `groups` claim on (Dex drops it
 * otherwise), which RBAC matches. No `redirectURI`: ArgoCD sets it. Dex's `rootCAs` are file paths.
 */
export function argoCdDexConfig(settings: ArgoCdDexSettings): string {
    return stringify(
        {
            connectors: [
                {
                    type: "oidc",
                    id: "authentik",
                    name: "Authentik",
                    config: {
                        issuer: settings.issuer,
                        clientID: settings.clientId,
                        clientSecret: `$${ARGOCD_OIDC_SECRET.name}:${ARGOCD_OIDC_SECRET.key}`,
                        scopes: [...ARGOCD_REQUESTED_SCOPES],
                        insecureEnableGroups: true,
                        ...(settings.trustIssuerCa ? { rootCAs: [`${ARGOCD_DEX_ISSUER_CA.mountPath}/${ARGOCD_DEX_ISSUER_CA.key}`] } : {}),
                    },
                },
            ],
        },
        { sortMapEntries: true },
    );
}

/**
 * The container securityContext of both Dex containers (`dex` and the `copyutil` init container read
 * `dex.containerSecurityContext` in chart 7.8.0 `templates/dex/deployment.yaml`): what the `restricted`
 * Pod Security level asks, and a read-only root (Dex writes nothing: storage is in memory, ArgoCD
 * writes the config to the chart's emptyDir).
 */
export const ARGOCD_DEX_CONTAINER_SECURITY_CONTEXT: Values = {
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    seccompProfile: { type: "RuntimeDefault" },
    capabilities: { drop: ["ALL"] },
};

/** The chart's `dex.*` values the program owns. */
export function argoCdDexValues(args: { trustIssuerCa: boolean }): Values {
    return {
        enabled: true,
        containerSecurityContext: ARGOCD_DEX_CONTAINER_SECURITY_CONTEXT,
        resources: { requests: { memory: "64Mi" } },
        ...(args.trustIssuerCa
            ? {
                  volumes: [{ name: ARGOCD_DEX_ISSUER_CA.volume, configMap: { name: ARGOCD_DEX_ISSUER_CA.configMap } }],
                  volumeMounts: [{ name: ARGOCD_DEX_ISSUER_CA.volume, mountPath: ARGOCD_DEX_ISSUER_CA.mountPath, readOnly: true }],
              }
            : {}),
    };
}
