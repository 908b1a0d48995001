/**
 * How the components are wired together in the whole program: what waits for what (the recorded
 * dependencies of the mock runtime), Pod Security levels, and which config value each derived name
 * comes from. Each test names one behaviour that a single wrong token in components/ or index.ts
 * would break (these were surviving mutants, issue 12 §3).
 */
import { expect } from "chai";
import { Evaluation, RecordedResource } from "../../scripts/lib/mockRuntime";
import { committedStack, evaluateStack, onlyResource, readStackFile } from "../support/stacks";

const GRAFANA_CHART = "kubernetes:helm.sh/v4:Chart";

/** Every resource created inside the component `urn`, at any depth. */
function descendants(evaluation: Evaluation, urn: string): RecordedResource[] {
    const children = evaluation.resources.filter((r) => r.parent === urn);
    return children.flatMap((child) => [child, ...descendants(evaluation, child.urn)]);
}

describe("component wiring", () => {
    let prod: Evaluation;
    before(async () => {
        prod = await committedStack("prod");
    });

    describe("the Grafana chart waits for", () => {
        it("its admin credentials (the ExternalSecret grafana-secret)", () => {
            const chart = onlyResource(prod, GRAFANA_CHART, "grafana-chart");
            const admin = onlyResource(prod, "kubernetes:external-secrets.io/v1:ExternalSecret", "grafana-admin-credentials");
            expect(chart.dependencies).to.include(admin.urn);
        });

        it("its OAuth client Secret (grafana-oauth)", () => {
            const chart = onlyResource(prod, GRAFANA_CHART, "grafana-chart");
            const oauth = onlyResource(prod, "kubernetes:core/v1:Secret", "grafana-oauth-client-secret");
            expect(chart.dependencies).to.include(oauth.urn);
        });

        it("its OIDC client in Authentik (the provider and application of oidc-grafana)", () => {
            const chart = onlyResource(prod, GRAFANA_CHART, "grafana-chart");
            const client = onlyResource(prod, "homelab:authentik:OidcClient", "oidc-grafana");
            const provider = descendants(prod, client.urn).find((r) => r.type === "authentik:index/providerOauth2:ProviderOauth2");
            expect(provider, "oidc-grafana's ProviderOauth2").to.not.equal(undefined);
            expect(chart.dependencies.some((urn) => urn === client.urn || urn === provider!.urn)).to.equal(true);
        });

        it("in the pulumi secrets mode, the generated admin Secret", async () => {
            const dev = await committedStack("dev");
            const chart = onlyResource(dev, GRAFANA_CHART, "grafana-chart");
            const admin = onlyResource(dev, "kubernetes:core/v1:Secret", "grafana-admin-credentials");
            expect(chart.dependencies).to.include(admin.urn);
        });
    });

    it("the ClusterSecretStore waits for ESO's machine-identity Secret it reads", () => {
        const store = onlyResource(prod, "kubernetes:external-secrets.io/v1:ClusterSecretStore", "bootstrap-cluster-secret-store");
        const identity = onlyResource(prod, "kubernetes:core/v1:Secret", "bootstrap-eso-machine-identity");
        expect(store.dependencies).to.include(identity.urn);
    });

    it("the external-secrets namespace enforces Pod Security restricted", () => {
        const namespace = onlyResource(prod, "kubernetes:core/v1:Namespace", "bootstrap-external-secrets-namespace").inputs as any;
        expect(namespace.metadata.name).to.equal("external-secrets");
        expect(namespace.metadata.labels).to.deep.include({
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
            "pod-security.kubernetes.io/warn": "restricted",
        });
    });

    it("the Authentik host alias takes its host name from authentik.publicUrl, not apiUrl", async () => {
        const authentik = readStackFile("prod")["homelab-sso:authentik"] as { [key: string]: unknown };
        const evaluation = await evaluateStack("prod", {
            set: {
                "homelab-sso:authentikHostAlias": { ip: "100.101.102.103" },
                "homelab-sso:authentik": { ...authentik, apiUrl: "http://authentik-server.authentik.svc.cluster.local" },
            },
        });
        const expected = [{ ip: "100.101.102.103", hostnames: ["holdens-mac-mini.story-larch.ts.net"] }];
        const argocd = onlyResource(evaluation, "kubernetes:helm.sh/v3:Release", "argocd-release").inputs.values as any;
        expect(argocd.global.hostAliases).to.deep.equal(expected);
        const grafana = onlyResource(evaluation, GRAFANA_CHART, "grafana-chart").inputs.values as any;
        expect(grafana.grafana.hostAliases).to.deep.equal(expected);
    });

    it("the Grafana OAuth Secret lives in the namespace from homelab-sso:grafana.namespace, and its secretRef output says so", async () => {
        const grafana = readStackFile("prod")["homelab-sso:grafana"] as { [key: string]: unknown };
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:grafana": { ...grafana, namespace: "observability" } } });
        const oauth = onlyResource(evaluation, "kubernetes:core/v1:Secret", "grafana-oauth-client-secret").inputs as any;
        expect(oauth.metadata).to.deep.include({ name: "grafana-oauth", namespace: "observability" });
        const outputs = evaluation.outputs.oidcClients as any;
        expect(outputs.grafana.secretRef).to.deep.equal({ namespace: "observability", name: "grafana-oauth", key: "client-secret" });
    });
});
