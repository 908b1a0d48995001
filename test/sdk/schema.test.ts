// Resource classes of the local @pulumi/authentik SDK against the 2025.12.1 schema fixture, under Pulumi mocks.

import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
    Recorder,
    ResourceSchema,
    Sdk,
    dummyInputs,
    clearRecorder,
    installMocks,
    isSecretEnvelope,
    loadSdk,
    outputPropertyNames,
    promiseOf,
    pulumiTypeOf,
    recordingOptions,
    resourceClass,
    resources,
    sorted,
    unwrapSecret,
} from "./harness";

describe("@pulumi/authentik resources (schema 2025.12.1)", () => {
    let rec: Recorder;
    let sdk: Sdk;

    before(() => {
        rec = installMocks();
        sdk = loadSdk();
    });

    beforeEach(() => clearRecorder(rec));

    it("the fixture covers the whole subset", () => {
        expect(sorted(resources.map(r => r.tsClass))).to.deep.equal([
            "Application",
            "Blueprint",
            "CertificateKeyPair",
            "Flow",
            "Group",
            "PolicyBinding",
            "PropertyMappingProviderScope",
            "ProviderOauth2",
        ]);
    });

    for (const r of resources) {
        describe(r.tsClass, () => {
            const allProperties = sorted(Object.keys(r.properties));
            const inputNames = sorted(Object.keys(r.properties).filter(n => r.properties[n].isInput));
            const secretInputs = inputNames.filter(n => r.properties[n].secret);

            it(`has __pulumiType ${r.token}`, () => {
                expect(pulumiTypeOf(resourceClass(sdk, r))).to.equal(r.token);
            });

            it("sends exactly the schema's input properties, with secrets wrapped", async () => {
                const args = dummyInputs(r.properties);
                const res = new (resourceClass(sdk, r))(`${r.tsClass}-all`, args);
                await promiseOf(res.urn);

                const reg = rec.resources.find(x => x.name === `${r.tsClass}-all`)!;
                expect(reg.type).to.equal(r.token);
                expect(reg.custom).to.equal(true);
                expect(sorted(Object.keys(reg.inputs))).to.deep.equal(inputNames);
                for (const name of inputNames) {
                    const received = reg.inputs[name];
                    expect(isSecretEnvelope(received), `${name} secret`).to.equal(r.properties[name].secret);
                    expect(unwrapSecret(received), name).to.deep.equal(args[name]);
                }
            });

            it("exposes exactly the schema's properties as outputs", async () => {
                const res = new (resourceClass(sdk, r))(`${r.tsClass}-outputs`, dummyInputs(r.properties));
                await promiseOf(res.urn);
                expect(outputPropertyNames(res)).to.deep.equal(allProperties);
                for (const name of allProperties) {
                    expect(res.hasOwnProperty(name), name).to.equal(true);
                }
            });

            it("marks the schema's secrets as additionalSecretOutputs and returns them as secrets", async () => {
                const seen: pulumi.ResourceOptions[] = [];
                const res = new (resourceClass(sdk, r))(
                    `${r.tsClass}-secrets`,
                    dummyInputs(r.properties),
                    recordingOptions(seen),
                );
                await promiseOf(res.urn);
                expect(seen).to.have.length(1);
                const asserted = sorted((seen[0] as pulumi.CustomResourceOptions).additionalSecretOutputs ?? []);
                expect(asserted).to.deep.equal(sorted(r.additionalSecretOutputs));
                expect(asserted).to.deep.equal(allProperties.filter(n => r.properties[n].secret));
                for (const name of secretInputs) {
                    const output = (res as unknown as Record<string, pulumi.Output<unknown>>)[name];
                    expect(await pulumi.isSecret(output), `${name} isSecret`).to.equal(true);
                }
                for (const name of inputNames.filter(n => !r.properties[n].secret)) {
                    const output = (res as unknown as Record<string, pulumi.Output<unknown>>)[name];
                    expect(await pulumi.isSecret(output), `${name} isSecret`).to.equal(false);
                }
            });

            it("merges the SDK version into its options and gets the expected URN", async () => {
                const seen: pulumi.ResourceOptions[] = [];
                const res = new (resourceClass(sdk, r))(`${r.tsClass}-opts`, dummyInputs(r.properties), recordingOptions(seen));
                await promiseOf(res.urn);
                expect(seen[0].version).to.equal("2025.12.1");
                expect(await promiseOf(res.urn)).to.equal(`urn:pulumi:stack::project::${r.token}::${r.tsClass}-opts`);
            });

            for (const required of sorted(r.requiredInputs)) {
                it(`throws when the required input '${required}' is missing`, () => {
                    const args = dummyInputs(r.properties);
                    delete args[required];
                    expect(() => new (resourceClass(sdk, r))(`${r.tsClass}-missing-${required}`, args)).to.throw(
                        `Missing required property '${required}'`,
                    );
                });
            }

            if (r.argsOptional) {
                it("can be constructed without arguments (no required input)", async () => {
                    expect(r.requiredInputs).to.deep.equal([]);
                    const res = new (resourceClass(sdk, r))(`${r.tsClass}-bare`);
                    await promiseOf(res.urn);
                    const reg = rec.resources.find(x => x.name === `${r.tsClass}-bare`)!;
                    expect(reg.inputs).to.deep.equal({});
                });
            } else {
                it("refuses to be constructed without arguments", () => {
                    expect(() => new (resourceClass(sdk, r))(`${r.tsClass}-bare`)).to.throw("Missing required property");
                });
            }

            it("reads existing state with static get()", async () => {
                const res = resourceClass(sdk, r).get(`${r.tsClass}-read`, "existing-id");
                expect(await promiseOf(res.id)).to.equal("existing-id");
                const read = rec.resources.find(x => x.name === `${r.tsClass}-read`)!;
                expect(read.type).to.equal(r.token);
                expect(read.id).to.equal("existing-id");
                expect(outputPropertyNames(res)).to.deep.equal(allProperties);
            });

            it("recognises its own instances with isInstance()", async () => {
                const cls = resourceClass(sdk, r);
                const res = new cls(`${r.tsClass}-instance`, dummyInputs(r.properties));
                await promiseOf(res.urn);
                expect(cls.isInstance(res)).to.equal(true);
                const other = resources.find(o => o.tsClass !== r.tsClass)!;
                expect(resourceClass(sdk, other).isInstance(res)).to.equal(false);
            });
        });
    }

    it("a resource given {provider} is registered with that provider's reference", async () => {
        const provider = new sdk.Provider("explicit", { url: "https://auth.example.test", token: "t0ken" });
        const group = new sdk.Group("with-provider", { name: "grafana-admins" }, { provider });
        await promiseOf(group.urn);
        const providerUrn = await promiseOf(provider.urn);
        const providerId = await promiseOf(provider.id);
        const reg = rec.resources.find(x => x.name === "with-provider")!;
        expect(reg.provider).to.equal(`${providerUrn}::${providerId}`);
        expect(providerUrn).to.equal("urn:pulumi:stack::project::pulumi:providers:authentik::explicit");
    });

    it("accepts allowedRedirectUris as a list of snake_case string maps", async () => {
        const r: ResourceSchema = resources.find(x => x.tsClass === "ProviderOauth2")!;
        expect(r.properties.allowedRedirectUris.type).to.equal("list");
        expect(r.properties.allowedRedirectUris.items?.type).to.equal("map");
        const uris = [
            { matching_mode: "strict", url: "https://grafana.example.test/login/generic_oauth" },
            { matching_mode: "regex", url: pulumi.output("https://argocd\\.example\\.test/.*") },
        ];
        const oauth = new sdk.ProviderOauth2("redirects", {
            clientId: "grafana",
            authorizationFlow: "flow-uuid",
            invalidationFlow: "flow-uuid",
            allowedRedirectUris: uris,
        });
        await promiseOf(oauth.urn);
        const reg = rec.resources.find(x => x.name === "redirects")!;
        expect(reg.inputs.allowedRedirectUris).to.deep.equal([
            { matching_mode: "strict", url: "https://grafana.example.test/login/generic_oauth" },
            { matching_mode: "regex", url: "https://argocd\\.example\\.test/.*" },
        ]);
    });
});
