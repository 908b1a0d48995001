/**
 * Authentik's OAuth2/OIDC URLs for one application, built from the public Authentik URL and the
 * application slug. Pure: no lookup. (`getProviderOauth2Config` would return the same URLs, but its
 * `issuer_url` is empty until the provider is attached to an application, goauthentik/terraform-provider-authentik#705.)
 */
import { DEFAULT_ISSUER_MODE, IssuerMode } from "../../facts/oidc";
import { normaliseBaseUrl } from "../../facts/urls";

export interface AuthentikEndpoints {
    /**
     * The `iss` of the provider's tokens: `https://<host>/application/o/<slug>/` (issuer_mode
     * `per_provider`) or `https://<host>/` (`global`), trailing slash included
     * (goauthentik/authentik `authentik/providers/oauth2/models.py`, `OAuth2Provider.get_issuer`).
     */
    issuer: string;
    /** `<issuer>.well-known/openid-configuration`. */
    discoveryUrl: string;
    /** Shared by every application. */
    authorizeUrl: string;
    /** Shared by every application. */
    tokenUrl: string;
    /**
     * Shared by every application; canonical form with the trailing slash. (Grafana's `api_url` drops
     * the slash on purpose; that choice belongs to the Grafana side.)
     */
    userinfoUrl: string;
    /** Per application: RP-initiated logout. */
    endSessionUrl: string;
    /** Per application: the signing keys. */
    jwksUrl: string;
}

/**
 * The issuer of a provider attached to application `slug`: `https://<host>/application/o/<slug>/`
 * in `per_provider` mode, `https://<host>/` (Authentik's root) in `global` mode; trailing slash.
 */
export function authentikIssuer(publicUrl: string, slug: string, issuerMode: IssuerMode = DEFAULT_ISSUER_MODE): string {
    return issuerMode === "global" ? `${normaliseBaseUrl(publicUrl)}/` : `${normaliseBaseUrl(publicUrl)}/application/o/${slug}/`;
}

/** Every OAuth2/OIDC endpoint a client of application `slug` needs. */
export function authentikEndpoints(publicUrl: string, slug: string, issuerMode: IssuerMode = DEFAULT_ISSUER_MODE): AuthentikEndpoints {
    const base = `${normaliseBaseUrl(publicUrl)}/application/o`;
    const issuer = authentikIssuer(publicUrl, slug, issuerMode);
    return {
        issuer,
        discoveryUrl: `${issuer}.well-known/openid-configuration`,
        authorizeUrl: `${base}/authorize/`,
        tokenUrl: `${base}/token/`,
        userinfoUrl: `${base}/userinfo/`,
        endSessionUrl: `${base}/${slug}/end-session/`,
        jwksUrl: `${base}/${slug}/jwks/`,
    };
}
