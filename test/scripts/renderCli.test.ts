/**
 * The render's command line (runRenderCli, in process): help, argument errors, file errors as plain
 * sentences, YAML syntax errors located by file, line and key, and the diff header.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, RENDER_USAGE, runRenderCli } from "../../scripts/lib/render";
import { keyPathAt } from "../../scripts/lib/renderConfig";
import { frozenStackFile } from "../support/stacks";

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runRenderCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd }, PROJECT_ROOT);
    return { code, stdout, stderr };
}

describe("npm run render: the command line", () => {
    let dir = "";
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-cli-args-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const flag of ["--help", "-h"]) {
        it(`${flag} prints the usage on stdout and exits 0`, async () => {
            const run = await cli(["--stack", "prod", flag], dir);
            expect(run).to.deep.equal({ code: 0, stdout: `${RENDER_USAGE}\n`, stderr: "" });
            expect(run.stdout).to.match(/^usage: npm run -s render -- --stack <name>/);
        });
    }

    for (const [args, message] of [
        [["--stack", "prod", "--stack", "dev"], "--stack is given twice (also as --stack); give each option once"],
        [["-s", "prod", "--stack=dev"], "--stack is given twice (also as -s)"],
        [["--stack", "prod", "--json", "--json"], "--json is given twice"],
        [["--stack", "prod", "--out", "a", "--out", "b"], "--out is given twice"],
        [["--stack", "prod", "--stack-file", "Pulumi.dev.yaml"], "--stack prod conflicts with --stack-file Pulumi.dev.yaml, which is stack dev's file; pass --stack dev"],
        [["--stack", "prod", "--out"], "--out needs a value"],
        [["--stack", "prod", "--json=yes"], "--json takes no value"],
        [["--stack", "prod", "extra"], 'unknown argument "extra"'],
    ] as const) {
        it(`refuses ${args.join(" ")}`, async () => {
            const run = await cli([...args], dir);
            expect(run.code).to.equal(1);
            expect(run.stdout).to.equal("");
            expect(run.stderr).to.include(`render: ${message}`);
        });
    }

    it("--out naming a file, or a path through a file, is a plain sentence, not an error code", async () => {
        fs.writeFileSync(path.join(dir, "README.md"), "# not a directory\n");
        const file = await cli(["--stack", "dev", "--stack-file", frozenStackFile("dev"), "--out", "README.md"], dir);
        expect(file.code).to.equal(1);
        expect(file.stderr).to.equal("render: --out README.md: is a file, not a directory; choose a new or empty directory\n");
        const through = await cli(["--stack", "dev", "--stack-file", frozenStackFile("dev"), "--out", "README.md/out"], dir);
        expect(through.code).to.equal(1);
        expect(through.stderr).to.match(/^render: --out README\.md\/out: a file is in the way/);
        expect(through.stderr).to.not.match(/ENOTDIR|EEXIST|at \w+ \(/);
    });

    it("--diff naming a directory says so", async () => {
        const run = await cli(["--stack", "dev", "--diff", "."], dir);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.equal("render: --diff .: is a directory; expected an earlier --json render\n");
    });

    it("exits 2 on a YAML syntax error, naming the file, line and key path", async () => {
        const stackFile = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(stackFile, fs.readFileSync(frozenStackFile("prod"), "utf8").replace("      description: Metrics dashboards", '      description: "Metrics dashboards'));
        const run = await cli(["--stack", "prod", "--stack-file", "Pulumi.prod.yaml"], dir);
        expect(run.code).to.equal(2);
        expect(run.stdout).to.equal("");
        const line = fs.readFileSync(stackFile, "utf8").split("\n").findIndex((l) => l.includes('"Metrics dashboards')) + 1;
        expect(run.stderr).to.include(`Pulumi.prod.yaml:${line}:`);
        expect(run.stderr).to.include("not valid YAML at homelab-sso:services.grafana.description: Missing closing \"quote");
    });

    it("finds the key path of a line from the indentation, with list indexes", () => {
        const text = [
            "config:",
            "  kubernetes:context: orbstack",
            "  homelab-sso:services:",
            "    miniflux:",
            "      callbackPath: /oauth2/oidc/callback",
            "  homelab-sso:bookmarks:",
            "    - slug: a",
            "      name: A",
            "    - slug: b",
            "      icon: x",
        ].join("\n");
        expect([2, 5, 7, 8, 9, 10].map((line) => keyPathAt(text, line))).to.deep.equal([
            "kubernetes:context",
            "homelab-sso:services.miniflux.callbackPath",
            "homelab-sso:bookmarks[0].slug",
            "homelab-sso:bookmarks[0].name",
            "homelab-sso:bookmarks[1].slug",
            "homelab-sso:bookmarks[1].icon",
        ]);
    });

    it("names the stack file in the diff header", async () => {
        const stackFile = path.join(dir, "Pulumi.dev.yaml");
        fs.copyFileSync(frozenStackFile("dev"), stackFile);
        const json = await cli(["--stack", "dev", "--stack-file", "Pulumi.dev.yaml", "--json"], dir);
        expect(json.code, json.stderr).to.equal(0);
        fs.writeFileSync(path.join(dir, "before.json"), json.stdout);
        const diff = await cli(["--stack", "dev", "--stack-file", "Pulumi.dev.yaml", "--diff", "before.json"], dir);
        expect(diff.code, diff.stderr).to.equal(0);
        expect(diff.stdout.split("\n")[0]).to.equal(
            'Render diff for stack "dev" (before.json → Pulumi.dev.yaml with this checkout\'s program): 0 to add, 0 to remove, 0 to change, 0 output change(s)',
        );
    });
});
