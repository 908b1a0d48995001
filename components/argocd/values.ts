/**
 * Pure builders for ArgoCD's Helm values (chart `argo-cd`). The SSO part is owned by the program;
 * the stack's `extraValues` are merged under it (see `stacks/deployments.ts` for the protected keys).
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { ArgoCdConfig } from "../../stacks/deployments";
import { Values, mergeValues } from "../helm/mergeValues";

export const ARGOCD_CHART = { name: "argo-cd", repo: "https://argoproj.github.io/argo-helm" } as const;

/** The Secret (in ArgoCD's namespace) that holds the OIDC client secret ArgoCD reads. */
export const ARGOCD_OIDC_SECRET = { name: "argocd-oidc-authentik", key: "clientSecret" } as const;

/** ArgoCD only resolves `$<secret>:<key>` references in Secrets carrying this label. */
export const ARGOCD_SECRET_LABELS = { "app.kubernetes.io/part-of": "argocd" } as const;


/** Scopes ArgoCD requests; Authentik sends the `groups` claim through `profile` (there is no `groups` scope). */
export const ARGOCD_REQUESTED_SCOPES = ["openid", "profile", "email"] as const;

export interface ArgoCdOidcSettings {
    issuer: string;
    clientId: string;
    /** Authentik's end-session endpoint for this application. */
    logoutUrl: string;
    /** Client id of the public native client `argocd login --sso` uses (PKCE, no secret). */
    cliClientId?: string;
    /** PEM CA certificate(s) ArgoCD trusts for the issuer (replaces the system roots for OIDC calls). */
    rootCa?: string;
}

/**
 * `oidc.config` as YAML with sorted keys (stable across runs, so previews never churn). The client
 * secret is a `$<secret>:<key>` reference, never the value. Keys as ArgoCD v2.14 reads them
 * (argoproj/argo-cd util/settings/settings.go, `OIDCConfig`): `cliClientID` makes the CLI use the
 * public client and adds it to the accepted audiences; `rootCA` is a PEM string.
 */
export function argoCdOidcConfig(settings: ArgoCdOidcSettings): string {
    return stringify(
        {
            name: "Authentik",
            issuer: settings.issuer,
            clientID: settings.clientId,
            clientSecret: `$${ARGOCD_OIDC_SECRET.name}:${ARGOCD_OIDC_SECRET.key}`,
            // `yaml` leaves out keys whose value is undefined: no cliClientID or rootCA unless set.
            cliClientID: settings.cliClientId,
            requestedScopes: [...ARGOCD_REQUESTED_SCOPES],
            logoutURL: settings.logoutUrl,
            rootCA: settings.rootCa,
        },
        { sortMapEntries: true },
    );
}

/**
 * `policy.csv`: one `g, <group>, role:<role>` line per mapped Authentik group (matched against the
 * `groups` claim, `configs.rbac.scopes`), or undefined when no group is mapped. Group names are
 * checked in `stacks/deployments.ts` (no commas, quotes or newlines can reach the CSV).
 */
export function argoCdPolicyCsv(config: Pick<ArgoCdConfig, "adminGroups" | "readonlyGroups">): string | undefined {
    const lines = [
        ...config.adminGroups.map((group) => `g, ${group}, role:admin`),
        ...config.readonlyGroups.map((group) => `g, ${group}, role:readonly`),
    ];
    return lines.length > 0 ? `${lines.join("\n")}\n` : undefined;
}

/** Today's non-SSO settings (terraform/argocd.tf); `extraValues` may change any of them. */
export function argoCdDefaultValues(): Values {
    return {
        configs: {
            params: {
                // Plain HTTP behind Tailscale Serve, which terminates TLS.
                "server.insecure": true,
            },
            cm: {
                // ESO adds a finalizer to every ExternalSecret; without this ArgoCD reports it as drift.
                "resource.customizations.ignoreDifferences.external-secrets.io_ExternalSecret": "jsonPointers:\n- /metadata/finalizers\n",
            },
        },
        applicationSet: { resources: { requests: { memory: "64Mi" } } },
        notifications: { resources: { requests: { memory: "32Mi" } } },
        redis: { resources: { requests: { memory: "32Mi" } } },
    };
}

export interface ArgoCdValuesArgs {
    config: ArgoCdConfig;
    /** ArgoCD's public URL (`configs.cm.url`), from the `argocd` service entry. */
    publicUrl: string;
    /** The `oidc.config` YAML (an Output when it carries the client's issuer and id). */
    oidcConfig: pulumi.Input<string>;
    /** IP pods reach the Authentik host at, when cluster DNS cannot resolve it. */
    authentikHostAlias?: { ip: string; hostname: string };
}

/** The SSO values the program owns. Nothing in here is a secret. */
export function argoCdSsoValues(args: ArgoCdValuesArgs): Values {
    return {
        // Dex is off on purpose: ArgoCD talks OIDC to Authentik directly through `oidc.config`
        // (redirect /auth/callback). Dex would only add an idle pod and another login path.
        dex: { enabled: false },
        server: {
            // argo-cd 7.8.0 reads nodePortHttp/nodePortHttps (templates/argocd-server/service.yaml).
            service: { type: "NodePort", nodePortHttp: args.config.nodePorts.http, nodePortHttps: args.config.nodePorts.https },
        },
        ...(args.authentikHostAlias
            ? { global: { hostAliases: [{ ip: args.authentikHostAlias.ip, hostnames: [args.authentikHostAlias.hostname] }] } }
            : {}),
        configs: {
            cm: {
                url: args.publicUrl,
                "oidc.config": args.oidcConfig,
                // SSO-only: no local admin login.
                "admin.enabled": "false",
            },
            rbac: {
                "policy.default": args.config.rbacDefaultPolicy,
                ...(argoCdPolicyCsv(args.config) !== undefined ? { "policy.csv": argoCdPolicyCsv(args.config) } : {}),
            },
        },
    };
}

/** Full values: defaults < extraValues < SSO values. */
export function argoCdReleaseValues(args: ArgoCdValuesArgs): Values {
    return mergeValues(argoCdDefaultValues(), args.config.extraValues, argoCdSsoValues(args));
}
