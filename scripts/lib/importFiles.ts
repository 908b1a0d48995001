/**
 * `npm run import-files`: the `pulumi import --file` files that adopt today's objects, generated from
 * the program's own render so that every entry has the type, name, parent and provider the program
 * registers (a mismatch would make the next `pulumi up` create a duplicate or replace the object).
 *
 * Two files per stack, in Pulumi's import-file format (pulumi/pulumi `pkg/cmd/pulumi/operations/import.go`,
 * `importSpec`/`importFile`):
 * - `<stack>-kubernetes.json`: today's Kubernetes objects and ArgoCD's Helm release, each under an empty
 *   `component: true` entry for its parent component;
 * - `<stack>-authentik.json`: today's OAuth2 providers (by numeric pk) and applications (by slug), with
 *   the program's explicit Authentik provider in `nameTable` (it must already be in the state).
 * Only objects listed in `docs/migration/today.yaml` are imported; everything else the program creates.
 * Chart objects (helm.v4.Chart) are not imported: the cut-over `pulumi up` adopts them.
 */
import { RenderDocument, RenderedResource } from "./renderDocument";
import { isAuthentikObject, isKubernetesObject, kubernetesCoordinates } from "./renderTree";
import { Today } from "./today";

export interface ImportEntry {
    type: string;
    name: string;
    id?: string;
    parent?: string;
    provider?: string;
    component?: boolean;
}

export interface ImportFile {
    nameTable?: { [name: string]: string };
    resources: ImportEntry[];
}

export interface ImportFilesOptions {
    /** Numeric pk of each OAuth2 provider, by client id (`GET /api/v3/providers/oauth2/?client_id=<id>`). */
    providerPks?: { [clientId: string]: string };
    /** Resource names to leave out (objects that turn out not to exist today; the program creates them). */
    without?: string[];
}

export interface ImportFiles {
    kubernetes: ImportFile;
    authentik: ImportFile;
    /** Resources in the files whose id is still a placeholder (pass `--provider-pk`). */
    placeholders: string[];
}

/** The id placeholder of an OAuth2 provider whose pk was not given. */
export function providerPkPlaceholder(clientId: string): string {
    return `<pk of the OAuth2 provider with client_id ${clientId}>`;
}

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

function lastSegment(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** `<urn>::<id>` provider reference → URN. */
function providerUrn(reference: string): string {
    return reference.slice(0, reference.lastIndexOf("::"));
}

type Target = "kubernetes" | "authentik";

/** The import id of a resource that exists today, or undefined when the program creates it. */
function importIdOf(resource: RenderedResource, today: Today, options: ImportFilesOptions): { file: Target; id: string; placeholder: boolean } | undefined {
    const inputs = resource.inputs as { [key: string]: any };
    if (resource.type === HELM_RELEASE) {
        const exists = today.helmReleases.some((r) => r.namespace === inputs.namespace && r.name === inputs.name);
        return exists ? { file: "kubernetes", id: `${inputs.namespace}/${inputs.name}`, placeholder: false } : undefined;
    }
    if (isKubernetesObject(resource)) {
        const { kind, namespace, name } = kubernetesCoordinates(inputs);
        const exists = today.kubernetes.some((o) => o.kind === kind && o.name === name && (o.namespace ?? undefined) === (namespace ?? undefined));
        return exists ? { file: "kubernetes", id: namespace ? `${namespace}/${name}` : String(name), placeholder: false } : undefined;
    }
    if (resource.type === "authentik:index/application:Application") {
        return today.authentik.applications.includes(inputs.slug) ? { file: "authentik", id: String(inputs.slug), placeholder: false } : undefined;
    }
    if (resource.type === "authentik:index/providerOauth2:ProviderOauth2") {
        if (!today.authentik.oauth2Providers.includes(inputs.clientId)) {
            return undefined;
        }
        const pk = options.providerPks?.[inputs.clientId];
        return { file: "authentik", id: pk ?? providerPkPlaceholder(inputs.clientId), placeholder: pk === undefined };
    }
    return undefined;
}

/** Builds both import files from a render of the stack. */
export function buildImportFiles(document: RenderDocument, today: Today, options: ImportFilesOptions = {}): ImportFiles {
    if (document.stack !== today.stack) {
        throw new Error(`docs/migration/today.yaml describes the cluster of stack "${today.stack}", not "${document.stack}"; there is nothing to import for a new cluster`);
    }
    const byUrn = new Map(document.resources.map((r) => [r.urn, r]));
    const files: { [file in Target]: ImportFile } = { kubernetes: { resources: [] }, authentik: { resources: [] } };
    const placeholders: string[] = [];
    const componentsIn: { [file in Target]: Set<string> } = { kubernetes: new Set(), authentik: new Set() };
    const without = new Set(options.without ?? []);
    const unknownWithout = [...without].filter((name) => !document.resources.some((r) => r.name === name));
    if (unknownWithout.length > 0) {
        throw new Error(`--without names no resource of stack "${document.stack}": ${unknownWithout.join(", ")}`);
    }

    const addComponentChain = (file: Target, urn: string | null): string | undefined => {
        if (!urn) {
            return undefined;
        }
        const component = byUrn.get(urn);
        if (!component || component.custom) {
            throw new Error(`import files: parent ${urn} is not a component of the render`);
        }
        if (!componentsIn[file].has(component.name)) {
            componentsIn[file].add(component.name);
            const parent = addComponentChain(file, component.parent);
            files[file].resources.push({ type: component.type, name: component.name, component: true, ...(parent ? { parent } : {}) });
        }
        return component.name;
    };

    const candidates = document.resources
        .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && !without.has(r.name))
        .sort((a, b) => (a.parent ?? "").localeCompare(b.parent ?? "") || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    for (const resource of candidates) {
        const target = importIdOf(resource, today, options);
        if (!target) {
            continue;
        }
        const parent = addComponentChain(target.file, resource.parent);
        const entry: ImportEntry = { type: resource.type, name: resource.name, id: target.id, ...(parent ? { parent } : {}) };
        if (isAuthentikObject(resource.type)) {
            if (!resource.provider) {
                throw new Error(`import files: ${resource.name} has no explicit provider`);
            }
            const urn = providerUrn(resource.provider);
            const providerName = lastSegment(urn);
            files.authentik.nameTable = { ...(files.authentik.nameTable ?? {}), [providerName]: urn };
            entry.provider = providerName;
        }
        files[target.file].resources.push(entry);
        if (target.placeholder) {
            placeholders.push(resource.name);
        }
    }
    return { ...files, placeholders };
}

/** The files' text as written (two-space JSON, trailing newline). */
export function importFileText(file: ImportFile): string {
    return JSON.stringify(file, null, 2) + "\n";
}
