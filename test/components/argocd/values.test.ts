import { expect } from "chai";
import { argoCdReleaseValues, argoCdSsoValues } from "../../../components/argocd/values";
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

/** ArgoCD's RBAC values: `policy.csv` appears only when a group is mapped; the default policy always. */
describe("ArgoCD RBAC values (argoCdSsoValues)", () => {
    const rbacOf = (groups: { adminGroups: string[]; readonlyGroups: string[] }) =>
        (argoCdSsoValues({ ...argoCdTestConfig(groups), publicUrl: "https://argocd.example.net", dexConfig: "connectors: []", trustIssuerCa: false }) as { configs: { rbac: unknown } }).configs.rbac;

    it("has no policy.csv key at all when no group is mapped", () => {
        expect(rbacOf({ adminGroups: [], readonlyGroups: [] })).to.deep.equal({ "policy.default": "role:readonly" });
    });

    it("maps the groups in policy.csv when there are some", () => {
        const rbac = rbacOf({ adminGroups: ["ops"], readonlyGroups: [] }) as { [key: string]: string };
        expect(Object.keys(rbac).sort()).to.deep.equal(["policy.csv", "policy.default"]);
        expect(rbac["policy.csv"]).to.include("g, ops, role:admin");
    });
});

/**
 * The order of the values layers of each chart (components/helm/mergeValues.ts): program defaults <
 * the stack's `extraValues` < the SSO values the program owns. Config validation refuses extra values
 * on SSO paths; this pins the second line of defence, the merge itself, by handing the builders extra
 * values that validation would have refused.
 */
function argocdValues(extraValues: { [key: string]: unknown }): any {
    return argoCdReleaseValues({ ...argoCdTestConfig({ extraValues }), publicUrl: "https://sso.example.net:8443", dexConfig: "connectors: []\n", trustIssuerCa: false });
}

describe("values layers: defaults < extraValues < SSO values", () => {
    it("ArgoCD: the SSO values win over extra values on the same keys (admin login, RBAC default, dex.config, Dex), and no oidc.config survives", () => {
        const values = argocdValues({
            configs: { cm: { "admin.enabled": "true", "oidc.config": "name: Other\n", "dex.config": "connectors: [{type: github}]\n" }, rbac: { "policy.default": "role:admin" } },
            dex: { enabled: false, containerSecurityContext: { runAsNonRoot: false } },
        });
        expect(values.configs.cm["admin.enabled"]).to.equal("false");
        expect(values.configs.cm["dex.config"]).to.equal("connectors: []\n");
        expect(values.configs.cm).to.not.have.property("oidc.config");
        expect(values.configs.rbac["policy.default"]).to.equal("role:readonly");
        expect(values.dex.enabled).to.equal(true);
        expect(values.dex.containerSecurityContext.runAsNonRoot).to.equal(true);
    });

    it("ArgoCD: extra values win over the program's defaults, and keep the defaults' siblings", () => {
        const values = argocdValues({ redis: { resources: { requests: { memory: "48Mi", cpu: "10m" } } }, configs: { params: { "server.insecure": false } } });
        expect(values.redis.resources.requests).to.deep.equal({ memory: "48Mi", cpu: "10m" });
        expect(values.configs.params["server.insecure"]).to.equal(false);
        expect(values.configs.cm["resource.customizations.ignoreDifferences.external-secrets.io_ExternalSecret"]).to.be.a("string");
        expect(values.applicationSet.resources.requests.memory).to.equal("64Mi");
    });
});
