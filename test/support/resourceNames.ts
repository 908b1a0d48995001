/**
 * The resource-name guard: a resource's URN (stack, project, parent type chain, type, name) is its
 * identity in Pulumi's state. A change that gives a deployed resource another URN makes `pulumi up`
 * delete it and create a new one, unless the new resource declares the old URN as an alias.
 *
 * `compareResourceNames` checks the URNs recorded in `test/fixtures/resource-names.<stack>.json`
 * against an evaluation: every recorded URN must still be registered, or be claimed through an alias
 * (the resource's own `aliases`, or one inherited from a parent's alias, as the engine derives them).
 * New URNs are additions: listed, never a failure.
 */
import { Evaluation, RecordedResource } from "../../scripts/lib/mockRuntime";

interface UrnParts {
    stack: string;
    project: string;
    /** Parent type chain and type, `$`-separated, e.g. `homelab:authentik:OidcClient$random:index/randomPassword:RandomPassword`. */
    qualifiedType: string;
    name: string;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

export function parseUrn(urn: string): UrnParts {
    const match = /^urn:pulumi:([^:]*)::([^:]*)::(.*?)::(.*)$/s.exec(urn);
    if (!match) {
        throw new Error(`not a URN: ${urn}`);
    }
    return { stack: match[1], project: match[2], qualifiedType: match[3], name: match[4] };
}

/** The URN the engine gives a resource (`parentUrn` undefined: a top-level resource). */
export function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    let qualifiedType = type;
    if (parentUrn) {
        const parent = parseUrn(parentUrn);
        if (parent.qualifiedType !== STACK_TYPE) {
            qualifiedType = `${parent.qualifiedType}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/**
 * Every URN a registered resource answers to: its own, its aliases, and the aliases it inherits from
 * its parent's (for each URN the parent answers to, the child under it; a child name that starts with
 * the parent's name takes the alias's name as prefix instead, as the engine does).
 */
export function claimedUrns(evaluation: Evaluation): Map<string, Set<string>> {
    const byUrn = new Map(evaluation.resources.map((r) => [r.urn, r]));
    const claims = new Map<string, Set<string>>();
    const resolve = (resource: RecordedResource): Set<string> => {
        const known = claims.get(resource.urn);
        if (known) {
            return known;
        }
        const own = parseUrn(resource.urn);
        const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
        const parentUrns = parent ? [...resolve(parent)] : resource.parent ? [resource.parent] : [undefined];
        const result = new Set<string>([resource.urn]);
        // Under each URN the parent answers to (its own first), this resource with its own name and type.
        for (const parentUrn of parentUrns) {
            let name = own.name;
            if (parent && parentUrn && name.startsWith(parent.name)) {
                name = parseUrn(parentUrn).name + name.slice(parent.name.length);
            }
            result.add(makeUrn(own.stack, own.project, parentUrn, resource.type, name));
        }
        for (const alias of resource.aliases) {
            if ("urn" in alias) {
                result.add(alias.urn);
                continue;
            }
            const spec = alias.spec;
            const parents = spec.noParent ? [undefined] : spec.parentUrn && spec.parentUrn !== resource.parent ? [spec.parentUrn] : parentUrns;
            for (const parentUrn of parents) {
                result.add(makeUrn(spec.stack ?? own.stack, spec.project ?? own.project, parentUrn, spec.type ?? resource.type, spec.name ?? own.name));
            }
        }
        claims.set(resource.urn, result);
        return result;
    };
    evaluation.resources.forEach(resolve);
    return claims;
}

export interface NameComparison {
    /** Recorded URNs no resource registers or claims by alias: `pulumi up` would delete these. */
    lost: string[];
    /** Registered URNs that are not recorded (new resources, or renamed ones carrying an alias). */
    added: string[];
    /** Recorded URNs kept through an alias: old URN → the resource that claims it. */
    aliased: { from: string; to: string }[];
}

export function compareResourceNames(recorded: string[], evaluation: Evaluation): NameComparison {
    const claims = claimedUrns(evaluation);
    const registered = new Set(evaluation.resources.map((r) => r.urn));
    const lost: string[] = [];
    const aliased: { from: string; to: string }[] = [];
    for (const urn of recorded) {
        if (registered.has(urn)) {
            continue;
        }
        const claimant = [...claims].find(([, urns]) => urns.has(urn));
        if (claimant) {
            aliased.push({ from: urn, to: claimant[0] });
        } else {
            lost.push(urn);
        }
    }
    const recordedSet = new Set(recorded);
    const added = [...registered].filter((urn) => !recordedSet.has(urn)).sort();
    return { lost, added, aliased };
}

/** The URNs of an evaluation, sorted: the content of a `resource-names.<stack>.json` fixture. */
export function resourceUrns(evaluation: Evaluation): string[] {
    return evaluation.resources.map((r) => r.urn).sort();
}
