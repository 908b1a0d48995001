import { expect } from "chai";
import { checkCallbackPath, checkRedirectUri, redirectUris } from "../../stacks/redirects";

describe("stacks/redirects", () => {
    describe("redirectUris", () => {
        it("puts publicUrl + callbackPath first, character for character, then the extras in order", () => {
            expect(
                redirectUris({
                    publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8443",
                    callbackPath: "/auth/callback",
                    extraRedirectUris: ["http://localhost:8085/auth/callback", "https://argocd.example.com/pkce/verify"],
                }),
            ).to.deep.equal([
                "https://holdens-mac-mini.story-larch.ts.net:8443/auth/callback",
                "http://localhost:8085/auth/callback",
                "https://argocd.example.com/pkce/verify",
            ]);
        });

        it("gives exactly one URI without extras", () => {
            expect(redirectUris({ publicUrl: "https://grafana.localtest.me", callbackPath: "/login/generic_oauth", extraRedirectUris: [] })).to.deep.equal([
                "https://grafana.localtest.me/login/generic_oauth",
            ]);
        });
    });

    describe("checkRedirectUri", () => {
        const extra = { allowLoopbackHttp: true };
        const primary = { allowLoopbackHttp: false };

        it("accepts exact https URIs, with or without a port", () => {
            expect(checkRedirectUri("https://holdens-mac-mini.story-larch.ts.net:8444/login/generic_oauth", primary)).to.equal(undefined);
            expect(checkRedirectUri("https://argocd.localtest.me/auth/callback", primary)).to.equal(undefined);
        });

        it("accepts loopback http with a port only when explicitly allowed", () => {
            expect(checkRedirectUri("http://localhost:8085/auth/callback", extra)).to.equal(undefined);
            expect(checkRedirectUri("http://127.0.0.1:8085/auth/callback", extra)).to.equal(undefined);
            expect(checkRedirectUri("http://localhost:8085/auth/callback", primary)).to.match(/plain http/);
        });

        const refused: [string, string, RegExp][] = [
            ["plain http to a real host", "http://argocd.example.com/auth/callback", /plain http/],
            ["loopback without a port", "http://localhost/auth/callback", /without a port/],
            ["another loopback spelling", "http://[::1]:8085/auth/callback", /plain http/],
            ["a wildcard", "https://*.example.com/auth/callback", /wildcard/],
            ["a wildcard in the path", "https://example.com/auth/*", /wildcard/],
            ["a fragment", "https://example.com/auth/callback#x", /fragment/],
            ["a query string", "https://example.com/auth/callback?next=/", /query/],
            ["an empty query string", "https://example.com/auth/callback?", /query/],
            ["credentials", "https://user:pw@example.com/auth/callback", /credentials/],
            ["another scheme", "ftp://example.com/auth/callback", /https/],
            ["an upper-case host", "https://Example.com/auth/callback", /canonical/],
            ["a default port", "https://example.com:443/auth/callback", /canonical/],
            ["a dot segment", "https://example.com/a/../auth/callback", /canonical/],
            ["no URL at all", "auth/callback", /not a URL/],
            ["whitespace", "https://example.com/auth callback", /whitespace/],
        ];
        for (const [what, uri, message] of refused) {
            it(`refuses ${what}`, () => {
                const problem = checkRedirectUri(uri, extra);
                expect(problem, uri).to.be.a("string");
                expect(problem).to.match(message);
                expect(problem).to.match(/allowed:/);
            });
        }
    });

    describe("checkCallbackPath", () => {
        it("accepts absolute canonical paths", () => {
            expect(checkCallbackPath("/login/generic_oauth")).to.equal(undefined);
            expect(checkCallbackPath("/auth/callback")).to.equal(undefined);
        });

        const refused: [string, RegExp][] = [
            ["auth/callback", /single "\/"/],
            ["//evil.example.com/cb", /single "\/"/],
            ["https://example.com/cb", /single "\/"/],
            ["/auth/callback?x=1", /query/],
            ["/auth/callback#x", /fragment/],
            ["/auth/*", /wildcard/],
            ["/a/../auth/callback", /canonical/],
            ["/caf\u00e9", /canonical/],
        ];
        for (const [path, message] of refused) {
            it(`refuses ${JSON.stringify(path)}`, () => {
                expect(checkCallbackPath(path)).to.match(message);
            });
        }
    });
});
