/** The dev-stack step: the project's program, deployed through e2e/program with the real engine. */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { startAuthentikDouble } from "../authentik/server";
import { startChartRepo } from "../charts/repo";
import { Cluster } from "../cluster/cluster";
import { BuildPaths, expect, installManifests, PulumiWorkspace, REPO } from "../harness";

/**
 * `pulumi up --yes` of the dev stack through e2e/program, against the cluster, the stand-in chart
 * repository and the Authentik double. The e2e's copy of Pulumi.dev.yaml differs from the user's in two
 * keys only: `authentik.apiUrl` is the double's loopback URL, and `authentik.apiTokenSource` is `config`
 * with the double's token in `authentik:token` (the generated bootstrap token would reach a real
 * Authentik through the chart; the double cannot read it).
 */
export async function devStackStep(paths: BuildPaths, cluster: Cluster): Promise<string> {
    // The parameterized Authentik provider the SDK asks for (sdks/authentik/package.json `pulumi` block):
    // build.sh installs the e2e's stand-in under that name and version (e2e/build/README.md).
    const sdk = JSON.parse(fs.readFileSync(path.join(REPO, "sdks/authentik/package.json"), "utf8")).pulumi;
    const pluginDir = path.join(paths.pulumiHome, "plugins", `resource-${sdk.name}-v${sdk.version}`);
    expect(fs.existsSync(path.join(pluginDir, `pulumi-resource-${sdk.name}`)),
        `the Authentik provider plugin ${sdk.name} ${sdk.version} (parameterized ${sdk.parameterization.name} ` +
        `${sdk.parameterization.version}) in ${pluginDir}`, "none (run e2e/build/build.sh pulumi)");

    const token = execFileSync("openssl", ["rand", "-hex", "24"]).toString().trim();
    const authentik = await startAuthentikDouble({ token });
    const charts = await startChartRepo();
    const passphrase = execFileSync("openssl", ["rand", "-hex", "16"]).toString().trim();
    const workspace = new PulumiWorkspace(paths, passphrase);
    // The stack's config lives beside a copy of e2e/program/Pulumi.yaml in a temp folder (`pulumi stack
    // init` writes the passphrase salt there, never into the repository); index.ts is a symlink, which
    // Node resolves, so the entry program still loads the repository's program.
    const programDir = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-dev-"));
    try {
        const project = YAML.parse(fs.readFileSync(path.join(REPO, "e2e/program/Pulumi.yaml"), "utf8"));
        project.runtime.options.tsconfig = path.join(REPO, "tsconfig.pulumi.json");
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), YAML.stringify(project));
        fs.symlinkSync(path.join(REPO, "e2e/program/index.ts"), path.join(programDir, "index.ts"));
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(programDir, "node_modules"));
        fs.writeFileSync(path.join(programDir, "package.json"), JSON.stringify({ name: "homelab-sso-e2e-dev", private: true }));
        const crds = await installManifests(cluster, path.join(REPO, "e2e/crds/external-secrets.io.yaml"));

        const stackFile = path.join(programDir, "Pulumi.dev.yaml");
        const stack = YAML.parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8"));
        stack.config["homelab-sso:authentik"] = { ...stack.config["homelab-sso:authentik"], apiUrl: authentik.url, apiTokenSource: "config" };
        fs.writeFileSync(stackFile, YAML.stringify(stack));
        const env = { KUBECONFIG: cluster.kubeconfigPath, E2E_CHART_REPO: charts.url };
        workspace.run(programDir, ["stack", "init", "dev"], env);
        // From stdin, so the token is not on a command line.
        const configSet = spawnSync("pulumi", ["config", "set", "--secret", "authentik:token", "--non-interactive"], {
            cwd: programDir, env: { ...workspace.env, ...env }, input: token, encoding: "utf8",
        });
        expect(configSet.status === 0, "`pulumi config set --secret authentik:token` to succeed", `${configSet.stderr}`);

        await workspace.runAsync(programDir, ["up", "--yes"], env);

        const violations = authentik.violations();
        expect(violations.length === 0, "no request the Authentik double flags (unknown fields, unserved endpoints or parameters)",
            JSON.stringify(violations));
        const state = authentik.state();
        const services = Object.entries(stack.config["homelab-sso:services"] as { [key: string]: { slug?: string } })
            .map(([key, service]) => service.slug ?? key).sort();
        const providerNames = state.providers.map((p: any) => String(p.name)).sort();
        expect(services.every((slug) => providerNames.includes(slug)), `one OAuth2 provider per service (${services.join(", ")})`,
            providerNames.join(", ") || "none");
        const signingKey = state.certificateKeyPairs[0]?.pk;
        const wrong = state.providers.filter((p: any) => p.signing_key !== signingKey || (p.property_mappings ?? []).length !== 3
            || (p.redirect_uris ?? []).some((u: any) => u.matching_mode !== "strict"));
        expect(wrong.length === 0, "every provider signed with the self-signed RS256 key pair, strict redirect URIs and the three scope mappings",
            JSON.stringify(wrong));
        const applications = state.applications.map((a: any) => String(a.slug)).sort();
        const bookmarks = (stack.config["homelab-sso:bookmarks"] ?? []).map((b: { slug: string }) => b.slug);
        expect([...services, ...bookmarks].every((slug) => applications.includes(slug)), "an application per service and per bookmark",
            applications.join(", "));

        await workspace.runAsync(programDir, ["preview", "--expect-no-changes"], env);
        // Read back what the double holds (the Authentik stand-in's Read), then nothing to change.
        await workspace.runAsync(programDir, ["refresh", "--yes"], env);
        await workspace.runAsync(programDir, ["preview", "--expect-no-changes"], env);
        const after = authentik.violations();
        expect(after.length === 0, "no request the double flags during preview and refresh", JSON.stringify(after));
        return `${crds} CRDs installed; ${state.providers.length} providers, ${state.applications.length} applications, ` +
            `${state.policyBindings.length} bindings in the double; no violations; no changes after up and after refresh`;
    } finally {
        workspace.remove();
        fs.rmSync(programDir, { recursive: true, force: true });
        await charts.stop();
        await authentik.stop();
    }
}
