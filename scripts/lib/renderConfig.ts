/**
 * Builds the config the offline render evaluates a stack with: the stack file's `config:` block, with
 * every secret the program may need replaced by a placeholder marked secret. A fresh clone therefore
 * renders any stack without credentials, and no real secret is ever loaded.
 */
import * as fs from "fs";
import * as path from "path";
import { YAMLError, parse } from "yaml";
import { PROJECT, SECRET_CONFIG_KEYS, parseStackConfig, rawConfigFromPulumi, requiredSecretKeys } from "../../stacks/config";
import { plainLeavesBesideSecure } from "../../stacks/hygiene";
import { ConfigProblem } from "../../stacks/validation";
import { configFromStackFile } from "./mockRuntime";

export interface RenderConfigOptions {
    /** Project root (where `Pulumi.<stack>.yaml` lives). */
    root: string;
    stack: string;
    /** Read this file instead of `<root>/Pulumi.<stack>.yaml`. */
    stackFile?: string;
    /** Plain config to set on top of the stack file (structured values as objects). `undefined` removes a key. */
    set?: { [key: string]: unknown };
    /**
     * Secret config values to use instead of placeholders (tests use known strings). Keys are config
     * keys, or `<key>.<path>` for a `secure:` value nested in a structured one.
     */
    secrets?: { [key: string]: string };
}

/** A secret config key the render filled with a placeholder, and why. */
export interface SecretPlaceholder {
    key: string;
    /** `encrypted`: the stack file holds it as `secure:`. `missing`: set outside the file (`pulumi config set --secret`). */
    reason: "encrypted" | "missing";
}

export interface RenderConfig {
    stackFile: string;
    config: { [key: string]: string };
    secretKeys: string[];
    placeholders: SecretPlaceholder[];
    /** Every secret plaintext in `config` (placeholders or given values), for masking. */
    secretValues: string[];
    /**
     * Problems only the stack file shows (a plain entry beside `secure:` ones in a secret structured
     * value, which Pulumi hands the program as one secret key); the render reports them with the program's.
     */
    problems: ConfigProblem[];
}

export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** A stack file that is not valid YAML: a configuration problem (exit 2), located by file, line and key. */
export class StackFileSyntaxError extends StackFileError {
    constructor(message: string) {
        super(message);
        this.name = "StackFileSyntaxError";
    }
}

/**
 * The key path (`homelab-sso:services.miniflux.callbackPath`, `homelab-sso:bookmarks[2].icon`) of the
 * block-style YAML key on or above `line` (1-based), read from the indentation; the top-level
 * `config:` is left out, as in `pulumi config` keys.
 */
export function keyPathAt(text: string, line: number): string {
    const lines = text.split(/\r?\n/);
    const parts: string[] = [];
    let indent = Number.POSITIVE_INFINITY;
    for (let i = Math.min(line, lines.length) - 1; i >= 0 && indent > 0; i--) {
        const match = /^(\s*)((?:- +)*)(?:"([^"]*)"|'([^']*)'|((?:[^\s:#"']|:(?=\S))(?:[^:#]|:(?=\S))*?))\s*:(?:\s|$)/.exec(lines[i]);
        const bare = /^(\s*)- /.exec(lines[i]);
        if (!match && !bare) {
            continue;
        }
        const lineIndent = (match ? match[1] : bare![1]).length;
        if (lineIndent >= indent) {
            continue;
        }
        const dash = match ? match[2] : "- ";
        const key = match ? (match[3] ?? match[4] ?? match[5]) : undefined;
        if (key !== undefined && (lineIndent + dash.length < indent)) {
            parts.unshift(key);
        }
        if (dash) {
            // A list item: its index counts the items of the same list above it.
            let index = 0;
            for (let j = i - 1; j >= 0; j--) {
                const item = /^(\s*)(- |\S)/.exec(lines[j]);
                if (!item) {
                    continue;
                }
                if (item[1].length < lineIndent) {
                    break;
                }
                if (item[1].length === lineIndent && item[2] === "- ") {
                    index++;
                } else if (item[1].length === lineIndent) {
                    break;
                }
            }
            parts.unshift(`[${index}]`);
        }
        indent = lineIndent;
    }
    if (parts[0] === "config") {
        parts.shift();
    }
    return parts.reduce((path, part) => (part.startsWith("[") || path === "" ? `${path}${part}` : `${path}.${part}`), "");
}

/** The placeholder a secret config key gets in an offline render. */
export function secretPlaceholder(key: string): string {
    return `<placeholder for secret ${key}>`;
}

/** Stack names that have a `Pulumi.<stack>.yaml` in `root`. */
export function availableStacks(root: string): string[] {
    return fs
        .readdirSync(root)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

export function stackFilePath(root: string, stack: string): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

/**
 * The frozen copy of a stack file (`test/fixtures/Pulumi.<stack>.yaml`): what the tests and the
 * committed generated documents (docs/migration/rehearsal.md, docs/migration/import/) are made from,
 * so an owner's edit of the live `Pulumi.<stack>.yaml` changes none of them.
 */
export function frozenStackFilePath(root: string, stack: string): string {
    return path.join(root, "test", "fixtures", `Pulumi.${stack}.yaml`);
}

/** Reads a stack file's `config:` block. Throws `StackFileError` when the file is missing or not a stack file. */
export function readStackConfigBlock(file: string, root: string): { [key: string]: unknown } {
    if (!fs.existsSync(file)) {
        const stacks = availableStacks(root);
        throw new StackFileError(
            `stack file ${path.relative(process.cwd(), file) || file} not found; stacks here: ${stacks.length ? stacks.join(", ") : "none"}`,
        );
    }
    let document: unknown;
    const text = fs.readFileSync(file, "utf8");
    try {
        document = parse(text);
    } catch (err) {
        const relative = path.relative(process.cwd(), file);
        const shown = relative && !relative.startsWith("..") ? relative : file;
        const position = err instanceof YAMLError ? err.linePos?.[0] : undefined;
        const message = (err as Error).message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        // The YAML reader recurses: a value nested thousands of levels deep overflows the stack.
        const reason = err instanceof RangeError || /call stack/i.test(message) ? "nests too deeply to read; allowed: at most 24 levels of objects and lists" : message;
        if (!position) {
            throw new StackFileSyntaxError(`${shown}: not valid YAML (${reason})`);
        }
        const key = keyPathAt(text, position.line);
        throw new StackFileSyntaxError(`${shown}:${position.line}:${position.col}: not valid YAML${key ? ` at ${key}` : ""}: ${reason}`);
    }
    if (document === null || document === undefined) {
        return {};
    }
    const config = (document as { config?: unknown }).config;
    if (typeof document !== "object" || Array.isArray(document) || (config !== undefined && (typeof config !== "object" || config === null || Array.isArray(config)))) {
        throw new StackFileError(`${file}: expected a mapping with an optional \`config:\` mapping`);
    }
    return (config as { [key: string]: unknown }) ?? {};
}

/**
 * The config map and secret keys to evaluate `stack` with. Secrets: `secure:` values in the file and
 * every `SECRET_CONFIG_KEYS` entry the file does not set become placeholders (or the given `secrets`).
 */
export function loadRenderConfig(options: RenderConfigOptions): RenderConfig {
    const stackFile = options.stackFile ?? stackFilePath(options.root, options.stack);
    const block = { ...readStackConfigBlock(stackFile, options.root) };
    for (const [key, value] of Object.entries(options.set ?? {})) {
        if (value === undefined) {
            delete block[key];
        } else {
            block[key] = value;
        }
    }
    const plainBesideSecure = plainLeavesBesideSecure(block, PROJECT);
    const placeholders: SecretPlaceholder[] = [];
    const known = options.secrets ?? {};
    const secretValues: string[] = [];
    const usedPaths = new Set<string>();

    // `pulumi config set --secret --path 'a.b'` writes a `secure:` value inside a structured value.
    // Pulumi then hands the program the whole key as a secret; the render fills each such leaf.
    const nestedSecretKeys: string[] = [];
    for (const [key, value] of Object.entries(block)) {
        if (isSecureValue(value)) {
            continue;
        }
        const filled = fillNestedSecure(value, key, (leafPath) => {
            usedPaths.add(leafPath);
            const plaintext = known[leafPath] ?? secretPlaceholder(leafPath);
            if (known[leafPath] === undefined) {
                placeholders.push({ key: leafPath, reason: "encrypted" });
            }
            secretValues.push(plaintext);
            return plaintext;
        });
        if (filled.found) {
            block[key] = filled.value;
            nestedSecretKeys.push(key);
        }
    }

    const { config, secretKeys } = configFromStackFile(block);
    for (const key of secretKeys) {
        if (known[key] !== undefined) {
            config[key] = known[key];
        } else {
            config[key] = secretPlaceholder(key);
            placeholders.push({ key, reason: "encrypted" });
        }
        secretValues.push(config[key]);
    }
    secretKeys.push(...nestedSecretKeys);
    const topLevelKnown = Object.keys(known).filter((key) => !usedPaths.has(key));
    for (const key of new Set([...SECRET_CONFIG_KEYS, ...topLevelKnown])) {
        if (secretKeys.includes(key)) {
            continue;
        }
        if (known[key] === undefined && config[key] !== undefined) {
            // Written in plain text in the stack file: passed on as Pulumi would (not secret), so the
            // program refuses it, naming the key.
            continue;
        }
        secretKeys.push(key);
        if (known[key] !== undefined) {
            config[key] = known[key];
        } else {
            config[key] = secretPlaceholder(key);
            placeholders.push({ key, reason: "missing" });
        }
        secretValues.push(config[key]);
    }
    dropUnusedPlaceholders(config, secretKeys, placeholders, secretValues);
    placeholders.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const problems = plainBesideSecure.map((key) => ({
        key,
        message: `is a secret stored in plain text beside encrypted entries (value not shown); remove it with \`pulumi config rm --path '${key}'\` and set it with \`pulumi config set --secret --path '${key}' <value>\``,
    }));
    return { stackFile, config, secretKeys, placeholders, secretValues: secretPlaintexts(secretValues), problems };
}

/**
 * Removes the placeholders for secret keys the stack file does not set and its configuration does not
 * need (dev reads no `authentik:token`), so the render's header lists only what the stack uses. When
 * the configuration is invalid, everything stays: the program reports the problems.
 */
function dropUnusedPlaceholders(config: { [key: string]: string }, secretKeys: string[], placeholders: SecretPlaceholder[], secretValues: string[]): void {
    let required: string[];
    try {
        required = requiredSecretKeys(parseStackConfig(rawConfigFromPulumi(config)));
    } catch {
        return;
    }
    for (const placeholder of [...placeholders]) {
        if (placeholder.reason !== "missing" || required.includes(placeholder.key)) {
            continue;
        }
        const remove = <T>(list: T[], item: T) => {
            const index = list.indexOf(item);
            if (index >= 0) {
                list.splice(index, 1);
            }
        };
        remove(secretValues, config[placeholder.key]);
        delete config[placeholder.key];
        remove(secretKeys, placeholder.key);
        remove(placeholders, placeholder);
    }
}

function isSecureValue(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

/** Replaces every `{secure: ...}` inside a structured value with `fill(<key>.<path>)`. */
export function fillNestedSecure(value: unknown, at: string, fill: (path: string) => string): { value: unknown; found: boolean } {
    if (isSecureValue(value)) {
        return { value: fill(at), found: true };
    }
    if (Array.isArray(value)) {
        const items = value.map((item, i) => fillNestedSecure(item, `${at}[${i}]`, fill));
        return { value: items.map((i) => i.value), found: items.some((i) => i.found) };
    }
    if (typeof value === "object" && value !== null) {
        const result: { [key: string]: unknown } = {};
        let found = false;
        for (const [key, inner] of Object.entries(value)) {
            const filled = fillNestedSecure(inner, `${at}.${key}`, fill);
            result[key] = filled.value;
            found = found || filled.found;
        }
        return { value: result, found };
    }
    return { value, found: false };
}

/**
 * The plaintexts to mask: each secret value, and for a structured (JSON) one also its string leaves,
 * since a program reads those one by one (`requireSecretObject`).
 */
function secretPlaintexts(values: string[]): string[] {
    const result = new Set<string>();
    const leaves = (value: unknown): void => {
        if (typeof value === "string") {
            result.add(value);
        } else if (Array.isArray(value)) {
            value.forEach(leaves);
        } else if (typeof value === "object" && value !== null) {
            Object.values(value).forEach(leaves);
        }
    };
    for (const value of values) {
        result.add(value);
        const trimmed = value.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                leaves(JSON.parse(trimmed));
            } catch {
                // not JSON: the whole string is the secret
            }
        }
    }
    return [...result].filter((v) => v.length > 0);
}
