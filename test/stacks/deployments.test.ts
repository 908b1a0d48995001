import { expect } from "chai";
import { ARGOCD_SSO_PATHS, GRAFANA_SSO_PATHS, parseArgoCd, parseBootstrap, parseGrafana, parseHostAlias, protectedOverrides } from "../../stacks/deployments";
import { ProblemList } from "../../stacks/validation";

function collect<T>(parse: (problems: ProblemList, ports: { key: string; port: number }[]) => T) {
    const problems = new ProblemList();
    const ports: { key: string; port: number }[] = [];
    const result = parse(problems, ports);
    return { result, problems: problems.problems, ports };
}

describe("deployment config sections", () => {
    it("finds extra values that reach into SSO-owned keys", () => {
        expect(protectedOverrides({ configs: { cm: { "admin.enabled": "true" } } }, ARGOCD_SSO_PATHS)).to.deep.equal([["configs", "cm", "admin.enabled"]]);
        expect(protectedOverrides({ configs: { cm: { "exec.enabled": "true" } } }, ARGOCD_SSO_PATHS)).to.deep.equal([]);
        expect(protectedOverrides({ grafana: { "grafana.ini": { auth: { disable_login_form: false } } } }, GRAFANA_SSO_PATHS)).to.deep.equal([
            ["grafana", "grafana.ini", "auth"],
        ]);
    });

    const rejected: { name: string; parse: (p: ProblemList, ports: any[]) => unknown; key: string; mention: RegExp }[] = [
        {
            name: "ArgoCD extra value re-enabling admin login",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { cm: { "admin.enabled": "true" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.cm."admin.enabled"',
            mention: /set by the program for SSO/,
        },
        {
            name: "ArgoCD extra value replacing oidc.config",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { cm: { "oidc.config": "name: x" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.cm."oidc.config"',
            mention: /set by the program for SSO/,
        },
        {
            name: "ArgoCD extra value changing the RBAC default",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { rbac: { "policy.default": "role:admin" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.rbac."policy.default"',
            mention: /set by the program for SSO/,
        },
        {
            name: "Grafana extra value re-enabling the login form",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { "grafana.ini": { auth: { disable_login_form: false } } } } }, ports, p),
            key: 'homelab-sso:grafana.extraValues.grafana."grafana.ini".auth',
            mention: /set by the program for SSO/,
        },
        {
            name: "Grafana extra value replacing generic_oauth",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { "grafana.ini": { "auth.generic_oauth": { enabled: false } } } } }, ports, p),
            key: 'homelab-sso:grafana.extraValues.grafana."grafana.ini"."auth.generic_oauth"',
            mention: /set by the program for SSO/,
        },
        {
            name: "Grafana extra value changing root_url",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { "grafana.ini": { server: { root_url: "https://x" } } } } }, ports, p),
            key: 'homelab-sso:grafana.extraValues.grafana."grafana.ini".server.root_url',
            mention: /set by the program for SSO/,
        },
        {
            name: "a literal secret in extra values",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { adminPassword: "hunter2" } } }, ports, p),
            key: "homelab-sso:grafana.extraValues.grafana.adminPassword",
            mention: /literal secret/,
        },
        {
            name: "an out-of-range NodePort in extra values",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { service: { nodePort: 9090 } } } }, ports, p),
            key: "homelab-sso:grafana.extraValues.grafana.service.nodePort",
            mention: /30000-32767/,
        },
        {
            name: "an ArgoCD RBAC default that is not a role",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { rbacDefaultPolicy: "admin" }, ports, p),
            key: "homelab-sso:argocd.rbacDefaultPolicy",
            mention: /role:<name>/,
        },
        {
            name: "a host alias that is not an IP",
            parse: (p) => parseHostAlias("homelab-sso:authentikHostAlias", { ip: "tailnet" }, p),
            key: "homelab-sso:authentikHostAlias.ip",
            mention: /IPv4/,
        },
        {
            name: "an App-of-Apps without repository",
            parse: (p) => parseBootstrap("homelab-sso:bootstrap", { appOfApps: { path: "k8s/apps/argocd" } }, p),
            key: "homelab-sso:bootstrap.appOfApps.repoUrl",
            mention: /is required/,
        },
        {
            name: "a Grafana admin group with a quote",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { adminGroup: "it's admins" }, ports, p),
            key: "homelab-sso:grafana.adminGroup",
            mention: /quote/,
        },
    ];
    for (const testCase of rejected) {
        it(`rejects ${testCase.name}`, () => {
            const { problems } = collect(testCase.parse);
            const problem = problems.find((p) => p.key === testCase.key);
            expect(problem, JSON.stringify(problems)).to.not.equal(undefined);
            expect(problem!.message).to.match(testCase.mention);
        });
    }

    it("claims NodePorts of enabled services only, including those in extra values", () => {
        const enabled = collect((p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { service: { nodePort: 30090 } } } }, ports, p));
        expect(enabled.ports).to.deep.equal([{ key: "homelab-sso:grafana.extraValues.grafana.service.nodePort", port: 30090 }]);
        const disabled = collect((p, ports) => parseArgoCd("homelab-sso:argocd", { enabled: false }, ports, p));
        expect(disabled.ports).to.deep.equal([]);
        const argocd = collect((p, ports) => parseArgoCd("homelab-sso:argocd", {}, ports, p));
        expect(argocd.ports.map((c) => c.port)).to.deep.equal([30080, 30443]);
    });

    it("applies today's defaults", () => {
        const { result } = collect((p, ports) => parseArgoCd("homelab-sso:argocd", {}, ports, p));
        expect(result).to.deep.include({ namespace: "argocd", releaseName: "argocd", chartVersion: "7.8.0", service: "argocd" });
        const grafana = collect((p, ports) => parseGrafana("homelab-sso:grafana", {}, ports, p)).result;
        expect(grafana).to.deep.include({ namespace: "monitoring", releaseName: "monitoring", chartVersion: "82.1.0", adminGroups: ["authentik Admins"], editorGroups: [] });
        // The RBAC default when rbacDefaultPolicy is omitted: read-only, no group mapping.
        expect(result).to.deep.include({ rbacDefaultPolicy: "role:readonly", adminGroups: [], readonlyGroups: [] });
    });
});
