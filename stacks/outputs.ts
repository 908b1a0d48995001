/**
 * The stack outputs other stacks read, as TypeScript types. Names and shapes here are a public
 * interface: renaming or reshaping an output breaks every consumer, so extend, never change.
 *
 * A consumer reads them with a typed `StackReference`:
 *
 *     import * as pulumi from "@pulumi/pulumi";
 *     import { readHomelabSsoOutputs } from "homelab-sso/stacks/outputs";
 *
 *     const sso = readHomelabSsoOutputs(new pulumi.StackReference("organization/homelab-sso/prod"));
 *     const issuer = sso.oidcClients.apply((clients) => clients.argocd.issuer);
 *
 * Only `oidcClientSecrets` holds secrets, and only when a service asks for it
 * (`services.<name>.clientSecretTo.stackOutput: true`); every other output is plain, and the client
 * secrets otherwise stay in this program (and in the Kubernetes Secret that `secretRef` names).
 * Reading a secret output through a `StackReference` needs access to this stack's secrets (Pulumi
 * Cloud decrypts it for a reader with access), and the value stays a Pulumi secret in the reader.
 */
import * as pulumi from "@pulumi/pulumi";

/** `authentik`: where the platform runs (unchanged since the foundation issue). */
export interface AuthentikPlatformOutputs {
    namespace: string;
    releaseName: string;
    serverServiceName: string;
    /** `http://authentik-server.<namespace>.svc.cluster.local`. */
    inClusterUrl: string;
    /** Public base URL, the issuer host, no trailing slash. */
    publicUrl: string;
    nodePorts: { http: number; https: number };
}

/** Authentik's endpoints for one OIDC client. */
export interface OidcEndpointsOutputs {
    /** Shared `<authentik>/application/o/authorize/`. */
    authorize: string;
    /** Shared `<authentik>/application/o/token/`. */
    token: string;
    /** Shared `<authentik>/application/o/userinfo/` (canonical form, trailing slash). */
    userinfo: string;
    /** `<authentik>/application/o/<slug>/end-session/`. */
    endSession: string;
    /** `<authentik>/application/o/<slug>/jwks/`. */
    jwks: string;
}

/** Where a consumer finds its client secret: one key of one Kubernetes Secret. */
export interface SecretRef {
    namespace: string;
    name: string;
    key: string;
}

/** One OIDC client, as a consumer configures it. */
export interface OidcClientOutputs {
    /** Application slug. */
    slug: string;
    clientId: string;
    /**
     * `confidential`: the service's web client, with a secret (see `secretRef`). `public`: a native
     * client (CLI, mobile app) that proves itself with PKCE and has no secret.
     */
    clientType: "confidential" | "public";
    /**
     * The `iss` of its tokens, trailing slash included: `<authentik>/application/o/<slug>/`
     * (issuer mode `per_provider`), or `<authentik>/` for a service whose web and native clients
     * share Authentik's global issuer.
     */
    issuer: string;
    /** `<issuer>.well-known/openid-configuration`. */
    discoveryUrl: string;
    /** Every allowed redirect URI (strict matching). */
    redirectUris: string[];
    endpoints: OidcEndpointsOutputs;
    /**
     * The Kubernetes Secret key that holds this client's secret: the Secret the program writes for a
     * service it deploys, else the one `clientSecretTo.kubernetesSecret` names; absent while neither
     * exists, and always for a public client.
     */
    secretRef?: SecretRef;
    /** The service's public native client (`clientType: "public"`, never a `secretRef`), when it has one. */
    nativeClient?: OidcClientOutputs;
}

/** Every output of a `homelab-sso` stack. */
export interface HomelabSsoOutputs {
    authentik: AuthentikPlatformOutputs;
    /** Public base URL of Authentik, no trailing slash. */
    authentikPublicUrl: string;
    /** By service name (the key under `homelab-sso:services`); enabled services only. */
    oidcClients: { [service: string]: OidcClientOutputs };
    /** Slugs of the portal bookmark applications. */
    bookmarks: string[];
    /**
     * A secret output: client secrets by service name, for services with
     * `clientSecretTo.stackOutput: true`. Absent when no service has it.
     */
    oidcClientSecrets?: { [service: string]: string };
}

/** The names of the stack outputs, for `StackReference.getOutput`. */
export const HOMELAB_SSO_OUTPUT_NAMES: readonly (keyof HomelabSsoOutputs)[] = ["authentik", "authentikPublicUrl", "oidcClients", "bookmarks"];

/** The secret output of delivered client secrets (absent unless a service asks for it). */
export const CLIENT_SECRETS_OUTPUT_NAME = "oidcClientSecrets" as const;

/**
 * One service's client secret from a `homelab-sso` stack (`clientSecretTo.stackOutput: true`), a
 * Pulumi secret. Fails when the stack has no such output or no such service in it.
 */
export function readHomelabSsoClientSecret(ref: pulumi.StackReference, service: string): pulumi.Output<string> {
    return pulumi.secret(
        (ref.requireOutput(CLIENT_SECRETS_OUTPUT_NAME) as pulumi.Output<{ [service: string]: string }>).apply((secrets) => {
            const value = secrets[service];
            if (typeof value !== "string") {
                throw new Error(`${CLIENT_SECRETS_OUTPUT_NAME} has no client secret for ${service}; set services.${service}.clientSecretTo.stackOutput: true in that stack`);
            }
            return value;
        }),
    );
}

/** Typed reads of a `homelab-sso` stack's outputs through a `StackReference`. */
export function readHomelabSsoOutputs(ref: pulumi.StackReference): { [K in keyof Omit<HomelabSsoOutputs, "oidcClientSecrets">]: pulumi.Output<HomelabSsoOutputs[K]> } {
    return {
        authentik: ref.requireOutput("authentik") as pulumi.Output<AuthentikPlatformOutputs>,
        authentikPublicUrl: ref.requireOutput("authentikPublicUrl") as pulumi.Output<string>,
        oidcClients: ref.requireOutput("oidcClients") as pulumi.Output<HomelabSsoOutputs["oidcClients"]>,
        bookmarks: ref.requireOutput("bookmarks") as pulumi.Output<string[]>,
    };
}
