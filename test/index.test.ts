import { expect } from "chai";
import { Evaluation, evaluateProgram } from "../scripts/lib/mockRuntime";
import { ConfigError } from "../stacks/validation";
import { KNOWN_SECRETS, acknowledgeDataLoss, committedStack, evaluateStack, onlyResource, readStackFile, resourcesOfType, stackConfig } from "./support/stacks";

const PROVIDER_OAUTH2 = "authentik:index/providerOauth2:ProviderOauth2";
const APPLICATION = "authentik:index/application:Application";

describe("the whole program (index.ts) under mocks", () => {
    let prod: Evaluation;
    let dev: Evaluation;
    before(async () => {
        prod = await committedStack("prod");
        dev = await committedStack("dev");
    });

    it("prod shows exactly 2 OAuth2 providers (ArgoCD's Dex, Grafana), 7 applications (2 with providers, 5 bookmarks) and each shared lookup once", () => {
        expect(resourcesOfType(prod, PROVIDER_OAUTH2).map((p) => [p.name, p.inputs.clientType])).to.have.deep.members([
            ["oidc-grafana-provider", "confidential"],
            ["oidc-argocd-provider", "confidential"],
        ]);
        const apps = resourcesOfType(prod, APPLICATION);
        expect(apps).to.have.length(7);
        expect(apps.filter((a) => a.inputs.protocolProvider !== undefined).map((a) => a.inputs.slug)).to.have.members(["grafana", "argocd"]);
        expect(apps.filter((a) => a.inputs.protocolProvider === undefined)).to.have.length(5);
        expect(prod.invokes.map((i) => i.token)).to.have.members([
            "authentik:index/getFlow:getFlow",
            "authentik:index/getFlow:getFlow",
            "authentik:index/getCertificateKeyPair:getCertificateKeyPair",
            "authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope",
        ]);
        expect(resourcesOfType(prod, "authentik:index/policyBinding:PolicyBinding")).to.have.length(0);
    });

    it("gives argocd the slug and client id ArgoCD expects, and Dex's callback as its one redirect URI", () => {
        const provider = onlyResource(prod, PROVIDER_OAUTH2, "oidc-argocd-provider").inputs;
        expect(provider.clientId).to.equal("argocd");
        expect(provider.allowedRedirectUris).to.deep.equal([{ matching_mode: "strict", url: "https://holdens-mac-mini.story-larch.ts.net:8443/api/dex/callback" }]);
        expect(onlyResource(prod, APPLICATION, "oidc-argocd-application").inputs.slug).to.equal("argocd");
        const grafana = onlyResource(prod, PROVIDER_OAUTH2, "oidc-grafana-provider").inputs;
        expect(grafana.allowedRedirectUris).to.deep.equal([{ matching_mode: "strict", url: "https://holdens-mac-mini.story-larch.ts.net:8444/login/generic_oauth" }]);
    });

    it("configures one explicit Authentik provider from stack config, after the Authentik chart", () => {
        for (const [evaluation, url, token] of [
            [prod, "https://holdens-mac-mini.story-larch.ts.net", KNOWN_SECRETS["authentik:token"]],
            [dev, "http://localhost:30500", "mock-secret:authentik-bootstrap-token"],
        ] as const) {
            const api = onlyResource(evaluation, "pulumi:providers:authentik", "authentik-api");
            expect(api.inputs.url, evaluation.stack).to.equal(url);
            expect(api.inputs.insecure, evaluation.stack).to.equal("false");
            expect(api.inputs.token, evaluation.stack).to.deep.include({ value: token });
            const chart = onlyResource(evaluation, "kubernetes:helm.sh/v4:Chart", "authentik-chart");
            expect(api.dependencies, evaluation.stack).to.include(chart.urn);
        }
    });

    it("creates every Authentik resource with that provider set explicitly", () => {
        for (const evaluation of [prod, dev]) {
            const api = onlyResource(evaluation, "pulumi:providers:authentik", "authentik-api");
            const sdkResources = evaluation.resources.filter((r) => r.type.startsWith("authentik:"));
            expect(sdkResources.length, evaluation.stack).to.be.greaterThan(0);
            for (const resource of sdkResources) {
                expect(resource.provider, `${evaluation.stack} ${resource.name}`).to.equal(`${api.urn}::${api.id}`);
            }
            for (const invoke of evaluation.invokes) {
                expect(invoke.provider, `${evaluation.stack} ${invoke.token}`).to.equal(`${api.urn}::${api.id}`);
            }
        }
    });

    it("creates nothing for a disabled service", async () => {
        const services = { ...(readStackFile("prod")["homelab-sso:services"] as { [key: string]: object }) };
        services.grafana = { ...services.grafana, enabled: false };
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:services": services, ...acknowledgeDataLoss("prod", "grafana") } });
        expect(evaluation.resources.filter((r) => r.name.startsWith("oidc-grafana"))).to.deep.equal([]);
        expect(resourcesOfType(evaluation, PROVIDER_OAUTH2).map((r) => r.name)).to.have.members(["oidc-argocd-provider"]);
        expect(Object.keys(evaluation.outputs.oidcClients as object)).to.deep.equal(["argocd"]);
    });

    it("stops with a ConfigError naming the key before any resource exists", async () => {
        let error: unknown;
        try {
            await evaluateStack("prod", { set: { "homelab-sso:bookmarks": [{ slug: "grafana", name: "Clash", group: "X", launchUrl: "https://x.example.com" }] } });
        } catch (caught) {
            error = caught;
        }
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.include('homelab-sso:bookmarks[0].slug: slug "grafana" is already claimed by homelab-sso:services.grafana.slug');
    });
});

describe("the program (index.ts) on bad config", () => {
    it("stops on bad config before any resource is registered, listing every problem", async () => {
        const { config, secretKeys } = stackConfig("prod", {
            set: { "homelab-sso:publicHost": undefined, "homelab-sso:secrets": { source: "vault" } },
        });
        let registered = -1;
        const error = await evaluateProgram({ stack: "prod", config, secretKeys }).then(
            (evaluation) => {
                registered = evaluation.resources.length;
                return undefined;
            },
            (err: Error) => err,
        );
        expect(registered, "the program must not run").to.equal(-1);
        expect(error).to.be.instanceOf(Error);
        expect(error!.message).to.include("homelab-sso:publicHost: is required");
        expect(error!.message).to.include("homelab-sso:secrets.source");
        expect(error!.message).to.include("authentik:token");
    });
});

/** The GitOps bootstrap component exists when any one of its parts is asked for, and not otherwise. */

const prodBootstrap = readStackFile("prod")["homelab-sso:bootstrap"] as { clusterSecretStore: object; appOfApps: object };

describe("GitOps bootstrap parts (index.ts)", () => {
    const bootstrapsWith = async (bootstrap: object) =>
        (await evaluateStack("prod", { set: { "homelab-sso:bootstrap": bootstrap } })).resources.filter((r) => r.type === "homelab:bootstrap:GitOps").map((r) => r.name);

    it("is created for the machine identity alone, the ClusterSecretStore alone, or the app of apps alone", async () => {
        expect(await bootstrapsWith({ esoMachineIdentity: true })).to.deep.equal(["bootstrap"]);
        expect(await bootstrapsWith({ esoMachineIdentity: false, clusterSecretStore: prodBootstrap.clusterSecretStore })).to.deep.equal(["bootstrap"]);
        expect(await bootstrapsWith({ esoMachineIdentity: false, appOfApps: prodBootstrap.appOfApps })).to.deep.equal(["bootstrap"]);
        expect(await bootstrapsWith({ esoMachineIdentity: false })).to.deep.equal([]);
    });
});
