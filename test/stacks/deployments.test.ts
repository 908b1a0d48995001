import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { chartIndexProblem, checkCaCertificate, checkDeploymentServices, checkGitRepoUrl, checkInfisicalHostApi, checkRevision, checkSecretsPath, derivedCallbackPaths, isNodePortLeaf, missingChartIndexMessage, parseArgoCd, parseBootstrap, parseGrafana, parseHostAlias, parseIssuerCa, resolvesToLoopback } from "../../stacks/deployments";
import { ConfigProblem, ProblemList } from "../../stacks/validation";
import { argoCdTestConfig, DEV_CA_PEM as CA_PEM, grafanaTestConfig } from "../support/deployments";
import { readStackFile, stackConfig, stackConfigProblems } from "../support/stacks";
import { parseStackConfig, rawConfigFromPulumi } from "../../stacks/config";
import { literalSecretPaths } from "../../stacks/passThrough";

function devProblems(set: { [key: string]: unknown }): ConfigProblem[] {
    return stackConfigProblems("dev", { set });
}

function collect<T>(parse: (problems: ProblemList, ports: { key: string; port: number }[]) => T) {
    const problems = new ProblemList();
    const ports: { key: string; port: number }[] = [];
    const result = parse(problems, ports);
    return { result, problems: problems.problems, ports };
}

describe("deployment config sections", () => {
    const rejected: { name: string; parse: (p: ProblemList, ports: any[]) => unknown; key: string; mention: RegExp }[] = [
        {
            name: "ArgoCD extra value re-enabling admin login",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { cm: { "admin.enabled": "true" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.cm."admin.enabled"',
            mention: /program (owns|writes|turns)/,
        },
        {
            name: "ArgoCD extra value replacing oidc.config",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { cm: { "oidc.config": "name: x" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.cm."oidc.config"',
            mention: /program (owns|writes|turns)/,
        },
        {
            name: "ArgoCD extra value replacing Dex's connectors (dex.config)",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { cm: { "dex.config": "connectors: []" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.cm."dex.config"',
            mention: /program (owns|writes|turns)/,
        },
        {
            name: "ArgoCD extra value loosening Dex's security context",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { dex: { containerSecurityContext: { runAsNonRoot: false } } } }, ports, p),
            key: "homelab-sso:argocd.extraValues.dex.containerSecurityContext.runAsNonRoot",
            mention: /program owns/,
        },
        {
            name: "ArgoCD extra value turning Dex off",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { dex: { enabled: false } } }, ports, p),
            key: "homelab-sso:argocd.extraValues.dex.enabled",
            mention: /program owns/,
        },
        {
            name: "ArgoCD extra value changing the RBAC default",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { rbac: { "policy.default": "role:admin" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.rbac."policy.default"',
            mention: /program (owns|writes|turns)/,
        },
        {
            name: "Grafana extra value re-enabling the login form",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { "grafana.ini": { auth: { disable_login_form: false } } } } }, ports, p),
            key: 'homelab-sso:grafana.extraValues.grafana."grafana.ini".auth.disable_login_form',
            mention: /program (owns|writes|turns)/,
        },
        {
            name: "Grafana extra value replacing generic_oauth",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { "grafana.ini": { "auth.generic_oauth": { enabled: false } } } } }, ports, p),
            key: 'homelab-sso:grafana.extraValues.grafana."grafana.ini"."auth.generic_oauth".enabled',
            mention: /program (owns|writes|turns)/,
        },
        {
            name: "Grafana extra value changing root_url",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana: { "grafana.ini": { server: { root_url: "https://x" } } } } }, ports, p),
            key: 'homelab-sso:grafana.extraValues.grafana."grafana.ini".server.root_url',
            mention: /program (owns|writes|turns)/,
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
            name: "an ArgoCD admin group with a comma (it would split the policy.csv line)",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { adminGroups: ["admins, role:admin"] }, ports, p),
            key: "homelab-sso:argocd.adminGroups[0]",
            mention: /letters, digits, space and \. _ - @/,
        },
        {
            name: "an ArgoCD read-only group with a newline (it would add a policy.csv line)",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { readonlyGroups: ["viewers\np, role:readonly, *, *, */*, allow"] }, ports, p),
            key: "homelab-sso:argocd.readonlyGroups[0]",
            mention: /no quotes, commas, backslashes or newlines/,
        },
        {
            name: "a group in both ArgoCD lists",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { adminGroups: ["ops"], readonlyGroups: ["ops"] }, ports, p),
            key: "homelab-sso:argocd.readonlyGroups",
            mention: /adminGroups also lists/,
        },
        {
            name: "a Grafana editor group with a backslash (it would escape the JMESPath literal)",
            parse: (p, ports) => parseGrafana("homelab-sso:grafana", { editorGroups: ["editors\\"] }, ports, p),
            key: "homelab-sso:grafana.editorGroups[0]",
            mention: /backslashes/,
        },
        {
            name: "an ArgoCD policy.csv in extra values",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { rbac: { "policy.csv": "g, x, role:admin" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.rbac."policy.csv"',
            mention: /program (owns|writes|turns)/,
        },
        {
            name: "an ArgoCD extra value switching off OIDC TLS verification",
            parse: (p, ports) => parseArgoCd("homelab-sso:argocd", { extraValues: { configs: { cm: { "oidc.tls.insecure.skip.verify": "true" } } } }, ports, p),
            key: 'homelab-sso:argocd.extraValues.configs.cm."oidc.tls.insecure.skip.verify"',
            mention: /program (owns|writes|turns)/,
        },
        {
            name: "a CA certificate that is not PEM",
            parse: (p) => parseIssuerCa("homelab-sso:issuerCaCertificate", "MIIBszCCAVmgAwIBAgIU", p),
            key: "homelab-sso:issuerCaCertificate",
            mention: /is not PEM/,
        },
        {
            name: "a CA certificate with its private key",
            parse: (p) => parseIssuerCa("homelab-sso:issuerCaCertificate", `${CA_PEM}-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n`, p),
            key: "homelab-sso:issuerCaCertificate",
            mention: /private key/,
        },
        {
            name: "a PEM block that is not a valid certificate",
            parse: (p) => parseIssuerCa("homelab-sso:issuerCaCertificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", p),
            key: "homelab-sso:issuerCaCertificate",
            mention: /not a valid X.509 certificate/,
        },
        {
            name: "a server certificate instead of the CA's",
            parse: (p) => parseIssuerCa("homelab-sso:issuerCaCertificate", fs.readFileSync(path.join(__dirname, "..", "fixtures", "leaf-certificate.pem"), "utf8"), p),
            key: "homelab-sso:issuerCaCertificate",
            mention: /not a CA certificate/,
        },
        {
            name: "a CA certificate with a control character",
            parse: (p) => parseIssuerCa("homelab-sso:issuerCaCertificate", `${CA_PEM}\u0007`, p),
            key: "homelab-sso:issuerCaCertificate",
            mention: /control character/,
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
            const problem = problems.find((p) => p.key === testCase.key && testCase.mention.test(p.message)) ?? problems.find((p) => p.key === testCase.key);
            expect(problem, JSON.stringify(problems)).to.not.equal(undefined);
            expect(problem!.message).to.match(testCase.mention);
        });
    }

    it("accepts the committed dev CA certificate and normalises its trailing newline", () => {
        expect(checkCaCertificate(CA_PEM)).to.equal(undefined);
        const { result } = collect((p) => parseIssuerCa("homelab-sso:issuerCaCertificate", `${CA_PEM}\n\n`, p));
        expect(result).to.equal(CA_PEM);
    });

    describe("a local issuer (dev: authentik.localtest.me resolves to loopback in every pod)", () => {
        it("requires the host alias, naming the key and giving the commands for kind, k3d and OrbStack", () => {
            const problem = devProblems({ "homelab-sso:authentikHostAlias": undefined }).find((p) => p.key === "homelab-sso:authentikHostAlias.ip");
            expect(problem).to.not.equal(undefined);
            expect(problem!.message).to.include("kind:").and.include("k3d:").and.include("OrbStack:").and.include("host.orb.internal").and.include("pulumi config set --path homelab-sso:authentikHostAlias.ip");
        });

        it("requires the CA certificate, naming the key and the mkcert command", () => {
            const problem = devProblems({ "homelab-sso:issuerCaCertificate": undefined }).find((p) => p.key === "homelab-sso:issuerCaCertificate");
            expect(problem).to.not.equal(undefined);
            expect(problem!.message).to.include("mkcert -CAROOT");
        });

        it("refuses a loopback host alias, naming the key", () => {
            const problem = devProblems({ "homelab-sso:authentikHostAlias": { ip: "127.0.0.1" } }).find((p) => p.key === "homelab-sso:authentikHostAlias.ip");
            expect(problem?.message).to.match(/loopback address/);
        });

        it("asks for neither when ArgoCD and Grafana are not deployed", () => {
            // Without its deployment section, the argocd entry is an ordinary service: it writes its callback.
            const services = JSON.parse(JSON.stringify(readStackFile("dev")["homelab-sso:services"]));
            services.argocd.callbackPath = "/api/dex/callback";
            expect(
                devProblems({
                    "homelab-sso:authentikHostAlias": undefined,
                    "homelab-sso:issuerCaCertificate": undefined,
                    "homelab-sso:argocd": undefined,
                    "homelab-sso:grafana": undefined,
                    "homelab-sso:services": services,
                }),
            ).to.deep.equal([]);
        });
    });

    describe("ArgoCD's service under Dex", () => {
        const devServices = () => JSON.parse(JSON.stringify(readStackFile("dev")["homelab-sso:services"])) as { [key: string]: any };
        const problemsAt = (services: { [key: string]: any }, prefix: string) =>
            devProblems({ "homelab-sso:services": services }).filter((p) => p.key.startsWith(prefix));

        it("refuses a native client on ArgoCD's service, naming the key and Dex's own CLI client", () => {
            const services = devServices();
            services.argocd.nativeClient = { slug: "argocd-cli", redirectUris: ["http://localhost:8085/auth/callback"] };
            const problems = problemsAt(services, "homelab-sso:services.argocd.nativeClient");
            expect(problems.map((p) => p.key)).to.deep.equal(["homelab-sso:services.argocd.nativeClient"]);
            expect(problems[0].message).to.include("argo-cd-cli").and.include("0003-argocd-sso-through-dex.md");
        });

        it("refuses the global issuer mode on ArgoCD's service, with the reason", () => {
            const services = devServices();
            services.argocd.issuerMode = "global";
            const problems = problemsAt(services, "homelab-sso:services.argocd.issuerMode");
            expect(problems).to.have.length(1);
            expect(problems[0].message).to.match(/^"global" does not fit ArgoCD/).and.include("per_provider");
            services.argocd.issuerMode = "per_provider";
            expect(problemsAt(services, "homelab-sso:services.argocd")).to.deep.equal([]);
        });

        it("derives Dex's callback when the entry writes none: the provider lists <publicUrl>/api/dex/callback", () => {
            const services = devServices();
            delete services.argocd.callbackPath;
            expect(problemsAt(services, "homelab-sso:services")).to.deep.equal([]);
            const parsed = parseStackConfig(rawConfigFromPulumi(stackConfig("dev", { set: { "homelab-sso:services": services } }).config));
            const argocd = parsed.services.find((s) => s.key === "argocd")!;
            expect(argocd.callbackPath).to.equal("/api/dex/callback");
            expect(argocd.redirectUris).to.deep.equal([`${services.argocd.publicUrl}/api/dex/callback`]);
        });

        it("derives the callback of the service a deployment names, and of no other service", () => {
            const paths = derivedCallbackPaths(
                { "homelab-sso:argocd": { service: "cd" }, "homelab-sso:grafana": {}, "homelab-sso:services": {} },
                (name) => `homelab-sso:${name}`,
            );
            expect([...paths]).to.deep.equal([
                ["cd", "/api/dex/callback"],
                ["grafana", "/login/generic_oauth"],
            ]);
            expect([...derivedCallbackPaths({ "homelab-sso:argocd": "off", "homelab-sso:grafana": [] }, (name) => `homelab-sso:${name}`)]).to.deep.equal([]);
            const services = devServices();
            services.wiki = { name: "Wiki", group: "Docs", publicUrl: "https://wiki.localtest.me" };
            expect(problemsAt(services, "homelab-sso:services.wiki")).to.deep.equal([{ key: "homelab-sso:services.wiki.callbackPath", message: "is required" }]);
        });

        it("requires Dex's callback path, naming callbackPath", () => {
            const services = devServices();
            services.argocd.callbackPath = "/auth/callback";
            expect(problemsAt(services, "homelab-sso:services.argocd")).to.deep.equal([
                { key: "homelab-sso:services.argocd.callbackPath", message: '"/auth/callback" is not the callback argocd uses; allowed: "/api/dex/callback"' },
            ]);
        });

        it("allows only ArgoCD's pre-Dex callback as an extra redirect URI (the cut-over's first run), naming each other one", () => {
            const services = devServices();
            const url = services.argocd.publicUrl as string;
            services.argocd.extraRedirectUris = [`${url}/auth/callback`];
            expect(problemsAt(services, "homelab-sso:services.argocd")).to.deep.equal([]);
            services.argocd.extraRedirectUris = [`${url}/auth/callback`, `${url}/pkce/verify`, "https://other.localtest.me/auth/callback"];
            // Listed, so the general redirect rules pass it and only ArgoCD's own rule speaks.
            services.argocd.redirectHosts = ["other.localtest.me"];
            const problems = problemsAt(services, "homelab-sso:services.argocd");
            expect(problems.map((p) => p.key)).to.deep.equal(["homelab-sso:services.argocd.extraRedirectUris[1]", "homelab-sso:services.argocd.extraRedirectUris[2]"]);
            expect(problems[0].message).to.include(`allowed: only "${url}/auth/callback"`);
        });

        it("keeps nativeClient a general feature for other services", () => {
            const services = devServices();
            services.grafana.nativeClient = { redirectUris: ["http://localhost:8085/callback"] };
            expect(problemsAt(services, "homelab-sso:services")).to.deep.equal([]);
        });
    });

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

    it("takes Grafana's admin groups from adminGroup and adminGroups, in that order, and an explicit empty list as no admin group", () => {
        const groupsOf = (section: object) => collect((p, ports) => parseGrafana("homelab-sso:grafana", section, ports, p)).result?.adminGroups;
        expect(groupsOf({ adminGroups: ["ops"] })).to.deep.equal(["ops"]);
        expect(groupsOf({ adminGroup: "admins" })).to.deep.equal(["admins"]);
        expect(groupsOf({ adminGroup: "admins", adminGroups: ["ops", "sre"] })).to.deep.equal(["admins", "ops", "sre"]);
        expect(groupsOf({ adminGroups: [] })).to.deep.equal([]);
    });

    it("takes ArgoCD's RBAC default policy only as one whole role:<name>", () => {
        const policy = (rbacDefaultPolicy: string) => collect((p, ports) => parseArgoCd("homelab-sso:argocd", { rbacDefaultPolicy }, ports, p));
        expect(policy("role:admin").result?.rbacDefaultPolicy).to.equal("role:admin");
        for (const bad of ["myrole:admin", "role:admin, role:x", "role:admin\ng, x, role:admin"]) {
            expect(policy(bad).problems.map((p) => p.key), bad).to.deep.equal(["homelab-sso:argocd.rbacDefaultPolicy"]);
        }
    });

    it("requires the host alias's ip, a dotted IPv4 address with each part at most 255", () => {
        const alias = (value: object) => collect((p) => parseHostAlias("homelab-sso:authentikHostAlias", value, p));
        expect(alias({}).problems).to.deep.equal([{ key: "homelab-sso:authentikHostAlias.ip", message: "is required" }]);
        for (const good of ["100.64.0.1", "255.250.199.9", "0.0.0.0", "9.99.249.255", "249.1.10.100"]) {
            expect(alias({ ip: good }).result, good).to.equal(good);
        }
        for (const bad of ["259.1.1.1", "291.1.1.1", "256.1.1.1", "20..1.1.1", "1.1.1.259", "1.1.1.291", "1.20..1.1", "x1.2.3.4", "1.2.3.4x", "1.2.3", "1.2.3.4.5", "1.2.3.04x"]) {
            expect(alias({ ip: bad }).problems.map((p) => p.key), bad).to.deep.equal(["homelab-sso:authentikHostAlias.ip"]);
        }
    });

    describe("each refusal names its key and says exactly what is wrong", () => {
        const problemsOf = (parse: (problems: ProblemList) => unknown) => collect((problems) => parse(problems)).problems;

        it("refuses a section that is not an object, naming the section", () => {
            expect(problemsOf((p) => parseArgoCd("homelab-sso:argocd", "on", [], p))).to.deep.equal([{ key: "homelab-sso:argocd", message: 'must be an object, got "on"' }]);
            expect(problemsOf((p) => parseGrafana("homelab-sso:grafana", [1], [], p))).to.deep.equal([{ key: "homelab-sso:grafana", message: "must be an object, got [1]" }]);
            expect(problemsOf((p) => parseHostAlias("homelab-sso:authentikHostAlias", "100.64.0.1", p))).to.deep.equal([
                { key: "homelab-sso:authentikHostAlias", message: 'must be an object, got "100.64.0.1"' },
            ]);
            const bootstrap = collect((p) => parseBootstrap("homelab-sso:bootstrap", true, p));
            expect(bootstrap.result).to.deep.equal({ esoMachineIdentity: false });
            expect(bootstrap.problems).to.deep.equal([{ key: "homelab-sso:bootstrap", message: "must be an object, got true" }]);
        });

        it("refuses extra values that are not an object", () => {
            const { result, problems } = collect((p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: ["replicas"] }, ports, p));
            expect(problems).to.deep.equal([{ key: "homelab-sso:grafana.extraValues", message: "must be an object of Helm values" }]);
            expect(result?.extraValues).to.deep.equal({});
        });

        it("refuses a group listed twice, or in two lists, naming the list", () => {
            expect(problemsOf((p) => parseArgoCd("homelab-sso:argocd", { adminGroups: ["ops", "ops"] }, [], p))).to.deep.equal([
                { key: "homelab-sso:argocd.adminGroups", message: 'lists "ops" twice; allowed: each group once' },
            ]);
            expect(problemsOf((p) => parseGrafana("homelab-sso:grafana", { adminGroup: "ops", adminGroups: ["ops"] }, [], p))).to.deep.equal([
                { key: "homelab-sso:grafana.adminGroups", message: 'lists "ops", which adminGroup already names; allowed: each group once' },
            ]);
            expect(problemsOf((p) => parseGrafana("homelab-sso:grafana", { adminGroups: ["ops"], editorGroups: ["dev", "ops"] }, [], p))).to.deep.equal([
                { key: "homelab-sso:grafana.editorGroups", message: 'lists "ops", which is also an admin group; allowed: each group in one list' },
            ]);
        });

        it("refuses an allowlisted extra value the pinned chart reads no template of, suggesting the nearest key", () => {
            expect(problemsOf((p) => parseGrafana("homelab-sso:grafana", { extraValues: { defaultRules: { rules: { alertmanagr: false } } } }, [], p))).to.deep.equal([
                {
                    key: "homelab-sso:grafana.extraValues.defaultRules.rules.alertmanagr",
                    message:
                        "is read by no template of kube-prometheus-stack 82.1.0, so Helm would ignore it silently; did you mean `defaultRules.rules.alertmanager`? " +
                        "allowed: a key the chart's default values have or a template reads (charts/index/)",
                },
            ]);
        });

        it("names the chart without a version, and suggests nothing, when the chart version has no key index", () => {
            expect(problemsOf((p) => parseArgoCd("homelab-sso:argocd", { chartVersion: "9.9.9", extraValues: { server: { replica: 2 } } }, [], p))).to.deep.equal([
                { key: "homelab-sso:argocd.chartVersion", message: chartIndexProblem("argo-cd", "9.9.9") },
                {
                    key: "homelab-sso:argocd.extraValues.server.replica",
                    message:
                        "is not on the pass-through allowlist of argo-cd (storage, resources, replicas, service, scheduling, security contexts, Prometheus and Alertmanager specs); " +
                        "allowed here: affinity, containerSecurityContext, nodeSelector, podAnnotations, podLabels, priorityClassName, replicas, resources, service, tolerations, topologySpreadConstraints (stacks/passThrough.ts)",
                },
            ]);
        });

        it("lists the indexed versions of a chart, or (none), when a version has no key index", () => {
            expect(chartIndexProblem("argo-cd", "7.8.0")).to.equal(undefined);
            expect(chartIndexProblem("argo-cd", "9.9.9")).to.equal(
                "argo-cd 9.9.9 has no committed key index (charts/index/argo-cd-9.9.9.json), so its Helm values cannot be checked; allowed: 7.8.0, " +
                    "or add the chart's default values and template keys under charts/upstream/ and run `npm run chart-index` (charts/README.md)",
            );
            expect(chartIndexProblem("no-such-chart", "1.0.0")).to.equal(
                "no-such-chart 1.0.0 has no committed key index (charts/index/no-such-chart-1.0.0.json), so its Helm values cannot be checked; allowed: (none), " +
                    "or add the chart's default values and template keys under charts/upstream/ and run `npm run chart-index` (charts/README.md)",
            );
        });

        it("refuses text outside the PEM blocks, and a PEM block that is not a CERTIFICATE", () => {
            const allowed = 'allowed: PEM "-----BEGIN CERTIFICATE-----" blocks of CA certificates only, e.g. "$(cat "$(mkcert -CAROOT)/rootCA.pem")"';
            expect(checkCaCertificate(`subject=CN=example\n${CA_PEM}`)).to.equal(`is not PEM (text outside the PEM blocks); ${allowed}`);
            expect(checkCaCertificate("no certificate here")).to.equal(`is not PEM (no PEM block found); ${allowed}`);
            expect(checkCaCertificate(`${CA_PEM}-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n`)).to.equal(`block 2 is a PUBLIC KEY, not a CERTIFICATE; ${allowed}`);
        });

        it("refuses an https repository URL that does not parse", () => {
            expect(checkGitRepoUrl("https://[github.com/o/r")).to.equal(
                '"https://[github.com/o/r" is not a git repository URL this program accepts; allowed: https://<host>/<owner>/<repo>[.git] or git@<host>:<owner>/<repo>.git (credentials belong in an ArgoCD repository Secret, never in the URL)',
            );
            expect(checkGitRepoUrl("https://github.com/o/r.git")).to.equal(undefined);
        });

        it("accepts / and absolute Infisical secrets paths; refuses relative ones and ..", () => {
            expect(checkSecretsPath("/")).to.equal(undefined);
            expect(checkSecretsPath("/authentik/prod")).to.equal(undefined);
            const refusal = (v: string) => `${JSON.stringify(v)} is not an Infisical secrets path; allowed: "/" or an absolute path of letters, digits, '.', '_' and '-' such as "/authentik"`;
            for (const value of ["authentik", "/a/../b", "/a/"]) {
                expect(checkSecretsPath(value), value).to.equal(refusal(value));
            }
        });

        it("refuses a deployed service whose callback path is not the one the service uses, naming its callbackPath", () => {
            const base = { enabled: true, service: "grafana", namespace: "monitoring", dataLossAcknowledged: false, releaseName: "monitoring", chartVersion: "82.1.0", extraValues: {} };
            const problems = new ProblemList();
            checkDeploymentServices(
                { grafana: { ...base, adminGroups: [], editorGroups: [] }, bootstrap: { esoMachineIdentity: false } },
                [{ key: "grafana", enabled: true, callbackPath: "/oauth/callback" }],
                (name) => `homelab-sso:${name}`,
                problems,
            );
            expect(problems.problems).to.deep.equal([
                { key: "homelab-sso:services.grafana.callbackPath", message: '"/oauth/callback" is not the callback grafana uses; allowed: "/login/generic_oauth"' },
            ]);
        });
    });
});

describe("pass-through NodePort leaves (isNodePortLeaf)", () => {
    it("is a key starting with nodePort, or any entry of a nodePorts map (as Bitnami charts spell them)", () => {
        expect(isNodePortLeaf(["grafana", "service", "nodePort"])).to.equal(true);
        expect(isNodePortLeaf(["server", "service", "nodePortHttp"])).to.equal(true);
        expect(isNodePortLeaf(["postgresql", "primary", "service", "nodePorts", "postgresql"])).to.equal(true);
        expect(isNodePortLeaf(["nodePort"])).to.equal(true);
    });

    it("is not a key that only contains nodePort, a port, or a map entry elsewhere", () => {
        expect(isNodePortLeaf(["service", "my-nodePort"])).to.equal(false);
        expect(isNodePortLeaf(["service", "targetPort"])).to.equal(false);
        expect(isNodePortLeaf(["service", "ports", "http"])).to.equal(false);
        expect(isNodePortLeaf(["nodePorts", "service", "port"])).to.equal(false);
        expect(isNodePortLeaf(["port"])).to.equal(false);
    });
});

describe("extra values: each problem once, NodePort bounds, suggestions only of allowed keys", () => {
    const grafanaExtra = (grafana: { [key: string]: unknown }) => collect((p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { grafana } }, ports, p));
    const EV = "homelab-sso:grafana.extraValues.grafana";

    it("accepts and claims NodePorts 30000 and 32767; refuses 29999 and 32768, naming the key", () => {
        for (const port of [30000, 32767]) {
            const { problems, ports } = grafanaExtra({ service: { nodePort: port } });
            expect(problems, String(port)).to.deep.equal([]);
            expect(ports).to.deep.equal([{ key: `${EV}.service.nodePort`, port }]);
        }
        for (const port of [29999, 32768]) {
            const { problems, ports } = grafanaExtra({ service: { nodePort: port } });
            expect(problems).to.deep.equal([{ key: `${EV}.service.nodePort`, message: `${port} is not a NodePort; allowed: an integer 30000-32767 (a number, not a string)` }]);
            expect(ports).to.deep.equal([]);
        }
    });

    it("reports a key the allowlist refuses once, not again as unread by the chart (also below it)", () => {
        const typo = grafanaExtra({ replicaz: 1 });
        expect(typo.problems.map((p) => p.key)).to.deep.equal([`${EV}.replicaz`]);
        expect(typo.problems[0].message).to.match(/^is not on the pass-through allowlist of kube-prometheus-stack 82\.1\.0 .*; did you mean `grafana\.replicas`\?; allowed here: /);
        const nested = grafanaExtra({ ldapp: { enabled: true } });
        expect(nested.problems.map((p) => p.key)).to.deep.equal([`${EV}.ldapp`]);
        const refusedNodePort = grafanaExtra({ ldapp: { nodePort: 1 } });
        expect(refusedNodePort.problems.map((p) => p.key)).to.deep.equal([`${EV}.ldapp`]);
        expect(refusedNodePort.ports).to.deep.equal([]);
    });

    // Below grafana every allowlisted path is a leaf or a map the chart takes whole: unread keys sit below defaultRules.rules.
    const rulesExtra = (values: { [key: string]: unknown }) => collect((p, ports) => parseGrafana("homelab-sso:grafana", { extraValues: { defaultRules: values } }, ports, p));
    const RULES = "homelab-sso:grafana.extraValues.defaultRules";

    it("still reports an unread key next to a refused one (a refused key silences only itself and its subtree)", () => {
        // Both paths start with `defaultRules`: only a whole-prefix match may silence the unread key.
        expect(rulesExtra({ rules: { alertmanagr: false }, rulez: { x: true } }).problems.map((p) => p.key)).to.deep.equal([`${RULES}.rulez`, `${RULES}.rules.alertmanagr`]);
    });

    it("an unread key with no near read key gets no suggestion", () => {
        expect(rulesExtra({ rules: { qqqqqqqqqqqqqqqq: false } }).problems).to.deep.equal([
            {
                key: `${RULES}.rules.qqqqqqqqqqqqqqqq`,
                message:
                    "is read by no template of kube-prometheus-stack 82.1.0, so Helm would ignore it silently; allowed: a key the chart's default values have or a template reads (charts/index/)",
            },
        ]);
    });

    it("suggests the nearest key only when the allowlist holds it", () => {
        const { problems } = grafanaExtra({ adminUsr: "x" });
        expect(problems.map((p) => p.key)).to.deep.equal([`${EV}.adminUsr`]);
        expect(problems[0].message).to.not.include("did you mean");
    });

    it("an allowed key the chart does not read suggests the nearest read key", () => {
        expect(rulesExtra({ rules: { etcdd: false } }).problems).to.deep.equal([
            {
                key: `${RULES}.rules.etcdd`,
                message:
                    "is read by no template of kube-prometheus-stack 82.1.0, so Helm would ignore it silently; did you mean `defaultRules.rules.etcd`? allowed: a key the chart's default values have or a template reads (charts/index/)",
            },
        ]);
    });
});

describe("homelab-sso:argocd.nodePorts", () => {
    it("takes the NodePorts given, each in 30000-32767, and names a bad one as a NodePort", () => {
        const given = collect((p, ports) => parseArgoCd("homelab-sso:argocd", { nodePorts: { http: 30081, https: 30444 } }, ports, p));
        expect(given.problems).to.deep.equal([]);
        expect(given.result?.nodePorts).to.deep.equal({ http: 30081, https: 30444 });
        const defaults = collect((p, ports) => parseArgoCd("homelab-sso:argocd", {}, ports, p));
        expect(defaults.result?.nodePorts).to.deep.equal({ http: 30080, https: 30443 });
        expect(defaults.ports).to.deep.equal([
            { key: "homelab-sso:argocd.nodePorts.http", port: 30080 },
            { key: "homelab-sso:argocd.nodePorts.https", port: 30443 },
        ]);
        const bad = collect((p, ports) => parseArgoCd("homelab-sso:argocd", { nodePorts: { http: 8080 } }, ports, p));
        expect(bad.problems.map((p) => p.key)).to.deep.equal(["homelab-sso:argocd.nodePorts.http"]);
        expect(bad.problems[0].message).to.equal("8080 is outside the NodePort range; allowed: 30000-32767");
    });
});

/** The message for a chart version without a committed key index lists every version that has one. */
describe("a chart version without a key index (missingChartIndexMessage)", () => {
    it("lists each indexed version, comma-separated, or (none)", () => {
        const tail = ", or add the chart's default values and template keys under charts/upstream/ and run `npm run chart-index` (charts/README.md)";
        const head = "argo-cd 9.9.9 has no committed key index (charts/index/argo-cd-9.9.9.json), so its Helm values cannot be checked; allowed: ";
        expect(missingChartIndexMessage("argo-cd", "9.9.9", ["7.8.0", "7.9.1"])).to.equal(`${head}7.8.0, 7.9.1${tail}`);
        expect(missingChartIndexMessage("argo-cd", "9.9.9", ["7.8.0"])).to.equal(`${head}7.8.0${tail}`);
        expect(missingChartIndexMessage("argo-cd", "9.9.9", [])).to.equal(`${head}(none)${tail}`);
    });
});

/**
 * The exact words of the deployment sections' refusals: the CA certificate, the local issuer's host
 * alias and CA, Infisical's hostApi, and the app-of-apps defaults. A user acts on these messages.
 */
const CA_ALLOWED = 'allowed: PEM "-----BEGIN CERTIFICATE-----" blocks of CA certificates only, e.g. "$(cat "$(mkcert -CAROOT)/rootCA.pem")"';
const HOST_API_ALLOWED = "https://<host>[:<port>], or http://<service>.<namespace>.svc.cluster.local[:<port>] (plain http only inside the cluster)";

describe("deployment sections: what each refusal says", () => {
    describe("issuerCaCertificate (checkCaCertificate)", () => {
        it("names a control character as such, before any PEM parsing", () => {
            expect(checkCaCertificate(`${CA_PEM}\u0007`)).to.equal(`contains a control character; ${CA_ALLOWED}`);
            expect(checkCaCertificate(CA_PEM.replace("\n", "\t\n"))).to.equal(`contains a control character; ${CA_ALLOWED}`);
        });

        it("numbers blocks from 1: a block that is not a certificate, one that does not parse, one that is not a CA", () => {
            expect(checkCaCertificate("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")).to.equal(`block 1 is a PUBLIC KEY, not a CERTIFICATE; ${CA_ALLOWED}`);
            expect(checkCaCertificate(`${CA_PEM}-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n`)).to.equal(`block 2 is a PUBLIC KEY, not a CERTIFICATE; ${CA_ALLOWED}`);
            expect(checkCaCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")).to.equal(`block 1 is not a valid X.509 certificate; ${CA_ALLOWED}`);
            expect(checkCaCertificate(`${CA_PEM}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`)).to.equal(`block 2 is not a valid X.509 certificate; ${CA_ALLOWED}`);
            const leaf = fs.readFileSync(path.join(__dirname, "..", "fixtures", "leaf-certificate.pem"), "utf8");
            expect(checkCaCertificate(leaf)).to.match(/^block 1 \(.+\) is not a CA certificate \(basicConstraints CA:FALSE\); /).and.satisfy((m: string) => m.endsWith(CA_ALLOWED));
            expect(checkCaCertificate(`${CA_PEM}${leaf}`)).to.match(/^block 2 \(.+\) is not a CA certificate/);
            expect(checkCaCertificate(CA_PEM)).to.equal(undefined);
        });
    });

    describe("a local issuer (dev stack)", () => {
        const devProblems = (set: { [key: string]: unknown }) => stackConfigProblems("dev", { set });

        it("says why the host alias is required and how to set it", () => {
            const problem = devProblems({ "homelab-sso:authentikHostAlias": undefined }).find((p) => p.key === "homelab-sso:authentikHostAlias.ip");
            expect(problem?.message).to.match(
                /^is required: the issuer host authentik\.localtest\.me resolves to 127\.0\.0\.1 inside every pod, so ArgoCD's discovery and Grafana's token calls would reach the pod itself; set the address pods reach your local TLS proxy at \(kind: /,
            );
            expect(problem?.message).to.match(/\) with `pulumi config set --path homelab-sso:authentikHostAlias\.ip <address>`$/);
        });

        it("says why the CA certificate is required and gives the whole mkcert command", () => {
            const problem = devProblems({ "homelab-sso:issuerCaCertificate": undefined }).find((p) => p.key === "homelab-sso:issuerCaCertificate");
            expect(problem?.message).to.equal(
                "is required: no public CA issues certificates for authentik.localtest.me, so ArgoCD and Grafana must trust your local proxy's CA; " +
                    'with mkcert: `mkcert -install && pulumi config set homelab-sso:issuerCaCertificate -- "$(cat "$(mkcert -CAROOT)/rootCA.pem")"` (see docs/first-run.md, "A local dev stack")',
            );
        });

        it("refuses only a host alias in 127.0.0.0/8, not one that merely contains 127.", () => {
            const aliasProblems = (ip: string) => devProblems({ "homelab-sso:authentikHostAlias": { ip } }).filter((p) => p.key === "homelab-sso:authentikHostAlias.ip");
            expect(aliasProblems("10.127.0.1")).to.deep.equal([]);
            expect(aliasProblems("127.0.0.2").map((p) => p.message)).to.have.length(1).and.satisfy(([m]: string[]) => m.startsWith("127.0.0.2 is a loopback address: inside a pod it is the pod itself; allowed: "));
        });
    });

    describe("Infisical's hostApi (checkInfisicalHostApi)", () => {
        it("says what is allowed after a malformed URL and after plain http outside the cluster", () => {
            expect(checkInfisicalHostApi("ftp://app.infisical.com")).to.equal(`"ftp://app.infisical.com" must use https or http; allowed: https or http://<host>[:<port>] (${HOST_API_ALLOWED})`);
            expect(checkInfisicalHostApi("http://infisical.example.com")).to.equal(
                `"http://infisical.example.com" uses plain http to a host outside the cluster, which would send the machine identity's token unencrypted; allowed: ${HOST_API_ALLOWED}`,
            );
        });
    });

    describe("bootstrap.appOfApps defaults", () => {
        it("names the Application argocd-apps, from k8s/apps/argocd at HEAD in project default", () => {
            const problems = new ProblemList();
            const bootstrap = parseBootstrap("homelab-sso:bootstrap", { appOfApps: { repoUrl: "https://github.com/example/homelab.git" } }, problems);
            expect(problems.problems).to.deep.equal([]);
            expect(bootstrap.appOfApps).to.deep.equal({ name: "argocd-apps", repoUrl: "https://github.com/example/homelab.git", path: "k8s/apps/argocd", revision: "HEAD", project: "default" });
        });
    });
});

/** Git revisions, Infisical folders and the service a deployment names: the edges of what each accepts. */
describe("deployment references", () => {
    it("refuses a git revision that starts with '/' or ends with '.'", () => {
        for (const bad of ["/main", "main.", "release/1."]) {
            expect(checkRevision(bad), bad).to.match(/is not a safe git revision/);
        }
        for (const good of ["main", "release/1.2", "v1.0.0", "HEAD"]) {
            expect(checkRevision(good), good).to.equal(undefined);
        }
    });

    it("accepts an Infisical secrets path of any depth", () => {
        for (const good of ["/a", "/a/b", "/homelab/prod/authentik"]) {
            expect(checkSecretsPath(good), good).to.equal(undefined);
        }
    });

    describe("a deployment's service that is not under services", () => {
        const grafana = grafanaTestConfig();
        const problemsWith = (services: { key: string }[]) => {
            const problems = new ProblemList();
            checkDeploymentServices(
                { grafana, bootstrap: { esoMachineIdentity: false } },
                services.map((s) => ({ ...s, enabled: true, callbackPath: "/login/generic_oauth" })),
                (name) => `homelab-sso:${name}`,
                problems,
            );
            return problems.problems;
        };

        it("asks nothing of a native client on a service other than ArgoCD's (Grafana here)", () => {
            const problems = new ProblemList();
            checkDeploymentServices(
                { grafana, bootstrap: { esoMachineIdentity: false } },
                [{ key: "grafana", enabled: true, callbackPath: "/login/generic_oauth", issuerMode: "per_provider", nativeClient: { redirectUris: ["app.grafana:///cb"] } }],
                (name) => `homelab-sso:${name}`,
                problems,
            );
            expect(problems.problems).to.deep.equal([]);
        });

        it("accepts ArgoCD's service with Dex's callback, the per-provider issuer, no native client, and only the pre-Dex callback as an extra", () => {
            const problems = new ProblemList();
            checkDeploymentServices(
                { argocd: argoCdTestConfig(), bootstrap: { esoMachineIdentity: false } },
                [
                    {
                        key: "argocd",
                        enabled: true,
                        publicUrl: "https://argocd.example.net",
                        callbackPath: "/api/dex/callback",
                        extraRedirectUris: ["https://argocd.example.net/auth/callback"],
                        issuerMode: "per_provider",
                    },
                ],
                (name) => `homelab-sso:${name}`,
                problems,
            );
            expect(problems.problems).to.deep.equal([]);
        });

        it("lists the configured services, or says there are none", () => {
            expect(problemsWith([{ key: "immich" }, { key: "paperless" }])).to.deep.equal([
                {
                    key: "homelab-sso:grafana.service",
                    message: 'names "grafana", which is not under homelab-sso:services; allowed: immich, paperless, or set homelab-sso:grafana.enabled to false',
                },
            ]);
            expect(problemsWith([])).to.deep.equal([
                {
                    key: "homelab-sso:grafana.service",
                    message: 'names "grafana", which is not under homelab-sso:services; allowed: (no services configured), or set homelab-sso:grafana.enabled to false',
                },
            ]);
        });
    });

    it("says word for word what turning ArgoCD off deletes and how to go ahead", () => {
        const argocd = readStackFile("prod")["homelab-sso:argocd"] as object;
        const problem = stackConfigProblems("prod", { set: { "homelab-sso:argocd": { ...argocd, enabled: false } } }).find((p) => p.key === "homelab-sso:argocd.enabled");
        expect(problem?.message).to.equal(
            'turns argocd off, which deletes the namespace "argocd" and everything in it: the Helm release "argocd" (ArgoCD, and argocd-secret with the key that signs every session), ' +
                "and every Application, AppProject and repository Secret in that namespace; these are protected. To go ahead, first set homelab-sso:argocd.acknowledgeDataLoss to " +
                '"argocd" with argocd still on and run `pulumi up` (it removes the protection), then turn it off and run `pulumi up` again (it deletes them); docs/operations.md, ' +
                '"Turn off a deployment". If this stack never deployed it, remove the homelab-sso:argocd section instead.',
        );
    });
});

/** bootstrap.appOfApps.repoUrl: an scp-like `git@host:path` must be the whole value, and no https URL carries credentials. */
describe("git repository URLs (checkGitRepoUrl)", () => {
    it("accepts git@<host>:<path> only as the whole value, with a host of one character or more", () => {
        expect(checkGitRepoUrl("git@a:owner/repo.git")).to.equal(undefined);
        expect(checkGitRepoUrl("git@github.com:owner/repo.git")).to.equal(undefined);
        for (const url of ["ssh://git@github.com:owner/repo.git", "xgit@github.com:owner/repo.git"]) {
            expect(checkGitRepoUrl(url), url).to.match(/is not a git repository URL this program accepts/);
        }
    });

    it("refuses credentials in an https URL, a user alone, a password alone, or both", () => {
        for (const url of ["https://user@github.com/owner/repo.git", "https://:secret@github.com/owner/repo.git", "https://user:secret@github.com/owner/repo.git"]) {
            expect(checkGitRepoUrl(url), url).to.match(/credentials belong in an ArgoCD repository Secret/);
        }
        expect(checkGitRepoUrl("https://github.com/owner/repo.git")).to.equal(undefined);
    });

    it("takes an https URL only in canonical form, with a path of safe characters from end to end", () => {
        for (const url of ["https://GitHub.com/owner/repo.git", "https://github.com:443/owner/repo.git", "https://github.com/own%20er/repo.git", "https://github.com/owner/repo%20x.git"]) {
            expect(checkGitRepoUrl(url), url).to.match(/is not a git repository URL this program accepts/);
        }
    });
});

/** A repository URL with an empty query or fragment is not the canonical URL ArgoCD compares. */
describe("git repository URLs: empty query and fragment", () => {
    it("refuses a trailing ? or # as it refuses a filled one, and accepts the URL without it", () => {
        for (const value of ["https://github.com/holdennguyen/homelab?", "https://github.com/holdennguyen/homelab#", "https://github.com/holdennguyen/homelab?a=b", "https://github.com/holdennguyen/homelab#main"]) {
            expect(checkGitRepoUrl(value), value).to.match(/is not a git repository URL this program accepts/);
        }
        expect(checkGitRepoUrl("https://github.com/holdennguyen/homelab")).to.equal(undefined);
        expect(checkGitRepoUrl("https://github.com/holdennguyen/homelab.git")).to.equal(undefined);
    });
});

/** Issuer hosts that resolve to the loopback address in every pod need a host alias and a CA (a local dev stack). */
describe("issuer hosts that resolve to loopback in every pod (resolvesToLoopback)", () => {
    it("knows localhost, localtest.me and lvh.me with their subdomains, 127.0.0.0/8 and [::1]", () => {
        for (const host of ["localhost", "localtest.me", "lvh.me", "authentik.localhost", "authentik.localtest.me", "a.b.lvh.me", "127.0.0.1", "127.1.2.3", "127.10.200.30", "[::1]"]) {
            expect(resolvesToLoopback(host), host).to.equal(true);
        }
    });

    it("refuses look-alikes: another domain ending in the same letters, longer or shorter dotted quads, letters in the octets", () => {
        for (const host of ["auth.example.com", "mylocaltest.me", "localtest.me.example.com", "x127.0.0.1", "127.0.0.1.5", "127.0.0", "127.a.0.1", "127.0.b.1", "127.0.0.c", "128.0.0.1", "[::2]", ""]) {
            expect(resolvesToLoopback(host), host).to.equal(false);
        }
    });
});

/**
 * Edges the survivors pointed at: a Secret reference beside a literal secret, a deployment whose
 * services section is missing, and a CA certificate of whitespace only.
 */
describe("edges: references, absent sections, empty PEM", () => {
    it("still refuses a literal secret that sits beside existingSecret, unless its name ends in Key", () => {
        const values = { grafana: { existingSecret: "grafana-admin", password: "literal", tokenKeyFile: "literal", passwordKey: "admin-password" } };
        expect(literalSecretPaths(values).map((path) => path.join("."))).to.deep.equal(["grafana.password", "grafana.tokenKeyFile"]);
    });

    it("reports each deployment's service as missing when the services section is left out", () => {
        expect(stackConfigProblems("dev", { set: { "homelab-sso:services": undefined } }).map((p) => p.key)).to.deep.equal(["homelab-sso:argocd.service", "homelab-sso:grafana.service"]);
    });

    it("refuses a CA certificate of whitespace only as not PEM", () => {
        expect(checkCaCertificate("   \n  ")).to.match(/^is not PEM \(no PEM block found\); allowed: /);
    });
});
