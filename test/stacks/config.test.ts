import { expect } from "chai";
import { ConfigError, ConfigProblem } from "../../stacks/validation";
import { parseStackConfig, RawConfig, rawConfigFromPulumi, requiredSecretKeys } from "../../stacks/config";
import { configProblems, readStackFile, STACK_SECRETS, stackConfig, stackConfigProblems } from "../support/stacks";
import * as fs from "fs";
import * as path from "path";
import { checkCaCertificate } from "../../stacks/deployments";
import { checkDnsLabel, checkHostName } from "../../stacks/rules";

/** The prod stack file's config plus the secret a user sets with `pulumi config set --secret`. */
function prodRaw(): RawConfig {
    return {
        ...readStackFile("prod"),
        "authentik:token": "[secret]",
        "homelab-sso:infisicalClientId": "[secret]",
        "homelab-sso:infisicalClientSecret": "[secret]",
    };
}

/** Applies `change` to a deep copy of the prod config and returns the ConfigError it causes. */
function problemsFor(change: (raw: RawConfig & { [key: string]: any }) => void): ConfigError {
    const raw = JSON.parse(JSON.stringify(prodRaw()));
    change(raw);
    try {
        parseStackConfig(raw);
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return err as ConfigError;
    }
    throw new Error("expected a ConfigError");
}

describe("stack config", () => {
    it("reads the prod stack file into today's production values", () => {
        const config = parseStackConfig(prodRaw());
        expect(config.publicHost).to.equal("holdens-mac-mini.story-larch.ts.net");
        expect(config.secrets).to.deep.equal({ source: "infisical", clusterSecretStore: "infisical", refreshInterval: "1h" });
        expect(config.authentik).to.deep.equal({
            namespace: "authentik",
            chartVersion: "2025.12.4",
            publicUrl: "https://holdens-mac-mini.story-larch.ts.net",
            apiUrl: "https://holdens-mac-mini.story-larch.ts.net",
            apiInsecure: false,
            apiTokenSource: "config",
            nodePorts: { http: 30500, https: 30501 },
            postgresqlVolumeSize: "2Gi",
            dataLossAcknowledged: false,
        });
    });

    it("reads the dev stack file: Pulumi-generated secrets and the generated API token", () => {
        const config = parseStackConfig(readStackFile("dev"));
        expect(config.secrets.source).to.equal("pulumi");
        expect(config.authentik.apiTokenSource).to.equal("generated");
        expect(config.authentik.publicUrl).to.equal("https://authentik.localtest.me");
        expect(config.authentik.apiUrl).to.equal("http://localhost:30500");
    });

    it("applies documented defaults when a section is left out", () => {
        const config = parseStackConfig({ "homelab-sso:publicHost": "sso.example.ts.net", "homelab-sso:secrets": { source: "pulumi" } });
        expect(config.authentik.namespace).to.equal("authentik");
        expect(config.authentik.chartVersion).to.equal("2025.12.4");
        expect(config.authentik.nodePorts).to.deep.equal({ http: 30500, https: 30501 });
        expect(config.authentik.publicUrl).to.equal("https://sso.example.ts.net");
        expect(config.secrets.clusterSecretStore).to.equal("infisical");
    });

    it("refuses a quoted NodePort: ports are numbers, as `pulumi config set --path` stores them", () => {
        expect(() =>
            parseStackConfig({
                ...prodRaw(),
                "homelab-sso:authentik": { ...(prodRaw()["homelab-sso:authentik"] as object), nodePorts: { http: "30600", https: 30601 } },
            }),
        ).to.throw(ConfigError, 'homelab-sso:authentik.nodePorts.http: must be an integer NodePort from 30000 to 32767 (a number written without quotes), got "30600"');
    });

    it("reads each Authentik NodePort from its own key (ports far apart)", () => {
        const config = parseStackConfig({
            ...prodRaw(),
            "homelab-sso:authentik": { ...(prodRaw()["homelab-sso:authentik"] as object), nodePorts: { http: 30500, https: 31777 } },
        });
        expect(config.authentik.nodePorts).to.deep.equal({ http: 30500, https: 31777 });
    });

    describe("rejects bad input with the config key in the message", () => {
        const cases: { name: string; key: string; mention: RegExp; change: (raw: any) => void }[] = [
            { name: "missing public host", key: "homelab-sso:publicHost", mention: /is required/, change: (raw) => delete raw["homelab-sso:publicHost"] },
            { name: "public host with a scheme", key: "homelab-sso:publicHost", mention: /not a host name/, change: (raw) => (raw["homelab-sso:publicHost"] = "https://sso.example.net") },
            { name: "non-https public URL", key: "homelab-sso:authentik.publicUrl", mention: /must use https/, change: (raw) => (raw["homelab-sso:authentik"].publicUrl = "http://holdens-mac-mini.story-larch.ts.net") },
            { name: "public URL with a path", key: "homelab-sso:authentik.publicUrl", mention: /base URL/, change: (raw) => (raw["homelab-sso:authentik"].publicUrl = "https://sso.example.net/auth") },
            { name: "NodePort below the range", key: "homelab-sso:authentik.nodePorts.http", mention: /30000-32767/, change: (raw) => (raw["homelab-sso:authentik"].nodePorts.http = 8080) },
            { name: "NodePort above the range", key: "homelab-sso:authentik.nodePorts.https", mention: /30000-32767/, change: (raw) => (raw["homelab-sso:authentik"].nodePorts.https = 40000) },
            { name: "NodePort that is not a number", key: "homelab-sso:authentik.nodePorts.http", mention: /integer NodePort/, change: (raw) => (raw["homelab-sso:authentik"].nodePorts.http = "thirty") },
            { name: "NodePort used twice", key: "homelab-sso:authentik.nodePorts.https", mention: /already used by homelab-sso:authentik.nodePorts.http/, change: (raw) => (raw["homelab-sso:authentik"].nodePorts.https = 30500) },
            { name: "unknown secrets source", key: "homelab-sso:secrets.source", mention: /allowed: infisical, pulumi/, change: (raw) => (raw["homelab-sso:secrets"].source = "vault") },
            { name: "missing secrets source", key: "homelab-sso:secrets.source", mention: /is required; allowed: infisical, pulumi/, change: (raw) => delete raw["homelab-sso:secrets"].source },
            { name: "chart version range", key: "homelab-sso:authentik.chartVersion", mention: /pinned semantic version/, change: (raw) => (raw["homelab-sso:authentik"].chartVersion = "^2025.12") },
            { name: "chart version with a v", key: "homelab-sso:authentik.chartVersion", mention: /pinned semantic version/, change: (raw) => (raw["homelab-sso:authentik"].chartVersion = "v2025.12.4") },
            { name: "volume size without unit", key: "homelab-sso:authentik.postgresqlVolumeSize", mention: /Mi, Gi or Ti/, change: (raw) => (raw["homelab-sso:authentik"].postgresqlVolumeSize = "2") },
            { name: "volume size too small", key: "homelab-sso:authentik.postgresqlVolumeSize", mention: /at least 512Mi/, change: (raw) => (raw["homelab-sso:authentik"].postgresqlVolumeSize = "100Mi") },
            { name: "bad namespace", key: "homelab-sso:authentik.namespace", mention: /lower-case letters/, change: (raw) => (raw["homelab-sso:authentik"].namespace = "Authentik_NS") },
            { name: "bad refresh interval", key: "homelab-sso:secrets.refreshInterval", mention: /not a duration/, change: (raw) => (raw["homelab-sso:secrets"].refreshInterval = "hourly") },
            { name: "unknown top-level key (typo)", key: "homelab-sso:authentk", mention: /unknown key; allowed keys: homelab-sso:publicHost.*; did you mean `homelab-sso:authentik`\?$/, change: (raw) => (raw["homelab-sso:authentk"] = { namespace: "x" }) },
            { name: "unknown nested key (typo)", key: "homelab-sso:authentik.nodeports", mention: /unknown key; allowed keys here: .*nodePorts.*; did you mean `nodePorts`\?$/, change: (raw) => (raw["homelab-sso:authentik"].nodeports = { http: 30500 }) },
            { name: "unknown NodePort name", key: "homelab-sso:authentik.nodePorts.metrics", mention: /^unknown key; allowed keys here: http, https$/, change: (raw) => (raw["homelab-sso:authentik"].nodePorts.metrics = 30555) },
            { name: "section that is not an object", key: "homelab-sso:secrets", mention: /must be an object/, change: (raw) => (raw["homelab-sso:secrets"] = "infisical") },
            { name: "missing API token in config mode", key: "authentik:token", mention: /pulumi config set --secret authentik:token/, change: (raw) => delete raw["authentik:token"] },
            { name: "generated token without pulumi secrets", key: "homelab-sso:authentik.apiTokenSource", mention: /needs homelab-sso:secrets.source "pulumi"/, change: (raw) => (raw["homelab-sso:authentik"].apiTokenSource = "generated") },
            { name: "plain-http public API URL", key: "homelab-sso:authentik.apiUrl", mention: /only for localhost/, change: (raw) => (raw["homelab-sso:authentik"].apiUrl = "http://sso.example.net") },
            { name: "non-boolean apiInsecure", key: "homelab-sso:authentik.apiInsecure", mention: /true or false/, change: (raw) => (raw["homelab-sso:authentik"].apiInsecure = "yes") },
        ];
        for (const testCase of cases) {
            it(testCase.name, () => {
                const error = problemsFor(testCase.change);
                const problem = error.problems.find((p) => p.key === testCase.key);
                expect(problem, `problems: ${error.message}`).to.not.equal(undefined);
                expect(problem!.message).to.match(testCase.mention);
                expect(error.message).to.include(`${testCase.key}: `);
            });
        }
    });

    it("reports every problem at once, not the first only", () => {
        const error = problemsFor((raw) => {
            delete raw["homelab-sso:publicHost"];
            raw["homelab-sso:secrets"].source = "vault";
            raw["homelab-sso:authentik"].nodePorts.http = 80;
            raw["homelab-sso:authentik"].chartVersion = "latest";
        });
        expect(error.problems.map((p) => p.key)).to.have.members([
            "homelab-sso:publicHost",
            "homelab-sso:secrets.source",
            "homelab-sso:authentik.nodePorts.http",
            "homelab-sso:authentik.chartVersion",
        ]);
        expect(error.message).to.match(/^Invalid stack configuration \(4 problems\):/);
    });

    it("never echoes a secret config value in an error", () => {
        const error = problemsFor((raw) => {
            raw["authentik:token"] = "super-secret-token-value";
            raw["homelab-sso:secrets"].source = "vault";
        });
        expect(error.message).to.not.include("super-secret-token-value");
    });

    it("refuses structured config that is not valid JSON, naming the key and never the value", () => {
        expect(() => rawConfigFromPulumi({ "homelab-sso:clientSecrets": '{"grafana": "kept-secret-3f9a"' })).to.throw(
            Error,
            /^homelab-sso:clientSecrets: structured config value is not valid JSON$/,
        );
        expect(rawConfigFromPulumi({ "homelab-sso:publicHost": "sso.example.ts.net", "homelab-sso:grafana": ' {"enabled": false}' })).to.deep.equal({
            "homelab-sso:publicHost": "sso.example.ts.net",
            "homelab-sso:grafana": { enabled: false },
        });
    });

    it("refuses an authentik section that is not an object, and still checks the rest with the defaults", () => {
        expect(configProblems({ "homelab-sso:publicHost": "sso.example.ts.net", "homelab-sso:secrets": { source: "infisical" }, "homelab-sso:authentik": "on" })).to.deep.equal([
            { key: "homelab-sso:authentik", message: 'must be an object, got "on"' },
            { key: "authentik:token", message: 'is required when homelab-sso:authentik.apiTokenSource is "config"; set it with `pulumi config set --secret authentik:token <token>`' },
        ]);
    });

    it("refuses an unknown apiTokenSource and then asks for the token as for config", () => {
        expect(configProblems({ "homelab-sso:publicHost": "sso.example.ts.net", "homelab-sso:secrets": { source: "pulumi" }, "homelab-sso:authentik": { apiTokenSource: "both" } })).to.deep.equal([
            { key: "homelab-sso:authentik.apiTokenSource", message: '"both" is not allowed; allowed: config, generated' },
            { key: "authentik:token", message: 'is required when homelab-sso:authentik.apiTokenSource is "config"; set it with `pulumi config set --secret authentik:token <token>`' },
        ]);
    });
});

describe("stack config: section defaults and cross-section rules", () => {
    it("requires homelab-sso:secrets.source, also when the section is left out", () => {
        const raw: RawConfig = { ...readStackFile("dev") };
        delete raw["homelab-sso:secrets"];
        expect(configProblems(raw)).to.deep.equal([{ key: "homelab-sso:secrets.source", message: "is required; allowed: infisical, pulumi" }]);
    });

    it("a secrets section defaults the store name to infisical and the refresh interval to 1h", () => {
        expect(parseStackConfig(readStackFile("dev")).secrets).to.deep.equal({ source: "pulumi", clusterSecretStore: "infisical", refreshInterval: "1h" });
    });

    it("refuses bootstrap.appOfApps without ArgoCD deployed by this program, naming the key", () => {
        const raw: RawConfig = { ...readStackFile("prod"), "homelab-sso:argocd": { ...(readStackFile("prod")["homelab-sso:argocd"] as object), enabled: false } };
        expect(configProblems(raw)).to.deep.include({
            key: "homelab-sso:bootstrap.appOfApps",
            message: "needs ArgoCD deployed by this program; allowed: set it only when homelab-sso:argocd is configured and enabled",
        });
        const withoutSection: RawConfig = { ...readStackFile("prod") };
        delete withoutSection["homelab-sso:argocd"];
        expect(configProblems(withoutSection).map((p) => p.key)).to.include("homelab-sso:bootstrap.appOfApps");
    });
});

describe("stack config: authentik.nodePorts", () => {
    it("refuses nodePorts that is not an object, naming the key, and reports only that", () => {
        const authentik = { ...(readStackFile("dev")["homelab-sso:authentik"] as object), nodePorts: "30500" };
        expect(stackConfigProblems("dev", { set: { "homelab-sso:authentik": authentik } })).to.deep.equal([{ key: "homelab-sso:authentik.nodePorts", message: 'must be an object, got "30500"' }]);
    });
});

describe("stack config: authentik.apiUrl", () => {
    const withApiUrl = (apiUrl: string) =>
        stackConfigProblems("dev", { set: { "homelab-sso:authentik": { ...(readStackFile("dev")["homelab-sso:authentik"] as object), apiUrl } } });

    it("accepts https to any host, and plain http to localhost, 127.0.0.1 or a *.svc.cluster.local host", () => {
        for (const apiUrl of ["https://sso.example.net", "https://sso.example.net:8443", "http://localhost:30500", "http://127.0.0.1:30500", "http://authentik-server.authentik.svc.cluster.local"]) {
            expect(withApiUrl(apiUrl), apiUrl).to.deep.equal([]);
        }
    });

    it("refuses plain http to any other host, saying where it is allowed", () => {
        expect(withApiUrl("http://sso.example.net")).to.deep.equal([
            {
                key: "homelab-sso:authentik.apiUrl",
                message: '"http://sso.example.net" must use https; allowed: https://<host>[:<port>] (plain http is allowed only for localhost, 127.0.0.1 or *.svc.cluster.local)',
            },
        ]);
    });
});

describe("stack config: authentik.apiInsecure (issue 19 §3)", () => {
    const withApi = (fields: { apiUrl?: string; apiInsecure?: unknown }) =>
        stackConfigProblems("dev", { set: { "homelab-sso:authentik": { ...(readStackFile("dev")["homelab-sso:authentik"] as object), ...fields } } });

    it("accepts true only for a loopback or in-cluster API URL, https or http", () => {
        for (const apiUrl of ["http://localhost:30500", "https://localhost:30501", "https://127.0.0.1:8443", "http://authentik-server.authentik.svc.cluster.local", "https://authentik-server.authentik.svc.cluster.local"]) {
            expect(withApi({ apiUrl, apiInsecure: true }), apiUrl).to.deep.equal([]);
        }
    });

    it("refuses true for a public API URL, naming the URL and where it is allowed; false is fine anywhere", () => {
        expect(withApi({ apiUrl: "https://sso.example.net", apiInsecure: true })).to.deep.equal([
            {
                key: "homelab-sso:authentik.apiInsecure",
                message:
                    'true turns off TLS verification of the Authentik API connection, which carries the admin token, to "https://sso.example.net", a public address; ' +
                    "allowed: true only when apiUrl is a loopback (localhost, 127.0.0.1) or in-cluster (*.svc.cluster.local) address of a local stack, otherwise false",
            },
        ]);
        // A host that only starts or ends like a local one is public.
        for (const apiUrl of ["https://localhost.example.net", "https://127.0.0.1.nip.io", "https://svc.cluster.local.example.net"]) {
            expect(withApi({ apiUrl, apiInsecure: true }).map((p) => p.key), apiUrl).to.deep.equal(["homelab-sso:authentik.apiInsecure"]);
        }
        expect(withApi({ apiUrl: "https://sso.example.net", apiInsecure: false })).to.deep.equal([]);
    });

    it("refuses true when the API URL defaults to the public URL, and reports a bad API URL only once", () => {
        const authentik: { [key: string]: unknown } = { ...(readStackFile("dev")["homelab-sso:authentik"] as object), apiInsecure: true };
        delete authentik.apiUrl;
        expect(stackConfigProblems("dev", { set: { "homelab-sso:authentik": authentik } }).map((p) => p.key)).to.deep.equal(["homelab-sso:authentik.apiInsecure"]);
        expect(withApi({ apiUrl: "http://sso.example.net", apiInsecure: true }).map((p) => p.key)).to.deep.equal(["homelab-sso:authentik.apiUrl"]);
    });
});

/**
 * The checks across config sections: the local issuer's host alias (needed when either ArgoCD or
 * Grafana is deployed), NodePorts claimed once, a deployment's service entry, the CA certificate's
 * words, and which secret keys the program will read.
 */
const parse = (stack: string, set: { [key: string]: unknown } = {}) => parseStackConfig(rawConfigFromPulumi(stackConfig(stack, { set, secrets: STACK_SECRETS[stack] }).config));

describe("config cross-checks", () => {
    it("asks for the local issuer's host alias when only ArgoCD, or only Grafana, is deployed", () => {
        for (const without of ["homelab-sso:argocd", "homelab-sso:grafana"]) {
            // Without its deployment section the argocd entry is an ordinary service, which writes its callback.
            const services = JSON.parse(JSON.stringify(readStackFile("dev")["homelab-sso:services"]));
            services.argocd.callbackPath = "/api/dex/callback";
            const problems = stackConfigProblems("dev", { set: { "homelab-sso:authentikHostAlias": undefined, [without]: undefined, "homelab-sso:services": services } });
            expect(problems.map((p) => p.key), `without ${without}`).to.deep.equal(["homelab-sso:authentikHostAlias.ip"]);
        }
    });

    it("names the CA certificate's key when it is refused", () => {
        expect(stackConfigProblems("dev", { set: { "homelab-sso:issuerCaCertificate": "not a certificate" } }).map((p) => p.key)).to.deep.equal(["homelab-sso:issuerCaCertificate"]);
    });

    it("names a certificate that is not a CA by its whole subject, one name after another", () => {
        const leaf = fs.readFileSync(path.join(__dirname, "..", "fixtures", "leaf-certificate-organisation.pem"), "utf8");
        expect(checkCaCertificate(leaf)).to.match(/^block 1 \(O=Homelab, CN=grafana\.localtest\.me\) is not a CA certificate/);
    });

    it("reports two refused NodePorts once each, not again as one port claimed twice", () => {
        const problems = stackConfigProblems("dev", {
            set: { "homelab-sso:authentik": { ...stackFileSection("dev", "homelab-sso:authentik"), nodePorts: { http: "port", https: "port" } } },
        });
        expect(problems.map((p) => p.key)).to.deep.equal(["homelab-sso:authentik.nodePorts.http", "homelab-sso:authentik.nodePorts.https"]);
    });

    it("keeps a deployment whose service entry is valid, and reports an invalid entry once (not again from the deployment)", () => {
        const config = parse("dev");
        expect(config.deployments.argocd?.service).to.equal("argocd");
        expect(config.deployments.grafana?.service).to.equal("grafana");
        const services = stackFileSection("dev", "homelab-sso:services") as { [name: string]: object };
        const problems = stackConfigProblems("dev", { set: { "homelab-sso:services": { ...services, grafana: { ...services.grafana, name: " " } } } });
        expect(problems.map((p) => p.key)).to.deep.equal(["homelab-sso:services.grafana.name"]);
    });

    it("reads no secret key the configuration does not need, and each one it does", () => {
        expect(requiredSecretKeys(parse("dev"))).to.deep.equal([]);
        expect(requiredSecretKeys(parse("prod"))).to.deep.equal(["authentik:token", "homelab-sso:infisicalClientId", "homelab-sso:infisicalClientSecret"]);
    });
});

function stackFileSection(stack: string, key: string): { [key: string]: unknown } {
    return JSON.parse(stackConfig(stack).config[key]) as { [key: string]: unknown };
}

describe("the local issuer's requirements after a refused value", () => {
    it("reports a refused host alias or CA certificate once, not again as missing", () => {
        expect(stackConfigProblems("dev", { set: { "homelab-sso:authentikHostAlias": { ip: "300.1.1.1" } } }).map((p) => p.message)).to.have.length(1).and.satisfy((m: string[]) => m[0].startsWith('"300.1.1.1" is not an IPv4 address'));
        expect(stackConfigProblems("dev", { set: { "homelab-sso:authentikHostAlias": "172.18.0.1" } }).map((p) => p.key)).to.deep.equal(["homelab-sso:authentikHostAlias"]);
        expect(stackConfigProblems("dev", { set: { "homelab-sso:issuerCaCertificate": "not a certificate" } }).map((p) => p.message)).to.have.length(1).and.satisfy((m: string[]) => m[0].startsWith("is not PEM"));
    });

    it("still asks for each when it is missing", () => {
        expect(stackConfigProblems("dev", { set: { "homelab-sso:authentikHostAlias": undefined, "homelab-sso:issuerCaCertificate": undefined } }).map((p) => [p.key, p.message.slice(0, 12)])).to.deep.equal([
            ["homelab-sso:authentikHostAlias.ip", "is required:"],
            ["homelab-sso:issuerCaCertificate", "is required:"],
        ]);
    });
});

/**
 * Edges of the config rules that single-token changes in stacks/ used to get past (issue 12 §3):
 * each test names the behaviour, and checks both sides of the edge where there is one.
 */
function problemsOf(stack: string, set: { [key: string]: unknown }, secrets?: { [key: string]: string }): ConfigProblem[] {
    return stackConfigProblems(stack, { set, secrets });
}

function keysOf(problems: ConfigProblem[]): string[] {
    return problems.map((p) => p.key);
}

const devAuthentik = () => readStackFile("dev")["homelab-sso:authentik"] as { [key: string]: unknown };
const prodGrafana = () => readStackFile("prod")["homelab-sso:grafana"] as { [key: string]: any };

describe("config edges", () => {
    describe("plain-http API URL only for *.svc.cluster.local (a suffix, not a substring)", () => {
        it("accepts an in-cluster service URL", () => {
            const problems = problemsOf("dev", { "homelab-sso:authentik": { ...devAuthentik(), apiUrl: "http://authentik-server.authentik.svc.cluster.local" } });
            expect(problems).to.deep.equal([]);
        });

        it("refuses a host that only contains .svc.cluster.local, so the token never goes over http to it", () => {
            const problems = problemsOf("dev", { "homelab-sso:authentik": { ...devAuthentik(), apiUrl: "http://x.svc.cluster.local.evil.com" } });
            expect(keysOf(problems)).to.deep.equal(["homelab-sso:authentik.apiUrl"]);
            expect(problems[0].message).to.match(/svc\.cluster\.local/);
        });
    });

    it("refuses a query string in authentik.publicUrl", () => {
        const problems = problemsOf("dev", { "homelab-sso:authentik": { ...devAuthentik(), publicUrl: "https://authentik.localtest.me/?next=/x" } });
        expect(keysOf(problems)).to.include("homelab-sso:authentik.publicUrl");
        expect(problems.find((p) => p.key === "homelab-sso:authentik.publicUrl")?.message).to.match(/query/);
    });

    it("refuses an upper-case host in homelab-sso:publicHost (Authentik serves its issuer on the lower-case host)", () => {
        expect(checkHostName("SSO.Example.net")).to.match(/lower-case/);
        expect(keysOf(problemsOf("dev", { "homelab-sso:publicHost": "Authentik.LocalTest.me" }))).to.include("homelab-sso:publicHost");
        expect(checkHostName("sso.example.net")).to.equal(undefined);
        // Two labels are a host name; one label is not.
        expect(checkHostName("example.net")).to.equal(undefined);
        expect(checkHostName("localhost")).to.equal('"localhost" is not a host name; allowed: a lower-case DNS name without scheme, port or path, e.g. "homelab.example.ts.net"');
    });

    describe("DNS labels are at most 63 characters", () => {
        it("a name: 63 accepted, 64 refused; one character accepted; no leading or trailing '-'", () => {
            expect(checkDnsLabel("a".repeat(63))).to.equal(undefined);
            expect(checkDnsLabel("a".repeat(64))).to.match(/at most 63/);
            expect(checkDnsLabel("a")).to.equal(undefined);
            expect(checkDnsLabel("-a")).to.not.equal(undefined);
            expect(checkDnsLabel("a-")).to.not.equal(undefined);
            expect(checkDnsLabel("a-b")).to.equal(undefined);
        });

        it("a host name: each label likewise, and the whole name at most 253", () => {
            expect(checkHostName(`${"a".repeat(63)}.example.net`)).to.equal(undefined);
            expect(checkHostName(`${"a".repeat(64)}.example.net`)).to.not.equal(undefined);
            const long = Array.from({ length: 4 }, () => "a".repeat(62)).join(".");
            expect(long.length).to.equal(251);
            expect(checkHostName(`${long}.b`)).to.equal(undefined);
            expect(checkHostName(`${long}.bc`)).to.not.equal(undefined);
            expect(checkHostName("localhost")).to.not.equal(undefined);
        });

        it("a namespace in config gets the rule", () => {
            const problems = problemsOf("dev", { "homelab-sso:authentik": { ...devAuthentik(), namespace: "n".repeat(64) } });
            expect(keysOf(problems)).to.deep.equal(["homelab-sso:authentik.namespace"]);
        });
    });

    describe("a kept client secret is 1-255 characters", () => {
        const kept = (secret: string) => problemsOf("dev", { "homelab-sso:clientSecrets": { grafana: secret } });
        it("accepts 255 characters", () => {
            expect(kept("s".repeat(255))).to.deep.equal([]);
        });
        it("refuses 256 characters and the empty string, without showing the value", () => {
            for (const secret of ["s".repeat(256), ""]) {
                const problems = kept(secret);
                expect(keysOf(problems)).to.deep.equal(["homelab-sso:clientSecrets.grafana"]);
                expect(problems[0].message).to.include("at most 255").and.not.include("sss");
            }
        });
    });

    describe("secret-like keys in extra values", () => {
        const withExtra = (grafana: { [key: string]: unknown }) => {
            const section = prodGrafana();
            return problemsOf("prod", { "homelab-sso:grafana": { ...section, extraValues: { ...section.extraValues, grafana: { ...section.extraValues.grafana, ...grafana } } } }, {
                "authentik:token": "t",
                "homelab-sso:infisicalClientId": "i",
                "homelab-sso:infisicalClientSecret": "s",
            });
        };

        it("refuses a literal value under password, token or client secret keys, in any case", () => {
            for (const key of ["password", "PASSWORD", "adminPassword", "client_secret", "clientSecret", "token", "apiToken", "secretKey"]) {
                const problems = withExtra({ "grafana.ini": { log: { [key]: "hunter2" } } });
                expect(keysOf(problems), key).to.deep.equal([`homelab-sso:grafana.extraValues.grafana."grafana.ini".log.${key}`]);
                expect(problems[0].message).to.match(/literal secret/);
            }
        });

        it("accepts references to a Secret, empty values and non-string values under such keys", () => {
            expect(withExtra({ "grafana.ini": { log: { existingSecret: "grafana-db", secretName: "grafana-db", password: "", token: 1 } } })).to.deep.equal([]);
        });
    });
});
