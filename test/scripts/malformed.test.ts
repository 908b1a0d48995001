/**
 * Issue 12's malformed stack files, each through the render's command line (in process): every one
 * exits 2, prints nothing on stdout, and names its key on stderr. Each case changes one thing in the
 * frozen prod stack file, so the rest of the file is valid and the named key is the cause.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT, runRenderCli } from "../../scripts/lib/render";
import { frozenStackFile } from "../support/stacks";

type Config = { [key: string]: any };

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runRenderCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd }, PROJECT_ROOT);
    return { code, stdout, stderr };
}

const ARGOCD = "homelab-sso:argocd";
const GRAFANA = "homelab-sso:grafana";

function grafanaExtra(config: Config): Config {
    return config[GRAFANA].extraValues;
}

function argocdExtra(config: Config, values: Config): void {
    config[ARGOCD].extraValues = values;
}

function nested(levels: number): Config {
    let value: Config = { leaf: "x" };
    for (let i = 0; i < levels; i++) {
        value = { a: value };
    }
    return value;
}

/** Stands for 3,000 levels of nesting, written into the file as flow-style YAML (the test's own YAML writer recurses). */
const NESTED_MARK = "__nested_3000_levels__";

interface MalformedCase {
    what: string;
    change: (config: Config) => void;
    /** The key the message names (as printed: `  - <key>: ...`). */
    key: string;
    mention?: RegExp;
}

const EV = `${GRAFANA}.extraValues`;
const AV = `${ARGOCD}.extraValues`;

/** The cases, in its order. */
const CASES: MalformedCase[] = [
    // §1: pass-through values that would undo SSO-only login.
    { what: "grafana.env GF_AUTH_DISABLE_LOGIN_FORM", change: (c) => (grafanaExtra(c).grafana.env = { GF_AUTH_DISABLE_LOGIN_FORM: "false" }), key: `${EV}.grafana.env.GF_AUTH_DISABLE_LOGIN_FORM`, mention: /env, args or file route/ },
    { what: "grafana.env with a literal GF_SECURITY_ADMIN_PASSWORD", change: (c) => (grafanaExtra(c).grafana.env = { GF_SECURITY_ADMIN_PASSWORD: "hunter2" }), key: `${EV}.grafana.env.GF_SECURITY_ADMIN_PASSWORD`, mention: /literal secret|env, args/ },
    { what: "grafana.ini auth.anonymous", change: (c) => (grafanaExtra(c).grafana["grafana.ini"] = { "auth.anonymous": { enabled: true, org_role: "Admin" } }), key: `${EV}.grafana."grafana.ini"."auth.anonymous".enabled`, mention: /decides who may log in/ },
    { what: "grafana.ini auth.basic", change: (c) => (grafanaExtra(c).grafana["grafana.ini"] = { "auth.basic": { enabled: true } }), key: `${EV}.grafana."grafana.ini"."auth.basic".enabled` },
    { what: "grafana.ini auth.proxy", change: (c) => (grafanaExtra(c).grafana["grafana.ini"] = { "auth.proxy": { enabled: true, header_name: "X-User" } }), key: `${EV}.grafana."grafana.ini"."auth.proxy".enabled` },
    { what: "ArgoCD users.anonymous.enabled", change: (c) => argocdExtra(c, { configs: { cm: { "users.anonymous.enabled": "true" } } }), key: `${AV}.configs.cm."users.anonymous.enabled"`, mention: /argocd-cm/ },
    { what: "ArgoCD accounts.<name> with apiKey, login", change: (c) => argocdExtra(c, { configs: { cm: { "accounts.alice": "apiKey, login" } } }), key: `${AV}.configs.cm."accounts.alice"`, mention: /argocd-cm/ },
    { what: "ArgoCD server.disable.auth", change: (c) => argocdExtra(c, { configs: { params: { "server.disable.auth": true } } }), key: `${AV}.configs.params."server.disable.auth"`, mention: /server\.disable\.auth/ },
    { what: "ArgoCD server.extraArgs --disable-auth", change: (c) => argocdExtra(c, { server: { extraArgs: ["--disable-auth"] } }), key: `${AV}.server.extraArgs`, mention: /--disable-auth/ },
    { what: "ArgoCD server.env ARGOCD_SERVER_DISABLE_AUTH", change: (c) => argocdExtra(c, { server: { env: [{ name: "ARGOCD_SERVER_DISABLE_AUTH", value: "true" }] } }), key: `${AV}.server.env` },
    { what: "ArgoCD extraObjects", change: (c) => argocdExtra(c, { extraObjects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "argocd-cm" } }] }), key: `${AV}.extraObjects`, mention: /arbitrary Kubernetes objects/ },
    { what: "Grafana extraObjects", change: (c) => (grafanaExtra(c).grafana.extraObjects = [{ apiVersion: "v1", kind: "ConfigMap" }]), key: `${EV}.grafana.extraObjects` },
    { what: "Grafana extraConfigmapMounts", change: (c) => (grafanaExtra(c).grafana.extraConfigmapMounts = [{ name: "ini", mountPath: "/etc/grafana/grafana.ini", configMap: "x" }]), key: `${EV}.grafana.extraConfigmapMounts` },
    { what: "Grafana extraContainers", change: (c) => (grafanaExtra(c).grafana.extraContainers = "- name: x\n  image: busybox"), key: `${EV}.grafana.extraContainers` },
    { what: "Grafana extraVolumes", change: (c) => (grafanaExtra(c).grafana.extraVolumes = [{ name: "x", emptyDir: {} }]), key: `${EV}.grafana.extraVolumes` },
    { what: "Grafana envFromSecret", change: (c) => (grafanaExtra(c).grafana.envFromSecret = "grafana-env"), key: `${EV}.grafana.envFromSecret`, mention: /cannot be seen/ },
    { what: "Grafana envFromSecrets", change: (c) => (grafanaExtra(c).grafana.envFromSecrets = [{ name: "grafana-env" }]), key: `${EV}.grafana.envFromSecrets` },
    { what: "Grafana envFromConfigMaps", change: (c) => (grafanaExtra(c).grafana.envFromConfigMaps = [{ name: "grafana-env" }]), key: `${EV}.grafana.envFromConfigMaps` },
    { what: "a literal password in an allowlisted spec", change: (c) => (grafanaExtra(c).prometheus.prometheusSpec.remoteWrite = [{ url: "https://m.example", basicAuth: { password: "hunter2" } }]), key: `${EV}.prometheus.prometheusSpec.remoteWrite[0].basicAuth.password`.replace("[0]", ".0"), mention: /literal secret/ },
    // §2: strings safe where they land.
    { what: "grafana.adminGroup with a newline (INI injection)", change: (c) => (c[GRAFANA].adminGroup = "admins\n[auth.anonymous]\nenabled = true"), key: `${GRAFANA}.adminGroup`, mention: /line break/ },
    { what: "grafana.adminGroup with {{ }} (tpl)", change: (c) => (c[GRAFANA].adminGroup = "{{ .Values.x }}"), key: `${GRAFANA}.adminGroup`, mention: /template syntax/ },
    { what: "grafana.adminGroup with $__file{}", change: (c) => (c[GRAFANA].adminGroup = "$__file{/etc/passwd}"), key: `${GRAFANA}.adminGroup` },
    { what: "grafana.adminGroup with a trailing backslash (JMESPath)", change: (c) => (c[GRAFANA].adminGroup = "admins\\"), key: `${GRAFANA}.adminGroup`, mention: /backslashes/ },
    { what: "grafana.adminGroup blank", change: (c) => (c[GRAFANA].adminGroup = "   "), key: `${GRAFANA}.adminGroup` },
    { what: "authentik.publicUrl with a newline and a tab", change: (c) => (c["homelab-sso:authentik"] = { ...c["homelab-sso:authentik"], publicUrl: "https://holdens-mac-mini.story-larch.ts.net\n\t" }), key: "homelab-sso:authentik.publicUrl", mention: /line break|tab/ },
    { what: "authentik.publicUrl with an upper-case host", change: (c) => (c["homelab-sso:authentik"] = { ...c["homelab-sso:authentik"], publicUrl: "https://Holdens-Mac-Mini.story-larch.ts.net" }), key: "homelab-sso:authentik.publicUrl", mention: /write "https:\/\/holdens-mac-mini\.story-larch\.ts\.net"/ },
    { what: "authentik.publicUrl with :443", change: (c) => (c["homelab-sso:authentik"] = { ...c["homelab-sso:authentik"], publicUrl: "https://holdens-mac-mini.story-larch.ts.net:443" }), key: "homelab-sso:authentik.publicUrl", mention: /canonical/ },
    { what: "authentik.publicUrl with a query", change: (c) => (c["homelab-sso:authentik"] = { ...c["homelab-sso:authentik"], publicUrl: "https://holdens-mac-mini.story-larch.ts.net/?x=1" }), key: "homelab-sso:authentik.publicUrl", mention: /no path, query/ },
    { what: "authentik.apiUrl with credentials", change: (c) => (c["homelab-sso:authentik"] = { ...c["homelab-sso:authentik"], apiUrl: "https://u:p@holdens-mac-mini.story-larch.ts.net" }), key: "homelab-sso:authentik.apiUrl", mention: /credentials/ },
    { what: "a service publicUrl with an upper-case host and :443", change: (c) => (c["homelab-sso:services"].grafana.publicUrl = "https://Holdens-mac-mini.story-larch.ts.net:443"), key: "homelab-sso:services.grafana.publicUrl", mention: /canonical/ },
    { what: "a bookmark launch URL with a newline", change: (c) => (c["homelab-sso:bookmarks"][0].launchUrl = "https://holdens-mac-mini.story-larch.ts.net:8445\n"), key: "homelab-sso:bookmarks[0].launchUrl", mention: /line break/ },
    { what: "a bookmark launch URL with credentials", change: (c) => (c["homelab-sso:bookmarks"][0].launchUrl = "https://user:pass@holdens-mac-mini.story-larch.ts.net:8445"), key: "homelab-sso:bookmarks[0].launchUrl", mention: /credentials/ },
    { what: "a bookmark icon with a bidi override", change: (c) => (c["homelab-sso:bookmarks"][0].icon = "https://avatars.githubusercontent.com/u/1\u202e?s=48"), key: "homelab-sso:bookmarks[0].icon", mention: /bidirectional/ },
    { what: "a service icon over http", change: (c) => (c["homelab-sso:services"].grafana.icon = "http://example.com/i.svg"), key: "homelab-sso:services.grafana.icon", mention: /https/ },
    { what: "hostApi with credentials to any host", change: (c) => (c["homelab-sso:bootstrap"].clusterSecretStore.hostApi = "http://user:pass@any-host"), key: "homelab-sso:bootstrap.clusterSecretStore.hostApi", mention: /credentials/ },
    { what: "hostApi over http to a look-alike of the cluster suffix", change: (c) => (c["homelab-sso:bootstrap"].clusterSecretStore.hostApi = "http://x.svc.cluster.local.evil.com"), key: "homelab-sso:bootstrap.clusterSecretStore.hostApi", mention: /outside the cluster/ },
    { what: "appOfApps.path with a newline", change: (c) => (c["homelab-sso:bootstrap"].appOfApps.path = "k8s/apps\nargocd"), key: "homelab-sso:bootstrap.appOfApps.path" },
    { what: "appOfApps.revision with {{ }}", change: (c) => (c["homelab-sso:bootstrap"].appOfApps.revision = "{{ .Values.x }}"), key: "homelab-sso:bootstrap.appOfApps.revision" },
    { what: "appOfApps.path climbing out with ..", change: (c) => (c["homelab-sso:bootstrap"].appOfApps.path = "../secrets"), key: "homelab-sso:bootstrap.appOfApps.path", mention: /'\.\.'/ },
    { what: "appOfApps.repoUrl over plain http", change: (c) => (c["homelab-sso:bootstrap"].appOfApps.repoUrl = "http://github.com/holdennguyen/homelab.git"), key: "homelab-sso:bootstrap.appOfApps.repoUrl", mention: /git@<host>/ },
    { what: "a pass-through NodePort \"0x7562\"", change: (c) => (grafanaExtra(c).grafana.service.nodePort = "0x7562"), key: `${EV}.grafana.service.nodePort`, mention: /integer/ },
    { what: "Authentik's NodePort \"0x7562\"", change: (c) => (c["homelab-sso:authentik"] = { ...c["homelab-sso:authentik"], nodePorts: { http: "0x7562" } }), key: "homelab-sso:authentik.nodePorts.http", mention: /integer/ },
    { what: "3,000 levels of nesting", change: (c) => (grafanaExtra(c).grafana.podAnnotations = NESTED_MARK), key: `${EV}.grafana.podAnnotations`, mention: /nests too deeply to read; allowed: at most 24 levels/ },
    // Prototype keys.
    { what: "a service named constructor", change: (c) => (c["homelab-sso:services"].constructor = { ...c["homelab-sso:services"].grafana, slug: "ctor", clientId: "ctor", publicUrl: "https://ctor.example.net" }), key: "homelab-sso:services.constructor", mention: /reserved JavaScript property name/ },
    { what: "__proto__ inside extra values", change: (c) => (grafanaExtra(c).grafana = JSON.parse(`{"__proto__": {"env": {"GF_AUTH_DISABLE_LOGIN_FORM": "false"}}, "replicas": 1}`)), key: `${EV}.grafana.__proto__`, mention: /reserved JavaScript property name/ },
    { what: "a prototype key in services", change: (c) => (c["homelab-sso:services"].grafana.prototype = "x"), key: "homelab-sso:services.grafana.prototype" },
];

describe("issue 12: malformed stack files exit 2 through the render, naming the key", () => {
    let dir = "";
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-malformed-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const prod = parse(fs.readFileSync(frozenStackFile("prod"), "utf8")) as { config: Config };

    it("the unchanged frozen prod stack renders (exit 0), so each case's exit 2 is its own change", async () => {
        const file = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(file, stringify(prod));
        const run = await cli(["--stack", "prod", "--stack-file", file], dir);
        expect(run.code, run.stderr).to.equal(0);
    });

    CASES.forEach((testCase, index) => {
        it(`refuses ${testCase.what}: ${testCase.key}`, async () => {
            const document = JSON.parse(JSON.stringify(prod)) as { config: Config };
            testCase.change(document.config);
            const file = path.join(dir, `Pulumi.prod.yaml`);
            const text = stringify(document, { aliasDuplicateObjects: false }).replace(NESTED_MARK, JSON.stringify(nested(3000)));
            fs.writeFileSync(file, text);
            const run = await cli(["--stack", "prod", "--stack-file", file], dir);
            expect(run.code, `case ${index}: ${run.stderr}`).to.equal(2);
            expect(run.stdout).to.equal("");
            // A problem line names the key; a file the YAML reader cannot read names it after "at".
            const lines = run.stderr.split("\n").filter((l) => l.startsWith(`  - ${testCase.key}: `) || l.includes(` at ${testCase.key}: `));
            expect(lines, run.stderr).to.not.deep.equal([]);
            if (testCase.mention) {
                expect(lines.some((l) => testCase.mention!.test(l)), lines.join("\n")).to.equal(true);
            }
            expect(run.stderr).to.not.include("RangeError");
            expect(run.stderr).to.not.include("hunter2");
        });
    });
});
