/**
 * `--out <dir>`: the render as files, for reading or diffing with ordinary tools.
 * - `k8s/<namespace>/<kind>-<name>.yaml`: one per Kubernetes object (`k8s/_cluster/` when cluster-scoped);
 * - `helm/<release>-values.yaml`: exactly the values each Helm release gets;
 * - `authentik/<type>-<name>.yaml`: one per Authentik object.
 * Everything comes from the masked `RenderDocument`, so no file can hold a secret.
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { RenderDocument, RenderedResource } from "./renderDocument";
import { isAuthentikObject, isHelmRelease, isKubernetesObject, kubernetesCoordinates } from "./renderTree";

export interface RenderFile {
    /** Path relative to the output directory, with `/` separators. */
    path: string;
    content: string;
}

/** Marks a directory the render wrote, so a later `--out` may replace its files. */
export const OUT_MARKER = ".homelab-sso-render";
export const OUT_SUBDIRS = ["k8s", "helm", "authentik"] as const;

/** A file-name-safe version of a name: letters, digits, `.`, `_` and `-` only. */
export function safeFileName(name: string): string {
    const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_");
    return safe || "_";
}

/** `kubernetes:core/v1:ConfigMap` → `configmap`; `authentik:index/providerOauth2:ProviderOauth2` → `provider-oauth2`. */
export function typeFileStem(type: string): string {
    const className = type.split(":").pop() ?? type;
    return className.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

function yamlDocument(value: unknown, comment: string[]): string {
    const body = stringify(value, { sortMapEntries: true, lineWidth: 0 });
    return `${comment.map((c) => `# ${c}`).join("\n")}\n${body}`;
}

/** Kubernetes manifests read best with apiVersion, kind and metadata first; the rest sorted. */
function manifestOrder(inputs: { [key: string]: unknown }): { [key: string]: unknown } {
    const first = ["apiVersion", "kind", "metadata"].filter((k) => k in inputs);
    const rest = Object.keys(inputs)
        .filter((k) => !first.includes(k))
        .sort();
    const ordered: { [key: string]: unknown } = {};
    for (const key of [...first, ...rest]) {
        ordered[key] = inputs[key];
    }
    return ordered;
}

function origin(resource: RenderedResource): string {
    return `Pulumi resource ${resource.type} ${resource.name}`;
}

/** The relative path a resource's file gets, or undefined when it gets none. */
export function filePathFor(resource: RenderedResource): string | undefined {
    if (isHelmRelease(resource.type)) {
        return `helm/${safeFileName(String(resource.inputs.name ?? resource.name))}-values.yaml`;
    }
    if (isKubernetesObject(resource)) {
        const { kind, namespace, name } = kubernetesCoordinates(resource.inputs);
        return `k8s/${namespace ? safeFileName(namespace) : "_cluster"}/${safeFileName(kind.toLowerCase())}-${safeFileName(name ?? resource.name)}.yaml`;
    }
    if (isAuthentikObject(resource.type) && resource.custom && !resource.type.startsWith("pulumi:providers:")) {
        return `authentik/${typeFileStem(resource.type)}-${safeFileName(resource.name)}.yaml`;
    }
    return undefined;
}

/** Every file of an `--out` render; names are unique (a clash gets `-2`, `-3`, … in document order). */
export function planRenderFiles(document: RenderDocument): RenderFile[] {
    const files: RenderFile[] = [];
    const used = new Set<string>();
    for (const resource of document.resources) {
        const wanted = filePathFor(resource);
        if (!wanted) {
            continue;
        }
        let filePath = wanted;
        for (let n = 2; used.has(filePath); n++) {
            filePath = wanted.replace(/\.yaml$/, `-${n}.yaml`);
        }
        used.add(filePath);
        let content: string;
        if (isHelmRelease(resource.type)) {
            const values = resource.inputs.values ?? {};
            content = yamlDocument(values, [`Helm values of release ${String(resource.inputs.name ?? resource.name)} (${origin(resource)})`]);
        } else if (isKubernetesObject(resource)) {
            content = yamlDocument(manifestOrder(resource.inputs), [origin(resource)]);
        } else {
            content = yamlDocument(resource.inputs, [origin(resource)]);
        }
        files.push({ path: filePath, content });
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Writes the files under `dir`. The directory must be new, empty, or an earlier render's (then its
 * `k8s/`, `helm/` and `authentik/` are replaced, so no stale file survives).
 */
export function writeRenderFiles(dir: string, files: RenderFile[]): void {
    if (fs.existsSync(dir)) {
        if (!fs.statSync(dir).isDirectory()) {
            throw new Error(`--out ${dir}: is a file, not a directory; choose a new or empty directory`);
        }
        const entries = fs.readdirSync(dir);
        if (entries.length > 0 && !entries.includes(OUT_MARKER)) {
            throw new Error(`--out ${dir}: directory is not empty and was not written by the render; choose a new or empty directory`);
        }
        for (const sub of OUT_SUBDIRS) {
            fs.rmSync(path.join(dir, sub), { recursive: true, force: true });
        }
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, OUT_MARKER), "Written by `npm run render -- --out`; its k8s/, helm/ and authentik/ are replaced on the next render.\n");
    for (const file of files) {
        const target = path.join(dir, ...file.path.split("/"));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.content);
    }
}
