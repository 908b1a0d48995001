/**
 * The registration floor for `npm run bench`: bare resources of the same count, types, nesting and input
 * values as an evaluation of the program, registered under the same mocks (scripts/lib/mockRuntime.ts) as
 * generic resources with their final inputs as plain data: no SDK classes, no Outputs passed between resources,
 * no apply, no invokes, no components' logic. What remains is what any program registering these resources pays
 * the Pulumi Node.js SDK (URNs, callsite stacks, serialization, the register RPCs); program ÷ floor is the rest.
 * The generated SDK classes add one Output per declared property (three stack-capturing promises each), set or
 * not; the floor does not, so that cost counts as the program's (docs/performance.md).
 */
import * as pulumi from "@pulumi/pulumi";
import { Evaluation, isSecretEnvelope } from "./mockRuntime";

export interface FloorResource {
    type: string;
    name: string;
    custom: boolean;
    /** Index of the parent in the plan (always earlier), or undefined for a top-level resource. */
    parent?: number;
    /** The resource's inputs as the provider received them, as plain values (secrets unwrapped). */
    inputs: { [key: string]: unknown };
}

/** A recorded input value without secret envelopes: plain data, as a program that computed nothing would pass. */
function plain(value: unknown): unknown {
    if (isSecretEnvelope(value)) {
        return plain(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(plain);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    }
    return value;
}

/** The floor's plan for an evaluation: its resources in registration order, parents by index. */
export function floorPlan(evaluation: Evaluation): FloorResource[] {
    const index = new Map(evaluation.resources.map((r, i) => [r.urn, i]));
    const plan = evaluation.resources.map((r) => ({
        type: r.type,
        name: r.name,
        custom: r.custom,
        parent: r.parent ? index.get(r.parent) : undefined,
        inputs: r.custom ? (plain(r.inputs) as { [key: string]: unknown }) : {},
    }));
    plan.forEach((r, i) => {
        if (r.parent !== undefined && r.parent >= i) {
            throw new Error(`registration floor: ${r.type} ${r.name} was registered before its parent`);
        }
        if (evaluation.resources[i].parent && r.parent === undefined) {
            throw new Error(`registration floor: the parent of ${r.type} ${r.name} is not among the recorded resources`);
        }
    });
    return plan;
}

let currentPlan: FloorResource[] = [];

/** Sets what the floor program (scripts/lib/floorProgram.ts) registers on its next evaluation. */
export function setFloorPlan(plan: FloorResource[]): void {
    currentPlan = plan;
}

class BareComponent extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.registerOutputs({});
    }
}

class BareCustom extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
        super(type, name, inputs, opts);
    }
}

class BareProvider extends pulumi.ProviderResource {
    constructor(pkg: string, name: string, inputs: pulumi.Inputs, opts: pulumi.ResourceOptions) {
        super(pkg, name, inputs, opts);
    }
}


/** Registers the current plan: components as bare ComponentResources, providers and custom resources without inputs. */
export function registerFloor(): void {
    const created: pulumi.Resource[] = [];
    for (const r of currentPlan) {
        const opts = { parent: r.parent === undefined ? undefined : created[r.parent] };
        if (!r.custom) {
            created.push(new BareComponent(r.type, r.name, opts));
        } else if (r.type.startsWith("pulumi:providers:")) {
            created.push(new BareProvider(r.type.slice("pulumi:providers:".length), r.name, r.inputs, opts));
        } else {
            created.push(new BareCustom(r.type, r.name, r.inputs, opts));
        }
    }
}
