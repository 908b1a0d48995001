// Functions (data sources) of the local @pulumi/authentik SDK against the 2025.12.1 schema fixture, under mocks.

import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { FunctionSchema, Recorder, Sdk, clearRecorder, dummyInputs, functions, installMocks, loadSdk, promiseOf, sorted } from "./harness";

type PromiseForm = (args?: Record<string, unknown>, opts?: pulumi.InvokeOptions) => Promise<Record<string, unknown>>;
type OutputForm = (args?: Record<string, unknown>, opts?: pulumi.InvokeOutputOptions) => pulumi.Output<Record<string, unknown>>;

function forms(sdk: Sdk, f: FunctionSchema): { plain: PromiseForm; output: OutputForm } {
    const exports = sdk as unknown as Record<string, PromiseForm & OutputForm>;
    return { plain: exports[f.tsFunctions[0]], output: exports[f.tsFunctions[1]] };
}

describe("@pulumi/authentik functions (schema 2025.12.1)", () => {
    let rec: Recorder;
    let sdk: Sdk;

    before(() => {
        rec = installMocks();
        sdk = loadSdk();
    });

    beforeEach(() => clearRecorder(rec));

    it("the fixture covers the whole subset", () => {
        expect(sorted(functions.map(f => f.tsFunctions[0]))).to.deep.equal([
            "getCertificateKeyPair",
            "getFlow",
            "getGroup",
            "getGroups",
            "getPropertyMappingProviderScope",
            "getProviderOauth2Config",
        ]);
        for (const f of functions) {
            expect(f.tsFunctions[1]).to.equal(`${f.tsFunctions[0]}Output`);
        }
    });

    for (const f of functions) {
        const [name, outputName] = f.tsFunctions;
        const inputNames = sorted(Object.keys(f.inputs));
        const outputNames = sorted(Object.keys(f.outputs));

        describe(name, () => {
            it(`${name} (Promise form) invokes ${f.token} with exactly the schema's arguments`, async () => {
                const args = dummyInputs(f.inputs);
                const result = await forms(sdk, f).plain(args);
                expect(rec.calls).to.have.length(1);
                expect(rec.calls[0].token).to.equal(f.token);
                expect(sorted(Object.keys(rec.calls[0].inputs))).to.deep.equal(inputNames);
                expect(rec.calls[0].inputs).to.deep.equal(args);
                expect(sorted(Object.keys(result))).to.deep.equal(outputNames);
            });

            it(`${outputName} (Output form) invokes ${f.token} with Input arguments`, async () => {
                const args = dummyInputs(f.inputs);
                const asInputs = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, pulumi.output(v)]));
                const result = await promiseOf(forms(sdk, f).output(asInputs));
                expect(rec.calls).to.have.length(1);
                expect(rec.calls[0].token).to.equal(f.token);
                expect(rec.calls[0].inputs).to.deep.equal(args);
                expect(sorted(Object.keys(result))).to.deep.equal(outputNames);
            });

            it(`${outputName} waits for dependsOn before invoking`, async () => {
                const group = new sdk.Group(`${name}-dependency`, { name: `${name}-dependency` });
                const result = await promiseOf(forms(sdk, f).output(dummyInputs(f.inputs), { dependsOn: [group] }));
                expect(sorted(Object.keys(result))).to.deep.equal(outputNames);
                const registered = rec.events.indexOf(`resource authentik:index/group:Group ${name}-dependency`);
                const invoked = rec.events.indexOf(`call ${f.token}`);
                expect(registered, "dependency registered").to.be.greaterThan(-1);
                expect(invoked, "invoked after the dependency").to.be.greaterThan(registered);
            });

            it("both forms send an explicit provider", async () => {
                const provider = new sdk.Provider(`${name}-provider`, { url: "https://auth.example.test", token: "t0ken" });
                const ref = `${await promiseOf(provider.urn)}::${await promiseOf(provider.id)}`;
                await forms(sdk, f).plain(dummyInputs(f.inputs), { provider });
                await promiseOf(forms(sdk, f).output(dummyInputs(f.inputs), { provider }));
                expect(rec.calls.map(c => c.provider)).to.deep.equal([ref, ref]);
            });

            if (f.argsOptional) {
                it("can be called without arguments", async () => {
                    expect(f.requiredInputs).to.deep.equal([]);
                    await forms(sdk, f).plain();
                    await promiseOf(forms(sdk, f).output());
                    expect(rec.calls.map(c => c.inputs)).to.deep.equal([{}, {}]);
                });
            }
        });
    }

    it("getPropertyMappingProviderScope takes managedLists (the bridge's plural of managed_list)", async () => {
        const scopes = await sdk.getPropertyMappingProviderScope({
            managedLists: ["goauthentik.io/providers/oauth2/scope-openid", "goauthentik.io/providers/oauth2/scope-email"],
        });
        expect(rec.calls[0].inputs).to.deep.equal({
            managedLists: ["goauthentik.io/providers/oauth2/scope-openid", "goauthentik.io/providers/oauth2/scope-email"],
        });
        expect(scopes.ids).to.be.an("array");
    });
});
