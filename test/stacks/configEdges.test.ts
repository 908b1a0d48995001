/**
 * Edges of the config rules that single-token changes in stacks/ used to get past (issue 12 §3):
 * each test names the behaviour, and checks both sides of the edge where there is one.
 */
import { expect } from "chai";
import { checkDnsLabel, checkHostName } from "../../stacks/rules";
import { ConfigProblem } from "../../stacks/validation";
import { readStackFile, stackConfigProblems } from "../support/stacks";

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
