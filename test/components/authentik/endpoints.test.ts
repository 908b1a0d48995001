import { expect } from "chai";
import { authentikEndpoints, authentikIssuer } from "../../../components/authentik/endpoints";

describe("components/authentik/endpoints", () => {
    const publicUrl = "https://holdens-mac-mini.story-larch.ts.net";

    it("builds the per-application issuer with its trailing slash", () => {
        expect(authentikIssuer(publicUrl, "argocd")).to.equal("https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/");
    });

    it("builds every endpoint of one application", () => {
        expect(authentikEndpoints(publicUrl, "argocd")).to.deep.equal({
            issuer: "https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/",
            discoveryUrl: "https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/.well-known/openid-configuration",
            authorizeUrl: "https://holdens-mac-mini.story-larch.ts.net/application/o/authorize/",
            tokenUrl: "https://holdens-mac-mini.story-larch.ts.net/application/o/token/",
            userinfoUrl: "https://holdens-mac-mini.story-larch.ts.net/application/o/userinfo/",
            endSessionUrl: "https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/end-session/",
            jwksUrl: "https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/jwks/",
        });
    });

    it("never doubles a slash when the public URL ends with one, and keeps a port", () => {
        const endpoints = authentikEndpoints("https://authentik.localtest.me:8443/", "grafana");
        expect(endpoints.issuer).to.equal("https://authentik.localtest.me:8443/application/o/grafana/");
        for (const url of Object.values(endpoints)) {
            expect(url.replace("https://", "")).not.to.include("//");
        }
    });

    it("shares authorize, token and userinfo between applications but not the rest", () => {
        const a = authentikEndpoints(publicUrl, "grafana");
        const b = authentikEndpoints(publicUrl, "argocd");
        expect([a.authorizeUrl, a.tokenUrl, a.userinfoUrl]).to.deep.equal([b.authorizeUrl, b.tokenUrl, b.userinfoUrl]);
        for (const key of ["issuer", "discoveryUrl", "endSessionUrl", "jwksUrl"] as const) {
            expect(a[key]).not.to.equal(b[key]);
        }
    });

    it("in global issuer mode the issuer (and so discovery) is Authentik's root; the per-application endpoints stay", () => {
        const endpoints = authentikEndpoints(publicUrl, "argocd", "global");
        expect(endpoints.issuer).to.equal("https://holdens-mac-mini.story-larch.ts.net/");
        expect(endpoints.discoveryUrl).to.equal("https://holdens-mac-mini.story-larch.ts.net/.well-known/openid-configuration");
        expect(endpoints.endSessionUrl).to.equal("https://holdens-mac-mini.story-larch.ts.net/application/o/argocd/end-session/");
        expect(authentikIssuer(`${publicUrl}/`, "argocd", "global")).to.equal("https://holdens-mac-mini.story-larch.ts.net/");
        expect(authentikIssuer(publicUrl, "argocd", "per_provider")).to.equal(authentikIssuer(publicUrl, "argocd"));
    });
});
