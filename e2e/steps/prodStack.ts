/**
 * The prod-stack step: a prod-shaped stack (a copy of Pulumi.prod.yaml, `secrets.source: infisical`) in
 * its own API server, deployed in the two runs the README's "What needs a second run" prescribes, against
 * the Authentik double serving HTTPS with a test CA that the provider trusts as a user would tell it to.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { AuthentikDouble, startAuthentikDouble } from "../authentik/server";
import { ChartRepo, startChartRepo } from "../charts/repo";
import { Cluster, startCluster } from "../cluster/cluster";
import {
    BuildPaths, entryProgramDir, expect, installManifests, previewChanges, PulumiWorkspace, REPO, runJson, setSecretConfig,
} from "../harness";

/** The stack name: the project's URNs (docs, import files) name `prod`. */
export const PROD_STACK = "prod";

/**
 * What the e2e's copy of Pulumi.prod.yaml changes, and why; written as the copy's header comment.
 * Everything else is the user's file as committed.
 */
export const PROD_STACK_CHANGES = [
    "kubernetes:context: e2e (was orbstack): the context of the loopback API server's kubeconfig.",
    "homelab-sso:authentik.apiUrl: the Authentik double's https://127.0.0.1 URL (was publicUrl, the default): " +
        "its certificate is signed by a test CA, which the provider trusts through SSL_CERT_FILE; apiInsecure stays unset (false).",
    "homelab-sso:bootstrap.appOfApps: left out of the first run and added back for the second (README, \"What needs a second run\").",
    "Not in the file, as the user's: authentik:token (apiTokenSource stays config; the double's token), " +
        "homelab-sso:infisicalClientId and infisicalClientSecret (made-up values: no Infisical runs), all secret config.",
];

export interface ProdStack {
    cluster: Cluster;
    workspace: PulumiWorkspace;
    /** The stack's program folder (e2e/program's Pulumi.yaml, Pulumi.prod.yaml). */
    dir: string;
    /** KUBECONFIG, the chart repository and SSL_CERT_FILE (the double's CA) for every `pulumi` run. */
    env: NodeJS.ProcessEnv;
    authentik: AuthentikDouble;
    charts: ChartRepo;
    /** The user's Pulumi.prod.yaml, parsed. */
    userStack: any;
    stackFile: string;
    stop(): Promise<void>;
}

/** Writes the e2e's copy of the prod stack file: the user's, with PROD_STACK_CHANGES (appOfApps per `withAppOfApps`). */
export function writeProdStackFile(stackFile: string, userStack: any, apiUrl: string, withAppOfApps: boolean): void {
    const config = JSON.parse(JSON.stringify(userStack.config));
    config["kubernetes:context"] = "e2e";
    config["homelab-sso:authentik"] = { ...config["homelab-sso:authentik"], apiUrl };
    if (!withAppOfApps) delete config["homelab-sso:bootstrap"].appOfApps;
    // Keep what `pulumi stack init` and `config set` wrote (the passphrase salt, secret config).
    const current = fs.existsSync(stackFile) ? YAML.parse(fs.readFileSync(stackFile, "utf8")) ?? {} : {};
    for (const [key, value] of Object.entries(current.config ?? {})) {
        if (!(key in config) && !(key in userStack.config)) config[key] = value;
    }
    const doc = new YAML.Document({ ...current, config });
    doc.commentBefore = ` The e2e's copy of Pulumi.prod.yaml (e2e/steps/prodStack.ts). Changes from the user's file:\n` +
        PROD_STACK_CHANGES.map((change) => `  - ${change}`).join("\n");
    fs.writeFileSync(stackFile, doc.toString());
}

/** A second API server, the double on HTTPS, the chart repository, and the stack initialised with its secret config. */
export async function startProdStack(paths: BuildPaths): Promise<ProdStack> {
    const cluster = await startCluster({ binDir: paths.kubeBin });
    const token = execFileSync("openssl", ["rand", "-hex", "24"]).toString().trim();
    const authentik = await startAuthentikDouble({ token, https: true });
    const charts = await startChartRepo();
    const workspace = new PulumiWorkspace(paths, execFileSync("openssl", ["rand", "-hex", "16"]).toString().trim());
    const dir = entryProgramDir("homelab-sso-e2e-prod-");
    const stop = async (): Promise<void> => {
        workspace.remove();
        fs.rmSync(dir, { recursive: true, force: true });
        await charts.stop();
        await authentik.stop();
        await cluster.stop();
    };
    try {
        // How a user on Linux makes Go programs (the Terraform provider, and the e2e's stand-in for it)
        // trust a private CA: SSL_CERT_FILE names the PEM file that replaces the system roots.
        const caFile = path.join(dir, "authentik-ca.pem");
        fs.writeFileSync(caFile, authentik.caPem!);
        const env = { KUBECONFIG: cluster.kubeconfigPath, E2E_CHART_REPO: charts.url, SSL_CERT_FILE: caFile };
        const userStack = YAML.parse(fs.readFileSync(path.join(REPO, "Pulumi.prod.yaml"), "utf8"));
        const stackFile = path.join(dir, `Pulumi.${PROD_STACK}.yaml`);
        workspace.run(dir, ["stack", "init", PROD_STACK], env);
        writeProdStackFile(stackFile, userStack, authentik.url, false);
        setSecretConfig(workspace, dir, "authentik:token", token, env);
        setSecretConfig(workspace, dir, "homelab-sso:infisicalClientId", "e2e-machine-identity", env);
        setSecretConfig(workspace, dir, "homelab-sso:infisicalClientSecret", execFileSync("openssl", ["rand", "-hex", "24"]).toString().trim(), env);
        await installManifests(cluster, path.join(REPO, "e2e/crds/external-secrets.io.yaml"));
        return { cluster, workspace, dir, env, authentik, charts, userStack, stackFile, stop };
    } catch (error) {
        await stop();
        throw error;
    }
}

/** The first run without the App-of-Apps, the second with it (only the root Application added), a third changes nothing. */
export async function prodStackStep(prod: ProdStack): Promise<string> {
    const { cluster, workspace, dir, env, authentik, userStack } = prod;
    const authentikConfig = userStack.config["homelab-sso:authentik"];
    expect(authentikConfig.apiInsecure !== true, "Pulumi.prod.yaml to verify the Authentik API's TLS (apiInsecure unset or false)",
        String(authentikConfig.apiInsecure));
    expect(authentik.url.startsWith("https://"), "the double to serve HTTPS", authentik.url);

    await workspace.runAsync(dir, ["up", "--yes"], env);
    const violations = authentik.violations();
    expect(violations.length === 0, "no request the Authentik double flags", JSON.stringify(violations));
    const state = authentik.state();
    const services = Object.entries(userStack.config["homelab-sso:services"] as { [key: string]: { slug?: string } })
        .map(([key, service]) => service.slug ?? key).sort();
    const bookmarks = (userStack.config["homelab-sso:bookmarks"] ?? []).map((b: { slug: string }) => b.slug);
    const applications = state.applications.map((a: any) => String(a.slug));
    expect([...services, ...bookmarks].every((slug) => applications.includes(slug)),
        `an application per service and bookmark of the prod stack (${[...services, ...bookmarks].join(", ")}) in the double, over HTTPS`,
        applications.join(", ") || "none");
    const store = await cluster.request("GET", `/apis/external-secrets.io/v1/clustersecretstores/${userStack.config["homelab-sso:secrets"].clusterSecretStore}`);
    expect(store.status === 200, "the ClusterSecretStore of secrets.source infisical after the first run", `HTTP ${store.status}`);
    const appOfApps = userStack.config["homelab-sso:bootstrap"].appOfApps;
    const root = `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${appOfApps.name}`;
    const before = await cluster.request("GET", root);
    expect(before.status === 404, `no root Application ${appOfApps.name} after the first run (appOfApps left out)`, `HTTP ${before.status}`);

    // The second run, as the README says: add bootstrap.appOfApps. Its preview adds the root Application only.
    writeProdStackFile(prod.stackFile, userStack, authentik.url, true);
    const changes = previewChanges(await runJson(workspace, dir, ["preview"], env));
    const rootUrn = /::bootstrap-root-application$/;
    expect(changes.length === 1 && changes[0].op === "create" && rootUrn.test(changes[0].urn),
        "the second run's preview to create bootstrap-root-application and change nothing else",
        changes.map((c) => `${c.op} ${c.urn}`).join("; ") || "no changes");
    await workspace.runAsync(dir, ["up", "--yes"], env);
    const application = await cluster.request("GET", root);
    expect(application.status === 200, `the root Application argocd/${appOfApps.name} after the second run`, `HTTP ${application.status}`);
    const source = application.body.spec?.source ?? {};
    expect(source.repoURL === appOfApps.repoUrl && source.path === appOfApps.path && source.targetRevision === appOfApps.revision
        && application.body.spec?.syncPolicy?.automated !== undefined,
        `the root Application to sync ${appOfApps.repoUrl} ${appOfApps.path}@${appOfApps.revision} automatically`,
        JSON.stringify({ source, syncPolicy: application.body.spec?.syncPolicy }));

    await workspace.runAsync(dir, ["preview", "--expect-no-changes"], env);
    const after = authentik.violations();
    expect(after.length === 0, "no request the double flags in the second and third runs", JSON.stringify(after));
    return `run 1: ${state.providers.length} providers, ${state.applications.length} applications over HTTPS (test CA via SSL_CERT_FILE); ` +
        `run 2 (appOfApps): only ${appOfApps.name} created; run 3: no changes`;
}
