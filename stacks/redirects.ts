/**
 * Redirect URIs of the OIDC clients, derived from each service's config entry and never typed twice.
 *
 * Authentik compares a redirect URI with `matching_mode: strict` character for character, so every
 * URI here must already be in the exact form a client sends: canonical (what `new URL()` prints
 * back), no wildcard, query string, fragment, credentials or whitespace. Which schemes a URI may use
 * depends on the kind of client that receives the code:
 *
 * - a **web** (confidential) client: `https://`, plus private-use reverse-domain URIs such as Immich's
 *   `app.immich:///oauth-callback` when listed explicitly (its server exchanges the code, RFC 8252 §7.1);
 * - a **native** (public) client: loopback `http://localhost:<port>/<path>` (RFC 8252 §7.3, e.g.
 *   `argocd login --sso`) or a private-use reverse-domain scheme; never `https://` (a web URI on a
 *   client without a secret lets any web page that can receive the code redeem it).
 *
 * Plain-http loopback URIs are allowed on native clients only.
 *
 * Each check returns "what is wrong; what is allowed" or undefined, like the rules in `rules.ts`.
 */

import { urlHostProblem } from "./rules";

/** Host names a native client may listen on with plain http. */
export const LOOPBACK_HOSTS: readonly string[] = ["localhost", "127.0.0.1"];

/** Which client a redirect URI belongs to. */
export type RedirectUriKind = "web" | "native";

/** The parts of a service entry its redirect URIs are derived from. */
export interface RedirectSource {
    /** Normalised https base URL of the service (no trailing slash), e.g. `https://host:8444`. */
    publicUrl: string;
    /** Path the service receives the authorization code on, e.g. `/login/generic_oauth`. */
    callbackPath: string;
    /** Further allowed redirect URIs of the web client, listed explicitly. */
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

/** A private-use URI scheme in reverse-domain form (RFC 8252 §7.1): at least two dot-separated labels. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

const ALLOWED: { [kind in RedirectUriKind]: string } = {
    web: "allowed: an exact https://<host>[:<port>]/<path>, or a private-use reverse-domain URI such as app.immich:///oauth-callback",
    native: "allowed: http://localhost:<port>/<path> or http://127.0.0.1:<port>/<path> (loopback, RFC 8252 §7.3), or a private-use reverse-domain URI such as app.immich:///oauth-callback (§7.1); never https",
};

/**
 * One redirect URI of a `kind` client. Web: https (any host) or a private-use reverse-domain scheme.
 * Native: plain-http loopback with an explicit port, or a private-use reverse-domain scheme.
 */
export function checkRedirectUri(value: string, kind: RedirectUriKind): string | undefined {
    const allowed = ALLOWED[kind];
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
    if (url.protocol === "https:" || url.protocol === "http:") {
        const host = urlHostProblem(url.hostname);
        if (host !== undefined) {
            return `${JSON.stringify(value)} ${host}; ${allowed}`;
        }
    }
    if (url.protocol === "https:") {
        if (kind === "native") {
            return `${JSON.stringify(value)} is an https web URI, which a public native client must not hold (any web page that receives the code could redeem it without a secret); ${allowed}`;
        }
    } else if (url.protocol === "http:") {
        if (kind === "web") {
            return `${JSON.stringify(value)} uses plain http, which only a public native client may use (for a loopback CLI callback, list it under nativeClient.redirectUris); ${allowed}`;
        }
        if (!LOOPBACK_HOSTS.includes(url.hostname)) {
            return `${JSON.stringify(value)} uses plain http to a host that is not loopback; ${allowed}`;
        }
        if (url.port === "") {
            return `${JSON.stringify(value)} is a loopback URI without a port; ${allowed}`;
        }
    } else if (!PRIVATE_USE_SCHEME.test(url.protocol.slice(0, -1))) {
        return `${JSON.stringify(value)} uses the scheme ${JSON.stringify(url.protocol.slice(0, -1))}, which is neither https nor a private-use reverse-domain scheme (lower case, containing a dot); ${allowed}`;
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
    if (/[\s\u0000-\u001f\u007f]/.test(value)) {
        return "contains whitespace or a control character";
    }
    return undefined;
}

/** A problem of `checkRedirectHosts`: which entry (an `extraRedirectUris` or `redirectHosts` index) and what is wrong. */
export interface RedirectHostProblem {
    field: "extraRedirectUris" | "redirectHosts";
    index: number;
    message: string;
}

/**
 * A confidential client's https redirect URIs stay on its `publicUrl` host unless another host is
 * listed in `redirectHosts`, so that one added line can never send codes to a foreign host. Each listed
 * host must be used by a URI and differ from the publicUrl host (an unused entry would allow a host
 * later without anyone adding it). Private-use URIs (`app.immich:///...`) have no host and are not
 * bound. `extraRedirectUris` holds each entry already checked by `checkRedirectUri`, or undefined
 * where that entry was refused (it is then not judged again).
 */
export function checkRedirectHosts(publicUrl: string, extraRedirectUris: readonly (string | undefined)[], redirectHosts: readonly string[], hostsKey: string): RedirectHostProblem[] {
    const publicHost = new URL(publicUrl).hostname;
    const problems: RedirectHostProblem[] = [];
    const used = new Set<string>();
    extraRedirectUris.forEach((uri, index) => {
        if (uri === undefined || !uri.startsWith("https:")) {
            return;
        }
        const host = new URL(uri).hostname;
        used.add(host);
        if (host !== publicHost && !redirectHosts.includes(host)) {
            problems.push({
                field: "extraRedirectUris",
                index,
                message: `${JSON.stringify(uri)} is on the host ${JSON.stringify(host)}, not the service's publicUrl host ${JSON.stringify(publicHost)}, and ${hostsKey} does not list it; allowed: an https URI on ${publicHost}, or on a host listed in ${hostsKey} (add ${JSON.stringify(host)} there only if that host is yours)`,
            });
        }
    });
    redirectHosts.forEach((host, index) => {
        if (redirectHosts.indexOf(host) !== index) {
            problems.push({ field: "redirectHosts", index, message: `lists ${JSON.stringify(host)} twice; allowed: each host once` });
        } else if (host === publicHost) {
            problems.push({ field: "redirectHosts", index, message: `${JSON.stringify(host)} is the publicUrl host, whose redirect URIs need no listing; allowed: other hosts that extraRedirectUris use` });
        } else if (!used.has(host)) {
            problems.push({ field: "redirectHosts", index, message: `${JSON.stringify(host)} is used by no https URI in extraRedirectUris; allowed: only hosts those URIs use (an unused entry would let a later line send codes there unnoticed)` });
        }
    });
    return problems;
}
