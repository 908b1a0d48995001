/**
 * The order of the values layers of each chart (components/helm/mergeValues.ts): program defaults <
 * the stack's `extraValues` < the SSO values the program owns. Config validation refuses extra values
 * on SSO paths; this pins the second line of defence, the merge itself, by handing the builders extra
 * values that validation would have refused.
 */
import { expect } from "chai";
import { argoCdReleaseValues } from "../../../components/argocd/values";
import { mergeValues } from "../../../components/helm/mergeValues";
import { grafanaReleaseValues } from "../../../components/monitoring/values";
import { ArgoCdConfig, GrafanaConfig } from "../../../stacks/deployments";
import { argoCdTestConfig, grafanaTestConfig } from "../../support/deployments";

const argocdConfig = (extraValues: { [key: string]: unknown }): ArgoCdConfig => argoCdTestConfig({ extraValues });
const grafanaConfig = (extraValues: { [key: string]: unknown }): GrafanaConfig => grafanaTestConfig({ extraValues });

function argocdValues(extraValues: { [key: string]: unknown }): any {
    return argoCdReleaseValues({ ...argocdConfig(extraValues), publicUrl: "https://sso.example.net:8443", dexConfig: "connectors: []\n", trustIssuerCa: false });
}

function grafanaValues(extraValues: { [key: string]: unknown }): any {
    return grafanaReleaseValues({
        ...grafanaConfig(extraValues),
        publicUrl: "https://sso.example.net:8444",
        clientId: "grafana",
        authorizeUrl: "https://sso.example.net/application/o/authorize/",
        tokenUrl: "https://sso.example.net/application/o/token/",
        apiUrl: "https://sso.example.net/application/o/userinfo",
        endSessionUrl: "https://sso.example.net/application/o/grafana/end-session/",
    });
}

describe("values layers: defaults < extraValues < SSO values", () => {
    it("mergeValues: later layers win key by key, siblings of both layers stay, arrays replace", () => {
        const merged = mergeValues({ a: { x: 1, y: 1 }, list: [1, 2] }, { a: { y: 2, z: 2 }, list: [3] });
        expect(merged).to.deep.equal({ a: { x: 1, y: 2, z: 2 }, list: [3] });
    });

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

    it("Grafana: the SSO values win over extra values on the same keys (login form, OAuth, admin Secret)", () => {
        const values = grafanaValues({
            grafana: {
                "grafana.ini": { auth: { disable_login_form: false }, "auth.generic_oauth": { enabled: false, auto_login: false } },
                admin: { existingSecret: "elsewhere" },
                persistence: { enabled: true },
            },
        });
        const ini = values.grafana["grafana.ini"];
        expect(ini.auth.disable_login_form).to.equal(true);
        expect(ini["auth.generic_oauth"]).to.include({ enabled: true, auto_login: true });
        expect(values.grafana.admin.existingSecret).to.equal("grafana-secret");
        expect(values.grafana.persistence).to.deep.equal({ enabled: true });
    });
});
