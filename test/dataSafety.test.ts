/**
 * Issue 13 §2-§4 on the whole program under mocks: where client secrets go, what is protected (read
 * off the mock monitor's register requests, as the engine receives them), and what a rotation changes.
 */
import { expect } from "chai";
import * as path from "path";
import { retainChartData } from "../components/helm/dataRetention";
import { GRAFANA_SECRET_GENERATION_ANNOTATION } from "../components/monitoring/values";
import { Evaluation, RecordedResource, SecretValue, evaluateProgram, isSecretEnvelope } from "../scripts/lib/mockRuntime";
import { parseStackConfig } from "../stacks/config";
import { HomelabSsoOutputs } from "../stacks/outputs";
import { mockClientSecret, withImmich } from "./support/services";
import { acknowledgeDataLoss, committedStack, evaluateStack, onlyResource, readStackFile } from "./support/stacks";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const CHART = "kubernetes:helm.sh/v4:Chart";

/** `set` overrides that give one service of the frozen prod file a rotation number. */
function rotate(service: string, rotation: number, base: { [key: string]: unknown } = {}): { [key: string]: unknown } {
    const services = { ...((base["homelab-sso:services"] ?? readStackFile("prod")["homelab-sso:services"]) as { [key: string]: object }) };
    services[service] = { ...services[service], rotation };
    return { ...base, "homelab-sso:services": services };
}

/** Names of the resources whose inputs differ between two evaluations (matched by URN). */
function changedResources(before: Evaluation, after: Evaluation): string[] {
    const inputs = new Map(before.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
    expect(after.resources.map((r) => r.urn).sort()).to.deep.equal(before.resources.map((r) => r.urn).sort());
    return after.resources.filter((r) => inputs.get(r.urn) !== JSON.stringify(r.inputs)).map((r) => r.name);
}

function secretValue(value: unknown): unknown {
    expect(isSecretEnvelope(value), "a Pulumi secret").to.equal(true);
    return (value as { value: unknown }).value;
}

/** A Secret's `stringData` entry: the Kubernetes SDK wraps the whole map as a secret too. */
function stringDataEntry(secret: RecordedResource, key: string): unknown {
    const outer = secret.inputs.stringData;
    const map = (isSecretEnvelope(outer) ? outer.value : outer) as { [key: string]: unknown };
    expect(Object.keys(map)).to.deep.equal([key]);
    return isSecretEnvelope(outer) && !isSecretEnvelope(map[key]) ? map[key] : secretValue(map[key]);
}

describe("§2 every service gets its secret (services.<name>.clientSecretTo)", () => {
    let evaluation: Evaluation;
    before(async () => {
        evaluation = await evaluateStack("prod", { set: withImmich() });
    });

    it("writes the client secret into the named Secret in the service's namespace, as a Pulumi secret", () => {
        const component = onlyResource(evaluation, "homelab:secrets:ClientSecretDelivery", "oidc-immich-delivery");
        const secret = onlyResource(evaluation, "kubernetes:core/v1:Secret", "oidc-immich-delivery-secret");
        expect(secret.parent).to.equal(component.urn);
        expect(secret.inputs.metadata).to.deep.equal({ name: "immich-oauth", namespace: "immich" });
        expect(stringDataEntry(secret, "client-secret")).to.equal(mockClientSecret("immich"));
        // The same value Authentik's provider gets.
        const provider = onlyResource(evaluation, "authentik:index/providerOauth2:ProviderOauth2", "oidc-immich-provider");
        expect(secretValue(provider.inputs.clientSecret)).to.equal(mockClientSecret("immich"));
    });

    it("names it in the client's secretRef and puts the secret in the secret output oidcClientSecrets", () => {
        const outputs = evaluation.outputs as unknown as HomelabSsoOutputs;
        expect(outputs.oidcClients.immich.secretRef).to.deep.equal({ namespace: "immich", name: "immich-oauth", key: "client-secret" });
        const secrets = evaluation.outputs.oidcClientSecrets;
        expect(secrets).to.be.instanceOf(SecretValue);
        expect((secrets as SecretValue).value).to.deep.equal({ immich: mockClientSecret("immich") });
        // ArgoCD and Grafana keep the Secret the program writes for them.
        expect(outputs.oidcClients.grafana.secretRef).to.deep.equal({ namespace: "monitoring", name: "grafana-oauth", key: "client-secret" });
    });

    it("can be read by another stack with readHomelabSsoClientSecret, and stays a secret there", async () => {
        const read = (service: string) =>
            evaluateProgram({
                stack: "consumer",
                program: path.resolve(__dirname, "support", "programs", "secretConsumer.ts"),
                config: { "test:ssoStack": "organization/homelab-sso/prod", "test:service": service },
                stackOutputs: { "organization/homelab-sso/prod": { oidcClientSecrets: (evaluation.outputs.oidcClientSecrets as SecretValue).value } },
            });
        const consumer = await read("immich");
        expect(consumer.outputs.clientSecret).to.be.instanceOf(SecretValue);
        expect((consumer.outputs.clientSecret as SecretValue).value).to.equal(mockClientSecret("immich"));
        const missing = await read("grafana").then(
            () => undefined,
            (err: Error) => err,
        );
        expect(missing?.message).to.include("oidcClientSecrets has no client secret for grafana; set services.grafana.clientSecretTo.stackOutput: true in that stack");
    });

    it("refuses __proto__ and constructor as label keys", () => {
        const labels = JSON.parse('{"__proto__": "x", "constructor": "y"}') as object;
        const raw = { ...readStackFile("prod"), "authentik:token": "t", "homelab-sso:infisicalClientId": "i", "homelab-sso:infisicalClientSecret": "s", ...withImmich({ clientSecretTo: { kubernetesSecret: { namespace: "immich", name: "oauth", labels } } }) };
        let message = "";
        try {
            parseStackConfig(raw);
        } catch (err) {
            message = (err as Error).message;
        }
        expect(message).to.include('homelab-sso:services.immich.clientSecretTo.kubernetesSecret.labels.__proto__: "__proto__" is not allowed as a key');
        expect(message).to.include('homelab-sso:services.immich.clientSecretTo.kubernetesSecret.labels.constructor: "constructor" is not allowed as a key');
    });

    it("adds labels when asked (e.g. ArgoCD's part-of label) and nothing when no service asks", async () => {
        const labelled = await evaluateStack("prod", {
            set: withImmich({ clientSecretTo: { kubernetesSecret: { namespace: "immich", name: "immich-oauth", key: "secret", labels: { "app.kubernetes.io/part-of": "immich" } } } }),
        });
        const secret = onlyResource(labelled, "kubernetes:core/v1:Secret", "oidc-immich-delivery-secret");
        expect(secret.inputs.metadata).to.deep.equal({ name: "immich-oauth", namespace: "immich", labels: { "app.kubernetes.io/part-of": "immich" } });
        expect(labelled.outputs).to.not.have.property("oidcClientSecrets");
        const prod = await committedStack("prod");
        expect(prod.outputs).to.not.have.property("oidcClientSecrets");
        expect(prod.resources.filter((r) => r.type === "homelab:secrets:ClientSecretDelivery")).to.deep.equal([]);
    });
});

describe("§3 changes that cannot destroy data by accident (protect / retainOnDelete)", () => {
    const stacks: { [stack: string]: Evaluation } = {};
    before(async () => {
        stacks.prod = await committedStack("prod");
        stacks.dev = await committedStack("dev");
    });

    for (const stack of ["prod", "dev"]) {
        describe(stack, () => {
            const evaluation = () => stacks[stack];

            it("protects the namespaces of Authentik, kube-prometheus-stack and ArgoCD, and ArgoCD's release", () => {
                const namespaces = evaluation().resources.filter((r) => r.type === NAMESPACE);
                const name = (r: RecordedResource) => (r.inputs.metadata as { name: string }).name;
                expect(namespaces.filter((r) => r.protect).map(name).sort()).to.deep.equal(["argocd", "authentik", "monitoring"]);
                expect(onlyResource(evaluation(), "kubernetes:helm.sh/v3:Release", "argocd-release").protect).to.equal(true);
            });

            it("protects no component of ours and no chart (their children would inherit it), and retains the charts' PVCs and CRDs", () => {
                const components = evaluation().resources.filter((r) => r.type.startsWith("homelab:"));
                expect(components.length).to.be.greaterThan(3);
                for (const component of components) {
                    expect(component.protect, component.name).to.equal(false);
                }
                for (const chart of evaluation().resources.filter((r) => r.type === CHART)) {
                    expect(chart.protect, chart.name).to.equal(false);
                    expect(chart.transforms, chart.name).to.include(retainChartData);
                }
            });

            it("never protects a secret that rotation replaces, nor anything under a protected parent", () => {
                const byUrn = new Map(evaluation().resources.map((r): [string, RecordedResource] => [r.urn, r]));
                for (const password of evaluation().resources.filter((r) => r.type === RANDOM_PASSWORD && r.name.endsWith("-client-secret"))) {
                    expect(password.protect, password.name).to.equal(false);
                }
                for (const resource of evaluation().resources) {
                    const parent = byUrn.get(resource.parent);
                    expect(parent?.protect ?? false, `${resource.name} under a protected parent`).to.equal(false);
                }
            });

            it("sets retainOnDelete on nothing it registers itself (only chart objects get it, through the transform)", () => {
                expect(evaluation().resources.filter((r) => r.retainOnDelete).map((r) => r.name)).to.deep.equal([]);
            });
        });
    }

    it("protects the generated Authentik credentials that must never change (dev: pulumi mode, generated API token)", () => {
        const passwords = stacks.dev.resources.filter((r) => r.type === RANDOM_PASSWORD && r.name.startsWith("authentik-"));
        expect(Object.fromEntries(passwords.map((p) => [p.name, p.protect]))).to.deep.equal({
            "authentik-secret-key": true,
            "authentik-bootstrap-password": false,
            "authentik-bootstrap-token": true,
            "authentik-pg-password": true,
        });
    });

    it("unprotects exactly the acknowledged deployment's namespace (and ArgoCD's release)", async () => {
        const grafana = await evaluateStack("prod", { set: acknowledgeDataLoss("prod", "grafana") });
        const ns = (r: RecordedResource) => (r.inputs.metadata as { name: string }).name;
        const protectedBefore = (await committedStack("prod")).resources.filter((r) => r.type === NAMESPACE && r.protect).map(ns);
        expect(protectedBefore.filter((n) => !grafana.resources.some((r) => r.type === NAMESPACE && r.protect && ns(r) === n))).to.deep.equal(["monitoring"]);
        const argocd = await evaluateStack("prod", { set: acknowledgeDataLoss("prod", "argocd") });
        expect(protectedBefore.filter((n) => !argocd.resources.some((r) => r.type === NAMESPACE && r.protect && ns(r) === n))).to.deep.equal(["argocd"]);
        expect(onlyResource(argocd, "kubernetes:helm.sh/v3:Release", "argocd-release").protect).to.equal(false);
    });
});

describe("§4 rotating a secret is one step (services.<name>.rotation)", () => {
    it("Grafana: changes the provider's secret, the consumer Secret and the pod annotation together, and nothing else", async () => {
        const before = await evaluateStack("prod");
        const after = await evaluateStack("prod", { set: rotate("grafana", 1) });
        expect(changedResources(before, after).sort()).to.deep.equal(["grafana-chart", "grafana-oauth-client-secret", "oidc-grafana-client-secret", "oidc-grafana-provider"]);

        const value = (evaluation: Evaluation, name: string, pick: (r: RecordedResource) => unknown) => pick(evaluation.resources.find((r) => r.name === name)!);
        const providerSecret = (e: Evaluation) => secretValue(value(e, "oidc-grafana-provider", (r) => r.inputs.clientSecret));
        const consumerSecret = (e: Evaluation) => stringDataEntry(e.resources.find((r) => r.name === "grafana-oauth-client-secret")!, "client-secret");
        const annotation = (e: Evaluation) =>
            value(e, "grafana-chart", (r) => ((r.inputs.values as { grafana: { podAnnotations: { [k: string]: string } } }).grafana.podAnnotations[GRAFANA_SECRET_GENERATION_ANNOTATION]));
        expect(providerSecret(after)).to.not.equal(providerSecret(before));
        expect(consumerSecret(after)).to.equal(providerSecret(after));
        expect(consumerSecret(before)).to.equal(providerSecret(before));
        expect([annotation(before), annotation(after)]).to.deep.equal(["generated-0", "generated-1"]);
        expect(value(after, "oidc-grafana-client-secret", (r) => r.inputs.keepers)).to.deep.equal({ rotation: "1" });
    });

    it("ArgoCD: changes the provider's secret and the labelled Secret ArgoCD re-reads; the release stays as it is", async () => {
        const before = await evaluateStack("prod");
        const after = await evaluateStack("prod", { set: rotate("argocd", 4) });
        expect(changedResources(before, after).sort()).to.deep.equal(["argocd-oidc-client-secret", "oidc-argocd-client-secret", "oidc-argocd-provider"]);
    });

    it("a delivered secret rotates with its provider", async () => {
        const before = await evaluateStack("prod", { set: withImmich() });
        const after = await evaluateStack("prod", { set: rotate("immich", 1, withImmich()) });
        expect(changedResources(before, after).sort()).to.deep.equal(["oidc-immich-client-secret", "oidc-immich-delivery-secret", "oidc-immich-provider"]);
        expect(after.outputs.oidcClientSecrets).to.be.instanceOf(SecretValue);
        expect((after.outputs.oidcClientSecrets as SecretValue).value).to.not.deep.equal((before.outputs.oidcClientSecrets as SecretValue).value);
    });
});
