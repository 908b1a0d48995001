import { expect } from "chai";
import { argoCdReleaseValues } from "../../../components/argocd/values";
import { ArgoCdConfig } from "../../../stacks/deployments";
import { argoCdTestConfig } from "../../support/deployments";

const config: ArgoCdConfig = argoCdTestConfig({
    rbacDefaultPolicy: "role:admin",
    extraValues: { server: { resources: { requests: { cpu: "50m" } } }, redis: { resources: { requests: { memory: "48Mi" } } } },
});

const base = { ...config, publicUrl: "https://sso.example.net:8443", dexConfig: "dex", trustIssuerCa: false };

describe("ArgoCD values", () => {
    it("sets SSO-only login through Dex: the public URL, dex.config, no oidc.config, RBAC default", () => {
        const values = argoCdReleaseValues(base) as any;
        expect(values.configs.cm.url).to.equal("https://sso.example.net:8443");
        expect(values.configs.cm["dex.config"]).to.equal("dex");
        expect(values.configs.cm).to.not.have.property("oidc.config");
        expect(values.configs.cm["admin.enabled"]).to.equal("false");
        expect(values.configs.rbac["policy.default"]).to.equal("role:admin");
        expect(values.dex.enabled).to.equal(true);
    });

    it("keeps today's NodePorts, insecure server, small requests and the ESO finalizer customization", () => {
        const values = argoCdReleaseValues(base) as any;
        expect(values.server.service).to.deep.equal({ type: "NodePort", nodePortHttp: 30080, nodePortHttps: 30443 });
        expect(values.configs.params["server.insecure"]).to.equal(true);
        expect(values.configs.cm["resource.customizations.ignoreDifferences.external-secrets.io_ExternalSecret"]).to.equal("jsonPointers:\n- /metadata/finalizers\n");
        expect(values.applicationSet.resources.requests.memory).to.equal("64Mi");
        expect(values.notifications.resources.requests.memory).to.equal("32Mi");
    });

    it("merges extra values under the program's values", () => {
        const values = argoCdReleaseValues(base) as any;
        expect(values.server.resources).to.deep.equal({ requests: { cpu: "50m" } });
        expect(values.redis.resources.requests.memory).to.equal("48Mi");
    });

    it("adds hostAliases for the Authentik host only when configured (the chart gives them to every pod, Dex's too)", () => {
        const without = argoCdReleaseValues(base) as any;
        expect(without.global).to.equal(undefined);
        const withAlias = argoCdReleaseValues({ ...base, authentikHostAlias: { ip: "100.64.0.5", hostname: "sso.example.net" } }) as any;
        expect(withAlias.global.hostAliases).to.deep.equal([{ ip: "100.64.0.5", hostnames: ["sso.example.net"] }]);
    });

    it("mounts the issuer CA into Dex only when the stack trusts one", () => {
        expect((argoCdReleaseValues(base) as any).dex).to.not.have.any.keys("volumes", "volumeMounts");
        const dex = (argoCdReleaseValues({ ...base, trustIssuerCa: true }) as any).dex;
        expect(dex.volumes).to.deep.equal([{ name: "issuer-ca", configMap: { name: "argocd-dex-issuer-ca" } }]);
        expect(dex.volumeMounts).to.deep.equal([{ name: "issuer-ca", mountPath: "/etc/homelab-sso/issuer-ca", readOnly: true }]);
    });
});
