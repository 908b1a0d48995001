/**
 * What an entry of `homelab-sso:services`, `homelab-sso:bookmarks`, `homelab-sso:oidc` or
 * `homelab-sso:clientSecrets` is told when a key is missing or blank, and that a refused entry is left
 * out of the checks across entries (each mistake is reported once, not again as a clash).
 */
import { expect } from "chai";
import { parseStackConfig, rawConfigFromPulumi, StackConfig } from "../../stacks/config";
import { OIDC_SCOPES } from "../../stacks/services";
import { ConfigError, ConfigProblem } from "../../stacks/validation";
import { WITHOUT_DEPLOYMENTS } from "../support/services";
import { StackOverrides, stackConfig } from "../support/stacks";

const SERVICE = {
    name: "Immich",
    group: "Media",
    publicUrl: "https://immich.example.ts.net",
    callbackPath: "/auth/login",
};
const NATIVE = { redirectUris: ["app.immich:///oauth-callback"] };
const BOOKMARK = { slug: "infisical", name: "Infisical", group: "Infrastructure", launchUrl: "https://infisical.example.ts.net:8445" };

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

function problemsOf(set: { [key: string]: unknown }, secrets: StackOverrides["secrets"] = {}): ConfigProblem[] {
    const { problems } = read(set, secrets);
    expect(problems, "expected the config to be refused").to.not.be.empty;
    return problems;
}

describe("service, bookmark and oidc entries: missing and blank keys", () => {
    it("refuses a service whose slug is set but empty, instead of leaving the service out", () => {
        expect(problemsOf({ "homelab-sso:services": { immich: { ...SERVICE, slug: "" } } })).to.deep.equal([
            { key: "homelab-sso:services.immich.slug", message: "is required" },
        ]);
    });

    it("tells a blank group, access group or signing key name what is allowed", () => {
        expect(problemsOf({ "homelab-sso:services": { immich: { ...SERVICE, group: " ", accessGroup: " " } } })).to.deep.equal([
            { key: "homelab-sso:services.immich.group", message: 'must not be blank; allowed: a portal group such as "Monitoring"' },
            { key: "homelab-sso:services.immich.accessGroup", message: "must not be blank; allowed: the name of an Authentik group" },
        ]);
        expect(problemsOf({ "homelab-sso:oidc": { signingKeyName: " " } })).to.deep.equal([
            { key: "homelab-sso:oidc.signingKeyName", message: "must not be blank; allowed: the name of a certificate key pair with a private key" },
        ]);
    });

    it("lists the allowed scopes when openid is missing", () => {
        expect(problemsOf({ "homelab-sso:oidc": { scopes: ["email"] } })).to.deep.equal([
            { key: "homelab-sso:oidc.scopes", message: `must include "openid" (without it there is no ID token); allowed: ${OIDC_SCOPES.join(", ")}` },
        ]);
    });

    it("refuses a bookmark without a name, group or launch URL, naming each", () => {
        expect(problemsOf({ "homelab-sso:bookmarks": [{ slug: "infisical" }] })).to.deep.equal([
            { key: "homelab-sso:bookmarks[0].name", message: "is required" },
            { key: "homelab-sso:bookmarks[0].group", message: "is required" },
            { key: "homelab-sso:bookmarks[0].launchUrl", message: "is required" },
        ]);
    });

    it("tells a blank bookmark name or group what is allowed", () => {
        expect(problemsOf({ "homelab-sso:bookmarks": [{ ...BOOKMARK, name: " ", group: " " }] })).to.deep.equal([
            { key: "homelab-sso:bookmarks[0].name", message: "must not be blank; allowed: the display name in the portal" },
            { key: "homelab-sso:bookmarks[0].group", message: 'must not be blank; allowed: a portal group such as "Infrastructure"' },
        ]);
    });

    it("tells a blank native client name what is allowed, and defaults its client id to its own slug", () => {
        expect(problemsOf({ "homelab-sso:services": { immich: { ...SERVICE, nativeClient: { ...NATIVE, name: " " } } } })).to.deep.equal([
            { key: "homelab-sso:services.immich.nativeClient.name", message: "must not be blank; allowed: the display name of the native client's application" },
        ]);
        const { config } = read({ "homelab-sso:services": { immich: { ...SERVICE, nativeClient: { ...NATIVE, slug: "immich-mobile" } } } });
        expect(config!.services[0].nativeClient).to.include({ slug: "immich-mobile", clientId: "immich-mobile" });
    });

    it("keeps a service's icon and description, and gives a bookmark without them no such keys", () => {
        const { config } = read({
            "homelab-sso:services": { immich: { ...SERVICE, icon: "/static/immich.png", description: "Photos" } },
            "homelab-sso:bookmarks": [{ ...BOOKMARK }],
        });
        expect(config!.services[0]).to.include({ icon: "/static/immich.png", description: "Photos" });
        expect(config!.bookmarks[0]).to.not.have.any.keys("icon", "description");
    });
});

describe("client secrets and clashes: what the message allows", () => {
    it("lists the configured services for a client secret of an unknown one, or says there are none", () => {
        const secret = "known-given-client-secret-51be";
        expect(
            problemsOf({ "homelab-sso:services": { immich: { ...SERVICE } } }, { "homelab-sso:clientSecrets": JSON.stringify({ photos: secret }) }),
        ).to.deep.equal([{ key: "homelab-sso:clientSecrets.photos", message: "names no configured service; allowed: immich" }]);
        expect(problemsOf({}, { "homelab-sso:clientSecrets": JSON.stringify({ photos: secret }) })).to.deep.equal([
            { key: "homelab-sso:clientSecrets.photos", message: "names no configured service; allowed: (no services configured)" },
        ]);
    });

    it("says a clashing slug or client id must be one no other entry uses", () => {
        expect(
            problemsOf({ "homelab-sso:services": { immich: { ...SERVICE, slug: "infisical", clientId: "shared" }, photos: { ...SERVICE, publicUrl: "https://photos.example.ts.net", clientId: "shared" } }, "homelab-sso:bookmarks": [{ ...BOOKMARK }] }),
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
        "homelab-sso:bookmarks": [{ ...BOOKMARK, slug: "immich" }],
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
            const problems = problemsOf(clashing(immich));
            expect(problems.map((p) => p.key)).to.deep.equal([key]);
        });
    }
});
