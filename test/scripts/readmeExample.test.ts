/**
 * The render-and-diff example of docs/render.md, run exactly as written (`npm run -s render ...` through a shell)
 * in a scratch copy of the project, with the edit in the middle being the one docs/operations.md
 * describes: adding its example service to Pulumi.prod.yaml. The diff must show that service's
 * resources as additions and nothing else (no removal, no change on another resource).
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { exampleService } from "../support/operationsRecipes";
import { ROOT } from "../support/stacks";

/** The shell block of docs/render.md that holds the `--diff before.json` example. */
function readmeExample(): string[] {
    const guide = fs.readFileSync(path.join(ROOT, "docs", "render.md"), "utf8");
    const block = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes("--diff /tmp/before.json"));
    expect(block, "docs/render.md has the render-and-diff example").to.be.a("string");
    return block!.trimEnd().split("\n");
}

/** A copy of the project to run commands in: everything but tests, docs and git, sharing node_modules (which links sdks/authentik). */
function scratchProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-example-"));
    for (const entry of fs.readdirSync(ROOT)) {
        if ([".git", "node_modules", "test", "docs", "out", ".tools", "bin", "sdks"].includes(entry)) {
            continue;
        }
        fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

describe("docs/render.md's render-and-diff example", function () {
    this.timeout(120_000);
    let dir: string;
    before(() => {
        dir = scratchProject();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("runs as written, and adding the operations guide's example service shows exactly its resources as additions", () => {
        const { key, settings } = exampleService();
        const stackFile = path.join(dir, "Pulumi.prod.yaml");
        const live = parseDocument(fs.readFileSync(stackFile, "utf8"));
        if (live.hasIn(["config", "homelab-sso:services", key])) {
            // The owner already added it to the live file: start from the frozen copy instead.
            fs.copyFileSync(path.join(ROOT, "test", "fixtures", "Pulumi.prod.yaml"), stackFile);
        }
        const outputs: string[] = [];
        for (const line of readmeExample()) {
            if (line.startsWith("#")) {
                // "...change the program or Pulumi.prod.yaml...": the edit docs/operations.md describes.
                const document = parseDocument(fs.readFileSync(stackFile, "utf8"));
                expect(document.hasIn(["config", "homelab-sso:services", key]), `${key} must be a new service`).to.equal(false);
                document.setIn(["config", "homelab-sso:services", key], document.createNode(settings));
                fs.writeFileSync(stackFile, document.toString());
                continue;
            }
            // The baseline goes to /tmp, out of the repository; each run of this test uses its own scratch copy instead.
            const command = line.split("/tmp/before.json").join(path.join(dir, "before.json"));
            const run = spawnSync("sh", ["-c", command], { cwd: dir, encoding: "utf8", env: process.env, timeout: 60_000 });
            expect(run.status, `${line}\n${run.stderr}`).to.equal(0);
            outputs.push(run.stdout);
        }

        const before = JSON.parse(fs.readFileSync(path.join(dir, "before.json"), "utf8"));
        expect(before.stack).to.equal("prod");
        const diff = outputs[1];
        const added = [...diff.matchAll(/^\+ (\S+) (\S+)$/gm)].map((m) => ({ type: m[1], name: m[2] }));
        expect(added.length, diff).to.be.greaterThan(2);
        for (const resource of added) {
            expect(resource.name, diff).to.match(new RegExp(`^oidc-${key}(-|$)`));
        }
        expect(added.map((r) => r.type)).to.include.members(["homelab:authentik:OidcClient", "authentik:index/providerOauth2:ProviderOauth2", "authentik:index/application:Application"]);
        const outputChanges = [...diff.matchAll(/^ {2}([+~-]) (\S+):/gm)].map((m) => ({ marker: m[1], path: m[2] }));
        expect(outputChanges.length, diff).to.be.greaterThan(3);
        for (const change of outputChanges) {
            expect(change.marker, diff).to.equal("+");
            // Its client's outputs, and its secret in the secret output when the guide asks for one.
            expect(change.path, diff).to.match(new RegExp(`^(oidcClients\\.${key}\\.|oidcClientSecrets(\\.${key})?$)`));
        }
        expect(diff.split("\n")[0]).to.equal(
            `Render diff for stack "prod" (${path.join(dir, "before.json")} → Pulumi.prod.yaml with this checkout's program): ${added.length} to add, 0 to remove, 0 to change, ${outputChanges.length} output change(s)`,
        );
        expect(diff, "no removal and no change on another resource").to.not.match(/^[-~] /m);
        expect(fs.readdirSync(path.join(dir, "out", "dev"))).to.include.members(["k8s", "helm", "authentik"]);
    });

    it("writes every diff baseline the docs show outside the repository (/tmp) or into the git-ignored out/", () => {
        const docs = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => path.join("docs", f))];
        const baselines = docs.flatMap((file) =>
            [...fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(/render -- [^\n`|]*?(?:--json > (\S+)|--diff (\S+))/g)].map((m) => ({ file, target: (m[1] ?? m[2]).replace(/[`'"]/g, "") })),
        );
        expect(baselines.length).to.be.greaterThan(3);
        for (const { file, target } of baselines.filter((b) => !b.target.startsWith("<"))) {
            expect(target, file).to.match(/^(\/tmp\/|out\/)/);
        }
    });
});
