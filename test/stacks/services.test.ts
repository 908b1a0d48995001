import { readClientSecretTo, WITHOUT_DEPLOYMENTS } from "../support/services";
import { expect } from "chai";
import { parseStackConfig, rawConfigFromPulumi, StackConfig } from "../../stacks/config";
import { ConfigError, ConfigProblem } from "../../stacks/validation";
import { configProblems, stackConfig, stackConfigProblems, StackOverrides } from "../support/stacks";
import { checkIcon, checkLaunchUrl, checkSlug, OIDC_SCOPES } from "../../stacks/services";
import { checkRedirectUri } from "../../stacks/redirects";
import { checkGroupName } from "../../stacks/deployments";

/** A known client secret given in config; it must never appear in a message. */
const GIVEN_SECRET = "known-given-client-secret-7d2e";

const GRAFANA = {
    name: "Grafana",
    group: "Monitoring",
    publicUrl: "https://grafana.example.ts.net:8444",
    callbackPath: "/login/generic_oauth",
};
const ARGOCD = {
    name: "Argo CD",
    group: "Infrastructure",
    publicUrl: "https://argocd.example.ts.net:8443",
    callbackPath: "/auth/callback",
    extraRedirectUris: ["https://argocd.example.ts.net:8443/pkce/verify"],
    nativeClient: { slug: "argocd-cli", clientId: "argocd-cli", redirectUris: ["http://localhost:8085/auth/callback"] },
};
const BOOKMARK = {
    slug: "infisical",
    name: "Infisical",
    group: "Infrastructure",
    launchUrl: "https://infisical.example.ts.net:8445",
    icon: "https://avatars.githubusercontent.com/u/107880645?s=48&v=4",
    description: "Secret Management Platform",
    publisher: "Homelab",
};

/** The dev stack's config (publicHost, secrets, authentik) with only the given service sections. */
function parse(set: StackOverrides["set"], secrets: StackOverrides["secrets"] = {}): StackConfig {
    const withoutFileSections = { ...WITHOUT_DEPLOYMENTS, "homelab-sso:services": undefined, "homelab-sso:bookmarks": undefined, ...set };
    return parseStackConfig(rawConfigFromPulumi(stackConfig("dev", { set: withoutFileSections, secrets }).config));
}

function base(): { [key: string]: unknown } {
    return {
        "homelab-sso:services": { grafana: { ...GRAFANA }, argocd: { ...ARGOCD } },
        "homelab-sso:bookmarks": [{ ...BOOKMARK }],
    };
}

function problemsOf(set: StackOverrides["set"], secrets: StackOverrides["secrets"] = {}): { problems: ConfigProblem[]; message: string } {
    try {
        parse(set, secrets);
    } catch (error) {
        if (error instanceof ConfigError) {
            return { problems: error.problems, message: error.message };
        }
        throw error;
    }
    throw new Error("expected a ConfigError");
}

describe("stacks/services (homelab-sso:oidc, services, bookmarks, clientSecrets)", () => {
    it("fills the defaults", () => {
        const config = parse(base());
        expect(config.oidc).to.deep.equal({
            authorizationFlow: "default-provider-authorization-implicit-consent",
            invalidationFlow: "default-provider-invalidation-flow",
            signingKeyName: "authentik Self-signed Certificate",
            scopes: ["openid", "email", "profile"],
        });
        const grafana = config.services.find((s) => s.key === "grafana")!;
        expect(grafana).to.deep.equal({
            key: "grafana",
            slug: "grafana",
            name: "Grafana",
            group: "Monitoring",
            publisher: "Homelab",
            publicUrl: "https://grafana.example.ts.net:8444",
            callbackPath: "/login/generic_oauth",
            extraRedirectUris: [],
            redirectHosts: [],
            redirectUris: ["https://grafana.example.ts.net:8444/login/generic_oauth"],
            clientId: "grafana",
            enabled: true,
            clientSecretSource: "generated",
            rotation: 0,
            issuerMode: "per_provider",
        });
        expect(config.services.find((s) => s.key === "argocd")!.nativeClient).to.deep.equal({
            slug: "argocd-cli",
            clientId: "argocd-cli",
            name: "Argo CD (native)",
            redirectUris: ["http://localhost:8085/auth/callback"],
        });
        expect(config.bookmarks).to.deep.equal([BOOKMARK]);
    });

    it("keeps service order, derives redirect URIs with the extras last, and honours slug/clientId/enabled", () => {
        const config = parse({
            "homelab-sso:services": {
                argocd: { ...ARGOCD },
                grafana: { ...GRAFANA, slug: "grafana-sso", clientId: "grafana-client", accessGroup: "authentik Admins", enabled: false },
            },
        });
        expect(config.services.map((s) => s.key)).to.deep.equal(["argocd", "grafana"]);
        expect(config.services[0].redirectUris).to.deep.equal(["https://argocd.example.ts.net:8443/auth/callback", "https://argocd.example.ts.net:8443/pkce/verify"]);
        expect(config.services[1]).to.include({ slug: "grafana-sso", clientId: "grafana-client", accessGroup: "authentik Admins", enabled: false });
    });

    it("normalises a trailing slash on publicUrl so the redirect URI has no double slash", () => {
        const config = parse({ "homelab-sso:services": { grafana: { ...GRAFANA, publicUrl: "https://grafana.example.ts.net:8444/" } } });
        expect(config.services[0].redirectUris).to.deep.equal(["https://grafana.example.ts.net:8444/login/generic_oauth"]);
    });

    it("accepts no services and no bookmarks", () => {
        const config = parse({});
        expect(config.services).to.deep.equal([]);
        expect(config.bookmarks).to.deep.equal([]);
    });

    it("marks services whose secret is given in homelab-sso:clientSecrets, without keeping the value", () => {
        const config = parse(base(), { "homelab-sso:clientSecrets": JSON.stringify({ argocd: GIVEN_SECRET }) });
        expect(config.services.find((s) => s.key === "argocd")!.clientSecretSource).to.equal("config");
        expect(config.services.find((s) => s.key === "grafana")!.clientSecretSource).to.equal("generated");
        expect(JSON.stringify(config)).not.to.include(GIVEN_SECRET);
    });

    it("lets a disabled service share a slug, client id and redirect URI (it claims nothing)", () => {
        const config = parse({
            "homelab-sso:services": { grafana: { ...GRAFANA }, "grafana-old": { ...GRAFANA, slug: "grafana", enabled: false } },
        });
        expect(config.services.map((s) => s.enabled)).to.deep.equal([true, false]);
    });

    it("reports every problem at once", () => {
        const { problems } = problemsOf({
            "homelab-sso:services": {
                grafana: { ...GRAFANA, publicUrl: "http://grafana.example.ts.net" },
                argocd: { ...ARGOCD, callbackPath: "auth/callback" },
            },
            "homelab-sso:bookmarks": [{ ...BOOKMARK, launchUrl: "http://infisical.example.ts.net" }],
        });
        expect(problems.map((p) => p.key)).to.have.members([
            "homelab-sso:services.grafana.publicUrl",
            "homelab-sso:services.argocd.callbackPath",
            "homelab-sso:bookmarks[0].launchUrl",
        ]);
    });

    /** Each bad input, the key its error must name, and what the message says. */
    const badInputs: { what: string; set: () => { [key: string]: unknown }; secrets?: { [key: string]: string }; key: string; message: RegExp }[] = [
        {
            what: "a plain-http publicUrl",
            set: () => ({ ...base(), "homelab-sso:services": { grafana: { ...GRAFANA, publicUrl: "http://grafana.example.ts.net:8444" } } }),
            key: "homelab-sso:services.grafana.publicUrl",
            message: /must use https/,
        },
        {
            what: "a publicUrl with a path",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, publicUrl: "https://example.ts.net/grafana" } } }),
            key: "homelab-sso:services.grafana.publicUrl",
            message: /base URL/,
        },
        {
            what: "a publicUrl that is not canonical",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, publicUrl: "https://Grafana.example.ts.net:443" } } }),
            key: "homelab-sso:services.grafana.publicUrl",
            message: /canonical/,
        },
        {
            what: "a callbackPath without the leading slash",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, callbackPath: "login/generic_oauth" } } }),
            key: "homelab-sso:services.grafana.callbackPath",
            message: /start with a single "\/"/,
        },
        {
            what: "a callbackPath with a query string",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, callbackPath: "/login/generic_oauth?x=1" } } }),
            key: "homelab-sso:services.grafana.callbackPath",
            message: /query string/,
        },
        {
            what: "a wildcard extra redirect URI",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, extraRedirectUris: ["https://*.example.ts.net/auth/callback"] } } }),
            key: "homelab-sso:services.argocd.extraRedirectUris[0]",
            message: /wildcard/,
        },
        {
            what: "an extra redirect URI with a fragment",
            set: () => ({
                "homelab-sso:services": { argocd: { ...ARGOCD, extraRedirectUris: ["app.example.argocd:/cb", "https://argocd.example.ts.net/cb#x"] } },
            }),
            key: "homelab-sso:services.argocd.extraRedirectUris[1]",
            message: /fragment/,
        },
        {
            what: "a plain-http extra redirect URI that is not loopback",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, extraRedirectUris: ["http://argocd.example.ts.net/auth/callback"] } } }),
            key: "homelab-sso:services.argocd.extraRedirectUris[0]",
            message: /plain http/,
        },
        {
            what: "a loopback redirect URI on the web client (loopback belongs to a public native client)",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, extraRedirectUris: ["http://localhost:8085/auth/callback"] } } }),
            key: "homelab-sso:services.argocd.extraRedirectUris[0]",
            message: /only a public native client may use/,
        },
        {
            what: "a native redirect URI on loopback without a port",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, nativeClient: { redirectUris: ["http://localhost/auth/callback"] } } } }),
            key: "homelab-sso:services.argocd.nativeClient.redirectUris[0]",
            message: /without a port/,
        },
        {
            what: "an https web URI on the native client",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, nativeClient: { redirectUris: ["https://argocd.example.ts.net/auth/callback"] } } } }),
            key: "homelab-sso:services.argocd.nativeClient.redirectUris[0]",
            message: /https web URI.*never https/,
        },
        {
            what: "a native redirect URI with a private-use scheme without a dot",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, nativeClient: { redirectUris: ["argocd:/auth/callback"] } } } }),
            key: "homelab-sso:services.argocd.nativeClient.redirectUris[0]",
            message: /private-use reverse-domain scheme/,
        },
        {
            what: "a native client without redirect URIs",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, nativeClient: { redirectUris: [] } } } }),
            key: "homelab-sso:services.argocd.nativeClient.redirectUris",
            message: /at least one redirect URI/,
        },
        {
            what: "a native client reusing the web client's id",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, nativeClient: { clientId: "argocd", redirectUris: ["http://localhost:8085/auth/callback"] } } } }),
            key: "homelab-sso:services.argocd.nativeClient.clientId",
            message: /client id "argocd" is already claimed by homelab-sso:services.argocd.clientId/,
        },
        {
            what: "a native client slug that a bookmark already uses",
            set: () => ({
                "homelab-sso:services": { argocd: { ...ARGOCD } },
                "homelab-sso:bookmarks": [{ ...BOOKMARK, slug: "argocd-cli" }],
            }),
            key: "homelab-sso:bookmarks[0].slug",
            message: /slug "argocd-cli" is already claimed by homelab-sso:services.argocd.nativeClient.slug/,
        },
        {
            what: "two native clients listing the same loopback redirect URI",
            set: () => ({
                "homelab-sso:services": {
                    argocd: { ...ARGOCD },
                    grafana: { ...GRAFANA, nativeClient: { redirectUris: ["http://localhost:8085/auth/callback"] } },
                },
            }),
            key: "homelab-sso:services.grafana.nativeClient.redirectUris[0]",
            message: /redirect URI "http:\/\/localhost:8085\/auth\/callback" is already claimed by homelab-sso:services.argocd.nativeClient.redirectUris\[0\]/,
        },
        {
            what: "a misspelt native client key",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, nativeClient: { redirectUri: ["http://localhost:8085/auth/callback"] } } } }),
            key: "homelab-sso:services.argocd.nativeClient.redirectUri",
            message: /unknown key/,
        },
        {
            what: "a service named like another service's native client",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD }, "argocd-native": { ...GRAFANA, slug: "argocd-native-ui", clientId: "argocd-native-ui" } } }),
            key: "homelab-sso:services.argocd-native",
            message: /named like the native client of homelab-sso:services.argocd/,
        },
        {
            what: "a second service on the global issuer",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, issuerMode: "global" }, grafana: { ...GRAFANA, issuerMode: "global" } } }),
            key: "homelab-sso:services.grafana.issuerMode",
            message: /already used by homelab-sso:services.argocd.issuerMode/,
        },
        {
            what: "an unknown issuer mode",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, issuerMode: "per-app" } } }),
            key: "homelab-sso:services.argocd.issuerMode",
            message: /allowed: per_provider, global/,
        },
        {
            what: "extraRedirectUris that is not a list",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, extraRedirectUris: "https://argocd.example.ts.net/pkce/verify" } } }),
            key: "homelab-sso:services.argocd.extraRedirectUris",
            message: /list of strings/,
        },
        {
            what: "two services claiming the same slug",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA }, argocd: { ...ARGOCD, slug: "grafana" } } }),
            key: "homelab-sso:services.argocd.slug",
            message: /slug "grafana" is already claimed by homelab-sso:services.grafana.slug/,
        },
        {
            what: "two services claiming the same client id",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA }, argocd: { ...ARGOCD, clientId: "grafana" } } }),
            key: "homelab-sso:services.argocd.clientId",
            message: /client id "grafana" is already claimed by homelab-sso:services.grafana.clientId/,
        },
        {
            what: "two services claiming the same redirect URI",
            set: () => ({
                "homelab-sso:services": {
                    grafana: { ...GRAFANA },
                    argocd: { ...ARGOCD, extraRedirectUris: ["https://grafana.example.ts.net:8444/login/generic_oauth"], redirectHosts: ["grafana.example.ts.net"] },
                },
            }),
            key: "homelab-sso:services.argocd.extraRedirectUris[0]",
            message: /redirect URI "https:\/\/grafana.example.ts.net:8444\/login\/generic_oauth" is already claimed by homelab-sso:services.grafana.callbackPath/,
        },
        {
            what: "one service listing its own redirect URI twice",
            set: () => ({ "homelab-sso:services": { argocd: { ...ARGOCD, extraRedirectUris: ["https://argocd.example.ts.net:8443/auth/callback"] } } }),
            key: "homelab-sso:services.argocd.extraRedirectUris[0]",
            message: /already claimed by homelab-sso:services.argocd.callbackPath/,
        },
        {
            what: "a reserved slug",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, slug: "authorize" } } }),
            key: "homelab-sso:services.grafana.slug",
            message: /reserved/,
        },
        {
            what: "a service name that is reserved as a slug (the slug defaults to it)",
            set: () => ({ "homelab-sso:services": { token: { ...GRAFANA } } }),
            key: "homelab-sso:services.token.slug",
            message: /reserved/,
        },
        {
            what: "an invalid slug",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, slug: "Grafana SSO" } } }),
            key: "homelab-sso:services.grafana.slug",
            message: /not a valid slug/,
        },
        {
            what: "an invalid service name",
            set: () => ({ "homelab-sso:services": { Grafana_UI: { ...GRAFANA } } }),
            key: "homelab-sso:services.Grafana_UI",
            message: /not a valid service name/,
        },
        {
            what: "a missing display name",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, name: undefined } } }),
            key: "homelab-sso:services.grafana.name",
            message: /is required/,
        },
        {
            what: "a missing callbackPath",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, callbackPath: undefined } } }),
            key: "homelab-sso:services.grafana.callbackPath",
            message: /is required/,
        },
        {
            what: "a misspelt service key",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, redirectUri: "https://grafana.example.ts.net/cb" } } }),
            key: "homelab-sso:services.grafana.redirectUri",
            message: /unknown key; allowed keys here: .*callbackPath.*extraRedirectUris[^;]*$/,
        },
        {
            what: "an enabled flag that is not a boolean",
            set: () => ({ "homelab-sso:services": { grafana: { ...GRAFANA, enabled: "yes" } } }),
            key: "homelab-sso:services.grafana.enabled",
            message: /true or false/,
        },
        {
            what: "services that are a list",
            set: () => ({ "homelab-sso:services": [GRAFANA] }),
            key: "homelab-sso:services",
            message: /must be an object of service name/,
        },
        {
            what: "a bookmark claiming a service's slug",
            set: () => ({ ...base(), "homelab-sso:bookmarks": [{ ...BOOKMARK }, { ...BOOKMARK, slug: "grafana" }] }),
            key: "homelab-sso:bookmarks[1].slug",
            message: /slug "grafana" is already claimed by homelab-sso:services.grafana.slug/,
        },
        {
            what: "two bookmarks with the same slug",
            set: () => ({ "homelab-sso:bookmarks": [{ ...BOOKMARK }, { ...BOOKMARK, name: "Infisical again" }] }),
            key: "homelab-sso:bookmarks[1].slug",
            message: /already claimed by homelab-sso:bookmarks\[0\].slug/,
        },
        {
            what: "a plain-http bookmark launch URL",
            set: () => ({ "homelab-sso:bookmarks": [{ ...BOOKMARK, launchUrl: "http://infisical.example.ts.net:8445" }] }),
            key: "homelab-sso:bookmarks[0].launchUrl",
            message: /must use https/,
        },
        {
            what: "a bookmark without a slug",
            set: () => ({ "homelab-sso:bookmarks": [{ ...BOOKMARK, slug: undefined }] }),
            key: "homelab-sso:bookmarks[0].slug",
            message: /is required/,
        },
        {
            what: "a bookmark with a reserved slug",
            set: () => ({ "homelab-sso:bookmarks": [{ ...BOOKMARK, slug: "userinfo" }] }),
            key: "homelab-sso:bookmarks[0].slug",
            message: /reserved/,
        },
        {
            what: "a bookmark with an http icon",
            set: () => ({ "homelab-sso:bookmarks": [{ ...BOOKMARK, icon: "http://example.com/icon.png" }] }),
            key: "homelab-sso:bookmarks[0].icon",
            message: /https/,
        },
        {
            what: "a misspelt bookmark key",
            set: () => ({ "homelab-sso:bookmarks": [{ ...BOOKMARK, url: "https://x.example.com" }] }),
            key: "homelab-sso:bookmarks[0].url",
            message: /unknown key/,
        },
        {
            what: "bookmarks that are not a list",
            set: () => ({ "homelab-sso:bookmarks": { infisical: BOOKMARK } }),
            key: "homelab-sso:bookmarks",
            message: /must be a list of bookmarks/,
        },
        {
            what: "scopes without openid",
            set: () => ({ ...base(), "homelab-sso:oidc": { scopes: ["email", "profile"] } }),
            key: "homelab-sso:oidc.scopes",
            message: /must include "openid"/,
        },
        {
            what: "a scope without a built-in mapping",
            set: () => ({ ...base(), "homelab-sso:oidc": { scopes: ["openid", "groups"] } }),
            key: "homelab-sso:oidc.scopes[1]",
            message: /"groups" is not allowed; allowed: openid, email, profile/,
        },
        {
            what: "an invalid flow slug",
            set: () => ({ ...base(), "homelab-sso:oidc": { authorizationFlow: "implicit consent" } }),
            key: "homelab-sso:oidc.authorizationFlow",
            message: /not a flow slug/,
        },
        {
            what: "a client secret for an unknown service",
            set: () => base(),
            secrets: { "homelab-sso:clientSecrets": JSON.stringify({ grafna: GIVEN_SECRET }) },
            key: "homelab-sso:clientSecrets.grafna",
            message: /names no configured service; allowed: grafana, argocd/,
        },
        {
            what: "a client secret that is not a string",
            set: () => base(),
            secrets: { "homelab-sso:clientSecrets": JSON.stringify({ grafana: 12345678 }) },
            key: "homelab-sso:clientSecrets.grafana",
            message: /non-empty string .*value not shown/,
        },
        {
            what: "client secrets that are not an object",
            set: () => base(),
            secrets: { "homelab-sso:clientSecrets": GIVEN_SECRET },
            key: "homelab-sso:clientSecrets",
            message: /must be an object .*value not shown/,
        },
    ];

    for (const bad of badInputs) {
        it(`refuses ${bad.what}, naming ${bad.key}`, () => {
            const { problems, message } = problemsOf(bad.set(), bad.secrets);
            const problem = problems.find((p) => p.key === bad.key);
            expect(problem, `${message}`).not.to.equal(undefined);
            expect(problem!.message).to.match(bad.message);
            expect(message).to.include(`${bad.key}: `);
            expect(message).not.to.include(GIVEN_SECRET);
        });
    }

    it("refuses an unknown top-level key of the namespace and lists the new sections as allowed", () => {
        const { problems } = problemsOf({ "homelab-sso:service": {} });
        expect(problems[0].key).to.equal("homelab-sso:service");
        expect(problems[0].message).to.include("homelab-sso:services").and.include("homelab-sso:bookmarks").and.include("homelab-sso:clientSecrets");
    });

    describe("each refusal names its key and says exactly what is wrong", () => {
        const minimal = { "homelab-sso:publicHost": "sso.example.ts.net", "homelab-sso:secrets": { source: "pulumi" } };
        const withGrafana = (grafana: unknown) => configProblems({ ...minimal, "homelab-sso:services": { grafana } });
        const SLUG_RULE = "allowed: lower-case letters, digits, '-' and '_', at most 50 characters, starting and ending with a letter or digit";

        it("refuses a client id with characters outside the URL-safe set", () => {
            expect(withGrafana({ ...GRAFANA, clientId: "grafana cli" })).to.deep.equal([
                { key: "homelab-sso:services.grafana.clientId", message: `"grafana cli" is not a valid client id; allowed: 1-255 letters, digits, '.', '_', '~' and '-'` },
            ]);
        });

        it("refuses zero-width, bidirectional and other invisible characters in display names, descriptions, publishers and group names, all at once", () => {
            const zwsp = "Gra\u200bfana";
            const entry = { ...GRAFANA, name: zwsp, group: "Moni\u2060toring", description: "\u2063Metrics", publisher: "Home\u00adlab", accessGroup: "admins\u200d" };
            const native = { ...GRAFANA, nativeClient: { redirectUris: ["http://localhost:8085/cb"], name: "CLI\u2064" } };
            const rule = (what: string) => `(a zero-width, bidirectional or other format character makes text read differently than it shows); allowed: ${what}, in visible characters only`;
            expect(withGrafana(entry)).to.deep.equal([
                { key: "homelab-sso:services.grafana.name", message: `contains the invisible character U+200B at character 4 ${rule("the display name in the portal")}` },
                { key: "homelab-sso:services.grafana.group", message: `contains the invisible character U+2060 at character 5 ${rule('a portal group such as "Monitoring"')}` },
                { key: "homelab-sso:services.grafana.description", message: `contains the invisible character U+2063 at character 1 ${rule("a portal description")}` },
                { key: "homelab-sso:services.grafana.publisher", message: `contains the invisible character U+00AD at character 5 ${rule("the publisher shown in the portal")}` },
                { key: "homelab-sso:services.grafana.accessGroup", message: `contains the invisible character U+200D at character 7 ${rule("the name of an Authentik group")}` },
            ]);
            expect(withGrafana(native)).to.deep.equal([
                { key: "homelab-sso:services.grafana.nativeClient.name", message: `contains the invisible character U+2064 at character 4 ${rule("the display name of the native client's application")}` },
            ]);
            const bookmark = { ...BOOKMARK, name: "Info\u3164", group: "\u2061Infra", description: "Secret\u{E0041}", publisher: "Home\u115flab" };
            expect(configProblems({ ...minimal, "homelab-sso:bookmarks": [bookmark] }).map((p) => p.key)).to.deep.equal(
                ["name", "group", "description", "publisher"].map((field) => `homelab-sso:bookmarks[0].${field}`),
            );
            // Visible text of any script, emoji without joiners, and punctuation stay allowed.
            expect(withGrafana({ ...GRAFANA, name: "Grafana – métriques 📈", description: "Дашборды · 仪表板" })).to.deep.equal([]);
        });

        it("binds the web client's https extraRedirectUris to the publicUrl host, or to hosts under redirectHosts (which must be host names)", () => {
            const foreign = { ...GRAFANA, extraRedirectUris: ["app.immich:///oauth-callback", "https://evil.example.com/login/generic_oauth"] };
            expect(withGrafana(foreign).map((p) => p.key)).to.deep.equal(["homelab-sso:services.grafana.extraRedirectUris[1]"]);
            expect(withGrafana(foreign)[0].message).to.match(/is on the host "evil\.example\.com", not the service's publicUrl host "grafana\.example\.ts\.net", and homelab-sso:services\.grafana\.redirectHosts does not list it/);
            expect(withGrafana({ ...foreign, redirectHosts: ["evil.example.com"] })).to.deep.equal([]);
            const config = parseStackConfig({ ...minimal, "homelab-sso:services": { grafana: { ...foreign, redirectHosts: ["evil.example.com"] } } });
            expect(config.services[0].redirectHosts).to.deep.equal(["evil.example.com"]);
            expect(parseStackConfig({ ...minimal, "homelab-sso:services": { grafana: GRAFANA } }).services[0].redirectHosts).to.deep.equal([]);
            expect(withGrafana({ ...foreign, redirectHosts: ["evil.example.com."] })).to.deep.equal([
                {
                    key: "homelab-sso:services.grafana.redirectHosts[0]",
                    message:
                        '"evil.example.com." ends with a dot: the same machine to DNS, but another host to browsers, TLS names and Authentik\'s exact matching; allowed: the name without it, "evil.example.com"',
                },
            ]);
            expect(withGrafana({ ...GRAFANA, redirectHosts: "evil.example.com" })).to.deep.equal([
                { key: "homelab-sso:services.grafana.redirectHosts", message: 'must be a list of strings, got "evil.example.com"' },
            ]);
        });

        it("refuses a blank display name", () => {
            expect(withGrafana({ ...GRAFANA, name: "  " })).to.deep.equal([{ key: "homelab-sso:services.grafana.name", message: "must not be blank; allowed: the display name in the portal" }]);
        });

        it("reads an empty service entry as one with every required key missing", () => {
            expect(withGrafana(null).map((p) => `${p.key}: ${p.message}`)).to.deep.equal(
                ["name", "group", "publicUrl", "callbackPath"].map((field) => `homelab-sso:services.grafana.${field}: is required`),
            );
        });

        it("refuses a nativeClient that is not an object", () => {
            expect(withGrafana({ ...GRAFANA, nativeClient: "grafana-cli" })).to.deep.equal([
                { key: "homelab-sso:services.grafana.nativeClient", message: 'must be an object, got "grafana-cli"' },
            ]);
        });

        it("derives the native client's default slug from the service name when the service's own slug is invalid", () => {
            expect(withGrafana({ ...GRAFANA, slug: "Grafana", nativeClient: { redirectUris: ["http://localhost:8085/cb"] } })).to.deep.equal([
                { key: "homelab-sso:services.grafana.slug", message: `"Grafana" is not a valid slug; ${SLUG_RULE}` },
            ]);
        });

        it("refuses a default native slug longer than 50 characters, asking for an explicit one", () => {
            const slug = "g".repeat(44);
            expect(withGrafana({ ...GRAFANA, slug, nativeClient: { redirectUris: ["http://localhost:8085/cb"] } })).to.deep.equal([
                {
                    key: "homelab-sso:services.grafana.nativeClient.slug",
                    message: `defaults to "<service slug>-native", and "${slug}-native" is not a valid slug; ${SLUG_RULE}; set a slug explicitly`,
                },
            ]);
            expect(withGrafana({ ...GRAFANA, slug: "g".repeat(43), nativeClient: { redirectUris: ["http://localhost:8085/cb"] } })).to.deep.equal([]);
        });

        it("refuses an oidc section that is not an object, and a scope listed twice", () => {
            expect(configProblems({ ...minimal, "homelab-sso:oidc": 1 })).to.deep.equal([{ key: "homelab-sso:oidc", message: "must be an object, got 1" }]);
            expect(configProblems({ ...minimal, "homelab-sso:oidc": { scopes: ["openid", "email", "openid"] } })).to.deep.equal([
                { key: "homelab-sso:oidc.scopes", message: 'lists "openid" twice; allowed: each scope once' },
            ]);
        });

        it("joins an accepted publicUrl and callbackPath into a redirect URI strict matching accepts as it is", () => {
            const publicUrls = ["https://grafana.example.ts.net:8444", "https://grafana.example.ts.net/", "https://[::1]:8443", "https://10.0.0.5", "https://xn--bcher-kva.example"];
            const callbackPaths = ["/login/generic_oauth", "/", "/a%2Fb/c", "/oauth2/idpresponse;x=1", "/~user/@cb", "/api/auth/callback/authentik"];
            for (const publicUrl of publicUrls) {
                for (const callbackPath of callbackPaths) {
                    const [service] = parse({ "homelab-sso:services": { grafana: { ...GRAFANA, publicUrl, callbackPath } } }).services;
                    const [uri] = service.redirectUris;
                    expect(uri, `${publicUrl} + ${callbackPath}`).to.equal(`${publicUrl.replace(/\/$/, "")}${callbackPath}`);
                    expect(checkRedirectUri(uri, "web"), uri).to.equal(undefined);
                }
            }
        });

        const ICON_RULE = 'allowed: an https URL, or a path on the Authentik host starting with one "/" (no backslash or "..", also percent-encoded)';

        it("accepts an icon path on the Authentik host or an https URL; refuses whatever is neither, saying why", () => {
            expect(checkIcon("/static/dist/assets/icons/icon.png")).to.equal(undefined);
            expect(checkIcon("/media/public/application-icons/grafana.svg")).to.equal(undefined);
            expect(checkIcon("/media/public/my%20icon.svg?v=2")).to.equal(undefined);
            expect(checkIcon("https://cdn.example.net/icon.png?s=48&v=4")).to.equal(undefined);
            const cases: [string, string][] = [
                ["//evil.example/x.png", 'starts with "//", which browsers read as a link to another host'],
                ["/a b.png", "contains whitespace"],
                ["/static/icon.png\n", "contains whitespace"],
                ["icon.png", "is not a URL"],
            ];
            for (const [icon, problem] of cases) {
                expect(checkIcon(icon), JSON.stringify(icon)).to.equal(`${JSON.stringify(icon)} ${problem}; ${ICON_RULE}`);
            }
        });

        it("refuses an icon path that leaves the Authentik host: /\\, //, a backslash or .. as written or percent-decoded", () => {
            const cases: [string, string][] = [
                ["/\\evil.example.com/p.svg", 'starts with "/\\\\", which browsers read as a link to another host'],
                ["/%2Fevil.example.com/p.svg", 'starts with "//" after percent-decoding, which browsers read as a link to another host'],
                ["/%5Cevil.example.com/p.svg", 'starts with "/\\\\" after percent-decoding, which browsers read as a link to another host'],
                ["/static\\..\\x.svg", 'contains a backslash, which browsers read as "/"'],
                ["/static/%5c/x.svg", 'contains a backslash after percent-decoding, which browsers read as "/"'],
                ["/static/../../x.svg", 'contains "..", which climbs out of the path'],
                ["/static/%2e%2E/x.svg", 'contains ".." after percent-decoding, which climbs out of the path'],
                ["/static/%0a.svg", "contains a control character after percent-decoding"],
                ["/static/%zz.svg", "has malformed percent-encoding"],
            ];
            for (const [icon, problem] of cases) {
                expect(checkIcon(icon), icon).to.equal(`${JSON.stringify(icon)} ${problem}; ${ICON_RULE}`);
            }
        });

        it("refuses an https icon or launch URL with a backslash, a trailing-dot host or a host no DNS name has", () => {
            expect(checkIcon("https://cdn.example.net\\@evil.example/i.svg")).to.equal(`"https://cdn.example.net\\\\@evil.example/i.svg" contains a backslash, which browsers read as "/"; ${ICON_RULE}`);
            expect(checkLaunchUrl("https://infisical.example.ts.net.:8445")).to.equal(
                '"https://infisical.example.ts.net.:8445" has the host "infisical.example.ts.net.", which ends with a dot: the same machine to DNS, but another host to browsers, TLS names and Authentik\'s exact matching; write it without the dot; allowed: an https URL such as https://<host>[:<port>][/<path>]',
            );
            expect(checkLaunchUrl("https://info_sec.example.net/")).to.match(/has the host "info_sec\.example\.net", which is not a DNS name/);
        });

        it("refuses each slug Authentik's shared OAuth2 endpoints use, listing them all", () => {
            for (const slug of ["authorize", "token", "device", "userinfo", "introspect", "revoke"]) {
                expect(checkSlug(slug), slug).to.equal(
                    `"${slug}" is reserved by Authentik's shared OAuth2 endpoints; allowed: any other slug (reserved: authorize, token, device, userinfo, introspect, revoke)`,
                );
            }
            expect(checkSlug("authorize-app")).to.equal(undefined);
        });

        it("refuses a launch URL that is not a URL, not https, holds credentials or a wildcard, saying which", () => {
            const allowed = "allowed: an https URL such as https://<host>[:<port>][/<path>]";
            expect(checkLaunchUrl("not a url")).to.equal(`"not a url" is not a URL; ${allowed}`);
            expect(checkLaunchUrl("http://x.example.net")).to.equal(`"http://x.example.net" must use https; ${allowed}`);
            expect(checkLaunchUrl("https://u:p@x.example.net")).to.equal(`"https://u:p@x.example.net" contains credentials; ${allowed}`);
            expect(checkLaunchUrl("https://*.example.net")).to.equal(`"https://*.example.net" contains a wildcard; ${allowed}`);
            // A user name alone, or a password alone, is a credential too.
            expect(checkLaunchUrl("https://u@x.example.net")).to.equal(`"https://u@x.example.net" contains credentials; ${allowed}`);
            expect(checkLaunchUrl("https://:p@x.example.net")).to.equal(`"https://:p@x.example.net" contains credentials; ${allowed}`);
            expect(checkLaunchUrl("https://x.example.net/*")).to.equal(`"https://x.example.net/*" contains a wildcard; ${allowed}`);
            expect(checkLaunchUrl("https://x.example.net/docs?page=1")).to.equal(undefined);
        });
    });
});

/** What a redirect URI listed by two clients is told. */
describe("a redirect URI two clients list", () => {
    it("is refused at the second, naming the first and what is allowed", () => {
        const service = (publicUrl: string) => ({ name: "S", group: "G", publicUrl, callbackPath: "/cb" });
        const services = { one: service("https://one.example.net"), two: { ...service("https://two.example.net"), extraRedirectUris: ["https://one.example.net/cb"], redirectHosts: ["one.example.net"] } };
        expect(stackConfigProblems("dev", { set: { ...WITHOUT_DEPLOYMENTS, "homelab-sso:services": services } })).to.deep.equal([
            {
                key: "homelab-sso:services.two.extraRedirectUris[0]",
                message:
                    'redirect URI "https://one.example.net/cb" is already claimed by homelab-sso:services.one.callbackPath; allowed: a redirect URI no other client lists (each client gets its own callbacks)',
            },
        ]);
    });
});

/**
 * What an entry of `homelab-sso:services`, `homelab-sso:bookmarks`, `homelab-sso:oidc` or
 * `homelab-sso:clientSecrets` is told when a key is missing or blank, and that a refused entry is left
 * out of the checks across entries (each mistake is reported once, not again as a clash).
 */
const SERVICE = {
    name: "Immich",
    group: "Media",
    publicUrl: "https://immich.example.ts.net",
    callbackPath: "/auth/login",
};
const NATIVE = { redirectUris: ["app.immich:///oauth-callback"] };
const MINIMAL_BOOKMARK = { slug: "infisical", name: "Infisical", group: "Infrastructure", launchUrl: "https://infisical.example.ts.net:8445" };

/** The dev stack with only the given services and bookmarks (and no deployments). */
function read(set: { [key: string]: unknown }, secrets: StackOverrides["secrets"] = {}): { config?: StackConfig; problems: ConfigProblem[] } {
    const overrides = { ...WITHOUT_DEPLOYMENTS, "homelab-sso:services": undefined, "homelab-sso:bookmarks": undefined, ...set };
    try {
        return { config: parseStackConfig(rawConfigFromPulumi(stackConfig("dev", { set: overrides, secrets }).config)), problems: [] };
    } catch (error) {
        if (error instanceof ConfigError) {
            return { problems: error.problems };
        }
        throw error;
    }
}

function refusalsOf(set: { [key: string]: unknown }, secrets: StackOverrides["secrets"] = {}): ConfigProblem[] {
    const { problems } = read(set, secrets);
    expect(problems, "expected the config to be refused").to.not.be.empty;
    return problems;
}

describe("service, bookmark and oidc entries: missing and blank keys", () => {
    it("refuses a service whose slug is set but empty, instead of leaving the service out", () => {
        expect(refusalsOf({ "homelab-sso:services": { immich: { ...SERVICE, slug: "" } } })).to.deep.equal([
            { key: "homelab-sso:services.immich.slug", message: "is required" },
        ]);
    });

    it("tells a blank group, access group or signing key name what is allowed", () => {
        expect(refusalsOf({ "homelab-sso:services": { immich: { ...SERVICE, group: " ", accessGroup: " " } } })).to.deep.equal([
            { key: "homelab-sso:services.immich.group", message: 'must not be blank; allowed: a portal group such as "Monitoring"' },
            { key: "homelab-sso:services.immich.accessGroup", message: "must not be blank; allowed: the name of an Authentik group" },
        ]);
        expect(refusalsOf({ "homelab-sso:oidc": { signingKeyName: " " } })).to.deep.equal([
            { key: "homelab-sso:oidc.signingKeyName", message: "must not be blank; allowed: the name of a certificate key pair with a private key" },
        ]);
    });

    it("lists the allowed scopes when openid is missing", () => {
        expect(refusalsOf({ "homelab-sso:oidc": { scopes: ["email"] } })).to.deep.equal([
            { key: "homelab-sso:oidc.scopes", message: `must include "openid" (without it there is no ID token); allowed: ${OIDC_SCOPES.join(", ")}` },
        ]);
    });

    it("refuses a bookmark without a name, group or launch URL, naming each", () => {
        expect(refusalsOf({ "homelab-sso:bookmarks": [{ slug: "infisical" }] })).to.deep.equal([
            { key: "homelab-sso:bookmarks[0].name", message: "is required" },
            { key: "homelab-sso:bookmarks[0].group", message: "is required" },
            { key: "homelab-sso:bookmarks[0].launchUrl", message: "is required" },
        ]);
    });

    it("tells a blank bookmark name or group what is allowed", () => {
        expect(refusalsOf({ "homelab-sso:bookmarks": [{ ...MINIMAL_BOOKMARK, name: " ", group: " " }] })).to.deep.equal([
            { key: "homelab-sso:bookmarks[0].name", message: "must not be blank; allowed: the display name in the portal" },
            { key: "homelab-sso:bookmarks[0].group", message: 'must not be blank; allowed: a portal group such as "Infrastructure"' },
        ]);
    });

    it("tells a blank native client name what is allowed, and defaults its client id to its own slug", () => {
        expect(refusalsOf({ "homelab-sso:services": { immich: { ...SERVICE, nativeClient: { ...NATIVE, name: " " } } } })).to.deep.equal([
            { key: "homelab-sso:services.immich.nativeClient.name", message: "must not be blank; allowed: the display name of the native client's application" },
        ]);
        const { config } = read({ "homelab-sso:services": { immich: { ...SERVICE, nativeClient: { ...NATIVE, slug: "immich-mobile" } } } });
        expect(config!.services[0].nativeClient).to.include({ slug: "immich-mobile", clientId: "immich-mobile" });
    });

    it("keeps a service's icon and description, and gives a bookmark without them no such keys", () => {
        const { config } = read({
            "homelab-sso:services": { immich: { ...SERVICE, icon: "/static/immich.png", description: "Photos" } },
            "homelab-sso:bookmarks": [{ ...MINIMAL_BOOKMARK }],
        });
        expect(config!.services[0]).to.include({ icon: "/static/immich.png", description: "Photos" });
        expect(config!.bookmarks[0]).to.not.have.any.keys("icon", "description");
    });
});

describe("client secrets and clashes: what the message allows", () => {
    it("lists the configured services for a client secret of an unknown one, or says there are none", () => {
        const secret = "known-given-client-secret-51be";
        expect(
            refusalsOf({ "homelab-sso:services": { immich: { ...SERVICE } } }, { "homelab-sso:clientSecrets": JSON.stringify({ photos: secret }) }),
        ).to.deep.equal([{ key: "homelab-sso:clientSecrets.photos", message: "names no configured service; allowed: immich" }]);
        expect(refusalsOf({}, { "homelab-sso:clientSecrets": JSON.stringify({ photos: secret }) })).to.deep.equal([
            { key: "homelab-sso:clientSecrets.photos", message: "names no configured service; allowed: (no services configured)" },
        ]);
    });

    it("says a clashing slug or client id must be one no other entry uses", () => {
        expect(
            refusalsOf({ "homelab-sso:services": { immich: { ...SERVICE, slug: "infisical", clientId: "shared" }, photos: { ...SERVICE, publicUrl: "https://photos.example.ts.net", clientId: "shared" } }, "homelab-sso:bookmarks": [{ ...MINIMAL_BOOKMARK }] }),
        ).to.deep.equal([
            {
                key: "homelab-sso:bookmarks[0].slug",
                message: 'slug "infisical" is already claimed by homelab-sso:services.immich.slug; allowed: a slug no other service, native client or bookmark uses',
            },
            {
                key: "homelab-sso:services.photos.clientId",
                message: 'client id "shared" is already claimed by homelab-sso:services.immich.clientId; allowed: a client id no other client uses',
            },
        ]);
    });
});

describe("a refused entry is reported once, not again by the checks across entries", () => {
    // Each case refuses one key of service `immich`, whose slug a bookmark also claims and whose native
    // client's resource names a service `immich-native` would share: had the refused service been kept,
    // both would be reported as clashes too.
    const clashing = (immich: { [key: string]: unknown }) => ({
        "homelab-sso:services": { immich: { ...SERVICE, nativeClient: { ...NATIVE }, ...immich }, "immich-native": { ...SERVICE, slug: "immich-native-app" } },
        "homelab-sso:bookmarks": [{ ...MINIMAL_BOOKMARK, slug: "immich" }],
    });
    const cases: { what: string; immich: { [key: string]: unknown }; key: string }[] = [
        { what: "an invalid client id", immich: { clientId: "bad id" }, key: "homelab-sso:services.immich.clientId" },
        { what: "an invalid clientSecretTo", immich: { clientSecretTo: "grafana" }, key: "homelab-sso:services.immich.clientSecretTo" },
        { what: "a native client with an invalid slug", immich: { nativeClient: { ...NATIVE, slug: "Bad Slug" } }, key: "homelab-sso:services.immich.nativeClient.slug" },
        { what: "a native client with an invalid client id", immich: { nativeClient: { ...NATIVE, clientId: "bad id" } }, key: "homelab-sso:services.immich.nativeClient.clientId" },
        { what: "a native client without redirect URIs", immich: { nativeClient: {} }, key: "homelab-sso:services.immich.nativeClient.redirectUris" },
        { what: "a native client with an empty redirect URI list", immich: { nativeClient: { redirectUris: [] } }, key: "homelab-sso:services.immich.nativeClient.redirectUris" },
        { what: "a native client with an invalid redirect URI", immich: { nativeClient: { redirectUris: ["https://evil.example.com/cb"] } }, key: "homelab-sso:services.immich.nativeClient.redirectUris[0]" },
        {
            what: "a native client whose default slug would be too long",
            immich: { slug: "i".repeat(45) },
            key: "homelab-sso:services.immich.nativeClient.slug",
        },
    ];
    for (const { what, immich, key } of cases) {
        it(`reports only ${what}`, () => {
            const problems = refusalsOf(clashing(immich));
            expect(problems.map((p) => p.key)).to.deep.equal([key]);
        });
    }
});

/** A service name is one whole RFC 1123 label: it goes into resource names. */
describe("service names", () => {
    it("refuses a name that starts or ends with '-', even though the rest is a label", () => {
        const service = { name: "S", group: "G", publicUrl: "https://s.example.net", callbackPath: "/cb", slug: "s" };
        for (const name of ["-grafana", "grafana-"]) {
            const problems = stackConfigProblems("dev", { set: { ...WITHOUT_DEPLOYMENTS, "homelab-sso:services": { [name]: service } } });
            expect(problems.map((p) => p.message), name).to.deep.equal([
                `${JSON.stringify(name)} is not a valid service name; allowed: lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit`,
            ]);
        }
    });
});

/** The shortest names each rule allows, and the longest Secret name. */
const secretNameProblems = (name: string) => readClientSecretTo({ kubernetesSecret: { namespace: "immich", name } }).problems;

describe("short and long names", () => {
    it("accepts a one-character group name", () => {
        expect(checkGroupName("a")).to.equal(undefined);
        expect(checkGroupName("a b")).to.equal(undefined);
        expect(checkGroupName(" a")).to.not.equal(undefined);
    });

    it("accepts Secret names of one-character labels, and refuses one longer than 253 characters", () => {
        for (const name of ["a", "a.b", "immich.a", "a.immich"]) {
            expect(secretNameProblems(name), name).to.deep.equal([]);
        }
        const longest = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
        expect(longest).to.have.length(253);
        expect(secretNameProblems(longest)).to.deep.equal([]);
        expect(secretNameProblems(`${longest}e`).map((p) => p.key)).to.deep.equal(["homelab-sso:services.immich.clientSecretTo.kubernetesSecret.name"]);
    });
});
