/**
 * The config boundary: one walk over the raw stack configuration, before any section parser reads
 * it, that every key and string passes through. It refuses, all at once and each under its full key:
 *
 * - `__proto__`, `constructor` and `prototype` as keys anywhere (a service named `constructor`
 *   would otherwise read `Object.prototype.constructor`; `__proto__` would make merges drop siblings);
 * - nesting deeper than `LIMITS.depth`, more than `LIMITS.nodes` values, lists longer than
 *   `LIMITS.listItems`, keys and strings longer than their limits (a config error, never a `RangeError`);
 * - control characters in keys and strings (tab, line breaks, NUL, DEL, C1, bidi overrides and
 *   isolates, line/paragraph separators, BOM), except line breaks in a PEM certificate (checked as
 *   PEM by its reader) and in pass-through strings the chart hands on through `toYaml`;
 * - template syntax (`{{`, `}}`, Grafana's `$__`) in every string outside pass-through values: the
 *   program writes config strings into grafana.ini (which the chart runs through `tpl`), ArgoCD's
 *   ConfigMaps and Authentik; inside pass-through values only toYaml-handed subtrees may hold it;
 *   and in every key, anywhere (charts run whole maps through `tpl (toYaml ...)`, keys included);
 * - inside grafana.ini (pass-through sections), keys and values that Grafana's INI reader would read
 *   as structure: a key `[auth.anonymous]` opening that section, a value swallowing the next lines
 *   (stacks/grafanaIni.ts).
 *
 * The walk is iterative (no recursion) and reads own properties only.
 */
import { iniKeyProblem, iniShapeProblem, iniValueProblem, insideGrafanaIni } from "./grafanaIni";
import { PINNED_CHARTS } from "./chartKeys";
import { SECRET_KEYS } from "./hygiene";
import { passThroughText } from "./passThrough";
import { ProblemList, isPlainObject } from "./validation";

export const LIMITS = {
    /** Levels of nesting below a top-level key. Today's deepest value (a Prometheus volume claim) is 8. */
    depth: 24,
    /** Values (objects, lists and scalars) in the whole configuration. */
    nodes: 20_000,
    listItems: 500,
    keyLength: 253,
    stringLength: 4096,
    /** A PEM bundle of a few CA certificates. */
    pemLength: 65_536,
} as const;

/** Keys refused anywhere in config (and in the stack outputs verify reads): they name `Object.prototype` members. */
export const FORBIDDEN_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/** Top-level keys (project-relative) holding a PEM certificate: line breaks allowed, checked as PEM by the reader. */
const PEM_KEYS = new Set(["issuerCaCertificate"]);

/** Pass-through values and the chart whose allowlist decides how their strings may look. */
const PASS_THROUGH: { [topKey: string]: string } = {
    argocd: PINNED_CHARTS.argocd.name,
    grafana: PINNED_CHARTS.grafana.name,
};

/** Keys (project-relative, or full for other namespaces) holding secrets: their strings are never parsed for template syntax (a kept secret may hold any printable character). */
const SECRET_KEY_NAMES = new Set(SECRET_KEYS.map(({ key }) => key));

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

const CHARACTER_NAMES: { [char: string]: string } = {
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\u0000": "a NUL character",
};

function codePoint(char: string): string {
    return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Names the first forbidden control character of `value`, or undefined. `lineBreaks` allows \n and \r\n. */
export function controlCharacterProblem(value: string, lineBreaks: boolean): string | undefined {
    // Line breaks are blanked to spaces, not removed, so the position names the character in `value`.
    const text = lineBreaks ? value.replace(/\r\n|\n/g, (lineBreak) => " ".repeat(lineBreak.length)) : value;
    const match = CONTROL.exec(text);
    if (match === null) {
        return undefined;
    }
    const char = match[0];
    const name = CHARACTER_NAMES[char] ?? (/[\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]/.test(char) ? "a bidirectional control" : "a control character");
    return `contains ${name} (${codePoint(char)}) at character ${match.index + 1}`;
}

/** Template syntax that Helm's `tpl` or Grafana's variable expansion would evaluate. */
export function templateSyntaxProblem(value: string): string | undefined {
    const found = ["{{", "}}", "$__"].find((token) => value.includes(token));
    return found === undefined
        ? undefined
        : `contains ${JSON.stringify(found)}, template syntax that Helm's tpl (grafana.ini) or Grafana's $__env/$__file expansion would evaluate`;
}

/** Formats one key segment as users write it: quoted when it is not a plain name. */
export function keySegment(key: string): string {
    return /^[A-Za-z0-9_@/-]+$/.test(key) ? key : JSON.stringify(key);
}

interface Frame {
    value: unknown;
    /** The full key, e.g. `homelab-sso:grafana.extraValues.grafana."grafana.ini"`. */
    key: string;
    depth: number;
    /** How strings here may look. */
    text: "plain" | "pem" | "secret" | "toYaml" | "passThrough";
    /** Pass-through: the chart and the path inside its values (empty outside pass-through values). */
    chart?: string;
    segments: string[];
}

/**
 * Walks `raw` and records every boundary problem. Returns false when the structure itself is unsafe
 * to read further (a forbidden key, too deep, too large): the section parsers are then skipped, and
 * only these problems are reported.
 */
export function checkConfigBoundary(raw: { [key: string]: unknown }, project: string, problems: ProblemList): boolean {
    let safe = true;
    let nodes = 0;
    const stack: Frame[] = [];
    for (const key of Object.keys(raw).reverse()) {
        const relative = key.startsWith(`${project}:`) ? key.slice(project.length + 1) : undefined;
        const text = SECRET_KEY_NAMES.has(key) || (relative !== undefined && SECRET_KEY_NAMES.has(relative)) ? "secret" : relative !== undefined && PEM_KEYS.has(relative) ? "pem" : "plain";
        const chart = relative !== undefined ? PASS_THROUGH[relative] : undefined;
        // Stryker disable next-line ArrayDeclaration: equivalent; a top-level frame's segments are never read (entering extraValues starts them afresh)
        stack.push({ value: raw[key], key, depth: 0, text, chart, segments: [] });
    }
    while (stack.length > 0) {
        const frame = stack.pop()!;
        nodes++;
        if (nodes > LIMITS.nodes) {
            problems.add(frame.key, `the configuration holds more than ${LIMITS.nodes} values; allowed: at most ${LIMITS.nodes}`);
            return false;
        }
        const { value } = frame;
        const ini = frame.text === "passThrough" && insideGrafanaIni(frame.chart, frame.segments);
        const shape = ini ? iniShapeProblem(frame.segments, value) : undefined;
        if (shape !== undefined) {
            problems.add(frame.key, shape);
        }
        if (typeof value === "string") {
            checkString(frame, value, problems, ini);
            continue;
        }
        if (!isPlainObject(value) && !Array.isArray(value)) {
            continue;
        }
        if (frame.depth >= LIMITS.depth) {
            problems.add(frame.key, `nests deeper than ${LIMITS.depth} levels; allowed: at most ${LIMITS.depth} levels of objects and lists`);
            safe = false;
            continue;
        }
        if (Array.isArray(value)) {
            if (value.length > LIMITS.listItems) {
                problems.add(frame.key, `lists ${value.length} items; allowed: at most ${LIMITS.listItems}`);
                safe = false;
                continue;
            }
            for (let i = value.length - 1; i >= 0; i--) {
                stack.push(child(frame, value[i], `[${i}]`, String(i)));
            }
            continue;
        }
        // Keys are checked in their order; the children go on the stack reversed, so they are walked in order too.
        const children: Frame[] = [];
        for (const key of Object.keys(value)) {
            const keyName = `${frame.key}.${keySegment(key)}`;
            if (FORBIDDEN_KEYS.includes(key)) {
                problems.add(
                    keyName,
                    `${JSON.stringify(key)} is not allowed as a key: it is a reserved JavaScript property name (it would reach Object.prototype), refused everywhere; allowed: any other name`,
                );
                safe = false;
                continue;
            }
            if (key.length > LIMITS.keyLength) {
                problems.add(keyName, `the key is ${key.length} characters long; allowed: at most ${LIMITS.keyLength}`);
                safe = false;
                continue;
            }
            const control = controlCharacterProblem(key, false);
            if (control !== undefined) {
                problems.add(keyName, `the key ${control}; allowed: printable characters only`);
                safe = false;
                continue;
            }
            const template = templateSyntaxProblem(key);
            if (template !== undefined) {
                problems.add(keyName, `the key ${template}; allowed: a key without {{, }} or $__`);
            }
            const iniKey = frame.text === "passThrough" && insideGrafanaIni(frame.chart, [...frame.segments, key]) ? iniKeyProblem(key) : undefined;
            if (iniKey !== undefined) {
                problems.add(keyName, iniKey);
            }
            children.push(child(frame, value[key], `.${keySegment(key)}`, key));
        }
        stack.push(...children.reverse());
    }
    return safe;
}

function child(frame: Frame, value: unknown, suffix: string, segment: string): Frame {
    const next: Frame = { value, key: `${frame.key}${suffix}`, depth: frame.depth + 1, text: frame.text, chart: frame.chart, segments: frame.segments };
    if (frame.depth === 0 && frame.chart !== undefined && segment === "extraValues") {
        return { ...next, text: "passThrough", segments: [] };
    }
    // Below a toYaml value everything is toYaml (`next` keeps the text); below a pass-through value the
    // allowlist decides, path by path.
    if (frame.text === "passThrough") {
        const segments = [...frame.segments, segment];
        const text = passThroughText(frame.chart!, segments) === "toYaml" ? "toYaml" : "passThrough";
        return { ...next, text, segments };
    }
    return next;
}

function checkString(frame: Frame, value: string, problems: ProblemList, ini: boolean): void {
    const limit = frame.text === "pem" ? LIMITS.pemLength : LIMITS.stringLength;
    if (value.length > limit) {
        problems.add(frame.key, `is ${value.length} characters long; allowed: at most ${limit}`);
        return;
    }
    const lineBreaks = frame.text === "pem" || frame.text === "toYaml";
    const control = controlCharacterProblem(value, lineBreaks);
    if (control !== undefined) {
        const allowed = frame.text === "pem" ? "a PEM certificate, whose only control characters are line breaks" : "printable characters only (no tab, line break, NUL or bidirectional control)";
        problems.add(frame.key, `${control}; allowed: ${allowed}`);
        return;
    }
    if (frame.text === "plain" || frame.text === "passThrough") {
        const template = templateSyntaxProblem(value);
        if (template !== undefined) {
            const allowed =
                frame.text === "passThrough"
                    ? "plain text; template syntax only in values the chart hands on through toYaml (e.g. additionalPrometheusRulesMap)"
                    : "plain text without {{, }} or $__";
            problems.add(frame.key, `${template}; allowed: ${allowed}`);
            return;
        }
    }
    const iniValue = ini ? iniValueProblem(value) : undefined;
    if (iniValue !== undefined) {
        problems.add(frame.key, iniValue);
    }
}
