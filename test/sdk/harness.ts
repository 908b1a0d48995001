// Shared helpers for the tests of the local `@pulumi/authentik` SDK (sdks/authentik).
//
// The tests check the hand-written SDK against test/fixtures/authentik-schema-2025.12.1.json (and nothing else):
// tokens, property names, optionality, TypeScript types and secret handling must match what
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` would generate.

import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

export type Sdk = typeof import("@pulumi/authentik");

// ---- Fixture ---------------------------------------------------------------------------------------------

export interface TfFlags {
    required: boolean;
    optional: boolean;
    computed: boolean;
    sensitive: boolean;
}

export interface ValueType {
    type: "string" | "number" | "boolean" | "list" | "map" | "object";
    items?: ValueType & { token?: string; tsName?: string };
    values?: ValueType;
}

export interface ResourceProperty extends ValueType {
    tfName: string;
    tf: TfFlags;
    secret: boolean;
    isInput: boolean;
    inputRequired: boolean;
    outputRequired: boolean;
    tsArgs: string | null;
    tsOutput: string;
}

export interface ResourceSchema {
    token: string;
    tsClass: string;
    file: string;
    tfResource: string;
    argsOptional: boolean;
    requiredInputs: string[];
    additionalSecretOutputs: string[];
    properties: Record<string, ResourceProperty>;
}

export interface FunctionInput extends ValueType {
    tfName: string;
    secret: boolean;
    inputRequired: boolean;
    tsPlainArg: string;
    tsOutputArg: string;
}

export interface FunctionOutput extends ValueType {
    tfName: string;
    secret: boolean;
    outputRequired: boolean;
    tsResult: string;
}

export interface FunctionSchema {
    token: string;
    tsFunctions: [string, string];
    file: string;
    tfDataSource: string;
    argsOptional: boolean;
    requiredInputs: string[];
    inputs: Record<string, FunctionInput>;
    outputs: Record<string, FunctionOutput>;
}

export interface ProviderInput extends ValueType {
    tfName: string;
    secret: boolean;
    inputRequired: boolean;
    onProviderClassOutputs: boolean;
    tsArgs: string;
    providerInputEncoding: string;
    configVarGetter: string;
}

export interface TypeSchema {
    tsName: string;
    properties: Record<string, ValueType & { tfName: string; secret: boolean; tsOutput: string }>;
}

export interface Fixture {
    _source: string;
    package: {
        name: string;
        version: string;
        npmName: string;
        sdkFolder: string;
        parameterization: {
            baseProvider: { name: string; version: string };
            parameterJSON: unknown;
            parameterBase64: string;
        };
    };
    provider: {
        token: string;
        tsClass: string;
        __pulumiType: string;
        inputs: Record<string, ProviderInput>;
        outputsOnClass: string[];
        additionalSecretOutputs: string[];
        methods: Record<string, { token: string }>;
    };
    resources: Record<string, ResourceSchema>;
    functions: Record<string, FunctionSchema>;
    types: Record<string, TypeSchema>;
}

export const fixturePath = path.join(__dirname, "..", "fixtures", "authentik-schema-2025.12.1.json");
export const fixture: Fixture = JSON.parse(fs.readFileSync(fixturePath, "utf8"));
export const resources: ResourceSchema[] = Object.values(fixture.resources);
export const functions: FunctionSchema[] = Object.values(fixture.functions);

/** The SDK folder as npm links it (`file:sdks/authentik`), resolved through the symlink. Its sources are read as data. */
export const sdkDir = path.dirname(require.resolve("@pulumi/authentik/package.json"));
/**
 * Where the package's `main` lives: the compiled SDK (`bin/`, written by its postinstall). Tests load the SDK from
 * here, as the program does, never from its TypeScript sources.
 */
export const sdkMainDir = path.dirname(require.resolve("@pulumi/authentik"));

export function sorted(names: Iterable<string>): string[] {
    return [...names].sort();
}

// ---- Dummy values ----------------------------------------------------------------------------------------

/** A dummy value of the right shape for a schema type; `allowedRedirectUris`-style lists of maps get real keys. */
export function dummyValue(name: string, t: ValueType): unknown {
    switch (t.type) {
        case "string":
            return `${name}-value`;
        case "number":
            return 7;
        case "boolean":
            return true;
        case "map":
            return { key: `${name}-map-value` };
        case "list":
            if (t.items?.type === "map") {
                return [{ matching_mode: "strict", url: "https://grafana.example.test/login/generic_oauth" }];
            }
            return [dummyValue(`${name}-item`, t.items!)];
        case "object":
            return {};
    }
}

export function dummyInputs(props: Record<string, ValueType & { isInput?: boolean }>): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(props)) {
        if (p.isInput === false) {
            continue;
        }
        inputs[name] = dummyValue(name, p);
    }
    return inputs;
}

// ---- Secrets as the mock monitor sees them ---------------------------------------------------------------

const specialSigKey = "4dabf18193072939515e22adb298388d";
const specialSecretSig = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretEnvelope(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

export function unwrapSecret(v: unknown): unknown {
    return isSecretEnvelope(v) ? v.value : v;
}

// ---- Mocks -----------------------------------------------------------------------------------------------

export interface Recorder {
    /** Every resource registration and read, in order. */
    resources: pulumi.runtime.MockResourceArgs[];
    /** Every invoke, in order. */
    calls: pulumi.runtime.MockCallArgs[];
    /** Registrations and invokes interleaved, to check ordering (`dependsOn`). */
    events: string[];
    /** Every package registration (`utilities.getPackage()`), as sent to the monitor. */
    packages: PackageRegistration[];
}

/** Forgets what was recorded so far (package registrations are kept: they happen once per deployment). */
export function clearRecorder(rec: Recorder): void {
    rec.resources.length = 0;
    rec.calls.length = 0;
    rec.events.length = 0;
}

export interface PackageRegistration {
    name: string;
    version: string;
    downloadUrl: string;
    parameterization?: { name: string; version: string; value: string };
}

function dummyResult(fn: FunctionSchema): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [name, out] of Object.entries(fn.outputs)) {
        result[name] = dummyValue(name, out);
    }
    return result;
}

/**
 * Installs fresh mocks and returns what they record. Call it from a `before()` hook, before the SDK is loaded:
 * other test files install their own mocks, and mocha runs every file in one process.
 *
 * Resources echo their inputs as state (so secret inputs come back as secret outputs). Invokes answer with a
 * dummy result built from the fixture, and fail loudly for a token the fixture does not know.
 */
export function installMocks(): Recorder {
    const rec: Recorder = { resources: [], calls: [], events: [], packages: [] };
    const byToken = new Map(functions.map(f => [f.token, f]));
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
                rec.resources.push(args);
                rec.events.push(`resource ${args.type} ${args.name}`);
                return { id: args.id || `${args.name}-id`, state: args.inputs };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                rec.calls.push(args);
                rec.events.push(`call ${args.token}`);
                const fn = byToken.get(args.token);
                if (!fn) {
                    throw new Error(`unexpected invoke ${args.token}`);
                }
                return dummyResult(fn);
            },
        },
        "project",
        "stack",
        false,
    );
    // The mock monitor answers every package registration with "mock-uuid" without looking at it; record the
    // request so the tests can check what getPackage() registers.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerPackage(req: any, callback: (err: unknown, resp: unknown) => void): void;
    };
    const answer = monitor.registerPackage.bind(monitor);
    monitor.registerPackage = (req, callback) => {
        const p = req.getParameterization();
        rec.packages.push({
            name: req.getName(),
            version: req.getVersion(),
            downloadUrl: req.getDownloadUrl(),
            parameterization: p && {
                name: p.getName(),
                version: p.getVersion(),
                value: Buffer.from(p.getValue_asU8()).toString("utf8"),
            },
        });
        answer(req, callback);
    };
    return rec;
}

/** Loads the SDK. Call after `installMocks()`; the module is cached, so later loads are cheap. */
export function loadSdk(): Sdk {
    return require("@pulumi/authentik");
}

/**
 * Resolves with an Output's value, and rejects when the Output fails (for example an invoke the mocks reject).
 * It never resolves for unknowns, which these mocks (run with preview = false) never produce.
 */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve, reject) => {
        output.apply(resolve);
        pulumi.isSecret(output).catch(reject);
    });
}

/** A resource's class as the tests use it: constructed by name from the fixture. */
export type ResourceClass = (new (name: string, args?: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource) & {
    get(name: string, id: pulumi.Input<pulumi.ID>, state?: any, opts?: pulumi.CustomResourceOptions): pulumi.CustomResource;
    isInstance(obj: unknown): boolean;
};

export function resourceClass(sdk: Sdk, r: ResourceSchema): ResourceClass {
    return (sdk as unknown as Record<string, ResourceClass>)[r.tsClass];
}

/** `__pulumiType` is `@internal` in generated SDKs (stripped from their .d.ts), so read it untyped. */
export function pulumiTypeOf(cls: unknown): string {
    return (cls as { __pulumiType: string }).__pulumiType;
}

/** The names of an instance's own Output properties, without `urn` and `id`. */
export function outputPropertyNames(instance: object): string[] {
    return sorted(
        Object.keys(instance).filter(
            k => k !== "urn" && k !== "id" && pulumi.Output.isInstance((instance as Record<string, unknown>)[k]),
        ),
    );
}

/**
 * Resource options that record the options the SDK class hands to `CustomResource` (after it merged in its
 * defaults and `additionalSecretOutputs`), through a legacy client-side transformation.
 */
export function recordingOptions(seen: pulumi.ResourceOptions[], extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
    return {
        ...extra,
        transformations: [
            args => {
                seen.push(args.opts);
                return undefined;
            },
        ],
    };
}
