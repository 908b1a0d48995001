/**
 * Value rules shared by the config sections. Each returns an error message ("what is wrong; what is
 * allowed") or undefined when the value is fine, so the readers in `validation.ts` can report it
 * under the right config key.
 */

/** An RFC 1123 label (a namespace, release, Service or host-name label): at most 63 lower-case letters, digits and '-', alphanumeric at both ends. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export { ISSUER_MODES } from "../facts/oidc";
export type { IssuerMode } from "../facts/oidc";
import { normaliseBaseUrl } from "../facts/urls";
export { normaliseBaseUrl };

/** A host name as `checkHostName` takes it, for JSON Schema: two or more DNS labels, no trailing dot (its length is checked in code). */
export const HOST_NAME = new RegExp(`^${DNS_LABEL.source.slice(1, -1)}(\\.${DNS_LABEL.source.slice(1, -1)})+$`);

/**
 * Why a trailing dot is refused: `host.` is the same machine to DNS, but another host to browsers
 * (cookies, origins), TLS names and Authentik's exact redirect and issuer matching.
 */
const TRAILING_DOT = "ends with a dot: the same machine to DNS, but another host to browsers, TLS names and Authentik's exact matching";

/** A DNS host name such as `holdens-mac-mini.story-larch.ts.net`: no scheme, port or path. */
export function checkHostName(value: string): string | undefined {
    if (value.endsWith(".") && value.length > 1) {
        return `${JSON.stringify(value)} ${TRAILING_DOT}; allowed: the name without it, ${JSON.stringify(value.replace(/\.+$/, ""))}`;
    }
    const labels = value.split(".");
    if (value.length > 253 || labels.length < 2 || !labels.every((label) => DNS_LABEL.test(label))) {
        return `${JSON.stringify(value)} is not a host name; allowed: a lower-case DNS name without scheme, port or path, e.g. "homelab.example.ts.net"`;
    }
    return undefined;
}

/**
 * What is wrong with the host of a URL (`new URL(value).hostname`), or undefined: an IPv4 or bracketed
 * IPv6 address (the URL parser checked it), or a DNS name of one or more labels (`localhost` is one)
 * of lower-case letters, digits and '-', with no trailing dot. The URL parser lets through characters
 * no host name has (`_`, `$`, `!`, ...).
 */
export function urlHostProblem(host: string): string | undefined {
    if (host.startsWith("[") || /^\d+(\.\d+){3}$/.test(host)) {
        return undefined;
    }
    if (host.endsWith(".")) {
        return `has the host ${JSON.stringify(host)}, which ${TRAILING_DOT}; write it without the dot`;
    }
    if (host.length > 253 || !host.split(".").every((label) => DNS_LABEL.test(label))) {
        return `has the host ${JSON.stringify(host)}, which is not a DNS name (dot-separated labels of lower-case letters, digits and '-', at most 63 characters each)`;
    }
    return undefined;
}

/**
 * Invisible characters that change how text reads without showing: Unicode format characters
 * (category Cf: zero-width space and joiners U+200B-U+200D, bidi marks, embeddings, overrides and
 * isolates, word joiner and invisible operators U+2060-U+2064, BOM U+FEFF, soft hyphen, tags) and the
 * invisible fillers U+034F, U+115F, U+1160, U+3164, U+FFA0.
 */
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/u;
/** Text without any `INVISIBLE` character: what JSON Schema says of a display text (`checkDisplayText` says where). */
export const VISIBLE_TEXT = new RegExp(`^[^${INVISIBLE.source.slice(1, -1)}]*$`, "u");

/**
 * Text people read in the portal (display names, descriptions, group names): no invisible character,
 * so two entries that look alike are alike. `what` names the value in the message.
 */
export function checkDisplayText(what: string): (value: string) => string | undefined {
    return (value) => {
        const match = INVISIBLE.exec(value);
        if (match === null) {
            return undefined;
        }
        const code = `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
        const position = [...value.slice(0, match.index)].length + 1;
        return `contains the invisible character ${code} at character ${position} (a zero-width, bidirectional or other format character makes text read differently than it shows); allowed: ${what}, in visible characters only`;
    };
}

/** A Kubernetes namespace or object name (RFC 1123 label). */
export function checkDnsLabel(value: string): string | undefined {
    if (!DNS_LABEL.test(value)) {
        return `${JSON.stringify(value)} is not a valid name; allowed: lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit`;
    }
    return undefined;
}

/** An exact chart version: a semantic version with an optional pre-release, no range, no leading "v". */
export const CHART_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** A Helm chart version: exact semantic version, no ranges (versions are pinned). */
export function checkChartVersion(value: string): string | undefined {
    if (!CHART_VERSION.test(value)) {
        return `${JSON.stringify(value)} is not an exact chart version; allowed: a pinned semantic version such as "2025.12.4" (no ranges, no leading "v")`;
    }
    return undefined;
}

/** A Kubernetes storage quantity with a binary suffix, e.g. `2Gi`. */
export function checkVolumeSize(value: string): string | undefined {
    const match = /^([1-9]\d*)(Mi|Gi|Ti)$/.exec(value);
    if (!match) {
        return `${JSON.stringify(value)} is not a volume size; allowed: a positive whole number with Mi, Gi or Ti, e.g. "2Gi"`;
    }
    if (match[2] === "Mi" && Number(match[1]) < 512) {
        return `${value} is too small for PostgreSQL; allowed: at least 512Mi`;
    }
    return undefined;
}

/** An ESO refresh interval such as `1h`, `30m` or `1h30m`. */
export function checkDuration(value: string): string | undefined {
    if (!/^(\d+h)?(\d+m)?(\d+s)?$/.test(value) || value === "") {
        return `${JSON.stringify(value)} is not a duration; allowed: hours/minutes/seconds such as "1h", "30m" or "1h30m"`;
    }
    return undefined;
}

/**
 * An https base URL in canonical form: scheme, lower-case host and optional non-default port; no
 * path, query, fragment or credentials. One trailing slash is accepted and dropped
 * (`normaliseBaseUrl`); anything else non-canonical (`https://Host:443`) is refused with the
 * canonical form, since the issuer and redirect URIs derived from it must be exactly what Authentik
 * serves and clients send.
 */
export function checkHttpsBaseUrl(value: string): string | undefined {
    return baseUrlProblem(value, ["https:"]);
}

/** A base URL with one of `protocols`, in canonical form (see `checkHttpsBaseUrl`). */
export function baseUrlProblem(value: string, protocols: readonly string[]): string | undefined {
    const shape = `${protocols.map((p) => p.slice(0, -1)).join(" or ")}://<host>[:<port>]`;
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return `${JSON.stringify(value)} is not a URL; allowed: ${shape}`;
    }
    if (!protocols.includes(url.protocol)) {
        return `${JSON.stringify(value)} must use ${protocols.map((p) => p.slice(0, -1)).join(" or ")}; allowed: ${shape}`;
    }
    if (value.includes("*")) {
        return `${JSON.stringify(value)} contains a wildcard; allowed: an exact ${shape}`;
    }
    const host = urlHostProblem(url.hostname);
    if (host !== undefined) {
        return `${JSON.stringify(value)} ${host}; allowed: ${shape}`;
    }
    // The raw characters, not the parsed parts: `https://host/?` and `https://host/#` have an empty
    // search and hash but are still not base URLs; credentials always bring an `@`. An http(s) URL's
    // path is never empty: a bare host parses to "/".
    if (value.includes("@") || value.includes("?") || value.includes("#") || url.pathname !== "/") {
        return `${JSON.stringify(value)} must be a base URL; allowed: ${shape} with no path, query, fragment or credentials`;
    }
    const canonical = `${url.protocol}//${url.host}`;
    if (normaliseBaseUrl(value) !== canonical) {
        return `${JSON.stringify(value)} is not in canonical form (lower-case host, no default port); the issuer and redirect URIs derive from it and must match what Authentik serves exactly; write ${JSON.stringify(canonical)}`;
    }
    return undefined;
}

/** A Kubernetes Service DNS name: `<...>.svc.cluster.local`, matched as a suffix (never a substring). */
export function isClusterServiceHost(host: string): boolean {
    return host.endsWith(".svc.cluster.local") && host.length >= ".svc.cluster.local".length + 1;
}

/** Levenshtein distance (insertions, deletions, substitutions), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}
