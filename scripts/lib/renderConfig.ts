/**
 * Builds the config the offline render evaluates a stack with: the stack file's `config:` block, with
 * every secret the program may need replaced by a placeholder marked secret. A fresh clone therefore
 * renders any stack without credentials, and no real secret is ever loaded.
 */
import * as fs from "fs";
import * as path from "path";
import { LineCounter, Node, Scalar, YAMLError, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { keySegment } from "../../stacks/boundary";
import { PROJECT, SECRET_CONFIG_KEYS, parseStackConfig, rawConfigFromPulumi, requiredSecretKeys } from "../../stacks/config";
import { plainLeavesBesideSecure } from "../../stacks/hygiene";
import { ConfigError, ConfigProblem } from "../../stacks/validation";
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

/** At most this many aliases are listed one by one (an alias bomb holds hundreds). */
const ALIASES_LISTED = 10;

/** A number as every YAML parser reads it alike: decimal, no sign but '-', no leading zero, no '_'. */
const DECIMAL_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/;
/**
 * A plain scalar some YAML parser reads as a number: YAML 1.2 (this render's `yaml`) or YAML 1.1 as
 * gopkg.in/yaml.v3, the kind of parser the Pulumi CLI reads stack files with (leading-zero octal,
 * `0b`, `_` separators, `.inf`, `.nan`).
 */
const NUMBER_LIKE = /^[-+]?(\.(inf|Inf|INF|nan|NaN|NAN)|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9][0-9_]*([eE][-+]?[0-9]+)?|0[xXoObB][0-9a-fA-F_]+)$/;

/** What is wrong with a plain scalar's number spelling, or undefined when every parser reads it alike. */
export function numberSpellingProblem(source: string): string | undefined {
    if (!NUMBER_LIKE.test(source) || DECIMAL_NUMBER.test(source)) {
        return undefined;
    }
    if (/\.(inf|nan)$/i.test(source)) {
        return `${source} is not a finite number: JSON, in which Pulumi hands structured config to the program, has no infinity or NaN, so it would arrive as null (the default); allowed: a finite decimal number such as 30500`;
    }
    const digits = source.replace(/^-/, "");
    if (/^0[0-7]+$/.test(digits)) {
        const decimal = Number(source);
        const octal = (source.startsWith("-") ? -1 : 1) * parseInt(digits, 8);
        return `${source} starts with a zero: YAML 1.1 parsers such as gopkg.in/yaml.v3 (the Pulumi CLI's) read it as the octal ${octal}, this render as ${decimal}; allowed: a decimal number without leading zeros, such as ${decimal}`;
    }
    return `${source} is not written as a plain decimal number, and YAML parsers read such spellings differently (YAML 1.1's gopkg.in/yaml.v3 in the Pulumi CLI, YAML 1.2 here); allowed: a decimal number without sign '+', leading zeros, '_', or hex, octal or binary prefixes, such as 30500 or 0.5`;
}

/**
 * What the stack file's text shows and its parsed value hides: aliases (refused, since they cannot be
 * read safely; `fatal`), and plain scalars spelled as numbers that YAML parsers read differently.
 * Each problem names the key path (as `pulumi config` writes it) and the file position.
 */
export function stackFileTextProblems(document: Node | null, lines: LineCounter, shown: string): { problems: ConfigProblem[]; fatal: boolean } {
    const problems: ConfigProblem[] = [];
    const aliases: ConfigProblem[] = [];
    const at = (node: Node): string => {
        const position = lines.linePos(node.range?.[0] ?? 0);
        return `${shown}:${position.line}:${position.col}`;
    };
    // Iterative: the parser already refused what nests too deeply, and a walk must not recurse either.
    const stack: { node: unknown; key: string }[] = [{ node: document, key: "" }];
    const join = (key: string, segment: string) => (key === "" ? segment : key === "config" ? segment : `${key}.${keySegment(segment)}`);
    while (stack.length > 0) {
        const { node, key } = stack.pop()!;
        if (isAlias(node)) {
            aliases.push({
                key: key || "(document)",
                message: `${at(node)}: is a YAML alias (*${node.source}); allowed: the value written out in full (stack files take no anchors and aliases: a few lines of aliases can expand to billions of values, and the Pulumi CLI expands them with other limits than this render)`,
            });
        } else if (isScalar(node)) {
            const scalar = node as Scalar & { source?: string };
            const problem = scalar.type === Scalar.PLAIN && typeof scalar.source === "string" ? numberSpellingProblem(scalar.source) : undefined;
            if (problem !== undefined) {
                problems.push({ key: key || "(document)", message: `${at(node)}: ${problem}` });
            }
        } else if (isMap(node)) {
            for (const pair of [...node.items].reverse()) {
                // As written: `0755:` is the key 755 to this parser, 493 to another.
                const name = isScalar(pair.key) ? String((pair.key as Scalar & { source?: string }).source ?? pair.key.value) : String(pair.key);
                const childKey = join(key, name);
                stack.push({ node: pair.value, key: childKey });
                // A key is a scalar too (`030500:` is a number to one parser, a string to another).
                stack.push({ node: pair.key, key: childKey });
            }
        } else if (isSeq(node)) {
            for (let i = node.items.length - 1; i >= 0; i--) {
                stack.push({ node: node.items[i], key: `${key}[${i}]` });
            }
        }
    }
    const listed = aliases.slice(0, ALIASES_LISTED);
    if (aliases.length > ALIASES_LISTED) {
        const next = aliases[ALIASES_LISTED];
        listed.push({ key: next.key, message: `and ${aliases.length - ALIASES_LISTED} more YAML aliases from here on (not listed); allowed: no aliases` });
    }
    return { problems: [...listed, ...problems], fatal: aliases.length > 0 };
}

/** The stack file's text read as YAML: its value, and the problems of its spelling (see `stackFileTextProblems`). */
export function parseStackFileText(text: string, shown: string): { document: unknown; problems: ConfigProblem[] } {
    const lines = new LineCounter();
    try {
        const document = parseDocument(text, { lineCounter: lines });
        if (document.errors.length > 0) {
            throw document.errors[0];
        }
        const { problems, fatal } = stackFileTextProblems(document.contents, lines, shown);
        if (fatal) {
            // Aliases are never expanded: the configuration cannot be read, so these are all the problems.
            throw new ConfigError(problems);
        }
        return { document: document.toJS(), problems };
    } catch (err) {
        if (err instanceof ConfigError) {
            throw err;
        }
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
}

/** A file's name as messages show it: relative to the working directory when inside it. */
function shownPath(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith("..") ? relative : file;
}

/**
 * Reads a stack file's `config:` block and the problems only its text shows (number spellings).
 * Throws `StackFileError` when the file is missing or not a stack file, and `ConfigError` when it
 * holds YAML aliases.
 */
export function readStackConfigBlock(file: string, root: string): { config: { [key: string]: unknown }; problems: ConfigProblem[] } {
    if (!fs.existsSync(file)) {
        const stacks = availableStacks(root);
        throw new StackFileError(
            `stack file ${path.relative(process.cwd(), file) || file} not found; stacks here: ${stacks.length ? stacks.join(", ") : "none"}`,
        );
    }
    const { document, problems } = parseStackFileText(fs.readFileSync(file, "utf8"), shownPath(file));
    if (document === null || document === undefined) {
        return { config: {}, problems };
    }
    const config = (document as { config?: unknown }).config;
    if (typeof document !== "object" || Array.isArray(document) || (config !== undefined && (typeof config !== "object" || config === null || Array.isArray(config)))) {
        throw new StackFileError(`${file}: expected a mapping with an optional \`config:\` mapping`);
    }
    return { config: (config as { [key: string]: unknown }) ?? {}, problems };
}

/**
 * The config map and secret keys to evaluate `stack` with. Secrets: `secure:` values in the file and
 * every `SECRET_CONFIG_KEYS` entry the file does not set become placeholders (or the given `secrets`).
 */
export function loadRenderConfig(options: RenderConfigOptions): RenderConfig {
    const stackFile = options.stackFile ?? stackFilePath(options.root, options.stack);
    const read = readStackConfigBlock(stackFile, options.root);
    const block = { ...read.config };
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
    const problems = read.problems.concat(plainBesideSecure.map((key) => ({
        key,
        message: `is a secret stored in plain text beside encrypted entries (value not shown); remove it with \`pulumi config rm --path '${key}'\` and set it with \`pulumi config set --secret --path '${key}' <value>\``,
    })));
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
