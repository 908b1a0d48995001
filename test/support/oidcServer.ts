/**
 * A real OpenID provider on loopback, laid out like Authentik: `oidc-provider` (panva, OpenID
 * Certified) with one provider per application slug behind one HTTPS listener on 127.0.0.1.
 *
 * - issuer `https://127.0.0.1:<port>/application/o/<slug>/` (trailing slash), discovery at
 *   `<issuer>.well-known/openid-configuration`, JWKS at `/application/o/<slug>/jwks/`, end-session at
 *   `/application/o/<slug>/end-session/`;
 * - shared `/application/o/authorize/`, `/application/o/token/`, `/application/o/userinfo/`,
 *   dispatched to the slug's provider by client id, as Authentik looks the provider up by client id;
 * - TLS from a CA made in the test (selfsigned), so a client trusts it only with that CA.
 *
 * `faults` break one thing the way a misconfigured Authentik would, for the verify tests. With a
 * `user`, every login succeeds as that user without a form (interaction and consent answered by the
 * server itself), and ID tokens carry the scopes' claims as Authentik's do (groups through `profile`),
 * for the tests that log in (test/components/argocd/dex.test.ts). Nothing listens beyond 127.0.0.1 and
 * nothing leaves the machine.
 */
import { generateKeyPairSync, randomBytes } from "crypto";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import { Readable } from "stream";
import { Provider } from "oidc-provider";
import { loopbackTls, LoopbackTls } from "./loopbackTls";

export type Fault =
    /** No signing key: ID tokens HS256 only (confidential clients; a public client cannot use HS256). */
    | "hs256"
    /** The provider's issuer lacks the trailing slash. */
    | "issuer-without-slash"
    /** Redirect URIs matched by prefix, like a regex `https://host/.*` entry. */
    | "wildcard-redirect"
    /** Any client secret accepted, as by a provider switched to public. */
    | "accepts-wrong-secret"
    /** Only the openid scope mapping. */
    | "missing-scopes"
    /** The userinfo endpoint switched off (404). */
    | "no-userinfo"
    /** RP-initiated logout switched off (404 at end-session). */
    | "no-end-session"
    /** The native client registered as confidential. */
    | "native-confidential";

/** The one user a login-capable server logs everyone in as, with the claims Authentik would issue. */
export interface TestUser {
    sub: string;
    name: string;
    preferredUsername: string;
    email: string;
    groups: string[];
}

export interface TestClient {
    slug: string;
    clientId: string;
    redirectUris: string[];
    public?: boolean;
}

export interface TestService {
    name: string;
    client: TestClient;
    native?: TestClient;
}

/** Grafana, ArgoCD and ArgoCD's CLI, with the homelab's redirect URIs moved to loopback. */
export const DEFAULT_SERVICES: TestService[] = [
    { name: "grafana", client: { slug: "grafana", clientId: "grafana", redirectUris: ["https://127.0.0.1:8444/login/generic_oauth"] } },
    {
        name: "argocd",
        client: { slug: "argocd", clientId: "argocd", redirectUris: ["https://127.0.0.1:8443/auth/callback", "https://127.0.0.1:8443/pkce/verify"] },
        native: { slug: "argocd-cli", clientId: "argocd-cli", redirectUris: ["http://localhost:8085/auth/callback"], public: true },
    },
];

export type TestTls = LoopbackTls;

/** A CA and a server certificate for 127.0.0.1 and localhost signed by it. Made once per test run. */
export function makeTestTls(): Promise<TestTls> {
    return loopbackTls("homelab-sso verify test CA", 24);
}

/** Minimal storage for oidc-provider (its own memory adapter prints a development warning). */
class MapAdapter {
    private static stores = new Map<string, Map<string, { [key: string]: unknown }>>();
    private readonly store: Map<string, { [key: string]: unknown }>;
    constructor(name: string) {
        this.store = MapAdapter.stores.get(name) ?? new Map();
        MapAdapter.stores.set(name, this.store);
    }
    async upsert(id: string, payload: { [key: string]: unknown }): Promise<void> {
        this.store.set(id, payload);
    }
    async find(id: string) {
        return this.store.get(id);
    }
    async findByUserCode(): Promise<undefined> {
        return undefined;
    }
    async findByUid(uid: string) {
        return [...this.store.values()].find((p) => p.uid === uid);
    }
    async consume(id: string): Promise<void> {
        const payload = this.store.get(id);
        if (payload) {
            payload.consumed = Math.floor(Date.now() / 1000);
        }
    }
    async destroy(id: string): Promise<void> {
        this.store.delete(id);
    }
    async revokeByGrantId(): Promise<void> {}
}

const SIGNING_KEY = (() => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    return { ...privateKey.export({ format: "jwk" }), kid: "verify-test-rs256", alg: "RS256", use: "sig" };
})();

function makeProvider(issuerBase: string, client: TestClient, secret: string, faults: Set<Fault>, user?: TestUser): Provider {
    const slugBase = `/application/o/${client.slug}`;
    const isPublic = client.public === true && !faults.has("native-confidential");
    const hs256 = faults.has("hs256") && !isPublic;
    const issuer = `${issuerBase}${slugBase}${faults.has("issuer-without-slash") ? "" : "/"}`;
    const scopes = faults.has("missing-scopes") ? ["openid"] : ["openid", "email", "profile"];
    const claims: { [scope: string]: string[] } = faults.has("missing-scopes")
        ? { openid: ["sub"] }
        : { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username", "groups"] };
    const provider = new Provider(issuer, {
        clients: [
            {
                client_id: client.clientId,
                ...(isPublic ? { token_endpoint_auth_method: "none" } : { client_secret: secret, token_endpoint_auth_method: "client_secret_basic" }),
                redirect_uris: client.redirectUris,
                grant_types: ["authorization_code"],
                response_types: ["code"],
                application_type: client.redirectUris.every((u) => u.startsWith("http://localhost")) ? "native" : "web",
                id_token_signed_response_alg: hs256 ? "HS256" : "RS256",
            },
        ],
        jwks: { keys: hs256 ? [] : [SIGNING_KEY] },
        enabledJWA: { idTokenSigningAlgValues: hs256 ? ["HS256"] : ["RS256"] },
        scopes,
        claims,
        adapter: MapAdapter,
        cookies: { keys: [randomBytes(16).toString("hex")] },
        findAccount: async (_ctx: unknown, sub: string) =>
            user && sub === user.sub
                ? {
                      accountId: user.sub,
                      // Authentik 2025.10+ sends email_verified false by default (its email scope mapping).
                      claims: async () => ({ sub: user.sub, name: user.name, preferred_username: user.preferredUsername, email: user.email, email_verified: false, groups: user.groups }),
                  }
                : undefined,
        // Authentik puts the scopes' claims into the ID token; oidc-provider moves them to userinfo unless told not to.
        ...(user ? { conformIdTokenClaims: false } : {}),
        ...(user ? { interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${slugBase}/interaction/${interaction.uid}` } } : {}),
        ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
        routes: {
            authorization: "/application/o/authorize/",
            token: "/application/o/token/",
            userinfo: "/application/o/userinfo/",
            jwks: `${slugBase}/jwks/`,
            end_session: `${slugBase}/end-session/`,
        },
        features: {
            devInteractions: { enabled: false },
            userinfo: { enabled: !faults.has("no-userinfo") },
            rpInitiatedLogout: { enabled: !faults.has("no-end-session"), logoutSource: async (ctx: { body: string }, form: string) => (ctx.body = `<!DOCTYPE html><title>Log out</title>${form}`) },
        },
        renderError: async (ctx: { type: string; body: string }, out: { error: string; error_description?: string }) => {
            ctx.type = "html";
            ctx.body = `<!DOCTYPE html><title>${out.error}</title><p>${out.error}: ${out.error_description ?? ""}</p>`;
        },
    });
    provider.proxy = true;
    if (faults.has("wildcard-redirect")) {
        const registered = client.redirectUris.map((u) => new URL(u).origin);
        provider.Client.prototype.redirectUriAllowed = (uri: string) => registered.some((origin) => uri.startsWith(`${origin}/`));
    }
    if (faults.has("accepts-wrong-secret")) {
        provider.Client.prototype.compareClientSecret = async () => true;
    }
    return provider;
}

export interface RunningTestServer {
    port: number;
    baseUrl: string;
    caPem: string;
    /** The client secret of every confidential client (verify never needs it; a test may). */
    secrets: Map<string, string>;
    close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => resolve(Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

/** The client id of a token request: HTTP Basic user, else the form's client_id. */
function tokenClientId(req: http.IncomingMessage, body: Buffer): string | undefined {
    const auth = req.headers.authorization;
    if (auth?.startsWith("Basic ")) {
        const decoded = Buffer.from(auth.slice(6), "base64").toString("utf8");
        return decodeURIComponent(decoded.split(":")[0]);
    }
    return new URLSearchParams(body.toString("utf8")).get("client_id") ?? undefined;
}

/** Answers a login interaction as `user`, consenting to the scopes asked for: a user who clicks through. */
async function logInAs(provider: Provider, user: TestUser, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: user.sub, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: user.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

/** Starts the server on 127.0.0.1 (port 0: any free port). */
export async function startTestServer(options: { tls: TestTls; services?: TestService[]; faults?: Fault[]; user?: TestUser }): Promise<RunningTestServer> {
    const services = options.services ?? DEFAULT_SERVICES;
    const faults = new Set(options.faults ?? []);
    const secrets = new Map<string, string>();
    const bySlug = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>();
    const byClientId = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>();
    const providersBySlug = new Map<string, Provider>();
    /** Interaction uid -> slug, so the authorization's resume (`/application/o/authorize/<uid>`) reaches its provider. */
    const interactionSlugs = new Map<string, string>();
    let baseUrl = "";

    const server = https.createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
        void (async () => {
            req.headers["x-forwarded-proto"] = "https";
            req.headers["x-forwarded-host"] = req.headers.host ?? "";
            const url = new URL(req.url ?? "/", baseUrl);
            const path = url.pathname;
            let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
            let forwarded: http.IncomingMessage = req;
            const interaction = /^\/application\/o\/([a-z0-9-]+)\/interaction\/([A-Za-z0-9_-]+)$/.exec(path);
            const resume = /^\/application\/o\/authorize\/\/?([A-Za-z0-9_-]+)$/.exec(path);
            if (interaction && options.user && providersBySlug.has(interaction[1])) {
                interactionSlugs.set(interaction[2], interaction[1]);
                await logInAs(providersBySlug.get(interaction[1])!, options.user, req, res);
                return;
            } else if (resume && interactionSlugs.has(resume[1])) {
                handler = bySlug.get(interactionSlugs.get(resume[1])!);
            } else if (path === "/application/o/authorize/") {
                handler = byClientId.get(url.searchParams.get("client_id") ?? "") ?? bySlug.values().next().value;
            } else if (path === "/application/o/token/") {
                const body = await readBody(req);
                handler = byClientId.get(tokenClientId(req, body) ?? "") ?? bySlug.values().next().value;
                // Hand oidc-provider an unread stream holding the same body.
                forwarded = Object.assign(Readable.from([body]), {
                    headers: req.headers,
                    method: req.method,
                    url: req.url,
                    httpVersion: req.httpVersion,
                    socket: req.socket,
                    connection: req.socket,
                }) as unknown as http.IncomingMessage;
            } else if (path === "/application/o/userinfo/") {
                handler = bySlug.values().next().value;
            } else {
                const match = /^\/application\/o\/([a-z0-9-]+)(\/.*)$/.exec(path);
                if (match && bySlug.has(match[1])) {
                    handler = bySlug.get(match[1]);
                    if (match[2] === "/.well-known/openid-configuration") {
                        req.url = `/.well-known/openid-configuration${url.search}`;
                    }
                }
            }
            if (!handler) {
                res.writeHead(404, { "content-type": "text/plain" }).end("Not Found");
                return;
            }
            handler(forwarded, res);
        })().catch(() => {
            res.writeHead(500).end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    baseUrl = `https://127.0.0.1:${port}`;
    for (const service of services) {
        for (const client of [service.client, ...(service.native ? [service.native] : [])]) {
            const secret = randomBytes(24).toString("hex");
            if (!client.public) {
                secrets.set(client.clientId, secret);
            }
            const provider = makeProvider(baseUrl, client, secret, faults, options.user);
            const callback = provider.callback();
            providersBySlug.set(client.slug, provider);
            bySlug.set(client.slug, callback);
            byClientId.set(client.clientId, callback);
        }
    }
    return {
        port,
        baseUrl,
        caPem: options.tls.caPem,
        secrets,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** One client's stack output, as `pulumi stack output --json` prints `oidcClients.<service>`. */
export function clientOutputs(baseUrl: string, client: TestClient, extraRedirectUris: string[] = []): { [key: string]: unknown } {
    const issuer = `${baseUrl}/application/o/${client.slug}/`;
    return {
        slug: client.slug,
        clientId: client.clientId,
        clientType: client.public ? "public" : "confidential",
        issuer,
        discoveryUrl: `${issuer}.well-known/openid-configuration`,
        redirectUris: [...client.redirectUris, ...extraRedirectUris],
        endpoints: {
            authorize: `${baseUrl}/application/o/authorize/`,
            token: `${baseUrl}/application/o/token/`,
            userinfo: `${baseUrl}/application/o/userinfo/`,
            endSession: `${issuer}end-session/`,
            jwks: `${issuer}jwks/`,
        },
    };
}

/**
 * The stack outputs the program would export for these services against this server.
 * `extraRedirectUri` adds a redirect URI the server does not hold (the program and Authentik disagree).
 */
export function stackOutputs(baseUrl: string, services: TestService[] = DEFAULT_SERVICES, extraRedirectUri?: string): { [key: string]: unknown } {
    const oidcClients: { [service: string]: unknown } = {};
    for (const service of services) {
        const extra = extraRedirectUri ? [extraRedirectUri] : [];
        oidcClients[service.name] = {
            ...clientOutputs(baseUrl, service.client, extra),
            ...(service.native ? { nativeClient: clientOutputs(baseUrl, service.native) } : {}),
        };
    }
    return { authentikPublicUrl: baseUrl, oidcClients, bookmarks: [] };
}
