/**
 * verify against answers shaped exactly like Authentik's, byte for byte where it matters: the test
 * provider (oidc-provider) answers some probes differently (303 instead of 302, 401 instead of 400
 * for invalid_client, its own error pages), so this loopback server replays what Authentik's views
 * return for each probe, from goauthentik/authentik:
 *
 * - authorize (`providers/oauth2/views/authorize.py`, `errors.py`): `prompt=none` without a session →
 *   302 to `<redirect_uri>?error=login_required&error_description=...&state=...`; a redirect URI that
 *   does not match → `bad_request_message`: 400, HTML page titled "Redirect URI Error"; unknown client
 *   id → 400 "Client ID Error";
 * - token (`views/token.py`): wrong secret for a confidential provider → 400
 *   `{"error": "invalid_client", "error_description": ..., "request_id": ...}`; a public provider and a
 *   made-up code → 400 `invalid_grant`;
 * - userinfo without a token (`utils.py` protected_resource_view) → 401, `WWW-Authenticate:
 *   error="invalid_token", ...` (no "Bearer" prefix);
 * - end-session for an anonymous user (`views/end_session.py`, PolicyAccessView) → 302 to the login flow;
 * - discovery (`views/provider.py`) and JWKS (`views/jwks.py`: `{}` without a signing key).
 */
import { expect } from "chai";
import * as https from "https";
import { AddressInfo } from "net";
import { CHECK_NAMES, verifyClient } from "../../scripts/lib/verify/checks";
import { VerifyClient } from "../../scripts/lib/verify/outputs";
import { makeTestTls, TestTls } from "../support/oidcServer";

interface AuthentikLike {
    signingKey: boolean;
    publicClient: boolean;
    redirectUris: string[];
}

const AUTHENTIK_ERROR_PAGE = (title: string, message: string) =>
    `<!DOCTYPE html><html><head><title>${title} - authentik</title></head><body><ak-message>${title}</ak-message><p>${message}</p></body></html>`;

function startAuthentikLike(tls: TestTls, app: AuthentikLike): Promise<{ base: string; close: () => Promise<void> }> {
    let base = "";
    const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
        const url = new URL(req.url ?? "/", base);
        const json = (status: number, body: unknown, headers: { [k: string]: string } = {}) =>
            res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
        if (url.pathname === "/application/o/grafana/.well-known/openid-configuration") {
            return json(200, {
                issuer: `${base}/application/o/grafana/`,
                authorization_endpoint: `${base}/application/o/authorize/`,
                token_endpoint: `${base}/application/o/token/`,
                userinfo_endpoint: `${base}/application/o/userinfo/`,
                end_session_endpoint: `${base}/application/o/grafana/end-session/`,
                introspection_endpoint: `${base}/application/o/introspect/`,
                revocation_endpoint: `${base}/application/o/revoke/`,
                device_authorization_endpoint: `${base}/application/o/device/`,
                response_types_supported: ["code", "id_token", "id_token token", "code token", "code id_token", "code id_token token"],
                jwks_uri: `${base}/application/o/grafana/jwks/`,
                id_token_signing_alg_values_supported: [app.signingKey ? "RS256" : "HS256"],
                subject_types_supported: ["public"],
                token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
                scopes_supported: ["openid", "email", "profile"],
                code_challenge_methods_supported: ["plain", "S256"],
            });
        }
        if (url.pathname === "/application/o/grafana/jwks/") {
            return json(200, app.signingKey ? { keys: [{ kty: "RSA", alg: "RS256", use: "sig", kid: "a1b2", n: "0vx7agoebGcQSuuPiLJXZpt", e: "AQAB" }] } : {});
        }
        if (url.pathname === "/application/o/authorize/") {
            if (url.searchParams.get("client_id") !== "grafana") {
                return res.writeHead(400, { "content-type": "text/html" }).end(AUTHENTIK_ERROR_PAGE("Client ID Error", "The client identifier (client_id) is missing or invalid."));
            }
            const redirect = url.searchParams.get("redirect_uri") ?? "";
            if (!app.redirectUris.includes(redirect)) {
                return res
                    .writeHead(400, { "content-type": "text/html" })
                    .end(AUTHENTIK_ERROR_PAGE("Redirect URI Error", "The request fails due to a missing, invalid, or mismatching redirection URI (redirect_uri)."));
            }
            const description = encodeURIComponent("The Authorization Server requires End-User authentication");
            return res.writeHead(302, { location: `${redirect}?error=login_required&error_description=${description}&state=${url.searchParams.get("state")}` }).end();
        }
        if (url.pathname === "/application/o/token/") {
            const auth = req.headers.authorization ?? "";
            const error = !app.publicClient && auth.startsWith("Basic ") ? "invalid_client" : "invalid_grant";
            return json(400, { error, error_description: "…", request_id: "8c1f" });
        }
        if (url.pathname === "/application/o/userinfo/") {
            return res
                .writeHead(401, { "www-authenticate": 'error="invalid_token", error_description="The access token provided is expired, revoked, malformed, or invalid for other reasons"' })
                .end();
        }
        if (url.pathname === "/application/o/grafana/end-session/") {
            return res.writeHead(302, { location: `/flows/-/default/authentication/?next=${encodeURIComponent(req.url ?? "")}` }).end();
        }
        return res.writeHead(404, { "content-type": "text/html" }).end(AUTHENTIK_ERROR_PAGE("Not Found", ""));
    });
    return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () => {
            base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
            resolve({ base, close: () => new Promise<void>((done) => server.close(() => done())) });
        }),
    );
}

function client(base: string, clientType: VerifyClient["clientType"], redirectUris: string[]): VerifyClient {
    const issuer = `${base}/application/o/grafana/`;
    return {
        label: "grafana",
        service: "grafana",
        clientId: "grafana",
        slug: "grafana",
        issuer,
        discoveryUrl: `${issuer}.well-known/openid-configuration`,
        redirectUris,
        clientType,
        endpoints: {
            authorize: `${base}/application/o/authorize/`,
            token: `${base}/application/o/token/`,
            userinfo: `${base}/application/o/userinfo/`,
            endSession: `${issuer}end-session/`,
            jwks: `${issuer}jwks/`,
        },
    };
}

describe("verify against Authentik-shaped answers", () => {
    let tls: TestTls;
    const registered = ["https://grafana.example:8444/login/generic_oauth"];
    before(async function () {
        this.timeout(120_000);
        tls = await makeTestTls();
    });

    async function run(app: AuthentikLike, clientType: VerifyClient["clientType"], redirectUris = registered) {
        const server = await startAuthentikLike(tls, app);
        try {
            return await verifyClient(client(server.base, clientType, redirectUris), { timeoutMs: 3000, retries: 0, retryDelayMs: 1, ca: tls.caPem });
        } finally {
            await server.close();
        }
    }

    it("a healthy confidential provider passes every check (302 login_required, 400 invalid_client, 401 userinfo)", async () => {
        const results = await run({ signingKey: true, publicClient: false, redirectUris: registered }, "confidential");
        expect(results.filter((r) => r.status !== "pass")).to.deep.equal([]);
        expect(results.map((r) => r.check)).to.deep.equal([...CHECK_NAMES]);
        expect(results.find((r) => r.check === "authorize")!.detail).to.include("error=login_required, HTTP 302");
        expect(results.find((r) => r.check === "redirect-strict")!.detail).to.include("HTTP 400, redirect URI not registered");
        expect(results.find((r) => r.check === "token-auth")!.detail).to.equal("refused a wrong client secret (HTTP 400 invalid_client)");
        expect(results.find((r) => r.check === "userinfo")!.detail).to.equal("refused without a token (HTTP 401 invalid_token)");
        expect(results.find((r) => r.check === "end-session")!.detail).to.equal("answered HTTP 302");
    });

    it("a provider without a signing key (HS256, JWKS `{}`) fails signing only", async () => {
        const results = await run({ signingKey: false, publicClient: false, redirectUris: registered }, "confidential");
        expect(results.filter((r) => r.status !== "pass").map((r) => `${r.check} ${r.reason}`)).to.deep.equal(["signing no-rs256"]);
    });

    it("a confidential client whose provider was made public fails token-auth only", async () => {
        const results = await run({ signingKey: true, publicClient: true, redirectUris: registered }, "confidential");
        expect(results.filter((r) => r.status !== "pass").map((r) => `${r.check} ${r.reason}`)).to.deep.equal(["token-auth secret-not-checked"]);
    });

    it("a public client passes token-auth against a public provider", async () => {
        const results = await run({ signingKey: true, publicClient: true, redirectUris: registered }, "public");
        expect(results.find((r) => r.check === "token-auth")).to.include({ status: "pass" });
    });

    it("an unknown client id fails authorize with the Client ID Error page and skips redirect-strict", async () => {
        const server = await startAuthentikLike(tls, { signingKey: true, publicClient: false, redirectUris: registered });
        try {
            const results = await verifyClient({ ...client(server.base, "confidential", registered), clientId: "grafana-renamed" }, { timeoutMs: 3000, retries: 0, retryDelayMs: 1, ca: tls.caPem });
            const notPassed = results.filter((r) => r.status !== "pass").map((r) => `${r.check} ${r.status} ${r.reason ?? ""}`.trim());
            expect(notPassed).to.deep.equal(["authorize fail client-unknown", "redirect-strict skip"]);
        } finally {
            await server.close();
        }
    });

    it("a redirect URI that Authentik lacks fails authorize with the Redirect URI Error page", async () => {
        const results = await run({ signingKey: true, publicClient: false, redirectUris: registered }, "confidential", [...registered, "https://grafana.example:8444/other"]);
        const failed = results.filter((r) => r.status !== "pass");
        expect(failed.map((r) => `${r.check} ${r.reason}`)).to.deep.equal(["authorize redirect-refused"]);
        expect(failed[0].detail).to.equal("https://grafana.example:8444/other: HTTP 400, redirect URI not registered");
    });
});
