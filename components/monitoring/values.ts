/**
 * Pure builders for Grafana's SSO inside kube-prometheus-stack. The stack's `extraValues` carry the
 * rest of today's release (NodePort, persistence, Prometheus, Alertmanager, disabled components) and
 * are merged under the SSO values (the config checks keep the protected keys out).
 */
import * as pulumi from "@pulumi/pulumi";
import { PINNED_CHARTS } from "../../facts/charts";
import { Values, mergeValues } from "../helm/mergeValues";
import { ExternalSecretManifest, ExternalSecretStore, externalSecretManifest, templateRef } from "../secrets/externalSecret";
import { MONITORING_RESTRICTED_VALUES } from "./podSecurity";

export const KUBE_PROMETHEUS_STACK_CHART = PINNED_CHARTS.grafana;


/**
 * Pod annotation whose value changes with each rotation of Grafana's client secret (`secretGeneration`
 * in stacks/secretDelivery.ts: the secret's source and rotation number, nothing derived from the
 * secret). Grafana reads the mounted file once, at start-up (grafana/grafana `pkg/setting/setting.go`
 * `loadConfiguration` → `expandConfig`, `pkg/setting/expanders.go` `fileExpander`), so a changed pod
 * template is what makes it read the new secret.
 */
export const GRAFANA_SECRET_GENERATION_ANNOTATION = "homelab-sso/client-secret-generation";

/** Grafana's admin credentials (as today: keys `admin-user`/`admin-password` of `grafana-secret`). */
export const GRAFANA_ADMIN_SECRET = { name: "grafana-secret", userKey: "admin-user", passwordKey: "admin-password", remoteKey: "GRAFANA_ADMIN_PASSWORD" } as const;
export const GRAFANA_ADMIN_SECRET_LABELS = { "app.kubernetes.io/name": "monitoring", "app.kubernetes.io/instance": "monitoring" } as const;

/** The Secret the program writes with Grafana's OAuth client secret, mounted as a file. */
export const GRAFANA_OAUTH_SECRET = { name: "grafana-oauth", key: "client-secret", mountPath: "/etc/secrets/oauth" } as const;

/** `grafana-secret` from Infisical (infisical mode): the admin password only; the OAuth secret is the program's. */
export function grafanaAdminExternalSecret(namespace: string, store: ExternalSecretStore): ExternalSecretManifest {
    return externalSecretManifest({
        name: GRAFANA_ADMIN_SECRET.name,
        namespace,
        labels: { ...GRAFANA_ADMIN_SECRET_LABELS },
        storeName: store.storeName,
        refreshInterval: store.refreshInterval,
        data: [{ secretKey: "password", remoteKey: GRAFANA_ADMIN_SECRET.remoteKey }],
        template: { [GRAFANA_ADMIN_SECRET.userKey]: "admin", [GRAFANA_ADMIN_SECRET.passwordKey]: templateRef("password") },
    });
}

/**
 * Grafana's userinfo URL without the trailing slash: with `…/userinfo/` Grafana's fallback email
 * lookup requests `…/userinfo//emails` and gets a 404 (homelab commit 4a93a5c).
 */
export function grafanaUserinfoUrl(userinfoUrl: string): string {
    return userinfoUrl.replace(/\/+$/, "");
}

/**
 * JMESPath over the `groups` claim: members of an admin group become Admins, of an editor group
 * Editors, everyone else Viewers (`role_attribute_path`, grafana/grafana
 * pkg/login/social/connectors/generic_oauth.go). The config checks allow group names of letters,
 * digits, space and `. _ - @` only, so they cannot end the `'...'` literal.
 */
export function grafanaRoleAttributePath(adminGroups: readonly string[], editorGroups: readonly string[]): string {
    const terms = [
        ...adminGroups.map((group) => `contains(groups[*], '${group}') && 'Admin'`),
        ...editorGroups.map((group) => `contains(groups[*], '${group}') && 'Editor'`),
    ];
    return [...terms, "'Viewer'"].join(" || ");
}

/** The ConfigMap with the issuer's CA certificate, mounted into Grafana for `tls_client_ca`. */
export const GRAFANA_ISSUER_CA = { configMap: "grafana-issuer-ca", key: "ca.crt", volume: "issuer-ca", mountPath: "/etc/grafana/issuer-ca" } as const;

/** Authentik groups mapped to Grafana roles. Plain lists: they are written into a JMESPath expression. */
export interface GrafanaRoleGroups {
    /** Groups whose members become Grafana Admins. */
    adminGroups: readonly string[];
    /** Groups whose members become Editors; everyone else is a Viewer. */
    editorGroups: readonly string[];
}

export interface GrafanaSsoValuesArgs extends GrafanaRoleGroups {
    /** Grafana's public URL (`root_url`). */
    publicUrl: pulumi.Input<string>;
    clientId: pulumi.Input<string>;
    authorizeUrl: pulumi.Input<string>;
    tokenUrl: pulumi.Input<string>;
    /** Already without trailing slash (see `grafanaUserinfoUrl`). */
    apiUrl: pulumi.Input<string>;
    endSessionUrl: pulumi.Input<string>;
    authentikHostAlias?: { ip: string; hostname: string };
    /** Changes with each rotation of the client secret (see `GRAFANA_SECRET_GENERATION_ANNOTATION`). */
    clientSecretGeneration?: string;
    /** Mount the issuer CA ConfigMap and point `tls_client_ca` at it. */
    trustIssuerCa?: boolean;
}

/** The SSO values the program owns. Secrets are read by Grafana from mounted files (`$__file{}`), never set here. */
export function grafanaSsoValues(args: GrafanaSsoValuesArgs): Values {
    return {
        grafana: {
            admin: {
                existingSecret: GRAFANA_ADMIN_SECRET.name,
                userKey: GRAFANA_ADMIN_SECRET.userKey,
                passwordKey: GRAFANA_ADMIN_SECRET.passwordKey,
            },
            extraSecretMounts: [
                { name: "oauth-client-secret", secretName: GRAFANA_OAUTH_SECRET.name, mountPath: GRAFANA_OAUTH_SECRET.mountPath, readOnly: true },
            ],
            ...(args.authentikHostAlias
                ? { hostAliases: [{ ip: args.authentikHostAlias.ip, hostnames: [args.authentikHostAlias.hostname] }] }
                : {}),
            ...(args.trustIssuerCa
                ? {
                      // The chart mounts each entry as a ConfigMap volume (templates/_pod.tpl, extraConfigmapMounts).
                      // Pass-through values may set neither list (stacks/passThrough.ts), so these are the whole lists.
                      extraConfigmapMounts: [
                          { name: GRAFANA_ISSUER_CA.volume, mountPath: GRAFANA_ISSUER_CA.mountPath, configMap: GRAFANA_ISSUER_CA.configMap, readOnly: true },
                      ],
                  }
                : {}),
            ...(args.clientSecretGeneration !== undefined ? { podAnnotations: { [GRAFANA_SECRET_GENERATION_ANNOTATION]: args.clientSecretGeneration } } : {}),
            "grafana.ini": {
                server: { root_url: args.publicUrl },
                auth: {
                    disable_login_form: true,
                    signout_redirect_url: args.endSessionUrl,
                },
                "auth.generic_oauth": {
                    enabled: true,
                    name: "Authentik",
                    allow_sign_up: true,
                    client_id: args.clientId,
                    client_secret: `$__file{${GRAFANA_OAUTH_SECRET.mountPath}/${GRAFANA_OAUTH_SECRET.key}}`,
                    scopes: "openid email profile",
                    auth_url: args.authorizeUrl,
                    token_url: args.tokenUrl,
                    api_url: args.apiUrl,
                    role_attribute_path: grafanaRoleAttributePath(args.adminGroups, args.editorGroups),
                    // A file path: Grafana reads the PEM and trusts only it for the OAuth calls
                    // (grafana/grafana pkg/login/social/social.go, OAuthInfo.TlsClientCa).
                    ...(args.trustIssuerCa ? { tls_client_ca: `${GRAFANA_ISSUER_CA.mountPath}/${GRAFANA_ISSUER_CA.key}` } : {}),
                    // The current key; `[auth] oauth_auto_login` is deprecated.
                    auto_login: true,
                    use_pkce: true,
                },
            },
        },
    };
}

export interface GrafanaReleaseValuesArgs extends GrafanaSsoValuesArgs {
    /** The rest of the release (NodePort, persistence, Prometheus, Alertmanager, ...), merged under the program's values. */
    extraValues: Values;
}

/** Full values: extraValues < the program's restricted-profile values < SSO values. */
export function grafanaReleaseValues(args: GrafanaReleaseValuesArgs): Values {
    return mergeValues(args.extraValues, MONITORING_RESTRICTED_VALUES, grafanaSsoValues(args));
}
