/**
 * The offline render end to end: the real program for prod and dev with secrets set to KNOWN strings
 * (and dev's RandomPassword mock results `mock-secret:<name>`), which must appear in no printed or
 * written text; `--out` values files; `--diff`; and, as child processes, the exit codes.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT, RenderResult, renderStack } from "../../scripts/lib/render";
import { diffDocuments, formatDiff } from "../../scripts/lib/renderDiff";
import { renderJson } from "../../scripts/lib/renderDocument";
import { planRenderFiles, writeRenderFiles } from "../../scripts/lib/renderFiles";
import { formatRenderTree } from "../../scripts/lib/renderTree";
import { SECRET_CONFIG_KEYS } from "../../stacks/config";
import { KNOWN_SECRETS, evaluateStack, frozenStackFile, onlyResource, readStackFile } from "../support/stacks";

/** Known strings for every secret config key the program may read (the committed test token for authentik:token). */
const KNOWN: { [key: string]: string } = Object.fromEntries(
    SECRET_CONFIG_KEYS.map((key) => [key, key === "authentik:token" ? KNOWN_SECRETS["authentik:token"] : `known-${key.replace(/\W/g, "-")}-7c1d`]),
);

/** Every secret plaintext the evaluations below can contain, as patterns. */
const LEAK = new RegExp(
    [...Object.values(KNOWN), "mock-secret:", "mock-bcrypt:", "mock-generated-client-secret:", "<placeholder for secret", "4dabf18193072939515e22adb298388d"]
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
);

function tmpDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name));
}

/** Everything a render prints or writes, as the CLI would produce it. */
function allRenderText(result: RenderResult, outDir: string): { tree: string; json: string; files: { [file: string]: string } } {
    const { document, scrubber } = result;
    writeRenderFiles(outDir, planRenderFiles(document).map((f) => ({ ...f, content: scrubber.scrubText(f.content) })));
    const files: { [file: string]: string } = {};
    for (const file of filesUnder(outDir)) {
        files[path.relative(outDir, file)] = fs.readFileSync(file, "utf8");
    }
    return { tree: scrubber.scrubText(formatRenderTree(document)), json: renderJson(document, scrubber), files };
}

function runRender(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/render.ts", ...args], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run render", () => {
    for (const stack of ["prod", "dev"] as const) {
        describe(`stack ${stack} with known secrets`, () => {
            let result: RenderResult;
            let text: ReturnType<typeof allRenderText>;
            let out = "";
            before(async () => {
                out = tmpDir(`render-${stack}-`);
                result = await renderStack({ root: PROJECT_ROOT, stack, stackFile: frozenStackFile(stack), secrets: KNOWN });
                text = allRenderText(result, out);
            });
            after(() => fs.rmSync(out, { recursive: true, force: true }));

            it("prints every registered resource in the tree", async () => {
                const evaluation = await evaluateStack(stack);
                expect(result.document.resources).to.have.length(evaluation.resources.length);
                for (const r of evaluation.resources) {
                    expect(text.tree).to.include(`${r.type} ${r.name}`);
                }
                expect(text.tree).to.include("kubernetes:helm.sh/v4:Chart authentik-chart");
            });

            it("contains no secret value in the tree, the --json or any --out file", () => {
                expect(result.scrubber.isSecret(KNOWN_SECRETS["authentik:token"])).to.equal(true);
                expect(text.tree).to.not.match(LEAK);
                expect(text.json).to.not.match(LEAK);
                expect(Object.keys(text.files).length).to.be.greaterThan(2);
                for (const [file, content] of Object.entries(text.files)) {
                    expect(content, file).to.not.match(LEAK);
                }
            });

            it("writes one values file for the authentik release, equal to the values the release gets", async () => {
                const recorded = onlyResource(await evaluateStack(stack), "kubernetes:helm.sh/v4:Chart", "authentik-chart").inputs.values;
                expect(parse(text.files["helm/authentik-values.yaml"])).to.deep.equal(recorded);
            });

            it("writes one file per Kubernetes object, under its namespace", () => {
                expect(text.files).to.have.property("k8s/_cluster/namespace-authentik.yaml");
                const credentials = stack === "prod" ? "k8s/authentik/externalsecret-authentik-secret.yaml" : "k8s/authentik/secret-authentik-secret.yaml";
                expect(parse(text.files[credentials])).to.include({ kind: stack === "prod" ? "ExternalSecret" : "Secret" });
            });

            it("prints the same document on every run (stable order, sorted keys)", async () => {
                const again = await renderStack({ root: PROJECT_ROOT, stack, stackFile: frozenStackFile(stack), secrets: KNOWN });
                expect(renderJson(again.document, again.scrubber)).to.equal(text.json);
            });
        });
    }

    it("masks secrets that reached plain inputs and outputs through a dropped secret flag", async () => {
        const fixtures = path.join(__dirname, "fixtures");
        const result = await renderStack({
            root: fixtures,
            stack: "leaky",
            program: path.join(fixtures, "leakyProgram.ts"),
            secrets: KNOWN,
        });
        const out = tmpDir("render-leaky-");
        try {
            const text = allRenderText(result, out);
            // The leak is real: the recorded ConfigMap holds the plaintext outside any secret envelope.
            const configMap = result.document.resources.find((r) => r.name === "leaky")!;
            expect(configMap.inputs).to.deep.include({ data: { password: "[secret]", token: "[secret]" } });
            expect(stringify(configMap.inputs)).to.include("token=[secret] password=[secret]");
            expect(result.document.outputs).to.deep.equal({ keptPassword: "[secret]", leakedToken: "[secret]" });
            for (const content of [text.tree, text.json, ...Object.values(text.files)]) {
                expect(content).to.not.match(LEAK);
            }
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("masks every secret it knows in the error a failing program throws, message and stack trace", async () => {
        const fixtures = path.join(__dirname, "fixtures");
        const failure = await renderStack({ root: fixtures, stack: "leaky", program: path.join(fixtures, "failingProgram.ts"), secrets: KNOWN }).then(
            () => undefined,
            (err: Error) => err,
        );
        expect(failure, "the program throws").to.be.instanceOf(Error);
        expect(failure!.message).to.equal("Authentik refused the token [secret] (an error that quotes a secret)");
        expect(failure!.stack).to.include("Authentik refused the token [secret]");
        expect(`${failure!.message}\n${failure!.stack}`).to.not.match(LEAK);
    });

    it("keeps a client secret set with `pulumi config set --secret --path` (nested secure:) out of everything it prints", async () => {
        const dir = tmpDir("render-kept-");
        const out = path.join(dir, "out");
        try {
            const stackFile = path.join(dir, "Pulumi.prod.yaml");
            const prod = fs.readFileSync(frozenStackFile("prod"), "utf8");
            fs.writeFileSync(stackFile, `${prod.trimEnd()}\n  homelab-sso:clientSecrets:\n    grafana:\n      secure: v1:ciphertextOfTheKeptSecret\n`);
            const kept = "known-kept-grafana-secret-5e2b";
            const result = await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile, secrets: { ...KNOWN, "homelab-sso:clientSecrets.grafana": kept } });
            const text = allRenderText(result, out);
            const provider = result.document.resources.find((r) => r.type === "authentik:index/providerOauth2:ProviderOauth2" && r.name.includes("grafana"));
            expect(provider, "the grafana OAuth2 provider").to.not.equal(undefined);
            expect(provider!.inputs.clientSecret).to.equal("[secret]");
            for (const content of [text.tree, text.json, ...Object.values(text.files)]) {
                expect(content).to.not.include(kept);
                expect(content).to.not.include("ciphertextOfTheKeptSecret");
                expect(content).to.not.match(LEAK);
            }
            // A fresh clone has no known value: the nested secret is a placeholder, named in the header.
            const fresh = await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile });
            expect(fresh.document.secretPlaceholders).to.include("homelab-sso:clientSecrets.grafana");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("--diff finds an added resource and a changed key between two renders", async () => {
        const before = await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile: frozenStackFile("prod"), secrets: KNOWN });
        const after = await renderStack({
            root: PROJECT_ROOT,
            stack: "prod",
            stackFile: frozenStackFile("prod"),
            secrets: KNOWN,
            set: {
                "homelab-sso:secrets": { source: "pulumi" },
                "homelab-sso:authentik": { chartVersion: "2025.12.4", apiTokenSource: "config", nodePorts: { http: 30600, https: 30501 } },
            },
        });
        const diff = diffDocuments(before.document, after.document);
        expect(diff.added.map((r) => `${r.type} ${r.name}`)).to.include("kubernetes:core/v1:Secret authentik-credentials");
        expect(diff.removed.map((r) => `${r.type} ${r.name}`)).to.include("kubernetes:external-secrets.io/v1:ExternalSecret authentik-credentials");
        const release = diff.changed.find((r) => r.name === "authentik-chart")!;
        expect(release.changes).to.deep.include({ path: "values.server.service.nodePortHttp", before: 30500, after: 30600 });
        expect(formatDiff(diff, "diff")).to.not.match(LEAK);
    });

    it("--diff shows a service added first in config order as additions only: mock ids do not depend on order", async () => {
        const before = await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile: frozenStackFile("prod"), secrets: KNOWN });
        const services = readStackFile("prod")["homelab-sso:services"] as { [key: string]: unknown };
        const first = {
            miniflux: { name: "Miniflux", group: "Productivity", publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8450", callbackPath: "/oauth2/oidc/callback" },
            ...services,
        };
        const after = await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile: frozenStackFile("prod"), secrets: KNOWN, set: { "homelab-sso:services": first } });
        const diff = diffDocuments(before.document, after.document);
        expect(diff.removed).to.deep.equal([]);
        expect(diff.changed, formatDiff(diff, "diff")).to.deep.equal([]);
        expect(diff.added.map((r) => r.name).sort()).to.deep.equal(["oidc-miniflux", "oidc-miniflux-application", "oidc-miniflux-client-secret", "oidc-miniflux-provider"]);
    });

    describe("as a command (child processes)", function () {
        // Each child process compiles and evaluates the program: allow for a loaded machine.
        this.timeout(120_000);
        let dir = "";
        before(() => (dir = tmpDir("render-cli-")));
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("exits 2 on invalid stack config, listing every problem on stderr and printing nothing else", () => {
            const stackFile = path.join(dir, "Pulumi.broken.yaml");
            fs.writeFileSync(
                stackFile,
                "config:\n  homelab-sso:secrets:\n    source: vault\n  homelab-sso:authentik:\n    nodePorts: {http: 80}\n  homelab-sso:typo: 1\n",
            );
            const run = runRender(["--stack", "broken", "--stack-file", stackFile]);
            expect(run.status).to.equal(2);
            expect(run.stdout).to.equal("");
            expect(run.stderr).to.include("Invalid stack configuration (4 problems)");
            for (const key of ["homelab-sso:typo", "homelab-sso:publicHost", "homelab-sso:secrets.source", "homelab-sso:authentik.nodePorts.http"]) {
                expect(run.stderr).to.include(`  - ${key}: `);
            }
        });

        it("exits 2 naming a key in a misspelt namespace and a secret written in plain text", () => {
            const stackFile = path.join(dir, "Pulumi.typo.yaml");
            const prod = fs.readFileSync(frozenStackFile("prod"), "utf8").replace("  homelab-sso:argocd:", "  homelab-ssoo:argocd:");
            fs.writeFileSync(stackFile, `${prod.trimEnd()}\n  authentik:token: plain-token-in-the-file-0042\n`);
            const run = runRender(["--stack", "typo", "--stack-file", stackFile]);
            expect(run.status).to.equal(2);
            expect(run.stdout).to.equal("");
            expect(run.stderr).to.include("  - homelab-ssoo:argocd: unknown config namespace");
            expect(run.stderr).to.include("  - authentik:token: is a secret stored in plain text");
            expect(run.stderr).to.include("pulumi config set --secret authentik:token <value>");
            expect(run.stderr).to.not.include("plain-token-in-the-file-0042");
        });

        it("ends quietly when the reader closes the pipe early (`--json | head`)", () => {
            const render = `"${process.execPath}" -r ts-node/register/transpile-only scripts/render.ts --stack prod --stack-file "${frozenStackFile("prod")}" --json`;
            // `true` closes the pipe before the render writes a byte, so every write meets EPIPE (a `head` that
            // stops reading early does the same once the document outgrows the pipe's buffer).
            const closed = spawnSync("bash", ["-c", `${render} | true; echo "\${PIPESTATUS[0]}"`], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
            expect(closed.stderr, "no EPIPE stack trace").to.equal("");
            expect(closed.stdout.trim(), "the render's exit status").to.equal("0");
            const head = spawnSync("sh", ["-c", `${render} | head -c 20`], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 });
            expect(head.stdout).to.equal('{\n  "format": "homel');
            expect(head.stderr).to.equal("");
        });

        it("renders prod from a fresh clone's files (--json, --out) without credentials, then --diff against it", () => {
            const json = path.join(dir, "prod.json");
            const out = path.join(dir, "out");
            const run = runRender(["--stack", "prod", "--stack-file", frozenStackFile("prod"), "--json", "--out", out]);
            expect(run.status, run.stderr).to.equal(0);
            const document = JSON.parse(run.stdout);
            expect(document.secretPlaceholders).to.deep.equal([...SECRET_CONFIG_KEYS].sort());
            expect(run.stdout).to.not.match(LEAK);
            expect(filesUnder(out).some((f) => f.endsWith(path.join("helm", "authentik-values.yaml")))).to.equal(true);
            fs.writeFileSync(json, run.stdout);

            const changed = path.join(dir, "Pulumi.prod.yaml");
            fs.writeFileSync(changed, fs.readFileSync(frozenStackFile("prod"), "utf8").replace("postgresqlVolumeSize: 2Gi", "postgresqlVolumeSize: 4Gi"));
            const diff = runRender(["--stack", "prod", "--stack-file", changed, "--diff", json]);
            expect(diff.status, diff.stderr).to.equal(0);
            expect(diff.stdout).to.include("1 to change");
            expect(diff.stdout).to.match(/~ kubernetes:helm\.sh\/v4:Chart authentik-chart\n\s+values\.postgresql\.primary\.persistence\.size: "2Gi" → "4Gi"/);
        });
    });
});
