/**
 * The read-only checks of one OIDC client against live endpoints. They follow how Authentik answers
 * (goauthentik/authentik `authentik/providers/oauth2/views/` and `errors.py`):
 *
 * - authorize with `prompt=none` and no session: after validating client id and redirect URI it
 *   redirects to the redirect URI with `error=login_required` (no flow, no session). An unregistered
 *   redirect URI or unknown client id gets a 400 HTML page ("Redirect URI Error" / "Client ID Error").
 * - token, grant `authorization_code`: a confidential provider compares the client secret first and
 *   answers 400 `invalid_client`; a public provider skips that and answers `invalid_grant` for a
 *   made-up code (oidc-provider answers 401 `invalid_client` / 400 `invalid_grant`).
 * - userinfo without a token: 401 with `WWW-Authenticate`.
 * - end-session for an anonymous user: a redirect into the invalidation flow; 404 without a provider
 *   or invalidation flow.
 *
 * Nothing here logs in, obtains a token, or changes anything: the secret sent is deliberately wrong
 * and the code is made up.
 */
import { createHash, randomBytes } from "crypto";
import { explain, FailureReason } from "./explain";
import { describeFailure, HttpFailure, HttpOptions, httpRequest, HttpResult } from "./http";
import type { VerifyClient } from "./outputs";

/** The checks, in the order they run and print. */
export const CHECK_NAMES = ["discovery", "signing", "scopes", "endpoints", "authorize", "redirect-strict", "token-auth", "userinfo", "end-session"] as const;
export type ClientCheckName = (typeof CHECK_NAMES)[number];
export type CheckName = ClientCheckName | "in-cluster" | "dex-discovery";

/** One line per check, for `--help` and the docs. */
export const CHECK_DESCRIPTIONS: { [name in CheckName]: string } = {
    discovery: "the discovery document is served over https and its issuer equals the client's issuer character for character",
    signing: "id_token_signing_alg_values_supported contains RS256 and the JWKS holds an RSA signing key",
    scopes: "scopes_supported includes openid, email and profile",
    endpoints: "the discovery document names the same authorize/token/userinfo/end-session/JWKS URLs as the stack outputs",
    authorize: "the authorize endpoint accepts every registered redirect URI for the client id",
    "redirect-strict": "the authorize endpoint refuses a redirect URI that is not registered",
    "token-auth": "confidential: the token endpoint refuses a wrong client secret (invalid_client); public: it asks for no secret",
    userinfo: "userinfo refuses a request without a token",
    "end-session": "the end-session endpoint answers",
    "in-cluster": "(--in-cluster) a pod fetches the discovery document through the same host name and gets the same issuer",
    "dex-discovery": "(a client whose callback is ArgoCD's Dex) <ArgoCD URL>/api/dex/.well-known/openid-configuration names the issuer <ArgoCD URL>/api/dex; skipped when ArgoCD's URL does not answer from here",
};

/** ArgoCD's Dex callback (argo-cd v2.14 `DexRedirectURL`): a client registered with it is Dex's connector. */
const DEX_CALLBACK_SUFFIX = "/api/dex/callback";

/** ArgoCD's URL when the client's first redirect URI is Dex's callback, else undefined. */
export function argoCdUrlOfDexCallback(redirectUri: string | undefined): string | undefined {
    return redirectUri !== undefined && redirectUri.startsWith("https://") && redirectUri.endsWith(DEX_CALLBACK_SUFFIX) ? redirectUri.slice(0, -DEX_CALLBACK_SUFFIX.length) : undefined;
}

/**
 * Read-only: Dex, behind argocd-server at `<url>/api/dex`, serves its discovery document with issuer
 * `<url>/api/dex` (what `argocd login --sso` discovers). A failed connection is a skip, not a failure:
 * verify may run where Authentik answers and ArgoCD's port does not.
 */
async function checkDexDiscovery(client: VerifyClient, argoCdUrl: string, options: HttpOptions): Promise<CheckResult> {
    const issuer = `${argoCdUrl}/api/dex`;
    const url = `${issuer}/.well-known/openid-configuration`;
    const result = await httpRequest({ method: "GET", url }, options);
    if (!result.ok) {
        return { ...skip(client, "dex-discovery", `not run: ${url} did not answer from here (${describeFailure(result)})`), optional: true };
    }
    const doc = result.status === 200 ? parseJson(result.body) : undefined;
    if (!isObject(doc)) {
        return fail(client, "dex-discovery", "dex-discovery", `${url}: HTTP ${result.status}${result.status === 200 ? ", not JSON" : ""}`);
    }
    if (doc.issuer !== issuer) {
        return fail(client, "dex-discovery", "dex-discovery", `${url} names issuer ${JSON.stringify(doc.issuer)}, expected ${JSON.stringify(issuer)}`);
    }
    return pass(client, "dex-discovery", `issuer ${issuer}`);
}

export type CheckStatus = "pass" | "fail" | "skip";

export interface CheckResult {
    client: string;
    check: CheckName;
    status: CheckStatus;
    detail: string;
    reason?: FailureReason;
    cause?: string;
    fix?: string;
    /** A skip that does not fail the run: the check runs only where its host answers (dex-discovery). */
    optional?: true;
}

export const REQUIRED_SCOPES = ["openid", "email", "profile"];

/** Prompt errors that prove the redirect URI was accepted: the request was valid, only a login is missing. */
const NO_SESSION_ERRORS = new Set(["login_required", "interaction_required", "consent_required", "account_selection_required"]);

type DiscoveryDocument = { [key: string]: unknown };

export function pass(client: VerifyClient, check: CheckName, detail: string): CheckResult {
    return { client: client.label, check, status: "pass", detail };
}

function skip(client: VerifyClient, check: CheckName, detail: string): CheckResult {
    return { client: client.label, check, status: "skip", detail };
}

export function fail(client: VerifyClient, check: CheckName, reason: FailureReason, detail: string): CheckResult {
    return { client: client.label, check, status: "fail", detail, reason, ...explain(reason, client) };
}

function failRequest(client: VerifyClient, check: CheckName, what: string, failure: HttpFailure): CheckResult {
    const reason: FailureReason = failure.kind;
    return fail(client, check, reason, `${what}: ${describeFailure(failure)}`);
}

function parseJson(body: string): unknown {
    try {
        return JSON.parse(body);
    } catch {
        return undefined;
    }
}

function isObject(value: unknown): value is { [key: string]: unknown } {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The redirect URI without its query and fragment, for comparing a Location header with it. */
function withoutQuery(uri: string): string {
    return uri.split(/[?#]/, 1)[0];
}

/** A redirect URI on the same origin and path as the first registered one, one segment deeper: not registered. */
export function unregisteredRedirectUri(registered: string): string {
    const base = withoutQuery(registered);
    return `${base.replace(/\/+$/, "")}/homelab-sso-verify-unregistered`;
}

function base64url(bytes: Buffer): string {
    return bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function addQuery(url: string, params: { [key: string]: string }): string {
    return `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(params).toString()}`;
}

/** How the authorize endpoint treated one redirect URI. */
export type AuthorizeVerdict =
    | { kind: "accepted"; detail: string }
    | { kind: "accepted-with-error"; error: string; detail: string }
    | { kind: "refused"; why: "redirect-uri" | "client-id" | "other"; status: number; detail: string }
    | { kind: "server-error"; detail: string }
    | { kind: "unreachable"; failure: HttpFailure };

export function classifyAuthorizeResponse(result: HttpResult, authorizeUrl: string, redirectUri: string): AuthorizeVerdict {
    if (!result.ok) {
        return { kind: "unreachable", failure: result };
    }
    const { status, headers, body } = result;
    if (status >= 300 && status < 400) {
        const location = typeof headers.location === "string" ? headers.location : "";
        let absolute = location;
        try {
            absolute = new URL(location, authorizeUrl).href;
        } catch {
            // A private-use scheme URI that URL cannot resolve: compare it as sent.
        }
        const target = withoutQuery(redirectUri);
        if (withoutQuery(location) === target || withoutQuery(absolute) === target) {
            // Authentik puts the error in the query (code flow); an implicit/hybrid answer uses the fragment.
            const hashAt = location.indexOf("#");
            const beforeHash = hashAt === -1 ? location : location.slice(0, hashAt);
            const query = new URLSearchParams(beforeHash.includes("?") ? beforeHash.slice(beforeHash.indexOf("?") + 1) : "");
            const fragment = new URLSearchParams(hashAt === -1 ? "" : location.slice(hashAt + 1));
            const params = query.has("error") ? query : fragment;
            const error = params.get("error");
            if (!error || NO_SESSION_ERRORS.has(error)) {
                return { kind: "accepted", detail: `redirected back with ${error ? `error=${error}` : "a response"}, HTTP ${status}` };
            }
            const description = params.get("error_description");
            return { kind: "accepted-with-error", error, detail: `redirected back with error=${error}${description ? ` (${description})` : ""}` };
        }
        return { kind: "accepted", detail: `redirected to ${withoutQuery(absolute)}, HTTP ${status}` };
    }
    if (status >= 200 && status < 300) {
        return { kind: "accepted", detail: `answered HTTP ${status} with a page` };
    }
    if (status >= 400 && status < 500) {
        if (/redirect_uri_mismatch|Redirect URI Error|redirect_uri did not match/i.test(body)) {
            return { kind: "refused", why: "redirect-uri", status, detail: `HTTP ${status}, redirect URI not registered` };
        }
        if (/invalid_client|Client ID Error|client identifier/i.test(body)) {
            return { kind: "refused", why: "client-id", status, detail: `HTTP ${status}, client id unknown` };
        }
        return { kind: "refused", why: "other", status, detail: `HTTP ${status}` };
    }
    return { kind: "server-error", detail: `answered HTTP ${status}` };
}

async function probeAuthorize(client: VerifyClient, redirectUri: string, options: HttpOptions): Promise<AuthorizeVerdict> {
    const verifier = base64url(randomBytes(32));
    const url = addQuery(client.endpoints.authorize, {
        client_id: client.clientId,
        redirect_uri: redirectUri,
        response_type: "code",
        scope: "openid",
        state: base64url(randomBytes(12)),
        // No session exists, so a valid request ends in error=login_required at the redirect URI:
        // Authentik validates client and redirect URI first and starts no login flow.
        prompt: "none",
        code_challenge: base64url(createHash("sha256").update(verifier).digest()),
        code_challenge_method: "S256",
    });
    const result = await httpRequest({ method: "GET", url }, options);
    return classifyAuthorizeResponse(result, client.endpoints.authorize, redirectUri);
}

function tokenError(body: string): string | undefined {
    const json = parseJson(body);
    return isObject(json) && typeof json.error === "string" ? json.error : undefined;
}

async function checkTokenAuth(client: VerifyClient, options: HttpOptions): Promise<CheckResult> {
    const form: { [key: string]: string } = {
        grant_type: "authorization_code",
        code: `homelab-sso-verify-${randomBytes(16).toString("hex")}`,
        redirect_uri: client.redirectUris[0],
    };
    const headers: { [key: string]: string } = {};
    if (client.clientType === "confidential") {
        const wrongSecret = `homelab-sso-verify-wrong-${randomBytes(16).toString("hex")}`;
        // RFC 6749 §2.3.1: form-encode, then Basic. Authentik and oidc-provider both accept Basic.
        const credentials = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(wrongSecret)}`;
        headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    } else {
        form.client_id = client.clientId;
        form.code_verifier = base64url(randomBytes(32));
    }
    const result = await httpRequest({ method: "POST", url: client.endpoints.token, headers, form }, options);
    if (!result.ok) {
        return failRequest(client, "token-auth", "token endpoint", result);
    }
    const error = tokenError(result.body);
    const seen = `HTTP ${result.status}${error ? ` ${error}` : ""}`;
    if (client.clientType === "confidential") {
        if (error === "invalid_client" && (result.status === 400 || result.status === 401)) {
            return pass(client, "token-auth", `refused a wrong client secret (${seen})`);
        }
        if (error === "invalid_grant") {
            return fail(client, "token-auth", "secret-not-checked", `accepted a wrong client secret and only refused the made-up code (${seen})`);
        }
        return fail(client, "token-auth", "token-unexpected", `expected invalid_client for a wrong client secret, got ${seen}`);
    }
    if (error === "invalid_client") {
        return fail(client, "token-auth", "public-needs-secret", `refused the public client without a secret (${seen})`);
    }
    if (error === "invalid_grant") {
        return pass(client, "token-auth", `public client: no secret asked, the made-up code was refused (${seen})`);
    }
    return fail(client, "token-auth", "token-unexpected", `expected invalid_grant for a made-up code, got ${seen}`);
}

async function checkUserinfo(client: VerifyClient, options: HttpOptions): Promise<CheckResult> {
    const result = await httpRequest({ method: "GET", url: client.endpoints.userinfo }, options);
    if (!result.ok) {
        return failRequest(client, "userinfo", "userinfo", result);
    }
    const challenge = result.headers["www-authenticate"];
    if (result.status === 401 || result.status === 403 || result.status === 400) {
        const error = typeof challenge === "string" ? /error="([^"]+)"/.exec(challenge)?.[1] : undefined;
        return pass(client, "userinfo", `refused without a token (HTTP ${result.status}${error ? ` ${error}` : ""})`);
    }
    if (result.status >= 200 && result.status < 300) {
        return fail(client, "userinfo", "userinfo-open", `answered HTTP ${result.status} without a token`);
    }
    return fail(client, "userinfo", "userinfo-unexpected", `answered HTTP ${result.status} at ${client.endpoints.userinfo}`);
}

async function checkEndSession(client: VerifyClient, options: HttpOptions): Promise<CheckResult> {
    const result = await httpRequest({ method: "GET", url: client.endpoints.endSession }, options);
    if (!result.ok) {
        return failRequest(client, "end-session", "end-session", result);
    }
    if (result.status >= 200 && result.status < 400) {
        return pass(client, "end-session", `answered HTTP ${result.status}`);
    }
    if (result.status === 404) {
        return fail(client, "end-session", "end-session-missing", `HTTP 404 at ${client.endpoints.endSession}`);
    }
    return fail(client, "end-session", "end-session-unexpected", `answered HTTP ${result.status}`);
}

function checkSigningAlgs(doc: DiscoveryDocument): string[] {
    const algs = doc.id_token_signing_alg_values_supported;
    return Array.isArray(algs) ? algs.filter((a): a is string => typeof a === "string") : [];
}

async function checkSigning(client: VerifyClient, doc: DiscoveryDocument, options: HttpOptions): Promise<CheckResult> {
    const algs = checkSigningAlgs(doc);
    if (!algs.includes("RS256")) {
        return fail(client, "signing", "no-rs256", `id_token_signing_alg_values_supported is ${JSON.stringify(doc.id_token_signing_alg_values_supported ?? null)}, without RS256`);
    }
    const jwksUrl = typeof doc.jwks_uri === "string" ? doc.jwks_uri : client.endpoints.jwks;
    const result = await httpRequest({ method: "GET", url: jwksUrl }, options);
    if (!result.ok) {
        return failRequest(client, "signing", "JWKS", result);
    }
    const jwks = parseJson(result.body);
    if (result.status !== 200 || !isObject(jwks)) {
        return fail(client, "signing", "jwks-unreadable", `JWKS at ${jwksUrl}: HTTP ${result.status}, not a key set`);
    }
    const keys = Array.isArray(jwks.keys) ? jwks.keys.filter(isObject) : [];
    const rsa = keys.find(
        (k) => k.kty === "RSA" && (k.use === undefined || k.use === "sig") && (k.alg === undefined || k.alg === "RS256") && typeof k.n === "string" && typeof k.e === "string",
    );
    if (!rsa) {
        return fail(client, "signing", "jwks-no-rsa", `JWKS at ${jwksUrl} holds ${keys.length} key(s), none an RSA signing key`);
    }
    return pass(client, "signing", `RS256 offered; JWKS holds RSA key${typeof rsa.kid === "string" ? ` ${rsa.kid}` : ""}`);
}

function checkScopes(client: VerifyClient, doc: DiscoveryDocument): CheckResult {
    const scopes = Array.isArray(doc.scopes_supported) ? doc.scopes_supported.filter((s): s is string => typeof s === "string") : undefined;
    if (!scopes) {
        return fail(client, "scopes", "scopes-missing", "the discovery document has no scopes_supported");
    }
    const missing = REQUIRED_SCOPES.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
        return fail(client, "scopes", "scopes-missing", `scopes_supported ${JSON.stringify(scopes)} lacks ${missing.join(", ")}`);
    }
    return pass(client, "scopes", `scopes_supported includes ${REQUIRED_SCOPES.join(", ")}`);
}

function checkEndpoints(client: VerifyClient, doc: DiscoveryDocument): CheckResult {
    const pairs: [string, keyof VerifyClient["endpoints"]][] = [
        ["authorization_endpoint", "authorize"],
        ["token_endpoint", "token"],
        ["userinfo_endpoint", "userinfo"],
        ["end_session_endpoint", "endSession"],
        ["jwks_uri", "jwks"],
    ];
    // Authentik always advertises all five; a field that is absent is left to the check of that endpoint.
    const advertised = pairs.filter(([field]) => doc[field] !== undefined);
    const differences = advertised
        .filter(([field, key]) => doc[field] !== client.endpoints[key])
        .map(([field, key]) => `${field} is ${JSON.stringify(doc[field])}, the outputs say ${JSON.stringify(client.endpoints[key])}`);
    if (differences.length > 0) {
        return fail(client, "endpoints", "endpoints-mismatch", differences.join("; "));
    }
    const absent = pairs.filter(([field]) => doc[field] === undefined).map(([field]) => field);
    return pass(client, "endpoints", `the advertised endpoint URLs match the outputs${absent.length > 0 ? ` (not advertised: ${absent.join(", ")})` : ""}`);
}

/** The discovery check, and the document when one was read. `reachable` is false when the host did not answer at all. */
async function checkDiscovery(client: VerifyClient, options: HttpOptions): Promise<{ result: CheckResult; doc?: DiscoveryDocument; reachable: boolean }> {
    const result = await httpRequest({ method: "GET", url: client.discoveryUrl }, options);
    if (!result.ok) {
        return { result: failRequest(client, "discovery", client.discoveryUrl, result), reachable: false };
    }
    if (result.status !== 200) {
        const where = result.status >= 300 && result.status < 400 ? ` (redirects to ${String(result.headers.location ?? "?")})` : "";
        return { result: fail(client, "discovery", "discovery-status", `HTTP ${result.status} at ${client.discoveryUrl}${where}`), reachable: true };
    }
    const doc = parseJson(result.body);
    if (!isObject(doc)) {
        return { result: fail(client, "discovery", "discovery-json", `${client.discoveryUrl} is not a JSON document`), reachable: true };
    }
    if (doc.issuer !== client.issuer) {
        return {
            result: fail(client, "discovery", "issuer-mismatch", `issuer is ${JSON.stringify(doc.issuer ?? null)}, the client is configured with ${JSON.stringify(client.issuer)}`),
            doc,
            reachable: true,
        };
    }
    if (!client.discoveryUrl.startsWith("https://")) {
        return { result: fail(client, "discovery", "not-https", `${client.discoveryUrl} is not https`), doc, reachable: true };
    }
    const expectedUrl = `${client.issuer.replace(/\/?$/, "/")}.well-known/openid-configuration`;
    if (client.discoveryUrl !== expectedUrl) {
        return { result: fail(client, "discovery", "discovery-url", `the discovery URL is ${client.discoveryUrl}, expected ${expectedUrl}`), doc, reachable: true };
    }
    return { result: pass(client, "discovery", `issuer ${client.issuer}`), doc, reachable: true };
}

async function checkAuthorize(client: VerifyClient, options: HttpOptions): Promise<{ result: CheckResult; clientKnown: boolean }> {
    const problems: { reason: FailureReason; text: string }[] = [];
    let clientKnown = true;
    let lastAccepted = "";
    for (const uri of client.redirectUris) {
        const verdict = await probeAuthorize(client, uri, options);
        switch (verdict.kind) {
            case "accepted":
                lastAccepted = verdict.detail;
                break;
            case "accepted-with-error":
                problems.push({ reason: "authorize-error", text: `${uri}: ${verdict.detail}` });
                break;
            case "refused": {
                clientKnown = clientKnown && verdict.why !== "client-id";
                const reason: FailureReason =
                    verdict.why === "client-id" ? "client-unknown" : verdict.why === "redirect-uri" || verdict.status === 400 ? "redirect-refused" : "authorize-unexpected";
                problems.push({ reason, text: `${uri}: ${verdict.detail}` });
                break;
            }
            case "server-error":
                problems.push({ reason: "authorize-unexpected", text: `${uri}: ${verdict.detail}` });
                break;
            case "unreachable":
                return { result: failRequest(client, "authorize", "authorize endpoint", verdict.failure), clientKnown };
        }
    }
    if (problems.length > 0) {
        return { result: fail(client, "authorize", problems[0].reason, problems.map((p) => p.text).join("; ")), clientKnown };
    }
    const n = client.redirectUris.length;
    return { result: pass(client, "authorize", `accepts ${n === 1 ? "its redirect URI" : `all ${n} redirect URIs`} (${lastAccepted})`), clientKnown };
}

async function checkRedirectStrict(client: VerifyClient, options: HttpOptions): Promise<CheckResult> {
    const uri = unregisteredRedirectUri(client.redirectUris[0]);
    const verdict = await probeAuthorize(client, uri, options);
    switch (verdict.kind) {
        case "refused":
            // Authentik refuses an unregistered redirect URI with its 400 page; another status (404...) proves nothing.
            if (verdict.why === "redirect-uri" || verdict.status === 400) {
                return pass(client, "redirect-strict", `refuses ${uri}: ${verdict.detail}`);
            }
            return fail(client, "redirect-strict", "authorize-unexpected", `${uri}: ${verdict.detail}`);
        case "accepted":
        case "accepted-with-error":
            return fail(client, "redirect-strict", "redirect-not-strict", `accepted the unregistered ${uri}: ${verdict.detail}`);
        case "server-error":
            return fail(client, "redirect-strict", "authorize-unexpected", `${uri}: ${verdict.detail}`);
        case "unreachable":
            return failRequest(client, "redirect-strict", "authorize endpoint", verdict.failure);
    }
}

/**
 * Every check of one client, in CHECK_NAMES order. When the host does not answer at all, the checks
 * after discovery are skipped rather than failed, so the table shows the one cause.
 */
export async function verifyClient(client: VerifyClient, options: HttpOptions, onResult: (result: CheckResult) => void = () => undefined): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const add = (result: CheckResult) => {
        results.push(result);
        onResult(result);
    };
    const discovery = await checkDiscovery(client, options);
    add(discovery.result);
    if (!discovery.reachable) {
        for (const check of CHECK_NAMES.slice(1)) {
            add(skip(client, check, "not run: the discovery request did not reach Authentik"));
        }
        return results;
    }
    const doc = discovery.doc;
    if (doc) {
        add(await checkSigning(client, doc, options));
        add(checkScopes(client, doc));
        add(checkEndpoints(client, doc));
    } else {
        for (const check of ["signing", "scopes", "endpoints"] as const) {
            add(skip(client, check, "not run: no discovery document"));
        }
    }
    const authorize = await checkAuthorize(client, options);
    add(authorize.result);
    add(authorize.clientKnown ? await checkRedirectStrict(client, options) : skip(client, "redirect-strict", "not run: the client id is unknown (see authorize)"));
    add(await checkTokenAuth(client, options));
    add(await checkUserinfo(client, options));
    add(await checkEndSession(client, options));
    const argoCdUrl = argoCdUrlOfDexCallback(client.redirectUris[0]);
    if (argoCdUrl !== undefined) {
        add(await checkDexDiscovery(client, argoCdUrl, options));
    }
    return results;
}
