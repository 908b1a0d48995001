/**
 * Redirect URIs of the OIDC clients, derived from each service's config entry and never typed twice.
 *
 * Authentik compares a redirect URI with `matching_mode: strict` character for character, so every
 * URI here must already be in the exact form a client sends: https, canonical (what `new URL()`
 * prints back), no wildcard, query string or fragment. The only plain-http URIs allowed are
 * loopback ones with an explicit port, for CLI logins such as `argocd login --sso`
 * (`http://localhost:8085/auth/callback`), and only when listed explicitly in `extraRedirectUris`.
 *
 * Each check returns "what is wrong; what is allowed" or undefined, like the rules in `rules.ts`.
 */

/** Host names a CLI login may listen on with plain http. */
export const LOOPBACK_HOSTS: readonly string[] = ["localhost", "127.0.0.1"];

/** The parts of a service entry its redirect URIs are derived from. */
export interface RedirectSource {
    /** Normalised https base URL of the service (no trailing slash), e.g. `https://host:8444`. */
    publicUrl: string;
    /** Path the service receives the authorization code on, e.g. `/login/generic_oauth`. */
    callbackPath: string;
    /** Further allowed redirect URIs, listed explicitly (e.g. a CLI's loopback callback). */
    extraRedirectUris: readonly string[];
}

/** The service's redirect URIs: `publicUrl + callbackPath` first, then the extras in config order. */
export function redirectUris(source: RedirectSource): string[] {
    return [`${source.publicUrl}${source.callbackPath}`, ...source.extraRedirectUris];
}

/** A callback path: absolute, canonical, and without query, fragment or wildcard. */
export function checkCallbackPath(value: string): string | undefined {
    const allowed = 'allowed: an absolute path such as "/auth/callback" (no query, fragment or wildcard)';
    if (!value.startsWith("/") || value.startsWith("//")) {
        return `${JSON.stringify(value)} must start with a single "/"; ${allowed}`;
    }
    const problem = uriCharactersProblem(value);
    if (problem !== undefined) {
        return `${JSON.stringify(value)} ${problem}; ${allowed}`;
    }
    const canonical = new URL(value, "https://example.invalid").pathname;
    if (canonical !== value) {
        return `${JSON.stringify(value)} is not in canonical form (a client would send ${JSON.stringify(canonical)}); ${allowed}`;
    }
    return undefined;
}

/**
 * One redirect URI. `https://` URIs are allowed with any host; `http://` only for a loopback host
 * with an explicit port, and only when `allowLoopbackHttp` is set (explicit `extraRedirectUris`).
 */
export function checkRedirectUri(value: string, options: { allowLoopbackHttp: boolean }): string | undefined {
    const allowed = options.allowLoopbackHttp
        ? "allowed: an exact https://<host>[:<port>]/<path>, or http://localhost:<port>/<path> or http://127.0.0.1:<port>/<path> for a CLI login"
        : "allowed: an exact https://<host>[:<port>]/<path>";
    const problem = uriCharactersProblem(value);
    if (problem !== undefined) {
        return `${JSON.stringify(value)} ${problem}; ${allowed}`;
    }
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `${JSON.stringify(value)} is not a URL; ${allowed}`;
    }
    if (url.username || url.password) {
        return `${JSON.stringify(value)} contains credentials; ${allowed}`;
    }
    if (url.protocol === "http:") {
        if (!options.allowLoopbackHttp || !LOOPBACK_HOSTS.includes(url.hostname)) {
            return `${JSON.stringify(value)} uses plain http, which is allowed only for a loopback CLI callback; ${allowed}`;
        }
        if (url.port === "") {
            return `${JSON.stringify(value)} is a loopback URI without a port; ${allowed}`;
        }
    } else if (url.protocol !== "https:") {
        return `${JSON.stringify(value)} must use https; ${allowed}`;
    }
    if (url.href !== value) {
        return `${JSON.stringify(value)} is not in canonical form (strict matching compares characters; write ${JSON.stringify(url.href)}); ${allowed}`;
    }
    return undefined;
}

/** Characters that turn a URI into a pattern, or parts strict matching never sees. */
function uriCharactersProblem(value: string): string | undefined {
    if (value.includes("*")) {
        return "contains a wildcard (strict matching has none)";
    }
    if (value.includes("#")) {
        return "contains a fragment";
    }
    if (value.includes("?")) {
        return "contains a query string";
    }
    if (/\s/.test(value)) {
        return "contains whitespace";
    }
    return undefined;
}
