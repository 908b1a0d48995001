/**
 * `argocd login --sso` against a real OpenID Provider on loopback (`oidc-provider`, OpenID Certified),
 * configured from what the program renders for the dev stack: the web client as a confidential client,
 * the CLI client as a public native one (no secret), ArgoCD's `oidc.config` as the relying party.
 *
 * The flow is the CLI's own (argoproj/argo-cd cmd/argocd/commands/login.go): discovery from the
 * server's issuer, authorization code with PKCE S256 on the loopback callback, the code redeemed with
 * the client id and no secret; then the server's check of the token (util/oidc/provider.go): `iss`
 * equal to `oidc.config.issuer`, `aud` one of clientID/cliClientID, RS256. Authentik's own part, the
 * issuer each provider puts into its tokens, is pinned by the assertions on the rendered issuers.
 */
import { expect } from "chai";
import { createHash, generateKeyPairSync, randomBytes } from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { parse } from "yaml";
import { Evaluation } from "../../../scripts/lib/mockRuntime";
import { HomelabSsoOutputs } from "../../../stacks/outputs";
import { committedStack, oidcProviderInputs, onlyResource } from "../../support/stacks";

/** Loaded lazily: both packages are ES modules (Node 22 loads them through require). oidc-provider ships no types. */
type JoseModule = typeof import("jose");
interface OidcContext {
    type: string;
    body: unknown;
}
type OidcProviderClass = new (issuer: string, configuration: object) => { callback(): http.RequestListener };
const loadModule = (name: string): Promise<unknown> => import(name);

interface RenderedArgoCd {
    issuer: string;
    clientId: string;
    cliClientId: string;
    scopes: string[];
    web: { clientType: string; redirectUris: string[] };
    cli: { clientType: string; redirectUris: string[] };
}

function renderedArgoCd(evaluation: Evaluation): RenderedArgoCd {
    const values = onlyResource(evaluation, "kubernetes:helm.sh/v3:Release", "argocd-release").inputs.values as any;
    const config = parse(values.configs.cm["oidc.config"]);
    const uris = (inputs: any) => (inputs.allowedRedirectUris as { url: string }[]).map((u) => u.url);
    const web = oidcProviderInputs(evaluation, "argocd");
    const cli = oidcProviderInputs(evaluation, "argocd-native");
    return {
        issuer: config.issuer,
        clientId: config.clientID,
        cliClientId: config.cliClientID,
        scopes: config.requestedScopes,
        web: { clientType: web.clientType, redirectUris: uris(web) },
        cli: { clientType: cli.clientType, redirectUris: uris(cli) },
    };
}

/** A cookie jar just good enough for oidc-provider's interaction cookies. */
class Browser {
    private readonly cookies = new Map<string, string>();

    async request(url: string, init: { method?: string; form?: { [key: string]: string } } = {}): Promise<Response> {
        const response = await fetch(url, {
            method: init.method ?? "GET",
            redirect: "manual",
            headers: {
                cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
                ...(init.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
            },
            body: init.form ? new URLSearchParams(init.form).toString() : undefined,
        });
        for (const cookie of response.headers.getSetCookie()) {
            const [pair] = cookie.split(";");
            const index = pair.indexOf("=");
            this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
        }
        return response;
    }
}

function base64url(buffer: Buffer): string {
    return buffer.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

describe("argocd login --sso against a real OpenID Provider on loopback (dev render)", function () {
    this.timeout(30000);
    let rendered: RenderedArgoCd;
    let outputs: HomelabSsoOutputs;
    let server: http.Server;
    let issuer: string;
    let jose: JoseModule;
    let quiet: { warn: typeof console.warn; info: typeof console.info } | undefined;

    before(async () => {
        const evaluation = await committedStack("dev");
        rendered = renderedArgoCd(evaluation);
        outputs = evaluation.outputs as unknown as HomelabSsoOutputs;
        const { default: Provider } = (await loadModule("oidc-provider")) as { default: OidcProviderClass };
        jose = (await import("jose")) as JoseModule;

        server = http.createServer();
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        // The same shape as Authentik's global issuer: the host's root, trailing slash.
        issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
        const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
        const ttl = (seconds: number) => () => seconds;
        // oidc-provider announces its development defaults on the console; keep the test output clean.
        quiet = { warn: console.warn, info: console.info };
        console.warn = () => undefined;
        console.info = () => undefined;
        const provider = new Provider(issuer, {
            clients: [
                // The web client: confidential, as the program registers it in Authentik.
                { client_id: rendered.clientId, client_secret: "web-client-secret", redirect_uris: rendered.web.redirectUris, token_endpoint_auth_method: "client_secret_basic" },
                // The CLI client: public and native, exactly its rendered redirect URIs.
                { client_id: rendered.cliClientId, application_type: "native", token_endpoint_auth_method: "none", redirect_uris: rendered.cli.redirectUris },
                // Today's setup: the CLI's loopback callback added to the confidential client.
                {
                    client_id: "argocd-today",
                    client_secret: "web-client-secret",
                    redirect_uris: [...rendered.web.redirectUris, "http://localhost:8085/auth/callback"],
                    token_endpoint_auth_method: "client_secret_basic",
                },
            ],
            jwks: { keys: [{ ...(privateKey.export({ format: "jwk" }) as object), kid: "signing", alg: "RS256", use: "sig" }] },
            claims: { email: ["email", "email_verified"], profile: ["name", "preferred_username"] },
            pkce: { required: () => true },
            ttl: { AccessToken: ttl(600), AuthorizationCode: ttl(60), IdToken: ttl(600), Interaction: ttl(600), Session: ttl(600), Grant: ttl(600) },
            renderError: async (ctx: OidcContext, out: unknown) => {
                ctx.type = "json";
                ctx.body = out;
            },
            findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id, email: `${id}@example.test`, email_verified: true }) }),
        });
        server.on("request", provider.callback());
    });

    after(() => {
        server?.close();
        if (quiet) {
            console.warn = quiet.warn;
            console.info = quiet.info;
        }
    });

    /** The CLI's login: discovery from the server's issuer, PKCE, the loopback callback, a code redeemed without secret. */
    async function cliLogin(clientId: string): Promise<Response> {
        const discovery = (await (await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`)).json()) as { issuer: string; authorization_endpoint: string; token_endpoint: string };
        // go-oidc's NewProvider: the document's issuer must equal the configured one, character for character.
        expect(discovery.issuer).to.equal(issuer);
        const verifier = base64url(randomBytes(32));
        const challenge = base64url(createHash("sha256").update(verifier).digest());
        const redirectUri = rendered.cli.redirectUris.find((uri) => /^http:\/\/localhost:8085\/auth\/callback$/.test(uri))!;
        const state = base64url(randomBytes(12));
        const browser = new Browser();
        const authorize = new URL(discovery.authorization_endpoint);
        for (const [key, value] of Object.entries({
            client_id: clientId,
            response_type: "code",
            redirect_uri: redirectUri,
            scope: rendered.scopes.join(" "),
            state,
            code_challenge: challenge,
            code_challenge_method: "S256",
        })) {
            authorize.searchParams.set(key, value);
        }
        let response = await browser.request(authorize.toString());
        // Log in (as akadmin), consent, and follow the redirects back to the CLI's callback.
        for (let step = 0; step < 10; step++) {
            const location = response.headers.get("location");
            expect(location, `step ${step}: ${response.status} ${await response.clone().text()}`).to.be.a("string");
            const next = new URL(location!, issuer);
            if (next.toString().startsWith(redirectUri)) {
                expect(next.searchParams.get("state")).to.equal(state);
                const code = next.searchParams.get("code");
                expect(code, next.toString()).to.be.a("string");
                return fetch(discovery.token_endpoint, {
                    method: "POST",
                    headers: { "content-type": "application/x-www-form-urlencoded" },
                    body: new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }).toString(),
                });
            }
            if (/\/interaction\//.test(next.pathname)) {
                const page = await browser.request(next.toString());
                const html = await page.text();
                const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? "login";
                response = await browser.request(next.toString(), { method: "POST", form: prompt === "login" ? { prompt, login: "akadmin", password: "x" } : { prompt } });
            } else {
                response = await browser.request(next.toString());
            }
        }
        throw new Error("the login did not reach the CLI's callback");
    }

    it("the rendered clients fit: a public CLI client with the CLI's loopback callback, both clients on the issuer oidc.config names", () => {
        expect(rendered.cli.clientType).to.equal("public");
        expect(rendered.web.clientType).to.equal("confidential");
        expect(rendered.cli.redirectUris).to.include("http://localhost:8085/auth/callback");
        expect(rendered.web.redirectUris.some((uri) => uri.startsWith("http:"))).to.equal(false);
        // ArgoCD checks every token's iss against oidc.config.issuer: both clients must issue that one.
        expect(outputs.oidcClients.argocd.issuer).to.equal(rendered.issuer);
        expect(outputs.oidcClients.argocd.nativeClient!.issuer).to.equal(rendered.issuer);
        expect(outputs.oidcClients.argocd.nativeClient!.clientId).to.equal(rendered.cliClientId);
    });

    it("logs in with the public CLI client and no secret, and ArgoCD's server check accepts the token", async () => {
        const response = await cliLogin(rendered.cliClientId);
        const body = (await response.json()) as { id_token?: string; error?: string };
        expect(response.status, JSON.stringify(body)).to.equal(200);
        const jwks = jose.createRemoteJWKSet(new URL(`${issuer}jwks`));
        const { payload, protectedHeader } = await jose.jwtVerify(body.id_token!, jwks, {
            issuer,
            audience: [rendered.clientId, rendered.cliClientId],
            algorithms: ["RS256"],
        });
        expect(protectedHeader.alg).to.equal("RS256");
        expect(payload.aud).to.equal(rendered.cliClientId);
        expect(payload.sub).to.equal("akadmin");
    });

    it("fails as today's setup does: the confidential client redeems no code without its secret (invalid_client)", async () => {
        const response = await cliLogin("argocd-today");
        expect(response.status).to.equal(401);
        expect(((await response.json()) as { error?: string }).error).to.equal("invalid_client");
    });

    it("refuses the CLI's callback on the rendered web client: it lists only its https redirect", async () => {
        const error = await cliLogin(rendered.clientId).then(
            () => undefined,
            (caught: Error) => caught,
        );
        expect(error?.message).to.match(/redirect_uri/);
    });
});
