/**
 * The offline render's machine-readable document: every resource (type, name, parent, inputs), every
 * invoke with the placeholder it got, and the stack outputs, all with secrets masked and keys sorted so
 * two renders diff meaningfully (`npm run render -- --json`, `--diff`).
 */
import { Evaluation } from "./mockRuntime";
import { SecretScrubber, sortKeysDeep } from "./secretMask";

/** Identifies the document layout; `--diff` refuses documents of another format. */
export const RENDER_FORMAT = "homelab-sso-render/1";

export interface RenderedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent resource, or null at the top level. */
    parent: string | null;
    /** False for component resources. */
    custom: boolean;
    /** Reference (`<urn>::<id>`) of an explicit provider, or null for the default provider. */
    provider: string | null;
    /** Inputs as the provider receives them, secrets masked as `[secret]`. */
    inputs: { [key: string]: unknown };
    /** Present (true) when the resource is registered with `protect` (set or inherited). */
    protect?: true;
    /** Present (true) when the resource is registered with `retainOnDelete`. */
    retainOnDelete?: true;
    /**
     * URNs of the resources it depends on (`dependsOn`, and those whose outputs flow into its inputs),
     * sorted; absent when none. `--diff` uses them to tell which masked inputs take a new secret value.
     */
    dependencies?: string[];
}

export interface RenderedInvoke {
    token: string;
    inputs: { [key: string]: unknown };
    /** The labelled placeholder the offline runtime answered with (e.g. `<flow default-provider-invalidation-flow>`). */
    result: { [key: string]: unknown } | null;
}

export interface RenderDocument {
    format: string;
    stack: string;
    /** Secret config keys that were filled with placeholders instead of real values. */
    secretPlaceholders: string[];
    resources: RenderedResource[];
    invokes: RenderedInvoke[];
    /** Stack outputs, secrets masked. */
    outputs: { [key: string]: unknown };
}

/** A scrubber that knows every secret plaintext of this evaluation: secret config and every secret value seen. */
export function scrubberFor(evaluation: Evaluation, secretConfig: string[] = []): SecretScrubber {
    const scrubber = new SecretScrubber();
    secretConfig.forEach((value) => scrubber.add(value));
    for (const resource of evaluation.resources) {
        scrubber.collect(resource.inputs);
    }
    for (const invoke of evaluation.invokes) {
        scrubber.collect(invoke.inputs);
        scrubber.collect(invoke.result);
    }
    scrubber.collect(evaluation.outputs);
    return scrubber;
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

export function buildRenderDocument(evaluation: Evaluation, scrubber: SecretScrubber, secretPlaceholders: string[] = []): RenderDocument {
    const resources: RenderedResource[] = evaluation.resources
        .map((r) => ({
            urn: scrubber.scrubText(r.urn),
            type: r.type,
            name: scrubber.scrubText(r.name),
            parent: r.parent ? scrubber.scrubText(r.parent) : null,
            custom: r.custom,
            provider: r.provider ? scrubber.scrubText(r.provider) : null,
            inputs: sortKeysDeep(scrubber.mask(r.inputs)) as { [key: string]: unknown },
            ...(r.protect ? { protect: true as const } : {}),
            ...(r.retainOnDelete ? { retainOnDelete: true as const } : {}),
            ...(r.dependencies.length ? { dependencies: [...new Set(r.dependencies.map((urn) => scrubber.scrubText(urn)))].sort() } : {}),
        }))
        .sort((a, b) => compare(a.type, b.type) || compare(a.name, b.name) || compare(a.urn, b.urn));

    const invokes: RenderedInvoke[] = evaluation.invokes
        .map((i) => ({
            token: i.token,
            inputs: sortKeysDeep(scrubber.mask(i.inputs)) as { [key: string]: unknown },
            result: i.result ? (sortKeysDeep(scrubber.mask(i.result)) as { [key: string]: unknown }) : null,
        }))
        .sort((a, b) => compare(a.token, b.token) || compare(JSON.stringify(a.inputs), JSON.stringify(b.inputs)));

    return {
        format: RENDER_FORMAT,
        stack: evaluation.stack,
        secretPlaceholders: [...secretPlaceholders].sort(),
        resources,
        invokes,
        outputs: sortKeysDeep(scrubber.mask(evaluation.outputs)) as { [key: string]: unknown },
    };
}

/** The `--json` text: keys sorted at every level, two-space indent, trailing newline. */
export function renderJson(document: RenderDocument, scrubber?: SecretScrubber): string {
    const text = JSON.stringify(sortKeysDeep(document), null, 2) + "\n";
    return scrubber ? scrubber.scrubText(text) : text;
}

/** Parses an earlier `--json` render, checking it is one. */
export function parseRenderDocument(text: string, source: string): RenderDocument {
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch (err) {
        const banner = /^\s*> /.test(text) ? "; it starts with npm's banner: make it with `npm run -s render -- --stack <name> --json`" : "";
        throw new Error(`${source}: not JSON (${(err as Error).message})${banner}`);
    }
    const doc = document as Partial<RenderDocument>;
    if (typeof doc !== "object" || doc === null || doc.format !== RENDER_FORMAT || !Array.isArray(doc.resources)) {
        throw new Error(`${source}: not an offline render document (expected "format": "${RENDER_FORMAT}"; make it with \`npm run render -- --stack <name> --json\`)`);
    }
    return {
        format: doc.format,
        stack: String(doc.stack ?? ""),
        secretPlaceholders: Array.isArray(doc.secretPlaceholders) ? doc.secretPlaceholders : [],
        resources: doc.resources,
        invokes: Array.isArray(doc.invokes) ? doc.invokes : [],
        outputs: typeof doc.outputs === "object" && doc.outputs !== null ? doc.outputs : {},
    };
}
