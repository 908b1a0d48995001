/**
 * What each component registers with `registerOutputs`: the outputs `pulumi stack --show-urns` and the
 * state show for it. Read off the mock monitor's RegisterResourceOutputs requests, as the engine
 * receives them (secrets still wrapped).
 */
import { expect } from "chai";
import { Evaluation, RecordedResource, isSecretEnvelope } from "../../scripts/lib/mockRuntime";
import { withImmich } from "../support/services";
import { committedStack, evaluateStack, onlyResource, plainStrings } from "../support/stacks";

/** The outputs each component type registers, by name. */
const REGISTERED_KEYS: { [type: string]: string[] } = {
    "homelab:authentik:Platform": ["inClusterUrl", "namespace", "nodePorts", "publicUrl", "releaseName", "serverServiceName"],
    "homelab:authentik:PortalBookmarks": ["slugs"],
    "homelab:argocd:ArgoCd": ["clientSecretRef", "namespace", "releaseName"],
    "homelab:monitoring:Grafana": ["clientSecretRef", "namespace", "releaseName"],
    "homelab:bootstrap:GitOps": [],
    "homelab:secrets:ClientSecretDelivery": ["secretRef"],
};
const OIDC_CLIENT_KEYS = ["authorizeUrl", "clientId", "clientType", "discoveryUrl", "endSessionUrl", "issuer", "jwksUrl", "redirectUris", "slug", "tokenUrl", "userinfoUrl"];

function components(evaluation: Evaluation): RecordedResource[] {
    return evaluation.resources.filter((r) => r.type.startsWith("homelab:"));
}

function registered(resource: RecordedResource): { [key: string]: unknown } {
    expect(resource.registeredOutputs, `${resource.type} ${resource.name} registered no outputs`).to.not.equal(undefined);
    return resource.registeredOutputs as { [key: string]: unknown };
}

describe("component outputs (registerOutputs, as the state shows them)", () => {
    for (const stack of ["prod", "dev"]) {
        describe(stack, () => {
            let evaluation: Evaluation;
            before(async () => {
                evaluation = await committedStack(stack);
            });

            it("every component registers its outputs, by name", () => {
                for (const component of components(evaluation)) {
                    const keys = Object.keys(registered(component)).sort();
                    if (component.type === "homelab:authentik:OidcClient") {
                        const confidential = registered(component).clientType === "confidential";
                        expect(keys, component.name).to.deep.equal(confidential ? [...OIDC_CLIENT_KEYS, "clientSecret"].sort() : OIDC_CLIENT_KEYS);
                    } else {
                        expect(REGISTERED_KEYS, `a key list for ${component.type}`).to.have.property(component.type);
                        expect(keys, component.name).to.deep.equal(REGISTERED_KEYS[component.type]);
                    }
                }
            });

            it("a registered client secret stays a Pulumi secret; no other registered output holds one", () => {
                const secrets: string[] = [];
                for (const component of components(evaluation)) {
                    const outputs = registered(component);
                    if (outputs.clientSecret !== undefined) {
                        expect(isSecretEnvelope(outputs.clientSecret), `${component.name}.clientSecret`).to.equal(true);
                        secrets.push(String((outputs.clientSecret as { value: unknown }).value));
                    }
                }
                expect(secrets).to.not.be.empty;
                for (const component of components(evaluation)) {
                    for (const { path, value } of plainStrings(registered(component))) {
                        expect(secrets, `${component.name} ${path}`).to.not.include(value);
                        expect(value, `${component.name} ${path}`).to.not.match(/^mock-secret:/);
                    }
                }
            });
        });
    }

    it("the SSO deployments name the Secret that holds their client secret", async () => {
        const evaluation = await committedStack("prod");
        expect(registered(onlyResource(evaluation, "homelab:argocd:ArgoCd")).clientSecretRef).to.deep.equal({ namespace: "argocd", name: "argocd-oidc-authentik", key: "clientSecret" });
        expect(registered(onlyResource(evaluation, "homelab:monitoring:Grafana")).clientSecretRef).to.deep.equal({ namespace: "monitoring", name: "grafana-oauth", key: "client-secret" });
    });

    it("a ClientSecretDelivery registers where the secret went (namespace, name, key), never the secret", async () => {
        const evaluation = await evaluateStack("prod", { set: withImmich({ clientSecretTo: { kubernetesSecret: { namespace: "immich", name: "immich-oauth", key: "client-secret" } } }) });
        const delivery = onlyResource(evaluation, "homelab:secrets:ClientSecretDelivery");
        expect(registered(delivery)).to.deep.equal({ secretRef: { namespace: "immich", name: "immich-oauth", key: "client-secret" } });
        const secret = evaluation.resources.find((r) => r.parent === delivery.urn && r.type === "kubernetes:core/v1:Secret");
        expect(secret?.inputs.type, "an Opaque Secret").to.equal("Opaque");
    });
});
