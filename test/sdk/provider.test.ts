// The explicit Provider of the local @pulumi/authentik SDK against the 2025.12.1 schema fixture, under mocks.

import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
    Recorder,
    Sdk,
    fixture,
    clearRecorder,
    installMocks,
    isSecretEnvelope,
    loadSdk,
    promiseOf,
    pulumiTypeOf,
    recordingOptions,
    sorted,
    unwrapSecret,
} from "./harness";

describe("@pulumi/authentik Provider (schema 2025.12.1)", () => {
    let rec: Recorder;
    let sdk: Sdk;

    before(() => {
        rec = installMocks();
        sdk = loadSdk();
    });

    beforeEach(() => clearRecorder(rec));

    it(`registers as ${fixture.provider.token}`, async () => {
        expect(pulumiTypeOf(sdk.Provider)).to.equal(fixture.provider.__pulumiType);
        const provider = new sdk.Provider("authentik", { url: "https://auth.example.test", token: "t0ken" });
        expect(await promiseOf(provider.urn)).to.equal(`urn:pulumi:stack::project::${fixture.provider.token}::authentik`);
        expect(rec.resources[0].type).to.equal(fixture.provider.token);
        expect(sdk.Provider.isInstance(provider)).to.equal(true);
        expect(sdk.Group.isInstance(provider)).to.equal(false);
    });

    it("sends exactly the schema's inputs: strings as-is, others JSON-encoded, secrets wrapped", async () => {
        const provider = new sdk.Provider("full", {
            url: "https://auth.example.test",
            token: "t0ken",
            insecure: true,
            headers: { "X-Forwarded-Proto": "https" },
        });
        await promiseOf(provider.urn);
        const inputs = rec.resources[0].inputs;
        expect(sorted(Object.keys(inputs))).to.deep.equal(sorted(Object.keys(fixture.provider.inputs)));
        expect(inputs.url).to.equal("https://auth.example.test");
        expect(inputs.insecure).to.equal("true");
        expect(isSecretEnvelope(inputs.token)).to.equal(true);
        expect(unwrapSecret(inputs.token)).to.equal("t0ken");
        expect(isSecretEnvelope(inputs.headers)).to.equal(true);
        expect(unwrapSecret(inputs.headers)).to.equal('{"X-Forwarded-Proto":"https"}');
        for (const [name, p] of Object.entries(fixture.provider.inputs)) {
            expect(isSecretEnvelope(inputs[name]), `${name} secret`).to.equal(p.secret);
        }
    });

    it("omits unset optional inputs", async () => {
        const provider = new sdk.Provider("minimal", { url: "https://auth.example.test", token: "t0ken" });
        await promiseOf(provider.urn);
        expect(sorted(Object.keys(rec.resources[0].inputs))).to.deep.equal(["token", "url"]);
    });

    it("exposes url and token, with token secret", async () => {
        const seen: pulumi.ResourceOptions[] = [];
        const provider = new sdk.Provider(
            "outputs",
            { url: "https://auth.example.test", token: "t0ken" },
            recordingOptions(seen),
        );
        await promiseOf(provider.urn);
        for (const name of fixture.provider.outputsOnClass) {
            expect(pulumi.Output.isInstance((provider as unknown as Record<string, unknown>)[name]), name).to.equal(true);
        }
        expect(await pulumi.isSecret(provider.token)).to.equal(true);
        expect(await pulumi.isSecret(provider.url)).to.equal(false);
        expect(await promiseOf(provider.url)).to.equal("https://auth.example.test");
        expect((seen[0] as pulumi.CustomResourceOptions).additionalSecretOutputs).to.deep.equal(
            fixture.provider.additionalSecretOutputs,
        );
        expect(typeof provider.terraformConfig).to.equal("function");
    });

    for (const required of ["url", "token"]) {
        it(`throws when the required input '${required}' is missing`, () => {
            expect(fixture.provider.inputs[required].inputRequired).to.equal(true);
            const args: Record<string, unknown> = { url: "https://auth.example.test", token: "t0ken" };
            delete args[required];
            expect(() => new sdk.Provider(`missing-${required}`, args as any)).to.throw(
                `Missing required property '${required}'`,
            );
        });
    }
});
