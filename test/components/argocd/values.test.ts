import { expect } from "chai";
import { parse } from "yaml";
import { argoCdOidcConfig, argoCdReleaseValues } from "../../../components/argocd/values";
import { ArgoCdConfig } from "../../../stacks/deployments";
import { argoCdTestConfig } from "../../support/deployments";

const config: ArgoCdConfig = argoCdTestConfig({
    rbacDefaultPolicy: "role:admin",
    extraValues: { server: { resources: { requests: { cpu: "50m" } } }, redis: { resources: { requests: { memory: "48Mi" } } } },
});

const settings = {
    issuer: "https://sso.example.net/application/o/argocd/",
    clientId: "argocd",
    logoutUrl: "https://sso.example.net/application/o/argocd/end-session/",
};

describe("ArgoCD values", () => {
    it("writes oidc.config with a secret reference, never a secret, and sorted keys", () => {
        const yaml = argoCdOidcConfig(settings);
        expect(parse(yaml)).to.deep.equal({
            clientID: "argocd",
            clientSecret: "$argocd-oidc-authentik:clientSecret",
            issuer: "https://sso.example.net/application/o/argocd/",
            logoutURL: "https://sso.example.net/application/o/argocd/end-session/",
            name: "Authentik",
            requestedScopes: ["openid", "profile", "email"],
        });
        const keys = yaml.split("\n").filter((l) => /^\w/.test(l)).map((l) => l.split(":")[0]);
        expect(keys).to.deep.equal([...keys].sort());
        expect(argoCdOidcConfig(settings)).to.equal(yaml);
    });

    it("sets SSO-only login, the public URL, RBAC default and no Dex", () => {
        const values = argoCdReleaseValues({ config, publicUrl: "https://sso.example.net:8443", oidcConfig: "oidc" }) as any;
        expect(values.configs.cm.url).to.equal("https://sso.example.net:8443");
        expect(values.configs.cm["oidc.config"]).to.equal("oidc");
        expect(values.configs.cm["admin.enabled"]).to.equal("false");
        expect(values.configs.rbac["policy.default"]).to.equal("role:admin");
        expect(values.dex).to.deep.equal({ enabled: false });
    });

    it("keeps today's NodePorts, insecure server, small requests and the ESO finalizer customization", () => {
        const values = argoCdReleaseValues({ config, publicUrl: "https://sso.example.net:8443", oidcConfig: "oidc" }) as any;
        expect(values.server.service).to.deep.equal({ type: "NodePort", nodePortHttp: 30080, nodePortHttps: 30443 });
        expect(values.configs.params["server.insecure"]).to.equal(true);
        expect(values.configs.cm["resource.customizations.ignoreDifferences.external-secrets.io_ExternalSecret"]).to.equal("jsonPointers:\n- /metadata/finalizers\n");
        expect(values.applicationSet.resources.requests.memory).to.equal("64Mi");
        expect(values.notifications.resources.requests.memory).to.equal("32Mi");
    });

    it("merges extra values under the program's values", () => {
        const values = argoCdReleaseValues({ config, publicUrl: "https://sso.example.net:8443", oidcConfig: "oidc" }) as any;
        expect(values.server.resources).to.deep.equal({ requests: { cpu: "50m" } });
        expect(values.redis.resources.requests.memory).to.equal("48Mi");
    });

    it("adds hostAliases for the Authentik host only when configured", () => {
        const without = argoCdReleaseValues({ config, publicUrl: "https://a.example.net", oidcConfig: "x" }) as any;
        expect(without.global).to.equal(undefined);
        const withAlias = argoCdReleaseValues({ config, publicUrl: "https://a.example.net", oidcConfig: "x", authentikHostAlias: { ip: "100.64.0.5", hostname: "sso.example.net" } }) as any;
        expect(withAlias.global.hostAliases).to.deep.equal([{ ip: "100.64.0.5", hostnames: ["sso.example.net"] }]);
    });
});
