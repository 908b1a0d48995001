// Package identity and runtime plumbing of the local @pulumi/authentik SDK: package.json `pulumi` field, package
// ref, version, exports, resource module/package registration and config.

import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
    Recorder,
    Sdk,
    dummyInputs,
    fixture,
    functions,
    installMocks,
    loadSdk,
    promiseOf,
    resourceClass,
    resources,
    sdkDir,
    sdkMainDir,
} from "./harness";

const PARAMETER_JSON = '{"remote":{"url":"registry.opentofu.org/goauthentik/authentik","version":"2025.12.1"}}';

describe("@pulumi/authentik package (schema 2025.12.1)", () => {
    let rec: Recorder;
    let sdk: Sdk;

    before(() => {
        rec = installMocks();
        sdk = loadSdk();
    });

    describe("package.json", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8"));
        const parameterization = fixture.package.parameterization;

        it("names the package and its version", () => {
            expect(pkg.name).to.equal(fixture.package.npmName);
            expect(pkg.version).to.equal(fixture.package.version);
        });

        it("has a pulumi field matching the fixture's parameterization", () => {
            expect(pkg.pulumi).to.deep.equal({
                resource: true,
                name: parameterization.baseProvider.name,
                version: parameterization.baseProvider.version,
                parameterization: {
                    name: fixture.package.name,
                    version: fixture.package.version,
                    value: parameterization.parameterBase64,
                },
            });
        });

        it("carries a parameter that decodes to the exact registry JSON", () => {
            const decoded = Buffer.from(pkg.pulumi.parameterization.value, "base64").toString("utf8");
            expect(decoded).to.equal(PARAMETER_JSON);
            expect(decoded).to.equal(JSON.stringify(parameterization.parameterJSON));
        });
    });

    describe("utilities", () => {
        // The compiled module the package's index loads (one instance per process, as in a real program).
        const utilities = () => require(path.join(sdkMainDir, "utilities"));

        it("getPackage() resolves to the package ref the engine (here: the mock monitor) hands out", async () => {
            expect(await utilities().getPackage()).to.equal("mock-uuid");
        });

        it("getPackage() registers the parameterized package described by package.json, once per deployment", async () => {
            await utilities().getPackage();
            await utilities().getPackage();
            const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8"));
            expect(rec.packages).to.deep.equal([
                {
                    name: pkg.pulumi.name,
                    version: pkg.pulumi.version,
                    downloadUrl: "",
                    parameterization: {
                        name: fixture.package.name,
                        version: fixture.package.version,
                        value: PARAMETER_JSON,
                    },
                },
            ]);
        });

        it("getVersion() and resourceOptsDefaults() carry the package version", () => {
            expect(utilities().getVersion()).to.equal(fixture.package.version);
            expect(utilities().resourceOptsDefaults()).to.deep.equal({ version: fixture.package.version });
        });
    });

    describe("index", () => {
        it("exports every class and both forms of every function", () => {
            const exported = sdk as unknown as Record<string, unknown>;
            for (const r of resources) {
                expect(typeof exported[r.tsClass], r.tsClass).to.equal("function");
            }
            expect(typeof exported[fixture.provider.tsClass]).to.equal("function");
            for (const f of functions) {
                for (const name of f.tsFunctions) {
                    expect(typeof exported[name], name).to.equal("function");
                }
            }
            expect(sdk.config).to.be.an("object");
            expect(sdk.types.output).to.be.an("object");
            expect(sdk.types.input).to.be.an("object");
        });

        it("keeps one file per class and function, named as generated", () => {
            for (const file of [...resources.map(r => r.file), ...functions.map(f => f.file), "provider.ts"]) {
                expect(fs.existsSync(path.join(sdkDir, file)), file).to.equal(true);
            }
        });

        it("registers a resource module per resource, able to rehydrate it from its URN", async () => {
            for (const r of resources) {
                const mod = r.token.split(":")[1];
                const registered = pulumi.runtime.getResourceModule("authentik", mod, fixture.package.version);
                expect(registered, mod).to.not.equal(undefined);

                const cls = resourceClass(sdk, r);
                const original = new cls(`${r.tsClass}-rehydrate`, dummyInputs(r.properties));
                const urn = await promiseOf(original.urn);
                const rehydrated = registered!.construct(`${r.tsClass}-rehydrate`, r.token, urn);
                expect(cls.isInstance(rehydrated), r.tsClass).to.equal(true);
                expect(await promiseOf(rehydrated.urn)).to.equal(urn);
            }
            const any = pulumi.runtime.getResourceModule("authentik", "index/group", fixture.package.version)!;
            expect(() => any.construct("x", "authentik:index/nope:Nope", "urn:x")).to.throw("unknown resource type");
        });

        it(`registers the resource package for ${fixture.provider.token}`, async () => {
            const pkg = pulumi.runtime.getResourcePackage("authentik", fixture.package.version);
            expect(pkg).to.not.equal(undefined);
            const provider = new sdk.Provider("rehydrate", { url: "https://auth.example.test", token: "t0ken" });
            const urn = await promiseOf(provider.urn);
            const rehydrated = pkg!.constructProvider("rehydrate", fixture.provider.token, urn);
            expect(sdk.Provider.isInstance(rehydrated)).to.equal(true);
            expect(() => pkg!.constructProvider("x", "pulumi:providers:other", urn)).to.throw("unknown provider type");
            expect(rec.resources.some(x => x.type === fixture.provider.token)).to.equal(true);
        });
    });

    describe("config", () => {
        let saved: Record<string, string>;

        before(() => {
            saved = pulumi.runtime.allConfig();
        });

        after(() => {
            pulumi.runtime.setAllConfig(saved);
        });

        it("reads authentik:url, token, insecure and headers", () => {
            pulumi.runtime.setConfig("authentik:url", "https://auth.example.test");
            pulumi.runtime.setConfig("authentik:token", "t0ken");
            pulumi.runtime.setConfig("authentik:insecure", "true");
            pulumi.runtime.setConfig("authentik:headers", '{"X-Forwarded-Proto":"https"}');
            expect(sdk.config.url).to.equal("https://auth.example.test");
            expect(sdk.config.token).to.equal("t0ken");
            expect(sdk.config.insecure).to.equal(true);
            expect(sdk.config.headers).to.deep.equal({ "X-Forwarded-Proto": "https" });
        });

        it("answers undefined for unset keys", () => {
            pulumi.runtime.setAllConfig({});
            expect(sdk.config.url).to.equal(undefined);
            expect(sdk.config.token).to.equal(undefined);
            expect(sdk.config.insecure).to.equal(undefined);
            expect(sdk.config.headers).to.equal(undefined);
        });
    });
});
