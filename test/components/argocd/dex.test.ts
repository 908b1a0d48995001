/**
 * ArgoCD's bundled Dex (components/argocd/dex.ts): the rendered `dex.config`, the Dex pod against the
 * `restricted` Pod Security level, and a real Dex (tools/dex: v2.41.1, the release the argo-cd chart
 * 7.8.0 runs) on loopback with the full configuration ArgoCD would hand it, logging in through the
 * loopback OpenID provider the verify tests use (test/support/oidcServer.ts, laid out like Authentik).
 *
 * The configuration is the program's rendered `dex.config` plus what argo-cd v2.14 `util/dex/config.go`
 * `GenerateDexConfigYAML` adds (`argoCdGeneratedDexConfig` below, written from that function): issuer
 * `<url>/api/dex`, memory storage, web/grpc/telemetry listeners (here on 127.0.0.1), `skipApprovalScreen`,
 * the static clients `argo-cd` (confidential, `<url>/auth/callback`) and `argo-cd-cli` (public,
 * `http://localhost` and `http://localhost:8085/auth/callback`), each oidc connector's `redirectURI`
 * `<url>/api/dex/callback`, and `$<secret>:<key>` strings replaced as `replaceMapSecrets` does. Two
 * fields are pointed at the loopback stand-ins: the connector's issuer, and its `rootCAs` file (in the
 * cluster, the mounted ConfigMap).
 */
import { expect } from "chai";
import { ChildProcess, execFileSync, spawn } from "child_process";
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { ARGOCD_DEX_CONTAINER_SECURITY_CONTEXT, DEX_OIDC_CONNECTOR_FIELDS, argoCdDexConfig, argoCdDexValues } from "../../../components/argocd/dex";
import { ARGOCD_OIDC_SECRET } from "../../../components/argocd/values";
import { Values } from "../../../components/helm/mergeValues";
import { restrictedViolations } from "../../../components/monitoring/podSecurity";
import { Evaluation } from "../../../scripts/lib/mockRuntime";
import { RunningTestServer, TestTls, TestUser, makeTestTls, startTestServer } from "../../support/oidcServer";
import { committedStack, onlyResource } from "../../support/stacks";

type JoseModule = typeof import("jose");

const ROOT = path.join(__dirname, "..", "..", "..");
const DEX_BUILD_SCRIPT = path.join(ROOT, "tools", "dex", "build.sh");

function releaseValues(evaluation: Evaluation): any {
    return onlyResource(evaluation, "kubernetes:helm.sh/v3:Release", "argocd-release").inputs.values;
}

/** Chart 7.8.0 defaults of the keys the Dex pod's security reads (charts/upstream/argo-cd-7.8.0.values.yaml). */
function chartDefaults(): { globalSecurityContext: Values; dexContainerSecurityContext: Values } {
    const defaults = parse(fs.readFileSync(path.join(ROOT, "charts", "upstream", "argo-cd-7.8.0.values.yaml"), "utf8"));
    return { globalSecurityContext: defaults.global.securityContext, dexContainerSecurityContext: defaults.dex.containerSecurityContext };
}

/**
 * The Dex pod's security fields as chart 7.8.0 `templates/dex/deployment.yaml` renders them: the pod's
 * from `global.securityContext`, both containers' (`dex`, init `copyutil`) from
 * `dex.containerSecurityContext`; the user's map replaces the default's keys one by one (Helm coalesce).
 */
function dexPodSecurity(values: any) {
    const defaults = chartDefaults();
    const container = { ...defaults.dexContainerSecurityContext, ...(values.dex?.containerSecurityContext ?? {}) };
    return {
        securityContext: { ...defaults.globalSecurityContext, ...(values.global?.securityContext ?? {}) },
        containers: [
            { name: "dex", securityContext: container },
            { name: "copyutil", securityContext: container },
        ],
        volumeTypes: ["emptyDir", "emptyDir", ...((values.dex?.volumes ?? []) as Values[]).map((v) => Object.keys(v).find((k) => k !== "name")!)],
    };
}

/** What argo-cd v2.14 `GenerateDexConfigYAML` makes of `dex.config` for ArgoCD at `url`. */
function argoCdGeneratedDexConfig(dexConfig: string, url: string, argoCdClientSecret: string, secrets: Map<string, string>, ports: { web: number; grpc: number; telemetry: number }): Values {
    const config = parse(dexConfig) as Values;
    config.issuer = `${url}/api/dex`;
    config.storage = { type: "memory" };
    // ArgoCD listens on 0.0.0.0 inside its pod; the test stays on loopback.
    config.web = { http: `127.0.0.1:${ports.web}` };
    config.grpc = { addr: `127.0.0.1:${ports.grpc}` };
    config.telemetry = { http: `127.0.0.1:${ports.telemetry}` };
    config.oauth2 = { skipApprovalScreen: true, ...((config.oauth2 as Values | undefined) ?? {}) };
    config.staticClients = [
        { id: "argo-cd", name: "Argo CD", secret: argoCdClientSecret, redirectURIs: [`${url}/auth/callback`] },
        { id: "argo-cd-cli", name: "Argo CD CLI", public: true, redirectURIs: ["http://localhost", "http://localhost:8085/auth/callback"] },
        ...((config.staticClients as Values[] | undefined) ?? []),
    ];
    for (const connector of config.connectors as Values[]) {
        if (["oidc", "saml", "microsoft", "linkedin", "gitlab", "github", "bitbucket-cloud", "openshift"].includes(connector.type as string)) {
            (connector.config as Values).redirectURI = `${url}/api/dex/callback`;
        }
    }
    // settings.ReplaceStringSecret: a string "$<key>" becomes the trimmed value when the key exists.
    const replace = (value: unknown): unknown => {
        if (typeof value === "string" && value.startsWith("$") && secrets.has(value.slice(1))) return secrets.get(value.slice(1))!.trim();
        if (Array.isArray(value)) return value.map(replace);
        if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
        return value;
    };
    return replace(config) as Values;
}

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

function base64url(buffer: Buffer): string {
    return buffer.toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

interface SimpleResponse {
    status: number;
    location?: string;
    body: string;
}

/** A browser just good enough for the login: cookies by name, http and https (trusting the test CA), no redirects followed. */
class Browser {
    private readonly cookies = new Map<string, string>();
    constructor(private readonly caPem: string) {}

    request(url: string, init: { method?: string; form?: { [key: string]: string }; basicAuth?: string } = {}): Promise<SimpleResponse> {
        const target = new URL(url);
        const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
        const headers: http.OutgoingHttpHeaders = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
        if (body !== undefined) {
            headers["content-type"] = "application/x-www-form-urlencoded";
            headers["content-length"] = Buffer.byteLength(body);
        }
        if (init.basicAuth) headers.authorization = `Basic ${Buffer.from(init.basicAuth).toString("base64")}`;
        const send = target.protocol === "https:" ? https.request : http.request;
        return new Promise((resolve, reject) => {
            const req = send(target, { method: init.method ?? "GET", headers, ...(target.protocol === "https:" ? { ca: this.caPem } : {}) }, (res) => {
                for (const cookie of res.headers["set-cookie"] ?? []) {
                    const [pair] = cookie.split(";");
                    const index = pair.indexOf("=");
                    this.cookies.set(pair.slice(0, index), pair.slice(index + 1));
                }
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString("utf8") }));
                res.on("error", reject);
            });
            req.on("error", reject);
            req.end(body);
        });
    }

    /** Follows redirects from `start` until one leads to `redirectUri`; returns that URL (code and state). */
    async loginUntil(start: string, redirectUri: string): Promise<URL> {
        let url = start;
        for (let step = 0; step < 15; step++) {
            const response = await this.request(url);
            expect(response.location, `step ${step}: GET ${url} answered ${response.status}: ${response.body.slice(0, 300)}`).to.be.a("string");
            const next = new URL(response.location!, url);
            if (next.toString().startsWith(`${redirectUri}?`)) return next;
            url = next.toString();
        }
        throw new Error(`the login did not reach ${redirectUri}`);
    }
}

describe("ArgoCD's Dex (components/argocd/dex.ts)", () => {
    describe("dex.config", () => {
        const settings = { issuer: "https://sso.example.net/application/o/argocd/", clientId: "argocd", trustIssuerCa: false };

        it("has one oidc connector to Authentik: issuer, client id, the secret by reference, the scopes, groups passed on; sorted keys, stable", () => {
            const yaml = argoCdDexConfig(settings);
            expect(parse(yaml)).to.deep.equal({
                connectors: [
                    {
                        type: "oidc",
                        id: "authentik",
                        name: "Authentik",
                        config: {
                            issuer: "https://sso.example.net/application/o/argocd/",
                            clientID: "argocd",
                            clientSecret: "$argocd-oidc-authentik:clientSecret",
                            scopes: ["openid", "profile", "email"],
                            insecureEnableGroups: true,
                        },
                    },
                ],
            });
            expect(argoCdDexConfig(settings)).to.equal(yaml);
            const configKeys = yaml.split("\n").filter((l) => /^ {6}\w/.test(l)).map((l) => l.trim().split(":")[0]);
            expect(configKeys).to.deep.equal([...configKeys].sort());
        });

        it("trusts the mounted issuer CA file only when the stack has one", () => {
            expect(parse(argoCdDexConfig({ ...settings, trustIssuerCa: true })).connectors[0].config.rootCAs).to.deep.equal(["/etc/homelab-sso/issuer-ca/ca.crt"]);
            expect(parse(argoCdDexConfig(settings)).connectors[0].config).to.not.have.property("rootCAs");
        });

        for (const stack of ["prod", "dev"] as const) {
            it(`${stack}: every connector field the program renders is a field of Dex v2.41.1's oidc Config, and no value is a secret`, async () => {
                const values = releaseValues(await committedStack(stack));
                const rendered = parse(values.configs.cm["dex.config"]);
                expect(Object.keys(rendered)).to.deep.equal(["connectors"]);
                for (const connector of rendered.connectors) {
                    expect(Object.keys(connector).sort()).to.deep.equal(["config", "id", "name", "type"]);
                    expect(connector.type).to.equal("oidc");
                    for (const field of Object.keys(connector.config)) {
                        expect(DEX_OIDC_CONNECTOR_FIELDS as readonly string[], field).to.include(field);
                    }
                    // ArgoCD sets redirectURI itself; a value here would be overwritten.
                    expect(connector.config).to.not.have.property("redirectURI");
                    expect(connector.config.clientSecret).to.equal(`$${ARGOCD_OIDC_SECRET.name}:${ARGOCD_OIDC_SECRET.key}`);
                }
            });
        }
    });

    describe("the Dex pod meets the restricted Pod Security level", () => {
        for (const stack of ["prod", "dev"] as const) {
            it(`${stack}: chart 7.8.0 defaults + the program's values; a memory request like the other ArgoCD pods`, async () => {
                const values = releaseValues(await committedStack(stack));
                expect(values.dex.enabled).to.equal(true);
                expect(restrictedViolations(dexPodSecurity(values))).to.deep.equal([]);
                expect(values.dex.containerSecurityContext).to.deep.equal(ARGOCD_DEX_CONTAINER_SECURITY_CONTEXT);
                expect(values.dex.resources.requests.memory).to.equal("64Mi");
            });
        }

        it("the check fails a Dex container that may escalate or keeps its capabilities", () => {
            const values = { dex: { ...argoCdDexValues({ trustIssuerCa: false }), containerSecurityContext: { allowPrivilegeEscalation: true, capabilities: { drop: [] } } } };
            expect(restrictedViolations(dexPodSecurity(values))).to.include.members([
                "container dex: allowPrivilegeEscalation is not false",
                "container copyutil: capabilities do not drop ALL",
            ]);
        });
    });

    describe("a real Dex v2.41.1 on loopback with the configuration ArgoCD hands it", function () {
        this.timeout(60_000);
        const user: TestUser = { sub: "akadmin-sub", name: "authentik Default Admin", preferredUsername: "akadmin", email: "akadmin@example.test", groups: ["authentik Admins", "homelab users"] };
        const argoCdClientSecret = randomBytes(24).toString("hex");
        const scopes = "openid profile email groups federated:id";
        let tls: TestTls;
        let upstream: RunningTestServer;
        let dex: ChildProcess | undefined;
        let dexLog = "";
        let url: string;
        let issuer: string;
        let tmp: string;
        let jose: JoseModule;
        let discovery: { issuer: string; authorization_endpoint: string; token_endpoint: string; jwks_uri: string };

        before(async function () {
            const binary = execFileSync(DEX_BUILD_SCRIPT, ["--path"], { encoding: "utf8" }).trim();
            if (!fs.existsSync(binary)) {
                throw new Error(`Dex is not built (expected ${binary}): run tools/dex/build.sh (needs Go and a C compiler; .ci/run does it before npm test)`);
            }
            jose = (await import("jose")) as JoseModule;
            tls = await makeTestTls();
            const ports = { web: await freePort(), grpc: await freePort(), telemetry: await freePort() };
            url = `http://127.0.0.1:${ports.web}`;
            issuer = `${url}/api/dex`;
            upstream = await startTestServer({
                tls,
                user,
                services: [{ name: "argocd", client: { slug: "argocd", clientId: "argocd", redirectUris: [`${url}/api/dex/callback`] } }],
            });
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dex-test-"));
            const caFile = path.join(tmp, "ca.crt");
            fs.writeFileSync(caFile, tls.caPem);

            // The dev stack's rendered dex.config (it trusts an issuer CA, so rootCAs is exercised too).
            const rendered = parse(releaseValues(await committedStack("dev")).configs.cm["dex.config"]);
            rendered.connectors[0].config.issuer = `${upstream.baseUrl}/application/o/argocd/`;
            rendered.connectors[0].config.rootCAs = [caFile];
            const secrets = new Map([[`${ARGOCD_OIDC_SECRET.name}:${ARGOCD_OIDC_SECRET.key}`, `${upstream.secrets.get("argocd")!}\n`]]);
            const config = argoCdGeneratedDexConfig(stringify(rendered), url, argoCdClientSecret, secrets, ports);
            const configFile = path.join(tmp, "dex.yaml");
            fs.writeFileSync(configFile, stringify(config));

            dex = spawn(binary, ["serve", configFile], { stdio: ["ignore", "pipe", "pipe"] });
            dex.stdout!.on("data", (c: Buffer) => (dexLog += c.toString("utf8")));
            dex.stderr!.on("data", (c: Buffer) => (dexLog += c.toString("utf8")));
            const deadline = Date.now() + 30_000;
            for (;;) {
                if (dex.exitCode !== null) throw new Error(`Dex exited with ${dex.exitCode}:\n${dexLog}`);
                const answer = await fetch(`${issuer}/.well-known/openid-configuration`).catch(() => undefined);
                if (answer?.status === 200) {
                    discovery = (await answer.json()) as typeof discovery;
                    break;
                }
                if (Date.now() > deadline) throw new Error(`Dex did not answer within 30 s:\n${dexLog}`);
                await new Promise((resolve) => setTimeout(resolve, 200));
            }
        });

        after(async () => {
            dex?.kill("SIGTERM");
            await upstream?.close();
            if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
        });

        async function authorize(browser: Browser, params: { [key: string]: string }): Promise<URL> {
            const start = new URL(discovery.authorization_endpoint);
            for (const [key, value] of Object.entries({ response_type: "code", scope: scopes, ...params })) start.searchParams.set(key, value);
            const callback = await browser.loginUntil(start.toString(), params.redirect_uri);
            expect(callback.searchParams.get("state")).to.equal(params.state);
            expect(callback.searchParams.get("code"), `${callback}\n${dexLog}`).to.be.a("string");
            return callback;
        }

        async function verifiedIdToken(idToken: string, audience: string) {
            const { payload } = await jose.jwtVerify(idToken, jose.createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer, audience, algorithms: ["RS256"] });
            return payload as { [claim: string]: unknown };
        }

        it("serves its discovery document at <url>/api/dex with the issuer the CLI expects", () => {
            expect(discovery.issuer).to.equal(issuer);
            expect(discovery.authorization_endpoint).to.equal(`${issuer}/auth`);
        });

        /**
         * `argocd login --sso`'s steps: the public argo-cd-cli client authorizes with a fresh S256 PKCE
         * challenge on the loopback callback, then redeems the code, with the verifier or without it.
         */
        async function cliLogin(sendVerifier: boolean) {
            const browser = new Browser(tls.caPem);
            const verifier = base64url(randomBytes(32));
            const redirectUri = "http://localhost:8085/auth/callback";
            const callback = await authorize(browser, {
                client_id: "argo-cd-cli",
                redirect_uri: redirectUri,
                state: base64url(randomBytes(12)),
                code_challenge: base64url(createHash("sha256").update(verifier).digest()),
                code_challenge_method: "S256",
            });
            return browser.request(discovery.token_endpoint, {
                method: "POST",
                form: {
                    grant_type: "authorization_code",
                    code: callback.searchParams.get("code")!,
                    redirect_uri: redirectUri,
                    client_id: "argo-cd-cli",
                    ...(sendVerifier ? { code_verifier: verifier } : {}),
                },
            });
        }

        it("argocd login --sso: the public argo-cd-cli client, PKCE, the loopback callback, the code redeemed without a secret; the ID token carries the groups", async () => {
            const token = await cliLogin(true);
            expect(token.status, token.body).to.equal(200);
            const claims = await verifiedIdToken(JSON.parse(token.body).id_token, "argo-cd-cli");
            expect(claims.groups).to.deep.equal(user.groups);
            expect(claims.email).to.equal(user.email);
            expect(claims.name).to.equal(user.name);
        });

        it("the CLI's code is not redeemed without the PKCE verifier", async () => {
            const token = await cliLogin(false);
            expect(token.status).to.not.equal(200);
        });

        it("the web UI: argo-cd (confidential) exchanges its code with its secret; the ID token carries the groups; a wrong secret is refused", async () => {
            const browser = new Browser(tls.caPem);
            const redirectUri = `${url}/auth/callback`;
            const exchange = async (secret: string) => {
                const callback = await authorize(browser, { client_id: "argo-cd", redirect_uri: redirectUri, state: base64url(randomBytes(12)) });
                return browser.request(discovery.token_endpoint, {
                    method: "POST",
                    basicAuth: `argo-cd:${secret}`,
                    form: { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: redirectUri },
                });
            };
            const token = await exchange(argoCdClientSecret);
            expect(token.status, token.body).to.equal(200);
            const claims = await verifiedIdToken(JSON.parse(token.body).id_token, "argo-cd");
            expect(claims.groups).to.deep.equal(user.groups);
            const wrong = await exchange("not-the-secret");
            expect(wrong.status).to.equal(401);
        });
    });
});
