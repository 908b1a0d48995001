/**
 * Pure builders for ArgoCD's Helm values (chart `argo-cd`). The SSO part is owned by the program;
 * the caller's `extraValues` are merged under it (the config checks keep the protected keys out).
 */
import * as pulumi from "@pulumi/pulumi";
import { PINNED_CHARTS } from "../../facts/charts";
import { Values, mergeValues } from "../helm/mergeValues";
import { argoCdDexValues } from "./dex";

export const ARGOCD_CHART = PINNED_CHARTS.argocd;

/** The Secret (in ArgoCD's namespace) that holds the OIDC client secret Dex's connector reads (`dex.config`). */
export const ARGOCD_OIDC_SECRET = { name: "argocd-oidc-authentik", key: "clientSecret" } as const;

/** ArgoCD only resolves `$<secret>:<key>` references in Secrets carrying this label. */
export const ARGOCD_SECRET_LABELS = { "app.kubernetes.io/part-of": "argocd" } as const;


/** Scopes Dex's connector requests from Authentik, which sends the `groups` claim through `profile` (there is no `groups` scope). */
export const ARGOCD_REQUESTED_SCOPES = ["openid", "profile", "email"] as const;

/**
 * `policy.csv`: one `g, <group>, role:<role>` line per mapped Authentik group (matched against the
 * `groups` claim, `configs.rbac.scopes`), or undefined when no group is mapped. Group names are
 * checked by the config checks (no commas, quotes or newlines can reach the CSV).
 */
export function argoCdPolicyCsv(groups: ArgoCdRbacGroups): string | undefined {
    const lines = [
        ...groups.adminGroups.map((group) => `g, ${group}, role:admin`),
        ...groups.readonlyGroups.map((group) => `g, ${group}, role:readonly`),
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

/** Authentik groups mapped to ArgoCD roles. Plain lists: they decide whether `policy.csv` exists at all. */
export interface ArgoCdRbacGroups {
    /** Groups whose members get `role:admin`. */
    adminGroups: readonly string[];
    /** Groups whose members get `role:readonly`. */
    readonlyGroups: readonly string[];
}

export interface ArgoCdValuesArgs extends ArgoCdRbacGroups {
    /** NodePorts of the `argocd-server` Service. */
    nodePorts: { http: pulumi.Input<number>; https: pulumi.Input<number> };
    /** `configs.rbac."policy.default"`: the role every SSO user gets. */
    rbacDefaultPolicy: pulumi.Input<string>;
    /** Non-SSO values for the chart, merged under the program's SSO values. */
    extraValues: Values;
    /** ArgoCD's public URL (`configs.cm.url`). */
    publicUrl: pulumi.Input<string>;
    /** The `dex.config` YAML (an Output when it carries the client's issuer and id). */
    dexConfig: pulumi.Input<string>;
    /** Whether the stack's issuer CA is mounted into Dex (the ConfigMap `ARGOCD_DEX_ISSUER_CA`). */
    trustIssuerCa: boolean;
    /** IP pods reach the Authentik host at, when cluster DNS cannot resolve it (Dex's pod included). */
    authentikHostAlias?: { ip: string; hostname: string };
}

/** The SSO values the program owns. Nothing in here is a secret. */
export function argoCdSsoValues(args: ArgoCdValuesArgs): Values {
    return {
        // Dex brokers the login (ADR 0003): one confidential Authentik client for the web UI and
        // `argocd login --sso`, on the per-provider issuer. No `oidc.config`.
        dex: argoCdDexValues({ trustIssuerCa: args.trustIssuerCa }),
        server: {
            // argo-cd 7.8.0 reads nodePortHttp/nodePortHttps (templates/argocd-server/service.yaml).
            service: { type: "NodePort", nodePortHttp: args.nodePorts.http, nodePortHttps: args.nodePorts.https },
        },
        ...(args.authentikHostAlias
            ? { global: { hostAliases: [{ ip: args.authentikHostAlias.ip, hostnames: [args.authentikHostAlias.hostname] }] } }
            : {}),
        configs: {
            cm: {
                url: args.publicUrl,
                "dex.config": args.dexConfig,
                // SSO-only: no local admin login.
                "admin.enabled": "false",
            },
            rbac: {
                "policy.default": args.rbacDefaultPolicy,
                ...(argoCdPolicyCsv(args) !== undefined ? { "policy.csv": argoCdPolicyCsv(args) } : {}),
            },
        },
    };
}

/**
 * Full values: defaults < extraValues < SSO values, without any `oidc.config`: Dex is ArgoCD's one
 * login path, and a direct OIDC config beside it would be a second one. Config validation refuses
 * `configs.cm` in `extraValues` already; this is the second line of defence.
 */
export function argoCdReleaseValues(args: ArgoCdValuesArgs): Values {
    const values = mergeValues(argoCdDefaultValues(), args.extraValues, argoCdSsoValues(args));
    delete ((values.configs as Values).cm as Values)["oidc.config"];
    return values;
}
