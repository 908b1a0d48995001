/**
 * What a pass-through key or value inside `grafana."grafana.ini"` may look like, so that it stays one
 * `key = value` line of the section it is written in.
 *
 * How the text is made and read (facts, not guesses):
 * - The grafana chart (11.1.7, `templates/_config.tpl`) prints grafana.ini raw: first the non-map
 *   entries as `key = value`, then per map entry `[section]` and its entries as `key = value`, every
 *   level in sorted key order, strings through `tpl`, other values as Go prints them (`[a b]`,
 *   `map[k:v]`), nothing escaped.
 * - Grafana reads the file with gopkg.in/ini.v1 `ini.Load` and default options (pkg/setting,
 *   `loadSpecifiedConfigFile`). ini.v1 (v1.67.0, parser.go): a line starting with `[` opens a section
 *   (the name runs to the line's last `]`); `#` and `;` start a comment line; a key ends at the first
 *   `=` or `:` and is trimmed; a key may be quoted with `"`, `"""` or a backtick; a value starting with
 *   `"""` or a backtick runs over the following lines to its closing quote; a value ending in `\` takes
 *   the next line too; `#` or `;` inside a value starts an inline comment. Section and key names are
 *   case-sensitive, so `[Auth]` is not `[auth]`, and a section `a.b` inherits keys it lacks from `a`.
 *
 * So a key holding `[` would open a section (`[auth.anonymous] = x` starts Grafana's anonymous-access
 * section, and the keys sorted after it land there), and a value ending in `\` or opening a multi-line
 * quote would swallow the next section's header or the sections after it. Keys and values here are
 * refused when they could do either, which is what keeps the sections the program owns (server, auth,
 * auth.generic_oauth) out of reach of the sections passed through (stacks/passThrough.ts).
 */

/** Where grafana.ini sits in a chart's values: the chart and the path from its values root. */
export const GRAFANA_INI = { chart: "kube-prometheus-stack", path: ["grafana", "grafana.ini"] } as const;

/** Whether `segments` (a path in `chart`'s values) is inside grafana.ini: a section name or below one. */
export function insideGrafanaIni(chart: string | undefined, segments: readonly string[]): boolean {
    return chart === GRAFANA_INI.chart && segments.length > GRAFANA_INI.path.length && GRAFANA_INI.path.every((s, i) => segments[i] === s);
}

/** Characters ini.v1 reads as structure in a key: section brackets, key-value delimiters, comments, quotes. */
const INI_KEY_STRUCTURE = /[[\]=:;#"'`]/;

const INI_KEY_ALLOWED = "a name without [ ] = : ; # or quote characters and without spaces at either end, e.g. `level` or `filters`";

/** Why `key` would not stay one key name in grafana.ini, or undefined. Control characters are the boundary's. */
export function iniKeyProblem(key: string): string | undefined {
    if (key.trim() === "") {
        return `the key ${JSON.stringify(key)} is empty, which ini.v1 refuses (Grafana would not start); allowed: ${INI_KEY_ALLOWED}`;
    }
    const structure = INI_KEY_STRUCTURE.exec(key);
    if (structure !== null) {
        const what = structure[0] === "[" || structure[0] === "]" ? "a section bracket" : structure[0] === "=" || structure[0] === ":" ? "a key-value delimiter" : structure[0] === ";" || structure[0] === "#" ? "a comment character" : "a quote character";
        return (
            `the key contains ${JSON.stringify(structure[0])} (${what}): the chart prints grafana.ini keys raw, and Grafana's INI reader (gopkg.in/ini.v1) ` +
            `would read it as structure, e.g. a key "[auth.anonymous]" opens that section for the keys after it; allowed: ${INI_KEY_ALLOWED}`
        );
    }
    if (key !== key.trim()) {
        return `the key has spaces at its start or end, which ini.v1 trims (it would be another key than the one written); allowed: ${INI_KEY_ALLOWED}`;
    }
    return undefined;
}

const INI_VALUE_ALLOWED = "one line of text without # or ; that neither starts with a backtick or \"\"\" nor ends with a backslash";

/** Why the string `value` would not stay one value of its own line in grafana.ini, or undefined. */
export function iniValueProblem(value: string): string | undefined {
    const text = value.trim();
    if (text.startsWith("`") || text.startsWith('"""')) {
        return `starts with ${JSON.stringify(text.startsWith("`") ? "`" : '"""')}, which makes Grafana's INI reader (gopkg.in/ini.v1) read the following lines, other sections included, as this value up to the closing quote; allowed: ${INI_VALUE_ALLOWED}`;
    }
    if (text.endsWith("\\")) {
        return `ends with a backslash, which makes Grafana's INI reader (gopkg.in/ini.v1) take the next line, such as the next section's [header], into this value; allowed: ${INI_VALUE_ALLOWED}`;
    }
    const comment = /[#;]/.exec(text);
    if (comment !== null) {
        return `contains ${JSON.stringify(comment[0])}, where Grafana's INI reader (gopkg.in/ini.v1) starts an inline comment: Grafana would see only the text before it; allowed: ${INI_VALUE_ALLOWED}`;
    }
    return undefined;
}

/** Why a list or map at `segments` inside grafana.ini cannot be written there, or undefined when it can. */
export function iniShapeProblem(segments: readonly string[], value: unknown): string | undefined {
    const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
    if (segments.length === GRAFANA_INI.path.length + 1) {
        return isMap ? undefined : "must be a map of INI keys (a grafana.ini section); the chart prints anything else as a key before every section";
    }
    if (isMap || Array.isArray(value)) {
        return `is a ${isMap ? "map" : "list"} inside an INI section, which the chart prints as Go's text (\`${isMap ? "map[k:v]" : "[a b]"}\`), not as INI; allowed: a string, number or boolean`;
    }
    return undefined;
}
