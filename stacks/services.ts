/**
 * The Authentik side of the services: shared OIDC settings (`homelab-sso:oidc`), one OIDC client per
 * service (`homelab-sso:services`), portal bookmarks (`homelab-sso:bookmarks`) and the names (never
 * the values) of client secrets kept from an earlier setup (`homelab-sso:clientSecrets`).
 *
 * Pure section parsers: raw config in, typed config out, every problem recorded under its full key.
 */
import { DNS_LABEL, HOST_NAME, VISIBLE_TEXT, checkDisplayText, checkHostName, checkHttpsBaseUrl, normaliseBaseUrl, urlHostProblem } from "./rules";
import { checkCallbackPath, checkRedirectHosts, checkRedirectUri, redirectUris } from "./redirects";
import { CLIENT_SECRET_TO_SCHEMA, ROTATION_SCHEMA } from "./secretDelivery";
import { DEFAULT_ISSUER_MODE, ISSUER_MODES } from "../facts/oidc";
import { z } from "zod";
import { ProblemList, describe, flag, isPlainObject, oneOf, readSchema, readValid, section, text } from "./validation";

const ISSUER_MODES_TUPLE = ISSUER_MODES as readonly ["per_provider", "global"];

/** Scopes whose built-in (managed) Authentik scope mappings a client may get. */
export const OIDC_SCOPES: readonly string[] = ["openid", "email", "profile", "offline_access", "entitlements"];

/** Application slugs Authentik refuses: they collide with the shared `/application/o/<x>/` endpoints. */
export const RESERVED_APPLICATION_SLUGS: readonly string[] = ["authorize", "token", "device", "userinfo", "introspect", "revoke"];

/** Default publisher shown in the portal. */
export const DEFAULT_PUBLISHER = "Homelab";

/** Where a client's secret comes from. */
export type ClientSecretSource = "generated" | "config";


export interface ServicesConfig {
    oidc: OidcConfig;
    services: ServiceConfig[];
    bookmarks: BookmarkConfig[];
}

/** The config keys this module reads, relative to the project namespace. */
export const SERVICE_SECTION_KEYS = ["oidc", "services", "bookmarks", "clientSecrets"] as const;

/** An Authentik slug: lower-case letters, digits, '-' and '_', at most 50 characters (Django SlugField). */
const SLUG = /^[a-z0-9]([a-z0-9_-]{0,48}[a-z0-9])?$/;
/** A flow slug as Authentik stores it (SlugField). */
const FLOW_SLUG = /^[A-Za-z0-9_-]{1,50}$/;
/** A service name: used in resource names, so an RFC 1123 label. */
const SERVICE_NAME = DNS_LABEL;
/** An OAuth2 client id: URL-safe unreserved characters. */
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,255}$/;
/** Longest client secret Authentik stores. */
const CLIENT_SECRET_MAX_LENGTH = 255;

export function checkSlug(value: string): string | undefined {
    if (!SLUG.test(value)) {
        return `${JSON.stringify(value)} is not a valid slug; allowed: lower-case letters, digits, '-' and '_', at most 50 characters, starting and ending with a letter or digit`;
    }
    if (RESERVED_APPLICATION_SLUGS.includes(value)) {
        return `${JSON.stringify(value)} is reserved by Authentik's shared OAuth2 endpoints; allowed: any other slug (reserved: ${RESERVED_APPLICATION_SLUGS.join(", ")})`;
    }
    return undefined;
}

function checkFlowSlug(value: string): string | undefined {
    return FLOW_SLUG.test(value) ? undefined : `${JSON.stringify(value)} is not a flow slug; allowed: letters, digits, '-' and '_', at most 50 characters`;
}

function checkClientId(value: string): string | undefined {
    return CLIENT_ID.test(value)
        ? undefined
        : `${JSON.stringify(value)} is not a valid client id; allowed: 1-255 letters, digits, '.', '_', '~' and '-'`;
}

/** A portal launch URL: https, no credentials, no wildcard. A path and query are fine. */
export function checkLaunchUrl(value: string): string | undefined {
    const problem = httpsLinkProblem(value);
    return problem === undefined ? undefined : `${JSON.stringify(value)} ${problem}; allowed: an https URL such as https://<host>[:<port>][/<path>]`;
}

/**
 * An application icon: an https URL, or a path that stays on the Authentik host (Authentik serves
 * `/static/...` and `/media/...`).
 */
export function checkIcon(value: string): string | undefined {
    const problem = value.startsWith("/") ? localPathProblem(value) : httpsLinkProblem(value);
    return problem === undefined
        ? undefined
        : `${JSON.stringify(value)} ${problem}; allowed: an https URL, or a path on the Authentik host starting with one "/" (no backslash or "..", also percent-encoded)`;
}

/**
 * Why a path (starting with `/`) may leave the host it is served from: browsers read `//host` and
 * `/\host` as another host, and read `\` as `/`; `..` climbs out of the path. Checked as written and
 * percent-decoded, since the portal hands the path to the browser, which decodes it too.
 */
function localPathProblem(value: string): string | undefined {
    if (/\s/.test(value)) {
        return "contains whitespace";
    }
    let decoded: string;
    try {
        decoded = decodeURIComponent(value);
    } catch {
        return "has malformed percent-encoding";
    }
    for (const [text, how] of [
        [value, ""],
        [decoded, " after percent-decoding"],
    ]) {
        if (/^\/[\\/]/.test(text)) {
            return `starts with ${JSON.stringify(text.slice(0, 2))}${how}, which browsers read as a link to another host`;
        }
        if (text.includes("\\")) {
            return `contains a backslash${how}, which browsers read as "/"`;
        }
        if (text.includes("..")) {
            return `contains ".."${how}, which climbs out of the path`;
        }
        if (/[\u0000-\u001f\u007f]/.test(text)) {
            return `contains a control character${how}`;
        }
    }
    return undefined;
}

function httpsLinkProblem(value: string): string | undefined {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        return "is not a URL";
    }
    // The URL parser reads `\` as `/`: what the portal shows is not what the browser opens.
    if (value.includes("\\")) {
        return 'contains a backslash, which browsers read as "/"';
    }
    if (url.protocol !== "https:") {
        return "must use https";
    }
    if (url.username || url.password) {
        return "contains credentials";
    }
    if (value.includes("*")) {
        return "contains a wildcard";
    }
    return urlHostProblem(url.hostname);
}

function nonEmpty(what: string): (value: string) => string | undefined {
    return (value) => (value.trim() === "" ? `must not be blank; allowed: ${what}` : undefined);
}

/** Text shown in the portal: no invisible characters. */
function displayText(what: string) {
    return text({ pattern: VISIBLE_TEXT, check: checkDisplayText(what) });
}

/** A display name or group name: not blank, and no invisible characters. */
function visibleName(what: string) {
    const visible = checkDisplayText(what);
    return text({ pattern: VISIBLE_TEXT, check: (value) => nonEmpty(what)(value) ?? visible(value) });
}

/** Context the parsers share (the same shape `parseStackConfig` hands to each section). */
export interface ServiceSectionContext {
    raw: { [key: string]: unknown };
    problems: ProblemList;
}

/** A claim on something that must be unique (slug, client id, redirect URI), and the key that made it. */
interface Claim {
    value: string;
    key: string;
}

/**
 * Records a problem for every claim whose value an earlier claim already made. `what` names the kind
 * of value in the message.
 */
function checkUnique(claims: Claim[], what: string, allowed: string, problems: ProblemList): void {
    const first = new Map<string, string>();
    for (const claim of claims) {
        const earlier = first.get(claim.value);
        if (earlier === undefined) {
            first.set(claim.value, claim.key);
        } else {
            problems.add(claim.key, `${what} ${JSON.stringify(claim.value)} is already claimed by ${earlier}; allowed: ${allowed}`);
        }
    }
}

/** A scope of `homelab-sso:oidc.scopes`: one whose built-in mapping Authentik ships. */
const oidcScope = text({ check: (v) => (OIDC_SCOPES.includes(v) ? undefined : `${describe(v)} is not allowed; allowed: ${OIDC_SCOPES.join(", ")}`) }).meta({ enum: [...OIDC_SCOPES] });

/** `homelab-sso:oidc`: settings every OIDC client shares. Each scope once, `openid` among them (`parseOidc`). */
export const OIDC_SCHEMA = section({
    authorizationFlow: text({ pattern: FLOW_SLUG, check: checkFlowSlug }).default("default-provider-authorization-implicit-consent").meta({ description: "Flow slug of the authorization flow." }),
    invalidationFlow: text({ pattern: FLOW_SLUG, check: checkFlowSlug }).default("default-provider-invalidation-flow").meta({ description: "Flow slug of the invalidation (logout) flow." }),
    signingKeyName: text({ check: nonEmpty("the name of a certificate key pair with a private key") })
        .default("authentik Self-signed Certificate")
        .meta({ description: "Name of the RSA certificate key pair that signs tokens (RS256)." }),
    scopes: z
        .array(oidcScope, { error: (issue) => `must be a list of strings, got ${describe(issue.input)}` })
        .default(["openid", "email", "profile"])
        .meta({ description: "Built-in scope mappings every client gets; must include `openid`.", uniqueItems: true, contains: { const: "openid" } }),
}).meta({ description: "Settings every OIDC client shares." });

export type OidcConfig = z.output<typeof OIDC_SCHEMA>;

export function parseOidc(ctx: ServiceSectionContext, project: string): OidcConfig {
    const key = `${project}:oidc`;
    const config = readSchema(key, ctx.raw[key] ?? {}, OIDC_SCHEMA, ctx.problems);
    // The defaults hold each scope once, openid among them, so they pass these checks too.
    const seen = new Set<string>();
    for (const scope of config.scopes) {
        if (seen.has(scope)) {
            ctx.problems.add(`${key}.scopes`, `lists ${JSON.stringify(scope)} twice; allowed: each scope once`);
        }
        seen.add(scope);
    }
    const raw = ctx.raw[key];
    if (!seen.has("openid") && isPlainObject(raw) && Array.isArray(raw.scopes)) {
        ctx.problems.add(`${key}.scopes`, `must include "openid" (without it there is no ID token); allowed: ${OIDC_SCOPES.join(", ")}`);
    }
    return config;
}

/** `homelab-sso:clientSecrets` as the program reads it (decrypted): service name to secret. Values are never read into messages. */
export const CLIENT_SECRETS_SCHEMA = z.record(
    z.string(),
    z
        .string({ error: () => `must be a non-empty string of at most ${CLIENT_SECRET_MAX_LENGTH} characters (value not shown: it is secret)` })
        .min(1, { error: () => `must be a non-empty string of at most ${CLIENT_SECRET_MAX_LENGTH} characters (value not shown: it is secret)` })
        .max(CLIENT_SECRET_MAX_LENGTH, { error: () => `must be a non-empty string of at most ${CLIENT_SECRET_MAX_LENGTH} characters (value not shown: it is secret)` }),
    {
        error: () =>
            "must be an object of service name to client secret (value not shown: it is secret); set entries with `pulumi config set --secret --path 'clientSecrets.<service>' <secret>`",
    },
);

/** Reads `homelab-sso:clientSecrets`: only which services have one. */
function parseClientSecretNames(ctx: ServiceSectionContext, project: string, serviceKeys: readonly string[]): Set<string> {
    const key = `${project}:clientSecrets`;
    const value = ctx.raw[key];
    const names = new Set<string>();
    if (value === undefined) {
        return names;
    }
    // Each entry on its own: one naming no service is reported for that alone.
    if (!isPlainObject(value)) {
        readSchema(key, value, CLIENT_SECRETS_SCHEMA, ctx.problems);
        return names;
    }
    for (const [service, secret] of Object.entries(value)) {
        const entryKey = `${key}.${service}`;
        if (!serviceKeys.includes(service)) {
            ctx.problems.add(entryKey, `names no configured service; allowed: ${serviceKeys.length > 0 ? serviceKeys.join(", ") : "(no services configured)"}`);
        } else if (readValid(key, { [service]: secret }, CLIENT_SECRETS_SCHEMA, ctx.problems) !== undefined) {
            names.add(service);
        }
    }
    return names;
}

/** An entry of a list of strings: an empty one is a missing one. */
function entry(check: (value: string) => string | undefined): (value: string) => string | undefined {
    return (value) => (value === "" ? "is required" : check(value));
}

function stringList(item: z.ZodString) {
    return z.array(item, { error: (issue) => `must be a list of strings, got ${describe(issue.input)}` });
}

const NATIVE_URIS_REQUIRED =
    "must list at least one redirect URI (a public client has nothing else to bind the code to); allowed: loopback http://localhost:<port>/<path> or a private-use reverse-domain URI";

/**
 * A service's public native client (`services.<name>.nativeClient`): a second, public OAuth2 provider
 * with its own application, for a CLI or mobile app that redeems the code itself with PKCE and no
 * secret (e.g. `argocd login --sso`).
 */
const NATIVE_CLIENT_SCHEMA = section({
    slug: text({ pattern: SLUG, check: checkSlug }).optional().meta({ description: "Its application slug.", "x-default": "`<slug>-native`" }),
    clientId: text({ pattern: CLIENT_ID, check: checkClientId }).optional().meta({ description: "Its OAuth2 client id.", "x-default": "its slug" }),
    name: visibleName("the display name of the native client's application")
        .optional()
        .meta({ description: "Display name of its application.", "x-default": "`<name> (native)`" }),
    redirectUris: z
        .array(text({ check: entry((uri) => checkRedirectUri(uri, "native")) }), {
            error: (issue) => (issue.input === undefined ? NATIVE_URIS_REQUIRED : `must be a list of strings, got ${describe(issue.input)}`),
        })
        .min(1, { error: NATIVE_URIS_REQUIRED })
        .meta({ description: "Loopback `http://localhost:<port>/<path>` or private-use reverse-domain URIs; never https.", "x-default": "required" }),
}).meta({ description: "A public native client (CLI or mobile app, PKCE, no secret)." });

export type NativeClientConfig = Required<z.output<typeof NATIVE_CLIENT_SCHEMA>>;

/** The fields of one service; `callbackPath` is optional here (derived for deployed services). */
const SERVICE_FIELDS = {
    slug: text({ pattern: SLUG, check: checkSlug })
        .optional()
        .meta({ description: "Application slug (issuer `/application/o/<slug>/`): lower-case letters, digits, `-`, `_`, at most 50; unique.", "x-default": "the service name" }),
    name: visibleName("the display name in the portal").meta({
        description: "Display name in the portal (visible characters only: no zero-width or other format character).",
        "x-default": "required",
    }),
    group: visibleName('a portal group such as "Monitoring"').meta({ description: "Portal group.", "x-default": "required" }),
    icon: text({ check: checkIcon })
        .optional()
        .meta({ description: "https URL (no credentials; a query is fine), or a path on the Authentik host (`/static/...`; never `//`, `/\\`, a backslash or `..`, also percent-encoded)." }),
    description: displayText("a portal description").optional().meta({ description: "Portal description." }),
    publisher: displayText("the publisher shown in the portal").default(DEFAULT_PUBLISHER).meta({ description: "Portal publisher." }),
    publicUrl: text({ pattern: /^https:\/\//, check: checkHttpsBaseUrl }).meta({
        description: "Canonical https base URL of the service, port allowed, no path (`https://host:8444`); also the launch URL.",
        "x-default": "required",
    }),
    callbackPath: text({ pattern: /^\//, check: checkCallbackPath })
        .optional()
        .meta({
            description:
                "Absolute path of the service's callback. Derived by the program for the services ArgoCD and Grafana use (`/api/dex/callback`, ArgoCD's Dex; `/login/generic_oauth`), which need none (one written must be that); required for every other service.",
            "x-default": "required, except for the services ArgoCD and Grafana use",
        }),
    extraRedirectUris: stringList(text({ check: entry((uri) => checkRedirectUri(uri, "web")) }))
        .default([])
        .meta({
            description:
                "More exact redirect URIs of the web client: https on the `publicUrl` host or a host in `redirectHosts`, or private-use reverse-domain URIs (not bound to a host).",
        }),
    redirectHosts: stringList(text({ pattern: HOST_NAME, check: entry(checkHostName) }))
        .default([])
        .meta({
            description: "Hosts other than the `publicUrl` host that https `extraRedirectUris` may use; each must be used by one of them (a foreign host is never a side effect of one line).",
        }),
    clientId: text({ pattern: CLIENT_ID, check: checkClientId }).optional().meta({ description: "OAuth2 client id (letters, digits, `.`, `_`, `~`, `-`); unique.", "x-default": "the slug" }),
    accessGroup: visibleName("the name of an Authentik group")
        .optional()
        .meta({ description: "Authentik group whose members alone may use the application.", "x-default": "none (everyone)" }),
    enabled: flag(true).meta({ description: "`false` creates nothing for this service." }),
    clientSecretTo: CLIENT_SECRET_TO_SCHEMA.optional(),
    rotation: ROTATION_SCHEMA,
    issuerMode: oneOf(ISSUER_MODES_TUPLE)
        .default(DEFAULT_ISSUER_MODE)
        .meta({
            description:
                "How Authentik fills `iss`: `per_provider` (`.../application/o/<slug>/`) or `global` (refused on ArgoCD's service, whose Dex discovers the per-provider issuer).",
        }),
    nativeClient: NATIVE_CLIENT_SCHEMA.optional(),
};

/** One service's OIDC client and portal entry (`homelab-sso:services.<name>`). */
export const SERVICE_SCHEMA = section(SERVICE_FIELDS).meta({ description: "One service's OIDC client and portal entry." });

/** A service the program does not deploy: its callback path is written. */
const WRITTEN_CALLBACK_SCHEMA = section({ ...SERVICE_FIELDS, callbackPath: SERVICE_FIELDS.callbackPath.unwrap() });

/** `homelab-sso:services`, keyed by service name. */
export const SERVICES_SCHEMA = z
    .record(text({ pattern: SERVICE_NAME }), SERVICE_SCHEMA)
    .meta({
        description: "One OIDC client per service, keyed by service name (a DNS label; it names the resources and the `clientSecrets` entry). See docs/oidc-clients.md.",
        "x-key-name": "<name>",
    });

type ServiceSection = z.output<typeof SERVICE_SCHEMA>;

export interface ServiceConfig extends Omit<ServiceSection, "slug" | "callbackPath" | "clientId" | "nativeClient"> {
    /** The service name: its key under `homelab-sso:services`. Names its resources and its `clientSecrets` entry. */
    key: string;
    /** Application slug; also the issuer path `/application/o/<slug>/`. Default: the service name. */
    slug: string;
    /** Path of the service's OIDC callback, starting with `/`. */
    callbackPath: string;
    /** Every allowed redirect URI: `publicUrl + callbackPath`, then `extraRedirectUris`. */
    redirectUris: string[];
    /** OAuth2 client id. Default: the slug. */
    clientId: string;
    /** `config`: kept from `homelab-sso:clientSecrets`; `generated`: a new random secret. */
    clientSecretSource: ClientSecretSource;
    /** The service's public native client, when it has one (defaults filled). */
    nativeClient?: NativeClientConfig;
}

/** Reads one service entry; undefined (with problems recorded) when anything is wrong. */
function parseService(
    prefix: string,
    key: string,
    value: unknown,
    problems: ProblemList,
    clientSecretNames: Set<string>,
    derivedCallbacks: ReadonlyMap<string, string>,
): ServiceConfig | undefined {
    const before = problems.problems.length;
    const raw = isPlainObject(value) ? value : {};
    const given = (field: string) => Object.prototype.hasOwnProperty.call(raw, field) && raw[field] !== undefined;
    if (isPlainObject(value)) {
        if (given("slug") && (raw.slug === null || raw.slug === "")) {
            // A slug written blank is a mistake, not the default.
            problems.add(`${prefix}.slug`, "is required");
        } else if (!given("slug")) {
            // A default is not checked by the schema, and the service name may not be a valid slug.
            const problem = checkSlug(key);
            if (problem !== undefined) {
                problems.add(`${prefix}.slug`, `defaults to the service name, and ${problem}; set a slug explicitly`);
            }
        }
    }
    // A deployed service's callback is the program's (derivedCallbackPaths); others are written.
    const derivedCallback = derivedCallbacks.get(key);
    const read = readValid(prefix, value, derivedCallback === undefined ? WRITTEN_CALLBACK_SCHEMA : SERVICE_SCHEMA, problems);
    const rawNative = raw.nativeClient;
    if (isPlainObject(rawNative) && (rawNative.slug === undefined || rawNative.slug === null || rawNative.slug === "")) {
        // An invalid slug is reported already: the default is then read from the service name.
        const serviceSlug = typeof raw.slug === "string" && checkSlug(raw.slug) === undefined ? raw.slug : key;
        const problem = checkSlug(`${serviceSlug}-native`);
        if (problem !== undefined) {
            problems.add(`${prefix}.nativeClient.slug`, `defaults to "<service slug>-native", and ${problem}; set a slug explicitly`);
        }
    }
    // The hosts of the extra redirect URIs, checked when the URL and the hosts are readable (entries
    // refused above are undefined here, so the indices stay those of the stack file).
    const publicUrl = typeof raw.publicUrl === "string" && !problems.hasAt(`${prefix}.publicUrl`) ? normaliseBaseUrl(raw.publicUrl) : undefined;
    if (publicUrl !== undefined && !problems.hasAt(`${prefix}.redirectHosts`)) {
        const rawUris = raw.extraRedirectUris;
        const checked = Array.isArray(rawUris) ? rawUris.map((uri, index) => (typeof uri === "string" && !problems.hasAt(`${prefix}.extraRedirectUris[${index}]`) ? uri : undefined)) : [];
        const hosts = Array.isArray(raw.redirectHosts) ? (raw.redirectHosts as string[]) : [];
        for (const problem of checkRedirectHosts(publicUrl, checked, hosts, `${prefix}.redirectHosts`)) {
            problems.add(`${prefix}.${problem.field}[${problem.index}]`, problem.message);
        }
    }
    if (read === undefined || publicUrl === undefined || problems.problems.length > before) {
        return undefined;
    }
    // A canonical base URL and a canonical callback path join into a canonical redirect URI (a test
    // checks it), so the joined URI needs no check of its own.
    const slug = read.slug ?? key;
    const callbackPath = read.callbackPath ?? derivedCallback!;
    const { nativeClient, ...fields } = read;
    let native: NativeClientConfig | undefined;
    if (nativeClient !== undefined) {
        const nativeSlug = nativeClient.slug ?? `${slug}-native`;
        native = { slug: nativeSlug, clientId: nativeClient.clientId ?? nativeSlug, name: nativeClient.name ?? `${read.name} (native)`, redirectUris: nativeClient.redirectUris };
    }
    return {
        ...fields,
        key,
        slug,
        publicUrl,
        callbackPath,
        redirectUris: redirectUris({ publicUrl, callbackPath, extraRedirectUris: read.extraRedirectUris }),
        clientId: read.clientId ?? slug,
        clientSecretSource: clientSecretNames.has(key) ? "config" : "generated",
        ...(native !== undefined ? { nativeClient: native } : {}),
    };
}

/** One portal bookmark: an application without a provider. */
export const BOOKMARK_SCHEMA = section({
    slug: text({ pattern: SLUG, check: checkSlug }).meta({ description: "Application slug, unique across bookmarks and services.", "x-default": "required" }),
    name: visibleName("the display name in the portal").meta({ description: "Display name.", "x-default": "required" }),
    group: visibleName("a portal group such as \"Infrastructure\"").meta({ description: "Portal group.", "x-default": "required" }),
    launchUrl: text({ pattern: /^https:\/\//, check: checkLaunchUrl }).meta({
        description: "https URL the portal opens (no credentials; path and query fine).",
        "x-default": "required",
    }),
    icon: text({ check: checkIcon }).optional().meta({ description: "https URL or a path on the Authentik host (as a service's icon)." }),
    description: displayText("a portal description").optional().meta({ description: "Portal description." }),
    publisher: displayText("the publisher shown in the portal").default(DEFAULT_PUBLISHER).meta({ description: "Portal publisher." }),
}).meta({ description: "One bookmark." });

/** `homelab-sso:bookmarks`. */
export const BOOKMARKS_SCHEMA = z
    .array(BOOKMARK_SCHEMA, { error: (issue) => `must be a list of bookmarks ({slug, name, group, launchUrl, icon, description, publisher}), got ${describe(issue.input)}` })
    .default([])
    .meta({ description: "Portal bookmarks: applications without a provider." });

export type BookmarkConfig = z.output<typeof BOOKMARK_SCHEMA>;

/**
 * Parses `homelab-sso:oidc`, `homelab-sso:services`, `homelab-sso:bookmarks` and the names in
 * `homelab-sso:clientSecrets`; with each valid bookmark, the key of its slug (for `checkServiceClaims`).
 */
export function parseServices(ctx: ServiceSectionContext, project: string, derivedCallbacks: ReadonlyMap<string, string> = new Map()): ServicesConfig & { bookmarkSlugKeys: string[] } {
    const oidc = parseOidc(ctx, project);

    const servicesKey = `${project}:services`;
    const servicesValue = ctx.raw[servicesKey];
    const serviceEntries: [string, unknown][] = [];
    if (servicesValue !== undefined) {
        if (isPlainObject(servicesValue)) {
            serviceEntries.push(...Object.entries(servicesValue));
        } else {
            ctx.problems.add(servicesKey, `must be an object of service name to service settings, got ${describe(servicesValue)}`);
        }
    }
    const clientSecretNames = parseClientSecretNames(
        ctx,
        project,
        serviceEntries.map(([key]) => key),
    );

    const services: ServiceConfig[] = [];
    for (const [key, value] of serviceEntries) {
        const serviceKey = `${servicesKey}.${key}`;
        if (!SERVICE_NAME.test(key)) {
            ctx.problems.add(
                serviceKey,
                `${JSON.stringify(key)} is not a valid service name; allowed: lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit`,
            );
            continue;
        }
        const service = parseService(serviceKey, key, value ?? {}, ctx.problems, clientSecretNames, derivedCallbacks);
        if (service) {
            services.push(service);
        }
    }

    const bookmarksKey = `${project}:bookmarks`;
    const bookmarksValue = ctx.raw[bookmarksKey];
    const bookmarks: BookmarkConfig[] = [];
    const bookmarkSlugKeys: Claim[] = [];
    if (Array.isArray(bookmarksValue)) {
        bookmarksValue.forEach((value: unknown, index) => {
            const bookmark = readValid(`${bookmarksKey}[${index}]`, value, BOOKMARK_SCHEMA, ctx.problems);
            if (bookmark) {
                bookmarks.push(bookmark);
                bookmarkSlugKeys.push({ value: bookmark.slug, key: `${bookmarksKey}[${index}].slug` });
            }
        });
    } else {
        // Not a list: the list's own message.
        readSchema(bookmarksKey, bookmarksValue, BOOKMARKS_SCHEMA, ctx.problems);
    }

    return { oidc, services, bookmarks, bookmarkSlugKeys: bookmarkSlugKeys.map((claim) => claim.key) };
}

/**
 * What must be unique across services and bookmarks: slugs (services, native clients, bookmarks),
 * client ids and redirect URIs; a service named like another's native client; one service on the
 * global issuer. Disabled services are validated but claim nothing. `bookmarkSlugKeys[i]` is the key of
 * `bookmarks[i].slug`.
 */
export function checkServiceClaims(services: ServiceConfig[], bookmarks: BookmarkConfig[], bookmarkSlugKeys: readonly string[], servicesKey: string, problems: ProblemList): void {
    const enabled = services.filter((s) => s.enabled);
    const serviceKeyOf = (service: ServiceConfig, field: string) => `${servicesKey}.${service.key}.${field}`;
    const natives = enabled.flatMap((s) => (s.nativeClient ? [{ service: s, native: s.nativeClient }] : []));
    checkUnique(
        [
            ...enabled.map((s) => ({ value: s.slug, key: serviceKeyOf(s, "slug") })),
            ...natives.map(({ service, native }) => ({ value: native.slug, key: serviceKeyOf(service, "nativeClient.slug") })),
            ...bookmarks.map((bookmark, index) => ({ value: bookmark.slug, key: bookmarkSlugKeys[index] })),
        ],
        "slug",
        "a slug no other service, native client or bookmark uses",
        problems,
    );
    // A native client's resources are named `oidc-<service>-native-*`; a service named `<service>-native`
    // would get the same names (Pulumi's mock monitor, which renders and tests use, qualifies a URN by the
    // parent's type only, so even the URNs would clash).
    for (const { service } of natives) {
        const clash = enabled.find((s) => s.key === `${service.key}-native`);
        if (clash) {
            problems.add(
                `${servicesKey}.${clash.key}`,
                `is named like the native client of ${servicesKey}.${service.key} (its resources are oidc-${service.key}-native-*); allowed: another service name`,
            );
        }
    }
    // The global issuer https://<authentik>/ has one discovery document, published at the root from one
    // application: a second service on it would be described by the first one's document.
    const globals = enabled.filter((s) => s.issuerMode === "global");
    for (const extra of globals.slice(1)) {
        problems.add(
            serviceKeyOf(extra, "issuerMode"),
            `"global" is already used by ${serviceKeyOf(globals[0], "issuerMode")}: Authentik's global issuer has one discovery document at the host's root, published from that service's application; allowed: per_provider`,
        );
    }
    checkUnique(
        [
            ...enabled.map((s) => ({ value: s.clientId, key: serviceKeyOf(s, "clientId") })),
            ...natives.map(({ service, native }) => ({ value: native.clientId, key: serviceKeyOf(service, "nativeClient.clientId") })),
        ],
        "client id",
        "a client id no other client uses",
        problems,
    );
    checkUnique(
        [
            ...enabled.flatMap((s) => [
                { value: s.redirectUris[0], key: serviceKeyOf(s, "callbackPath") },
                ...s.extraRedirectUris.map((uri, index) => ({ value: uri, key: `${serviceKeyOf(s, "extraRedirectUris")}[${index}]` })),
            ]),
            ...natives.flatMap(({ service, native }) =>
                native.redirectUris.map((uri, index) => ({ value: uri, key: `${serviceKeyOf(service, "nativeClient.redirectUris")}[${index}]` })),
            ),
        ],
        "redirect URI",
        "a redirect URI no other client lists (each client gets its own callbacks)",
        problems,
    );

}
