/**
 * The reason `ownedReason` gives for each path the program owns, word for word, and that it gives none
 * for a path of the other chart or of another part of the same chart.
 */
import { expect } from "chai";
import { ownedReason } from "../../stacks/passThrough";

const KPS = "kube-prometheus-stack";
const ROUTE = (route: string) =>
    `is an env, args or file route into the process (\`${route}\`), which can override the login settings the program owns for SSO ` +
    "(e.g. GF_AUTH_DISABLE_LOGIN_FORM, GF_SECURITY_ADMIN_PASSWORD, --disable-auth, ARGOCD_SERVER_DISABLE_AUTH)";
const HIDDEN = " (envFrom-style keys are refused outright: the keys inside them cannot be seen)";
const OBJECTS = "creates arbitrary Kubernetes objects (one could replace argocd-cm or Grafana's ConfigMap and undo SSO-only login)";
const GRAFANA_INI =
    "is a grafana.ini section the program owns or that can reach login (server.root_url, security, users, auth.*); only [analytics], [log] and [dashboards] pass through";
const GRAFANA_ADMIN = "is Grafana's local admin account, which the program owns (SSO-only login: no password login)";

describe("pass-through: why a refused path belongs to the program (ownedReason)", () => {
    it("names the route; envFrom-style routes also say their keys cannot be seen, other routes do not", () => {
        for (const route of ["envFrom", "envFromSecret", "envFromSecrets", "envFromConfigMaps", "extraEnvFrom"]) {
            expect(ownedReason(KPS, ["grafana", route]), route).to.equal(ROUTE(route) + HIDDEN);
        }
        for (const route of ["env", "extraEnv", "envValueFrom", "envRenderSecret", "extraArgs", "extraVolumes", "extraContainers"]) {
            expect(ownedReason("argo-cd", ["server", route]), route).to.equal(ROUTE(route));
        }
    });

    it("extraObjects and extraManifests, anywhere, create arbitrary objects", () => {
        expect(ownedReason("argo-cd", ["extraObjects"])).to.equal(OBJECTS);
        expect(ownedReason(KPS, ["grafana", "extraManifests"])).to.equal(OBJECTS);
        expect(ownedReason(KPS, ["extraManifests"])).to.equal(OBJECTS);
    });

    it("Grafana's login paths, only under kube-prometheus-stack's grafana", () => {
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth.generic_oauth"])).to.equal(
            "is Grafana's [auth.generic_oauth] section, which decides who may log in; the program owns it for SSO-only login",
        );
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth"])).to.match(/^is Grafana's \[auth\] section/);
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "authz"])).to.equal(GRAFANA_INI);
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "server"])).to.equal(GRAFANA_INI);
        expect(ownedReason(KPS, ["grafana", "grafana.ini"])).to.equal(GRAFANA_INI);
        for (const key of ["admin", "adminUser", "adminPassword"]) {
            expect(ownedReason(KPS, ["grafana", key]), key).to.equal(GRAFANA_ADMIN);
        }
        expect(ownedReason(KPS, ["grafana", "ldap"])).to.equal("is a second login path (LDAP); the program owns Grafana's login for SSO");
        // The same names elsewhere are not Grafana's.
        expect(ownedReason(KPS, ["prometheus", "admin"])).to.equal(undefined);
        expect(ownedReason(KPS, ["alertmanager", "grafana.ini"])).to.equal(undefined);
        expect(ownedReason("argo-cd", ["grafana", "admin"])).to.equal(undefined);
        expect(ownedReason("argo-cd", ["grafana", "grafana.ini", "auth"])).to.equal(undefined);
    });

    it("ArgoCD's login paths, only under argo-cd", () => {
        expect(ownedReason("argo-cd", ["configs", "cm", "url"])).to.equal(
            "is argocd-cm, which holds ArgoCD's login settings (url, oidc.config, admin.enabled, users.anonymous.enabled, accounts.<name>); the program owns it for SSO",
        );
        expect(ownedReason("argo-cd", ["configs", "rbac"])).to.equal("is ArgoCD's RBAC policy, which the program writes from rbacDefaultPolicy, adminGroups and readonlyGroups");
        expect(ownedReason("argo-cd", ["configs", "params"])).to.equal(
            "is argocd-cmd-params-cm, whose keys are server flags (server.disable.auth turns login off); the program owns them for SSO",
        );
        expect(ownedReason("argo-cd", ["configs", "secret"])).to.equal("is argocd-secret, which holds the admin password and the OIDC client secret; the program owns it");
        expect(ownedReason("argo-cd", ["server", "service", "nodePortHttp"])).to.equal("is set by the program from homelab-sso:argocd.nodePorts (http, https); set them there");
        expect(ownedReason("argo-cd", ["dex"])).to.equal("is Dex, a second login path the program turns off for SSO-only login");
        // Neighbours that are not login settings.
        for (const segments of [["configs", "repositories"], ["server", "service", "type"], ["server", "service"], ["controller", "cm"], ["server", "rbac"], ["server", "secret"], ["repoServer", "params"]]) {
            expect(ownedReason("argo-cd", segments), segments.join(".")).to.equal(undefined);
        }
        expect(ownedReason(KPS, ["configs", "cm"])).to.equal(undefined);
        expect(ownedReason(KPS, ["dex"])).to.equal(undefined);
    });
});
