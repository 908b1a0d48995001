import { expect } from "chai";
import { grafanaAdminExternalSecret, grafanaReleaseValues, grafanaUserinfoUrl } from "../../../components/monitoring/values";
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
