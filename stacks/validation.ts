/**
 * The config schema's building blocks (zod) and the problem list they report into.
 *
 * Every check records a problem (config key, what is wrong, what is allowed) instead of throwing, so
 * one run reports every mistake at once. `ConfigError` is thrown once, after all sections were read,
 * and before any resource exists.
 */

import { z } from "zod";
import { editDistance } from "./rules";

export interface ConfigProblem {
    /** The full config key as a user would type it with `pulumi config set --path`, e.g. `homelab-sso:authentik.nodePorts.http`. */
    key: string;
    /** What is wrong and what is allowed. Never contains a secret value. */
    message: string;
}

export class ConfigError extends Error {
    constructor(public readonly problems: ConfigProblem[]) {
        super(ConfigError.format(problems));
        this.name = "ConfigError";
    }

    static format(problems: ConfigProblem[]): string {
        const noun = problems.length === 1 ? "problem" : "problems";
        const lines = problems.map((p) => `  - ${p.key}: ${p.message}`);
        return `Invalid stack configuration (${problems.length} ${noun}):\n${lines.join("\n")}`;
    }
}

/** A plain JSON object (config sections are objects). */
export type ConfigObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is ConfigObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a value for an error message without risking a long dump. */
export function describe(value: unknown): string {
    if (value === undefined) {
        return "nothing";
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
        // JSON has no Infinity or NaN (it would print null).
        return String(value);
    }
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Collects problems while reading one stack's configuration. */
export class ProblemList {
    readonly problems: ConfigProblem[] = [];

    add(key: string, message: string): void {
        this.problems.push({ key, message });
    }

    /** Whether a problem is recorded for `key` or a key inside it (`key.field`, `key[0]`). */
    hasAt(key: string): boolean {
        return this.problems.some((p) => p.key === key || p.key.startsWith(`${key}.`) || p.key.startsWith(`${key}[`));
    }

    /** Drops every problem after the first one recorded for each of `keys` (the later ones follow from it). */
    dropFollowOns(keys: ReadonlySet<string>): void {
        const seen = new Set<string>();
        const kept = this.problems.filter((p) => {
            if (!keys.has(p.key)) {
                return true;
            }
            const first = !seen.has(p.key);
            seen.add(p.key);
            return first;
        });
        this.problems.splice(0, this.problems.length, ...kept);
    }

    throwIfAny(): void {
        if (this.problems.length > 0) {
            throw new ConfigError(this.problems);
        }
    }
}

export interface IntegerRule {
    default?: number;
    min: number;
    max: number;
    /** Names the kind of number in messages, e.g. "NodePort". */
    what: string;
}

/*
 * The config schema's building blocks (zod). Each schema carries today's messages, so a section is
 * validated, typed (`z.output`) and described as JSON Schema (`z.toJSONSchema`) from one definition.
 * A problem's message comes from its schema; `readSchema` places it under its key path.
 */

/** A schema value with what the README's configuration table shows as its default, when no `default` says it. */
export interface ConfigMeta {
    description?: string;
    /** The Default column in words ("required", "`publicUrl`"); written to the table only, never to the JSON Schema. */
    "x-default"?: string;
    /** The placeholder of a map's keys in the table (`<name>`); table only. */
    "x-key-name"?: string;
    /** A JSON Schema keyword the program checks another way (e.g. a cross-field rule); schema only. */
    pattern?: string;
}

/** A string: `check` (a rules.ts check) gives the message; `pattern`, when given, is what JSON Schema says of it. */
export function text(rule: { pattern?: RegExp; check?: (value: string) => string | undefined } = {}): z.ZodString {
    let schema = z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? "is required" : `must be a string, got ${describe(issue.input)}`) });
    if (rule.pattern) {
        const pattern = rule.pattern;
        schema = schema.regex(pattern, {
            // The pattern is the schema's summary of the check: the check's words explain a refusal.
            error: (issue) => rule.check?.(issue.input as string) ?? `${describe(issue.input)} does not match ${pattern.source}`,
            abort: true,
        });
    }
    const check = rule.check;
    if (check) {
        schema = schema.check(
            z.superRefine((value: string, ctx) => {
                const message = check(value);
                if (message !== undefined) {
                    ctx.addIssue({ code: "custom", message, input: value });
                }
            }),
        );
    }
    return schema;
}

/** One of `values`, exactly. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
    return z.enum(values, {
        error: (issue) => (issue.input === undefined ? `is required; allowed: ${values.join(", ")}` : `${describe(issue.input)} is not allowed; allowed: ${values.join(", ")}`),
    });
}

/**
 * `true` or `false`, as YAML and `pulumi config set --path` store them. A quoted `"true"` is a string
 * and refused, the same rule as for integers, so the program and the JSON Schema (`type: boolean`) agree.
 */
export function flag(defaultValue: boolean) {
    return z.boolean({ error: (issue) => `must be true or false, got ${describe(issue.input)}` }).default(defaultValue);
}

/**
 * An integer from `min` to `max`. Only a JSON number is one: every integer this program reads sits
 * inside a structured value, where the stack file and `pulumi config set --path` (which stores `30500`
 * typed, but `030500` as a string) keep numbers typed. A quoted number is refused like any other
 * string, the rule the JSON Schema (`type: integer`) and pass-through NodePorts follow, so no spelling
 * (`"030500"`, `"3e4"`, `" 30500"`) is ever converted.
 */
export function integer(rule: IntegerRule & { default: number }) {
    const type = (issue: { input?: unknown }) =>
        `must be an integer ${rule.what} from ${rule.min} to ${rule.max}${typeof issue.input === "string" ? " (a number written without quotes)" : ""}, got ${describe(issue.input)}`;
    const range = (issue: { input?: unknown }) => `${issue.input as number} is outside the ${rule.what} range; allowed: ${rule.min}-${rule.max}`;
    return z
        .number({ error: type })
        .int({ error: type })
        .min(rule.min, { error: range })
        .max(rule.max, { error: range })
        .default(rule.default);
}

/** The Kubernetes NodePort range (kube-apiserver's default `--service-node-port-range`). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/** A NodePort of a Service this program creates. */
export function nodePort(description: string, defaultValue: number) {
    return integer({ ...NODE_PORT_RANGE, what: "NodePort", default: defaultValue }).meta({ description });
}

/** How `section` starts the message for a key it does not know; the allowed keys follow. */
const UNKNOWN_KEY_HERE = "unknown key; allowed keys here: ";

/**
 * The allowed key `key` is a near miss of (a typo or a slip of case: `nodeport` for `nodePorts`), if
 * one is: at most 2 edits, and fewer than a third of the key's length, so short keys get no guess.
 */
export function nearMiss(key: string, allowed: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const candidate of allowed) {
        const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return bestDistance <= Math.min(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** `message` about the unknown `key`, with "did you mean" when an allowed key is a near miss. */
export function unknownKeyMessage(key: string, allowed: readonly string[], message: string): string {
    const suggestion = nearMiss(key, allowed);
    return suggestion === undefined ? message : `${message}; did you mean \`${suggestion}\`?`;
}

/** An object with exactly `shape`'s keys: any other key is reported with the allowed ones (and the near miss). */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
    const allowed = Object.keys(shape).sort().join(", ");
    return z.strictObject(shape, {
        error: (issue) => (issue.code === "unrecognized_keys" ? `${UNKNOWN_KEY_HERE}${allowed}` : `must be an object, got ${describe(issue.input)}`),
    });
}

/** `schema` without its defaults and optionals. */
function unwrapped(schema: z.ZodType): z.ZodType {
    let inner: z.ZodType = schema;
    while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) {
        inner = inner.unwrap() as z.ZodType;
    }
    return inner;
}

/** The keys of `schema`, if it is an object. */
function objectShape(schema: z.ZodType): z.ZodRawShape | undefined {
    const inner = unwrapped(schema);
    return inner instanceof z.ZodObject ? inner.shape : undefined;
}

/** The item schema of `schema`, if it is a list. */
function listItems(schema: z.ZodType): z.ZodType | undefined {
    const inner = unwrapped(schema);
    return inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
}

/**
 * A blank value (`key:` with nothing, YAML null, or `""`) means "not set": the default applies. Only
 * the keys the schema describes are cleared, so a pass-through value keeps its nulls.
 */
function withoutBlanks(schema: z.ZodType, value: unknown): unknown {
    const items = listItems(schema);
    if (items && Array.isArray(value)) {
        return value.map((item) => withoutBlanks(items, item));
    }
    const shape = objectShape(schema);
    if (!shape || !isPlainObject(value)) {
        return value;
    }
    const result: ConfigObject = {};
    for (const [key, inner] of Object.entries(value)) {
        const field = Object.prototype.hasOwnProperty.call(shape, key) ? (shape[key] as z.ZodType) : undefined;
        if (field !== undefined && (inner === null || inner === "")) {
            continue;
        }
        result[key] = field === undefined ? inner : withoutBlanks(field, inner);
    }
    return result;
}

/**
 * What can be read of an invalid value: each valid field, and the default (or nothing) in place of an
 * invalid one, so that later sections are checked against something (their problems are real ones).
 */
function salvage(schema: z.ZodType, value: unknown): unknown {
    const whole = schema.safeParse(value);
    if (whole.success) {
        return whole.data;
    }
    const items = listItems(schema);
    if (items && Array.isArray(value)) {
        // An invalid item is left out: the list holds what can be used.
        return value.flatMap((item) => {
            const read = items.safeParse(item);
            return read.success ? [read.data] : [];
        });
    }
    const shape = objectShape(schema);
    if (!shape) {
        const fallback = schema.safeParse(undefined);
        return fallback.success ? fallback.data : undefined;
    }
    const object = isPlainObject(value) ? value : {};
    const result: ConfigObject = {};
    for (const [key, field] of Object.entries(shape)) {
        const own = Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
        const read = salvage(field as z.ZodType, own);
        if (read !== undefined) {
            result[key] = read;
        }
    }
    return result;
}

/** A blank top-level value is not set, as a blank field is (`withoutBlanks`). */
function blankAsUnset(value: unknown): unknown {
    return value === null || value === "" ? undefined : value;
}

/** A key path as users write it: `<prefix>.field`, `<prefix>.list[0]`. */
function keyPath(prefix: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>((key, segment) => (typeof segment === "number" ? `${key}[${segment}]` : `${key}.${String(segment)}`), prefix);
}

/**
 * Validates `value` (the config key `prefix`) against `schema`, records every problem under its key
 * path (one per unknown key), and returns the value read: the parsed value, or, when something is
 * wrong, what `salvage` can read (typed as the parsed value, its invalid fields left at their defaults).
 */
export function readSchema<S extends z.ZodType>(prefix: string, value: unknown, schema: S, problems: ProblemList): z.output<S> {
    const input = withoutBlanks(schema, blankAsUnset(value));
    const read = recordIssues(prefix, schema.safeParse(input), problems);
    return read.success ? read.data : (salvage(schema, input) as z.output<S>);
}

/** Like `readSchema`, but undefined when `value` has any problem. */
export function readValid<S extends z.ZodType>(prefix: string, value: unknown, schema: S, problems: ProblemList): z.output<S> | undefined {
    const read = recordIssues(prefix, schema.safeParse(withoutBlanks(schema, blankAsUnset(value))), problems);
    return read.success ? read.data : undefined;
}

function recordIssues<T>(prefix: string, result: z.ZodSafeParseResult<T>, problems: ProblemList): z.ZodSafeParseResult<T> {
    for (const issue of result.error?.issues ?? []) {
        if (issue.code === "invalid_key") {
            // A map's key: its own schema's message, placed at the key.
            problems.add(keyPath(prefix, issue.path), issue.issues[0]?.message ?? issue.message);
        } else if (issue.code === "unrecognized_keys") {
            const allowed = issue.message.startsWith(UNKNOWN_KEY_HERE) ? issue.message.slice(UNKNOWN_KEY_HERE.length).split(", ") : [];
            for (const key of issue.keys) {
                problems.add(keyPath(prefix, [...issue.path, key]), unknownKeyMessage(key, allowed, issue.message));
            }
        } else {
            problems.add(keyPath(prefix, issue.path), issue.message);
        }
    }
    return result;
}
