import { expect } from "chai";
import { GRAFANA_SECRET_GENERATION_ANNOTATION, grafanaAdminExternalSecret, grafanaReleaseValues, grafanaSsoValues, grafanaUserinfoUrl } from "../../../components/monitoring/values";
import { GrafanaConfig } from "../../../stacks/deployments";
import { grafanaTestConfig } from "../../support/deployments";

const config: GrafanaConfig = grafanaTestConfig({
    extraValues: { grafana: { service: { type: "NodePort", nodePort: 30090 } }, nodeExporter: { enabled: false } },
});

function values(): any {
    return grafanaReleaseValues({
        ...config,
        publicUrl: "https://sso.example.net:8444",
        clientId: "grafana",
        authorizeUrl: "https://sso.example.net/application/o/authorize/",
        tokenUrl: "https://sso.example.net/application/o/token/",
        apiUrl: grafanaUserinfoUrl("https://sso.example.net/application/o/userinfo/"),
        endSessionUrl: "https://sso.example.net/application/o/grafana/end-session/",
    });
}

describe("Grafana values", () => {
    it("drops the userinfo trailing slash (Grafana's //emails fallback bug)", () => {
        expect(grafanaUserinfoUrl("https://sso.example.net/application/o/userinfo/")).to.equal("https://sso.example.net/application/o/userinfo");
        expect(grafanaUserinfoUrl("https://sso.example.net/application/o/userinfo")).to.equal("https://sso.example.net/application/o/userinfo");
    });

    it("configures generic_oauth for Authentik key by key", () => {
        const ini = values().grafana["grafana.ini"];
        expect(ini.server).to.deep.equal({ root_url: "https://sso.example.net:8444" });
        expect(ini.auth).to.deep.equal({
            disable_login_form: true,
            signout_redirect_url: "https://sso.example.net/application/o/grafana/end-session/",
        });
        expect(ini["auth.generic_oauth"]).to.deep.equal({
            enabled: true,
            name: "Authentik",
            allow_sign_up: true,
            client_id: "grafana",
            client_secret: "$__file{/etc/secrets/oauth/client-secret}",
            scopes: "openid email profile",
            auth_url: "https://sso.example.net/application/o/authorize/",
            token_url: "https://sso.example.net/application/o/token/",
            api_url: "https://sso.example.net/application/o/userinfo",
            role_attribute_path: "contains(groups[*], 'authentik Admins') && 'Admin' || 'Viewer'",
            auto_login: true,
            use_pkce: true,
        });
        expect(ini.auth).to.not.have.property("oauth_auto_login");
    });

    it("reads admin credentials from grafana-secret and mounts the OAuth secret as a file", () => {
        const grafana = values().grafana;
        expect(grafana.admin).to.deep.equal({ existingSecret: "grafana-secret", userKey: "admin-user", passwordKey: "admin-password" });
        expect(grafana.extraSecretMounts).to.deep.equal([
            { name: "oauth-client-secret", secretName: "grafana-oauth", mountPath: "/etc/secrets/oauth", readOnly: true },
        ]);
        expect(grafana).to.not.have.property("envFromSecrets");
    });

    it("keeps the stack's non-SSO extra values", () => {
        const v = values();
        expect(v.grafana.service).to.deep.equal({ type: "NodePort", nodePort: 30090 });
        expect(v.nodeExporter).to.deep.equal({ enabled: false });
    });

    it("renders grafana-secret from Infisical's GRAFANA_ADMIN_PASSWORD", () => {
        const manifest = grafanaAdminExternalSecret("monitoring", { storeName: "infisical", refreshInterval: "1h" });
        expect(manifest.metadata).to.deep.equal({
            name: "grafana-secret",
            namespace: "monitoring",
            labels: { "app.kubernetes.io/name": "monitoring", "app.kubernetes.io/instance": "monitoring" },
        });
        expect(manifest.spec.target.template.data).to.deep.equal({ "admin-user": "admin", "admin-password": "{{ .password }}" });
        expect(manifest.spec.data).to.deep.equal([{ secretKey: "password", remoteRef: { key: "GRAFANA_ADMIN_PASSWORD" } }]);
    });
});

/** Grafana's pods carry the client-secret generation annotation only when the secret is delivered with one. */
describe("Grafana pod annotations (grafanaSsoValues)", () => {
    const grafanaOf = (clientSecretGeneration?: string) =>
        (
            grafanaSsoValues({
                ...grafanaTestConfig(),
                publicUrl: "https://grafana.example.net",
                clientId: "grafana",
                authorizeUrl: "https://auth.example.net/application/o/authorize/",
                tokenUrl: "https://auth.example.net/application/o/token/",
                apiUrl: "https://auth.example.net/application/o/userinfo",
                endSessionUrl: "https://auth.example.net/application/o/grafana/end-session/",
                ...(clientSecretGeneration !== undefined ? { clientSecretGeneration } : {}),
            }) as { grafana: { [key: string]: unknown } }
        ).grafana;

    it("has no podAnnotations key without a generation, and the annotation with one", () => {
        expect(grafanaOf()).to.not.have.property("podAnnotations");
        expect(grafanaOf("3").podAnnotations).to.deep.equal({ [GRAFANA_SECRET_GENERATION_ANNOTATION]: "3" });
    });
});

/** Grafana's userinfo URL loses every trailing slash: `…/userinfo//emails` would be a 404. */
describe("Grafana's userinfo URL (grafanaUserinfoUrl)", () => {
    it("drops one or several trailing slashes and nothing else", () => {
        expect(grafanaUserinfoUrl("https://auth.example.net/application/o/userinfo/")).to.equal("https://auth.example.net/application/o/userinfo");
        expect(grafanaUserinfoUrl("https://auth.example.net/application/o/userinfo//")).to.equal("https://auth.example.net/application/o/userinfo");
        expect(grafanaUserinfoUrl("https://auth.example.net/application/o/userinfo")).to.equal("https://auth.example.net/application/o/userinfo");
    });
});

/**
 * The order of the values layers of each chart (components/helm/mergeValues.ts): program defaults <
 * the stack's `extraValues` < the SSO values the program owns. Config validation refuses extra values
 * on SSO paths; this pins the second line of defence, the merge itself, by handing the builders extra
 * values that validation would have refused.
 */
function grafanaValues(extraValues: { [key: string]: unknown }): any {
    return grafanaReleaseValues({
        ...grafanaTestConfig({ extraValues }),
        publicUrl: "https://sso.example.net:8444",
        clientId: "grafana",
        authorizeUrl: "https://sso.example.net/application/o/authorize/",
        tokenUrl: "https://sso.example.net/application/o/token/",
        apiUrl: "https://sso.example.net/application/o/userinfo",
        endSessionUrl: "https://sso.example.net/application/o/grafana/end-session/",
    });
}

describe("values layers: defaults < extraValues < SSO values", () => {
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
