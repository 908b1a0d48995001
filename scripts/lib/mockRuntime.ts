/**
 * Evaluates the real program (`index.ts`) under Pulumi's mock runtime and records every resource
 * registration and invoke. Used by the tests, the offline render and the benchmark: no Pulumi CLI,
 * no cluster, no network, no credentials.
 *
 * The mocks answer like the providers would, with deterministic placeholders:
 * - resources echo their inputs and add the outputs the program reads (ids, Helm status, random results);
 * - `RandomPassword.result` is `mock-secret:<name>` so tests can search for leaked plaintext; with
 *   `keepers` (a rotation) it also carries a hash of them, as a replaced password has a new value;
 * - ids derive from the resource's own name, never from a counter, so adding or removing one resource
 *   changes no other resource's id (and no render diff shows a change that is not there);
 * - invokes return labelled placeholder ids such as `<flow default-provider-invalidation-flow>`;
 * - an invoke token the mocks do not know fails loudly, so a new lookup cannot slip in unnoticed.
 */
import { createHash } from "crypto";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";

/** Pulumi's signature key for secret values in serialized property maps. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent resource, or "" for a top-level resource. */
    parent: string;
    custom: boolean;
    /** The id the mocks gave it ("" when it is pending creation in a preview, see `pendingCreates`). */
    id: string;
    /** Inputs as the provider would receive them; secret values stay wrapped (see `isSecretEnvelope`). */
    inputs: { [key: string]: unknown };
    /** URN of the explicit provider, if any. */
    provider?: string;
    /** URNs this resource depends on (`dependsOn`, and resources whose outputs flow into its inputs). */
    dependencies: string[];
    /** The `aliases` option as the engine receives it: alias URNs, or specs relative to this resource. */
    aliases: RecordedAlias[];
    /** Its `transforms` (which the engine also applies to its children, e.g. a `helm.v4.Chart`'s objects). */
    transforms: pulumi.ResourceTransform[];
    /** `protect` as the engine receives it (set, or inherited from the parent). */
    protect: boolean;
    /** `retainOnDelete` as the engine receives it (never inherited). */
    retainOnDelete: boolean;
    /**
     * What a component registered with `registerOutputs` (the outputs its state shows), serialized as the
     * engine receives them (secrets stay wrapped); undefined when it registered none.
     */
    registeredOutputs?: { [key: string]: unknown };
}

/** One alias of a registration: a whole URN, or a spec whose empty fields mean "as this resource". */
export type RecordedAlias =
    | { urn: string }
    | { spec: { name?: string; type?: string; stack?: string; project?: string; parentUrn?: string; noParent?: boolean } };

export interface RecordedInvoke {
    token: string;
    inputs: { [key: string]: unknown };
    provider?: string;
    /** The placeholder answer the mocks gave (undefined when the token is unknown and the invoke failed). */
    result?: { [key: string]: unknown };
}

export interface Evaluation {
    stack: string;
    resources: RecordedResource[];
    invokes: RecordedInvoke[];
    /** Stack outputs, deep-resolved. Any Output nested inside that was secret is replaced by a `SecretValue`. */
    outputs: { [key: string]: unknown };
}

/** Marks a secret value inside resolved outputs. */
export class SecretValue {
    constructor(readonly value: unknown) {}
}

export function isSecretEnvelope(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as { [k: string]: unknown })[SECRET_SIG_KEY] === SECRET_SIG_VALUE;
}

export interface EvaluateOptions {
    stack: string;
    /** Full config map as Pulumi holds it: key → string (structured values JSON-encoded). */
    config: { [key: string]: string };
    /** Config keys whose values are secrets. */
    secretKeys?: string[];
    /** Evaluate as a preview (`pulumi preview`) instead of an update. */
    preview?: boolean;
    /**
     * With `preview`: every resource is pending creation (a fresh cluster), so, as with the engine,
     * its id is unknown. Output-form invokes that depend on such a resource are then not sent.
     */
    pendingCreates?: boolean;
    /** Outputs of other stacks, by stack name, that a `StackReference` in the program reads. */
    stackOutputs?: { [stack: string]: { [key: string]: unknown } };
    /** The program module to evaluate. Default: the project's `index.ts`. */
    program?: string;
}

export const PROGRAM = path.resolve(__dirname, "..", "..", "index.ts");

/** A placeholder result for every invoke the program makes. Unknown tokens throw. */
const INVOKE_RESULTS: { [token: string]: (inputs: { [key: string]: unknown }) => { [key: string]: unknown } } = {
    "authentik:index/getFlow:getFlow": (inputs) => ({
        ...inputs,
        id: `<flow ${String(inputs.slug)}>`,
        slug: inputs.slug,
        title: `placeholder for flow ${String(inputs.slug)}`,
    }),
    "authentik:index/getCertificateKeyPair:getCertificateKeyPair": (inputs) => ({
        ...inputs,
        id: `<certificate-key-pair ${String(inputs.name)}>`,
        name: inputs.name,
        certificateData: "<certificate placeholder>",
        fingerprint1: "<fingerprint placeholder>",
        fingerprint256: "<fingerprint placeholder>",
    }),
    "authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope": (inputs) => {
        const managed = Array.isArray(inputs.managedLists) ? (inputs.managedLists as string[]) : undefined;
        const ids = managed ? managed.map((m) => `<scope-mapping ${m}>`) : [`<scope-mapping ${String(inputs.scopeName ?? inputs.name)}>`];
        return { ...inputs, id: managed ? "-1" : ids[0], ids };
    },
    "authentik:index/getGroup:getGroup": (inputs) => ({
        ...inputs,
        id: `<group ${String(inputs.name)}>`,
        name: inputs.name,
        isSuperuser: false,
    }),
};

/**
 * A numeric id (Authentik primary keys are integers) derived from the resource's type and name: stable
 * per resource, independent of registration order. 32 bits of SHA-256, so 200 providers collide with a
 * chance of about 5 in a million.
 */
export function stableNumericId(type: string, name: string): string {
    return String(parseInt(createHash("sha256").update(`${type}::${name}`).digest("hex").slice(0, 8), 16));
}

function mockState(
    args: MockResourceArgs,
    stackOutputs: { [stack: string]: { [key: string]: unknown } },
): { id: string; state: { [key: string]: unknown } } {
    const inputs = args.inputs as { [key: string]: any };
    switch (args.type) {
        case "pulumi:pulumi:StackReference":
            return { id: inputs.name, state: { name: inputs.name, outputs: stackOutputs[inputs.name] ?? {}, secretOutputNames: [] } };
        case "random:index/randomPassword:RandomPassword": {
            const keepers = inputs.keepers === undefined ? "" : `:${createHash("sha256").update(JSON.stringify(inputs.keepers)).digest("hex").slice(0, 8)}`;
            return { id: `${args.name}-id`, state: { ...inputs, result: `mock-secret:${args.name}${keepers}`, bcryptHash: `mock-bcrypt:${args.name}${keepers}` } };
        }
        case "kubernetes:helm.sh/v3:Release":
            return {
                id: `${inputs.namespace}/${inputs.name}`,
                state: { ...inputs, status: { name: inputs.name, namespace: inputs.namespace, version: inputs.version, status: "deployed", chart: inputs.chart } },
            };
        case "authentik:index/providerOauth2:ProviderOauth2": {
            const pk = stableNumericId(args.type, args.name);
            return { id: pk, state: { ...inputs, providerOauth2Id: pk, clientSecret: inputs.clientSecret ?? `mock-generated-client-secret:${args.name}` } };
        }
        case "authentik:index/application:Application":
            return { id: inputs.slug, state: { ...inputs, applicationId: inputs.slug, uuid: `<application ${inputs.slug} uuid>` } };
        case "authentik:index/group:Group":
            return { id: `<group ${inputs.name}>`, state: { ...inputs, groupId: `<group ${inputs.name}>` } };
        default: {
            const metadata = inputs.metadata as { name?: string; namespace?: string } | undefined;
            const id = metadata?.name ? [metadata.namespace, metadata.name].filter(Boolean).join("/") : `${args.name}-id`;
            return { id, state: { ...inputs } };
        }
    }
}

/** Loads a `Pulumi.<stack>.yaml` file's `config:` block into Pulumi's string config map. */
export function configFromStackFile(config: { [key: string]: unknown }): { config: { [key: string]: string }; secretKeys: string[] } {
    const result: { [key: string]: string } = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(config ?? {})) {
        if (typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value) {
            secretKeys.push(key);
            result[key] = "[encrypted in the stack file]";
        } else {
            result[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return { config: result, secretKeys };
}

let evaluationQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs the program once under fresh mocks and returns what it registered. Evaluations are serialized:
 * Pulumi's runtime state is process-global.
 */
export function evaluateProgram(options: EvaluateOptions): Promise<Evaluation> {
    const run = evaluationQueue.then(() => evaluateOnce(options));
    evaluationQueue = run.catch(() => undefined);
    return run;
}

async function evaluateOnce(options: EvaluateOptions): Promise<Evaluation> {
    const resources: RecordedResource[] = [];
    const invokes: RecordedInvoke[] = [];
    const pending = new Map<string, { parent: string; dependencies: string[]; aliases: RecordedAlias[]; protect: boolean; retainOnDelete: boolean }>();

    pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
    pulumi.runtime.setMocks(
        {
            newResource(args: MockResourceArgs) {
                const mocked = mockState(args, options.stackOutputs ?? {});
                const id = options.preview && options.pendingCreates ? "" : mocked.id;
                const state = mocked.state;
                const extra = pending.get(`${args.type}::${args.name}`);
                resources.push({
                    type: args.type,
                    name: args.name,
                    urn: "",
                    parent: extra?.parent ?? "",
                    custom: args.custom ?? true,
                    id,
                    inputs: args.inputs,
                    provider: args.provider || undefined,
                    dependencies: extra?.dependencies ?? [],
                    aliases: extra?.aliases ?? [],
                    transforms: ((args as { transforms?: pulumi.ResourceTransform[] }).transforms ?? []).slice(),
                    protect: extra?.protect ?? false,
                    retainOnDelete: extra?.retainOnDelete ?? false,
                });
                return { id, state };
            },
            call(args: MockCallArgs) {
                const invoke: RecordedInvoke = { token: args.token, inputs: args.inputs, provider: args.provider || undefined };
                invokes.push(invoke);
                const result = INVOKE_RESULTS[args.token];
                if (!result) {
                    throw new Error(`mock runtime: no placeholder for invoke ${args.token}; add one to scripts/lib/mockRuntime.ts`);
                }
                invoke.result = result(args.inputs);
                return invoke.result;
            },
        },
        "homelab-sso",
        options.stack,
        options.preview ?? false,
    );

    // The mocks API does not show parents or dependencies; read them off the monitor's requests.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: any, callback: (err: any, res: any) => void): Promise<void>;
    };
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, res: any) => void) => {
        pending.set(`${req.getType()}::${req.getName()}`, {
            parent: req.getParent() ?? "",
            dependencies: [...(req.getDependenciesList() as string[])],
            aliases: readAliases(req),
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
        });
        return registerResource(req, (err: any, res: any) => {
            if (!err && res) {
                const recorded = resources.find((r) => r.type === req.getType() && r.name === req.getName() && r.urn === "");
                if (recorded) {
                    recorded.urn = res.getUrn();
                }
            }
            callback(err, res);
        });
    };

    // Component outputs (`registerOutputs`) reach the monitor as a separate request, after the URN is known.
    const monitorOutputs = monitor as unknown as { registerResourceOutputs(req: any, callback: (err: any, res: any) => void): void };
    const registerResourceOutputs = monitorOutputs.registerResourceOutputs.bind(monitor);
    monitorOutputs.registerResourceOutputs = (req: any, callback: (err: any, res: any) => void) => {
        const recorded = resources.find((r) => r.urn === req.getUrn());
        if (recorded) {
            recorded.registeredOutputs = (req.getOutputs()?.toJavaScript() ?? {}) as { [key: string]: unknown };
        }
        return registerResourceOutputs(req, callback);
    };

    const program = options.program ?? PROGRAM;
    for (const key of Object.keys(require.cache)) {
        if (key === program) {
            delete require.cache[key];
        }
    }
    const exported = require(program) as { [key: string]: unknown };
    const outputs: { [key: string]: unknown } = {};
    for (const [key, value] of Object.entries(exported)) {
        // As the engine: an export that is undefined is no stack output (serializeProperties skips it).
        const resolved = await resolveDeep(value);
        if (resolved !== undefined) {
            outputs[key] = resolved;
        }
    }
    await waitForRegistrations();
    return { stack: options.stack, resources, invokes, outputs };
}

/** The aliases of a register request: `aliases` (specs or URNs) when the monitor takes specs, else `aliasURNs`. */
function readAliases(req: any): RecordedAlias[] {
    const aliases: RecordedAlias[] = [];
    for (const alias of (req.getAliasesList?.() ?? []) as any[]) {
        if (alias.hasSpec?.()) {
            const spec = alias.getSpec();
            aliases.push({
                spec: {
                    name: spec.getName() || undefined,
                    type: spec.getType() || undefined,
                    stack: spec.getStack() || undefined,
                    project: spec.getProject() || undefined,
                    parentUrn: spec.getParenturn() || undefined,
                    noParent: spec.getNoparent() || undefined,
                },
            });
        } else if (alias.getUrn?.()) {
            aliases.push({ urn: alias.getUrn() });
        }
    }
    for (const urn of (req.getAliasurnsList?.() ?? []) as string[]) {
        aliases.push({ urn });
    }
    return aliases;
}

/** Waits until the runtime has no outstanding resource registrations or invokes. */
async function waitForRegistrations(): Promise<void> {
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs?: () => Promise<void> };
    if (settings.waitForRPCs) {
        await settings.waitForRPCs();
    }
    // Let callbacks queued by the last RPCs run.
    await new Promise((resolve) => setImmediate(resolve));
}

/** Resolves Outputs (nested in plain objects and arrays) to values, wrapping secret ones in `SecretValue`. */
export async function resolveDeep(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const output = value as pulumi.Output<unknown> & { isSecret: Promise<boolean>; promise(): Promise<unknown> };
        const [inner, secret] = await Promise.all([output.promise(), output.isSecret]);
        const resolved = await resolveDeep(inner);
        return secret ? new SecretValue(resolved) : resolved;
    }
    if (value instanceof Promise) {
        return resolveDeep(await value);
    }
    if (Array.isArray(value)) {
        return Promise.all(value.map(resolveDeep));
    }
    if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
        const result: { [key: string]: unknown } = {};
        for (const [key, inner] of Object.entries(value)) {
            // As the engine serializes objects (runtime/rpc.js serializeAllKeys): a key whose value is undefined is left out.
            const resolved = await resolveDeep(inner);
            if (resolved !== undefined) {
                result[key] = resolved;
            }
        }
        return result;
    }
    return value;
}
