import * as authentik from "@pulumi/authentik";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEFAULT_ISSUER_MODE, IssuerMode } from "../../facts/oidc";
import { authentikEndpoints } from "./endpoints";

/** Length of a generated client secret: 64 letters and digits, like the secrets made by hand today. */
export const CLIENT_SECRET_LENGTH = 64;

/** Authentik hides an application from the user's library when its launch URL is this. */
export const HIDDEN_LAUNCH_URL = "blank://blank";

export type ClientType = "confidential" | "public";

/** A service's public native client (CLI, mobile app), created as a child of its web client. */
export interface NativeClientArgs {
    /** Application slug of the native client. */
    slug: pulumi.Input<string>;
    clientId: pulumi.Input<string>;
    /** Display name of its (hidden) application. */
    name: pulumi.Input<string>;
    /** Loopback http or private-use reverse-domain URIs (the config checks allow no other). */
    redirectUris: pulumi.Input<pulumi.Input<string>[]>;
}

export interface OidcClientArgs {
    /** The explicit Authentik provider every child uses. */
    provider: authentik.Provider;
    /** Public base URL of Authentik (the issuer host), e.g. `https://holdens-mac-mini.story-larch.ts.net`. */
    authentikPublicUrl: pulumi.Input<string>;

    /** Application slug; the issuer is `<authentikPublicUrl>/application/o/<slug>/` (per_provider). Also the OAuth2 provider's name. */
    slug: pulumi.Input<string>;
    /** Display name in the portal. */
    name: pulumi.Input<string>;
    /** Portal group. */
    group?: pulumi.Input<string>;
    icon?: pulumi.Input<string>;
    description?: pulumi.Input<string>;
    publisher?: pulumi.Input<string>;
    /** https base URL of the service (no trailing slash); the portal launch URL. */
    publicUrl: pulumi.Input<string>;
    /** Every allowed redirect URI, each matched strictly, in this order (a web client's callback first). */
    redirectUris: pulumi.Input<pulumi.Input<string>[]>;
    /** Portal launch URL. Default `publicUrl`. */
    launchUrl?: pulumi.Input<string>;
    /** OAuth2 client id. Default: the slug. */
    clientId?: pulumi.Input<string>;
    /** `confidential` (default): a secret, generated or given. `public`: no secret; the client proves itself with PKCE. */
    clientType?: ClientType;
    /** How Authentik fills `iss`. Default `per_provider`. */
    issuerMode?: IssuerMode;
    /**
     * The application whose discovery document describes this client, when that is not its own: a
     * native client on the global issuer is described by the root document, which is its web
     * application's (its `jwks` and `endSession` outputs follow that document). Default: `slug`.
     */
    discoverySlug?: pulumi.Input<string>;
    /** An existing client secret to keep (migration). Default: a generated `RandomPassword`. Confidential clients only. */
    clientSecret?: pulumi.Input<string>;
    /**
     * Rotation number of a generated secret: a change replaces the `RandomPassword` (its `keepers`),
     * and so the secret everywhere it goes. 0 (default) sets no keepers, as before rotations existed.
     */
    rotation?: number;
    /** The service's public native client, created as the child `<name>-native` with the same flows, key, scopes and access group. */
    nativeClient?: NativeClientArgs;

    /** UUID of the authorization flow (shared lookup). */
    authorizationFlowId: pulumi.Input<string>;
    /** UUID of the invalidation flow (shared lookup). */
    invalidationFlowId: pulumi.Input<string>;
    /** UUID of the RS256 signing key pair (shared lookup). */
    signingKeyId: pulumi.Input<string>;
    /** UUIDs of the scope mappings (shared lookup). */
    scopeMappingIds: pulumi.Input<pulumi.Input<string>[]>;
    /** UUID of the group whose members alone may use the application. Default: no restriction. */
    accessGroupId?: pulumi.Input<string>;
}

/**
 * `keepers` of a generated client secret: `{rotation}` once a service has been rotated, none before
 * (adding keepers to an existing `RandomPassword` replaces it, so rotation 0 must add none).
 */
export function rotationKeepers(rotation: number | undefined): { keepers?: { rotation: string } } {
    return rotation ? { keepers: { rotation: String(rotation) } } : {};
}

/**
 * One service's OIDC client in Authentik: an OAuth2 provider with exact redirect URIs, the
 * application that links it into the portal, and optionally a policy binding that restricts the
 * application to one group. Children: `<name>-client-secret` (confidential, unless a secret is given),
 * `<name>-provider`, `<name>-application`, `<name>-access`, and the public native client
 * `<name>-native` (itself an `OidcClient`) when the service has one.
 */
export class OidcClient extends pulumi.ComponentResource {
    public readonly slug: pulumi.Output<string>;
    public readonly clientId: pulumi.Output<string>;
    public readonly clientType: ClientType;
    public readonly issuerMode: IssuerMode;
    /** The client secret, a Pulumi secret; undefined for a public client. */
    public readonly clientSecret?: pulumi.Output<string>;
    public readonly redirectUris: pulumi.Output<string[]>;
    public readonly issuer: pulumi.Output<string>;
    public readonly discoveryUrl: pulumi.Output<string>;
    public readonly authorizeUrl: pulumi.Output<string>;
    public readonly tokenUrl: pulumi.Output<string>;
    public readonly userinfoUrl: pulumi.Output<string>;
    public readonly endSessionUrl: pulumi.Output<string>;
    public readonly jwksUrl: pulumi.Output<string>;
    public readonly oauth2Provider: authentik.ProviderOauth2;
    public readonly application: authentik.Application;
    public readonly accessBinding?: authentik.PolicyBinding;
    /** The service's public native client. */
    public readonly nativeClient?: OidcClient;

    constructor(name: string, args: OidcClientArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:authentik:OidcClient", name, {}, opts);
        const provider = args.provider;
        this.clientType = args.clientType ?? "confidential";
        this.issuerMode = args.issuerMode ?? DEFAULT_ISSUER_MODE;
        const confidential = this.clientType === "confidential";
        if (!confidential && args.clientSecret !== undefined) {
            throw new Error(`${name}: a public client has no client secret`);
        }

        const clientSecret = confidential
            ? pulumi.secret(
                  args.clientSecret ??
                      new random.RandomPassword(
                          `${name}-client-secret`,
                          { length: CLIENT_SECRET_LENGTH, special: false, ...rotationKeepers(args.rotation) },
                          { parent: this },
                      ).result,
              )
            : undefined;
        this.slug = pulumi.output(args.slug);
        this.clientId = pulumi.output(args.clientId ?? args.slug);
        this.redirectUris = pulumi.output(args.redirectUris);

        this.oauth2Provider = new authentik.ProviderOauth2(
            `${name}-provider`,
            {
                // Explicit: without it the provider autonames `<resource name>-<hex>`.
                name: args.slug,
                clientId: this.clientId,
                clientType: this.clientType,
                // A public client has no secret: Authentik skips the secret check for it
                // (goauthentik/authentik authentik/providers/oauth2/views/token.py) and binds the code to PKCE.
                // Undefined for it: the engine sends no undefined input, so no conditional is needed.
                clientSecret,
                issuerMode: this.issuerMode,
                authorizationFlow: args.authorizationFlowId,
                invalidationFlow: args.invalidationFlowId,
                // Always set: without a signing key Authentik signs with HS256, which ArgoCD (go-oidc) rejects.
                signingKey: args.signingKeyId,
                propertyMappings: args.scopeMappingIds,
                allowedRedirectUris: this.redirectUris.apply((uris) => uris.map((url) => ({ matching_mode: "strict", url }))),
            },
            { parent: this, provider },
        );

        this.application = new authentik.Application(
            `${name}-application`,
            {
                slug: args.slug,
                name: args.name,
                group: args.group,
                metaLaunchUrl: args.launchUrl ?? args.publicUrl,
                metaIcon: args.icon,
                metaDescription: args.description,
                metaPublisher: args.publisher,
                // The provider's id is its numeric pk as a string.
                protocolProvider: this.oauth2Provider.id.apply(Number),
            },
            { parent: this, provider },
        );

        if (args.accessGroupId !== undefined) {
            this.accessBinding = new authentik.PolicyBinding(
                `${name}-access`,
                { target: this.application.uuid, group: args.accessGroupId, order: 0 },
                { parent: this, provider },
            );
        }

        this.clientSecret = clientSecret;
        const endpoints = pulumi
            .all([args.authentikPublicUrl, args.discoverySlug ?? args.slug])
            .apply(([url, slug]) => authentikEndpoints(url, slug, this.issuerMode));
        this.issuer = endpoints.issuer;
        this.discoveryUrl = endpoints.discoveryUrl;
        this.authorizeUrl = endpoints.authorizeUrl;
        this.tokenUrl = endpoints.tokenUrl;
        this.userinfoUrl = endpoints.userinfoUrl;
        this.endSessionUrl = endpoints.endSessionUrl;
        this.jwksUrl = endpoints.jwksUrl;

        if (args.nativeClient !== undefined) {
            // Same flows, signing key (so its tokens verify against the web client's JWKS), scopes,
            // access group and issuer mode as the web client; no secret; hidden from the portal.
            this.nativeClient = new OidcClient(
                `${name}-native`,
                {
                    provider,
                    authentikPublicUrl: args.authentikPublicUrl,
                    slug: args.nativeClient.slug,
                    clientId: args.nativeClient.clientId,
                    name: args.nativeClient.name,
                    group: args.group,
                    icon: args.icon,
                    description: args.description,
                    publisher: args.publisher,
                    publicUrl: args.publicUrl,
                    launchUrl: HIDDEN_LAUNCH_URL,
                    redirectUris: args.nativeClient.redirectUris,
                    clientType: "public",
                    issuerMode: this.issuerMode,
                    // On the global issuer both clients are described by one document, published at
                    // the root from the web application (docs/oidc-clients.md, "Native clients").
                    ...(this.issuerMode === "global" ? { discoverySlug: args.slug } : {}),
                    authorizationFlowId: args.authorizationFlowId,
                    invalidationFlowId: args.invalidationFlowId,
                    signingKeyId: args.signingKeyId,
                    scopeMappingIds: args.scopeMappingIds,
                    accessGroupId: args.accessGroupId,
                },
                { parent: this },
            );
        }

        this.registerOutputs({
            slug: this.slug,
            clientId: this.clientId,
            clientType: this.clientType,
            // Undefined for a public client: the engine leaves undefined outputs out.
            clientSecret: this.clientSecret,
            redirectUris: this.redirectUris,
            issuer: this.issuer,
            discoveryUrl: this.discoveryUrl,
            authorizeUrl: this.authorizeUrl,
            tokenUrl: this.tokenUrl,
            userinfoUrl: this.userinfoUrl,
            endSessionUrl: this.endSessionUrl,
            jwksUrl: this.jwksUrl,
        });
    }
}
