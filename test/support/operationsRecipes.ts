/**
 * The recipes of docs/operations.md as edits of a stack file, read from the guide itself (its YAML
 * examples and its `pulumi config set --path` commands), so a test can apply each to a copy of the
 * prod stack file exactly as an owner would, and the guide and the test cannot drift apart.
 */
import * as fs from "fs";
import * as path from "path";
import { Document, parse, parseDocument } from "yaml";
import { ROOT } from "./stacks";

export const OPERATIONS_GUIDE = path.join(ROOT, "docs", "operations.md");

/** The text of one `## <title>` section of docs/operations.md (up to the next `## `). */
export function guideSection(title: string): string {
    const guide = fs.readFileSync(OPERATIONS_GUIDE, "utf8");
    const start = guide.indexOf(`\n## ${title}\n`);
    if (start < 0) {
        throw new Error(`docs/operations.md has no section "## ${title}"`);
    }
    const end = guide.indexOf("\n## ", start + 1);
    return guide.slice(start, end < 0 ? undefined : end);
}

/** The fenced blocks of one info string (`yaml`, `sh`) in a text, indentation of list items removed. */
function fencedBlocks(text: string, info: string): string[] {
    return [...text.matchAll(new RegExp(`^( *)\`\`\`${info}\\n([\\s\\S]*?)^ *\`\`\``, "gm"))].map((m) => m[2].replace(new RegExp(`^ {${m[1].length}}`, "gm"), ""));
}

/** The example service of "Add an OIDC service": its key and settings. */
export function exampleService(): { key: string; settings: unknown } {
    const services = (parse(fencedBlocks(guideSection("Add an OIDC service"), "yaml")[0]) as { [key: string]: { [key: string]: unknown } })["homelab-sso:services"];
    const [key, settings] = Object.entries(services)[0];
    return { key, settings };
}

/** The example entries of "Add a bookmark". */
export function exampleBookmarks(): { [key: string]: unknown }[] {
    return (parse(fencedBlocks(guideSection("Add a bookmark"), "yaml")[0]) as { "homelab-sso:bookmarks": { [key: string]: unknown }[] })["homelab-sso:bookmarks"];
}

/**
 * A value as `pulumi config set --path` stores it: `true`/`false` become booleans and integers numbers,
 * anything else stays a string (pulumi/pulumi `sdk/go/common/resource/config`, `adjustObjectValue`).
 */
export function pathConfigValue(raw: string): unknown {
    if (raw === "true" || raw === "false") {
        return raw === "true";
    }
    return /^-?(0|[1-9][0-9]*)$/.test(raw) ? Number(raw) : raw;
}

/** `pulumi config set --path '<key>.<a>.<b>' <value>` on a stack file's YAML document. */
export function setConfigPath(document: Document, keyPath: string, raw: string): void {
    const match = /^([^.:]+:[^.]+)\.(.+)$/.exec(keyPath);
    if (!match) {
        throw new Error(`${keyPath}: expected <namespace>:<key>.<path>`);
    }
    document.setIn(["config", match[1], ...match[2].split(".")], pathConfigValue(raw));
}

export type StackEdit = (document: Document) => void;

/**
 * The `pulumi config set --path` commands of a section's first `sh` block, grouped into runs: each
 * `pulumi up` ends one run, and a run's edits include those of the runs before it.
 */
export function configSetRuns(title: string): { commands: string[]; edit: StackEdit }[] {
    const block = fencedBlocks(guideSection(title), "sh")[0];
    if (block === undefined) {
        throw new Error(`docs/operations.md "## ${title}" has no sh block`);
    }
    const runs: { commands: string[]; edit: StackEdit }[] = [];
    let commands: string[] = [];
    for (const line of block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim())) {
        const set = /^pulumi config set --path '([^']+)' (\S+)$/.exec(line);
        if (set) {
            commands.push(line);
        } else if (/^pulumi config set/.test(line)) {
            throw new Error(`docs/operations.md "## ${title}": ${line} is not a \`pulumi config set --path '<key>' <value>\` the test can apply`);
        } else if (/^pulumi up\b/.test(line)) {
            const all = [...(runs.at(-1)?.commands ?? []), ...commands];
            runs.push({
                commands: all,
                edit: (document) => {
                    for (const command of all) {
                        const [, key, value] = /^pulumi config set --path '([^']+)' (\S+)$/.exec(command)!;
                        setConfigPath(document, key, value);
                    }
                },
            });
            commands = [];
        }
    }
    return runs;
}

export interface Recipe {
    /** The section of docs/operations.md. */
    section: string;
    /** Its runs: the stack file's edits before each `pulumi up`. */
    runs: { label: string; edit: StackEdit }[];
}

/** Every recipe of docs/operations.md that edits the stack file. */
export function operationsRecipes(): Recipe[] {
    const service = exampleService();
    return [
        {
            section: "Add an OIDC service",
            runs: [{ label: `services.${service.key}`, edit: (d) => d.setIn(["config", "homelab-sso:services", service.key], d.createNode(service.settings)) }],
        },
        {
            section: "Add a bookmark",
            runs: [
                {
                    label: exampleBookmarks().map((b) => `bookmarks[+${String(b.slug)}]`).join(", "),
                    edit: (d) => {
                        for (const bookmark of exampleBookmarks()) {
                            d.addIn(["config", "homelab-sso:bookmarks"], d.createNode(bookmark));
                        }
                    },
                },
            ],
        },
        ...["Rotate a client secret", "Change a Helm value (pass-through)", "Turn off a deployment"].map((section) => ({
            section,
            runs: configSetRuns(section).map((run, i, all) => ({ label: `${all.length > 1 ? `run ${i + 1}: ` : ""}${run.commands.join("; ")}`, edit: run.edit })),
        })),
    ];
}

/** The stack file `source` with `edit` applied, written as `Pulumi.<stack>.yaml` into `dir`. */
export function editedStackFile(source: string, dir: string, edit: StackEdit): string {
    const document = parseDocument(fs.readFileSync(source, "utf8"));
    edit(document);
    const file = path.join(dir, path.basename(source));
    fs.writeFileSync(file, document.toString());
    return file;
}
