/**
 * The rotation-preview step (issue 22 §3.4): raising one service's `rotation` makes the engine's
 * `pulumi preview --json` change the same resources, by URN, as the offline render diff says. The
 * render sees no chart's children (Helm renders them in the provider), so an engine step on a chart's
 * child counts as a change of its chart, the nearest ancestor the render knows.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RenderDiff } from "../../scripts/lib/renderDiff";
import { RenderDocument } from "../../scripts/lib/renderDocument";
import { expect } from "../harness";
import { DevStack } from "./devStack";

/** Preview ops that change nothing. */
const UNCHANGED_OPS = new Set(["same", "read", "refresh"]);

export interface PreviewStep {
    op: string;
    urn: string;
    newState?: { parent?: string };
    oldState?: { parent?: string };
}

/** The URNs the render diff adds, removes or changes. */
export function renderDiffUrns(diff: RenderDiff): string[] {
    return [...new Set([...diff.added, ...diff.removed, ...diff.changed].map((r) => r.urn))].sort();
}

/**
 * The URNs the engine's preview changes, each mapped to itself when the render knows it, else to its
 * nearest ancestor the render knows (a chart's children to the chart); unmapped ones stay as they are.
 */
export function engineChangedUrns(steps: PreviewStep[], parents: Map<string, string | undefined>, known: Set<string>): string[] {
    const parentOf = new Map(parents);
    for (const s of steps) parentOf.set(s.urn, s.newState?.parent ?? s.oldState?.parent ?? parentOf.get(s.urn));
    const mapped = steps.filter((s) => !UNCHANGED_OPS.has(s.op)).map((s) => {
        for (let urn: string | undefined = s.urn; urn; urn = parentOf.get(urn)) if (known.has(urn)) return urn;
        return s.urn;
    });
    return [...new Set(mapped)].sort();
}

/** Both sides of a comparison of URN sets, for the failure message. */
export function urnSetDifference(engine: string[], render: string[]): { onlyEngine: string[]; onlyRender: string[] } {
    return { onlyEngine: engine.filter((u) => !render.includes(u)), onlyRender: render.filter((u) => !engine.includes(u)) };
}

/** `npm run -s render -- --stack dev --json` of the copy's stack file, written to FILE. */
export async function renderTo(dev: DevStack, file: string): Promise<RenderDocument> {
    const text = await dev.npm(["run", "-s", "render", "--", "--stack", "dev", "--json"]);
    fs.writeFileSync(file, text);
    return JSON.parse(text);
}

/** The render diff against BEFORE (a `--json` render) as JSON. */
export async function renderDiffFrom(dev: DevStack, before: string): Promise<RenderDiff> {
    return JSON.parse(await dev.npm(["run", "-s", "render", "--", "--stack", "dev", "--json", "--diff", before]));
}

/** Parent by URN, from the state. */
export async function stateParents(dev: DevStack): Promise<Map<string, string | undefined>> {
    const exported = JSON.parse(await dev.pulumi(["stack", "export"]));
    return new Map((exported.deployment.resources as { urn: string; parent?: string }[]).map((r) => [r.urn, r.parent]));
}

export async function rotationPreviewStep(dev: DevStack): Promise<string> {
    const stackFile = path.join(dev.root, "Pulumi.dev.yaml");
    const original = fs.readFileSync(stackFile);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-sso-e2e-rotation-"));
    try {
        const service = Object.keys(dev.outputs.oidcClients ?? {}).sort()[0];
        expect(service !== undefined, "a service in the dev stack's oidcClients output", JSON.stringify(dev.outputs.oidcClients));
        const before = await renderTo(dev, path.join(scratch, "before.json"));
        const config = JSON.parse(await dev.pulumi(["config", "--json"]));
        const entry = config["homelab-sso:services"];
        const services = entry?.objectValue ?? JSON.parse(entry?.value ?? "{}");
        const rotation = Number(services[service]?.rotation ?? 0) + 1;
        // As docs/operations.md "Rotate a client secret" says.
        await dev.pulumi(["config", "set", "--path", `homelab-sso:services.${service}.rotation`, String(rotation)]);

        const diff = await renderDiffFrom(dev, path.join(scratch, "before.json"));
        const render = renderDiffUrns(diff);
        expect(render.length > 0, `the render diff to change something for ${service}'s rotation ${rotation}`, "no differences");
        const preview = JSON.parse(await dev.pulumi(["preview", "--json"]));
        const known = new Set([...before.resources.map((r) => r.urn), ...diff.added.map((r) => r.urn)]);
        const engine = engineChangedUrns(preview.steps ?? [], await stateParents(dev), known);
        const { onlyEngine, onlyRender } = urnSetDifference(engine, render);
        expect(onlyEngine.length === 0 && onlyRender.length === 0,
            `the engine's preview to change the resources the render diff changes (${render.length}) for ${service}'s rotation`,
            `only in the engine's preview: ${onlyEngine.join(", ") || "none"}; only in the render diff: ${onlyRender.join(", ") || "none"}`);
        const ops = (preview.steps as { op: string }[]).filter((s) => !UNCHANGED_OPS.has(s.op)).map((s) => s.op);
        const tally = [...new Set(ops)].map((op) => `${ops.filter((o) => o === op).length} ${op}`).join(", ");
        return `${service} rotation ${rotation}: ${render.length} resources changed in both (engine steps: ${tally})`;
    } finally {
        // The deployed stack never saw the rotation: its stack file goes back as it was.
        fs.writeFileSync(stackFile, original);
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}
