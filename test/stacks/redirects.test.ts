import { expect } from "chai";
import { checkCallbackPath, checkRedirectHosts, checkRedirectUri, redirectUris } from "../../stacks/redirects";

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
        it("accepts exact https URIs on a web client, with or without a port", () => {
            expect(checkRedirectUri("https://holdens-mac-mini.story-larch.ts.net:8444/login/generic_oauth", "web")).to.equal(undefined);
            expect(checkRedirectUri("https://argocd.localtest.me/auth/callback", "web")).to.equal(undefined);
        });

        it("accepts private-use reverse-domain URIs on both kinds (Immich's mobile callback)", () => {
            expect(checkRedirectUri("app.immich:///oauth-callback", "web")).to.equal(undefined);
            expect(checkRedirectUri("app.immich:///oauth-callback", "native")).to.equal(undefined);
            expect(checkRedirectUri("com.example.app:/oauth2redirect", "native")).to.equal(undefined);
        });

        it("accepts loopback http with a port on a native client only", () => {
            expect(checkRedirectUri("http://localhost:8085/auth/callback", "native")).to.equal(undefined);
            expect(checkRedirectUri("http://127.0.0.1:8085/auth/callback", "native")).to.equal(undefined);
            expect(checkRedirectUri("http://localhost:8085/auth/callback", "web")).to.match(/only a public native client/);
        });

        it("never accepts an https web URI on a native client", () => {
            expect(checkRedirectUri("https://argocd.example.com/auth/callback", "native")).to.match(/https web URI/);
        });

        const refused: [string, string, RegExp, ("web" | "native")[]][] = [
            ["plain http to a real host", "http://argocd.example.com/auth/callback", /plain http/, ["web", "native"]],
            ["loopback without a port", "http://localhost/auth/callback", /without a port/, ["native"]],
            ["another loopback spelling", "http://[::1]:8085/auth/callback", /not loopback/, ["native"]],
            // The loopback host is matched whole, never as a part of the host name.
            ["a host that starts with localhost", "http://localhost.evil.example.com:8085/auth/callback", /not loopback/, ["native"]],
            ["a host that starts with 127.0.0.1", "http://127.0.0.1.evil.example.com:8085/auth/callback", /not loopback/, ["native"]],
            ["a host that ends with localhost", "http://evil-localhost:8085/auth/callback", /not loopback/, ["native"]],
            ["a wildcard", "https://*.example.com/auth/callback", /wildcard/, ["web"]],
            ["a wildcard in the path", "https://example.com/auth/*", /wildcard/, ["web"]],
            ["a fragment", "https://example.com/auth/callback#x", /fragment/, ["web"]],
            ["a query string", "https://example.com/auth/callback?next=/", /query/, ["web"]],
            ["an empty query string", "https://example.com/auth/callback?", /query/, ["web"]],
            ["credentials", "https://user:pw@example.com/auth/callback", /credentials/, ["web"]],
            ["another scheme", "ftp://example.com/auth/callback", /neither https nor a private-use/, ["web", "native"]],
            ["another scheme, named without its colon", "ftp://example.com/auth/callback", /uses the scheme "ftp", which/, ["web"]],
            ["a scheme whose first label is not reverse-domain (a '+')", "a+b.example:/callback", /private-use/, ["native"]],
            ["a scheme without a dot", "myapp:/callback", /private-use/, ["web", "native"]],
            ["javascript:", "javascript:alert(1)", /private-use/, ["web", "native"]],
            ["an upper-case private-use scheme", "App.Immich:///oauth-callback", /canonical/, ["native"]],
            ["an upper-case host", "https://Example.com/auth/callback", /canonical/, ["web"]],
            ["a default port", "https://example.com:443/auth/callback", /canonical/, ["web"]],
            ["a leading-zero loopback port", "http://localhost:08085/auth/callback", /canonical/, ["native"]],
            ["a dot segment", "https://example.com/a/../auth/callback", /canonical/, ["web"]],
            ["no URL at all", "auth/callback", /not a URL/, ["web", "native"]],
            ["whitespace", "https://example.com/auth callback", /whitespace/, ["web"]],
            ["a control character", "app.immich:///cb\u0007", /control character/, ["native"]],
        ];
        for (const [what, uri, message, kinds] of refused) {
            for (const kind of kinds) {
                it(`refuses ${what} on a ${kind} client`, () => {
                    const problem = checkRedirectUri(uri, kind);
                    expect(problem, uri).to.be.a("string");
                    expect(problem).to.match(message);
                    expect(problem).to.match(/allowed:/);
                });
            }
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

    describe("checkRedirectHosts", () => {
        const PUBLIC = "https://grafana.example.ts.net:8444";
        const KEY = "homelab-sso:services.grafana.redirectHosts";

        it("accepts https URIs on the publicUrl host (any port) and private-use URIs without listing anything", () => {
            expect(checkRedirectHosts(PUBLIC, ["https://grafana.example.ts.net/cb", "https://grafana.example.ts.net:9000/cb", "app.immich:///oauth-callback"], [], KEY)).to.deep.equal([]);
        });

        it("refuses an https URI on another host unless redirectHosts lists it, naming the host and where to list it", () => {
            expect(checkRedirectHosts(PUBLIC, ["https://grafana.example.ts.net/ok", "https://evil.example.com/login/generic_oauth"], [], KEY)).to.deep.equal([
                {
                    field: "extraRedirectUris",
                    index: 1,
                    message:
                        '"https://evil.example.com/login/generic_oauth" is on the host "evil.example.com", not the service\'s publicUrl host "grafana.example.ts.net", and homelab-sso:services.grafana.redirectHosts does not list it; allowed: an https URI on grafana.example.ts.net, or on a host listed in homelab-sso:services.grafana.redirectHosts (add "evil.example.com" there only if that host is yours)',
                },
            ]);
            expect(checkRedirectHosts(PUBLIC, ["https://grafana.example.ts.net/ok", "https://other.example.net/cb"], ["other.example.net"], KEY)).to.deep.equal([]);
            // A look-alike is another host: the listed name must match exactly.
            expect(checkRedirectHosts(PUBLIC, ["https://other.example.net.evil.example/cb"], ["other.example.net"], KEY).map((p) => p.field)).to.deep.equal(["extraRedirectUris", "redirectHosts"]);
        });

        it("skips entries already refused (undefined) but keeps the indices of the stack file", () => {
            expect(checkRedirectHosts(PUBLIC, [undefined, "https://evil.example.com/cb"], [], KEY).map((p) => [p.field, p.index])).to.deep.equal([["extraRedirectUris", 1]]);
        });

        it("refuses a listed host that no https URI uses, the publicUrl host itself, and a host listed twice", () => {
            const problems = checkRedirectHosts(PUBLIC, ["https://other.example.net/cb", "app.immich:///cb"], ["other.example.net", "unused.example.net", "grafana.example.ts.net", "other.example.net"], KEY);
            expect(problems).to.deep.equal([
                {
                    field: "redirectHosts",
                    index: 1,
                    message: '"unused.example.net" is used by no https URI in extraRedirectUris; allowed: only hosts those URIs use (an unused entry would let a later line send codes there unnoticed)',
                },
                { field: "redirectHosts", index: 2, message: '"grafana.example.ts.net" is the publicUrl host, whose redirect URIs need no listing; allowed: other hosts that extraRedirectUris use' },
                { field: "redirectHosts", index: 3, message: 'lists "other.example.net" twice; allowed: each host once' },
            ]);
        });
    });
});

/** What a refused callback path is told. */
describe("callback path refusals (checkCallbackPath)", () => {
    it("says a path must start with a single '/' and what is allowed", () => {
        for (const value of ["auth/callback", "//auth/callback"]) {
            expect(checkCallbackPath(value)).to.equal(`${JSON.stringify(value)} must start with a single "/"; allowed: an absolute path such as "/auth/callback" (no query, fragment or wildcard)`);
        }
    });
});

/** A private-use redirect scheme is reverse-domain from its first character (RFC 8252 §7.1). */
describe("private-use redirect schemes", () => {
    it("refuses a scheme whose reverse-domain part starts after another character", () => {
        // `+` is a legal scheme character, but `a+b.immich` is not a reverse domain name; `b.immich` would be.
        for (const kind of ["web", "native"] as const) {
            expect(checkRedirectUri("a+b.immich:/oauth-callback", kind), kind).to.match(/^"a\+b\.immich:\/oauth-callback" uses the scheme "a\+b\.immich", which is neither https nor a private-use reverse-domain scheme/);
            expect(checkRedirectUri("b.immich:/oauth-callback", kind), kind).to.equal(undefined);
            // ... and that runs to the scheme's end: `b.immich+x` is not one either.
            expect(checkRedirectUri("b.immich+x:/oauth-callback", kind), kind).to.match(/uses the scheme "b\.immich\+x", which is neither https nor a private-use reverse-domain scheme/);
        }
    });
});

/** A redirect URI never carries credentials, a user name alone included. */
describe("redirect URIs with credentials (checkRedirectUri)", () => {
    it("refuses a user name, a password, or both, naming credentials", () => {
        for (const uri of ["https://user@app.example.net/cb", "https://:secret@app.example.net/cb", "https://user:secret@app.example.net/cb"]) {
            expect(checkRedirectUri(uri, "web"), uri).to.match(new RegExp(`^${JSON.stringify(uri).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} contains credentials; allowed: `));
        }
    });
});

/** A private-use redirect scheme (RFC 8252 §7.1) is a whole reverse-domain name, not one that ends in it. */
describe("private-use redirect URI schemes", () => {
    it("accepts a reverse-domain scheme and refuses one that only ends in a reverse-domain name", () => {
        expect(checkRedirectUri("app.immich:///oauth-callback", "web")).to.equal(undefined);
        expect(checkRedirectUri("com.example.app:///cb", "native")).to.equal(undefined);
        for (const uri of ["x+app.immich:///oauth-callback", "x+com.example.app:///cb"]) {
            expect(checkRedirectUri(uri, "web"), uri).to.match(/which is neither https nor a private-use reverse-domain scheme/);
        }
    });
});
