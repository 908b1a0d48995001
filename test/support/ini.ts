/**
 * grafana.ini as the cluster would see it, for tests:
 * - `renderGrafanaIni` prints a `grafana.ini` values map the way the grafana chart 11.1.7 does
 *   (`templates/_config.tpl`, `grafana.configData`): the non-map entries first as `key = value`, then
 *   each map entry as `[section]` followed by its entries, every level in sorted key order (Go ranges
 *   over a map in key order), strings through `tpl`, nulls as `key =`, other values as Go's `%v`
 *   prints them. Nothing is quoted or escaped.
 * - `readIni` reads INI text the way gopkg.in/ini.v1 (v1.67.0) does with the default options Grafana's
 *   `ini.Load` uses, following its documented and observed rules (parser.go): leading whitespace
 *   skipped; `#`/`;` comment lines; `[name]` sections (the name runs to the line's last `]`, untrimmed,
 *   case-sensitive; a repeated section continues the first); keys end at the first `=` or `:` and are
 *   trimmed, may be quoted with `"`, `"""` or a backtick; values are trimmed, a value opening with `"""`
 *   or a backtick runs to its closing quote over following lines, a value ending in `\` continues on
 *   the next lines, `#`/`;` start an inline comment, and one pair of surrounding quotes is dropped; a
 *   repeated key's last value wins; a key `-` is numbered (`#1`, `#2`); keys before any section are in
 *   `DEFAULT`. Where ini.v1 returns an
 *   error (Grafana would not start), it throws.
 * It is this project's own reading of those rules, not a port of ini.v1.
 */

export type IniFile = { [section: string]: { [key: string]: string } };

/** Go's `%v` for a float64 (Helm's values hold every number as one): `%g` with shortest digits and exponent from 1e+06 / below 1e-04. */
export function goFloat(value: number): string {
    if (Number.isNaN(value)) {
        return "NaN";
    }
    if (!Number.isFinite(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    if (value === 0) {
        return Object.is(value, -0) ? "-0" : "0";
    }
    // JavaScript's shortest round-trip digits are Go's shortest digits.
    const [mantissa, exponentText] = Math.abs(value).toExponential().split("e");
    const exponent = Number(exponentText);
    const digits = mantissa.replace(".", "");
    const sign = value < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
        const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
        const magnitude = String(Math.abs(exponent)).padStart(2, "0");
        return `${sign}${digits[0]}${fraction}e${exponent < 0 ? "-" : "+"}${magnitude}`;
    }
    if (exponent < 0) {
        return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
    }
    const whole = digits.padEnd(exponent + 1, "0");
    const fraction = digits.slice(exponent + 1);
    return `${sign}${whole.slice(0, exponent + 1)}${fraction.length > 0 ? `.${fraction}` : ""}`;
}

/** Go's `%v` of a value from Helm's values (maps print with sorted keys). */
export function goText(value: unknown): string {
    if (value === null || value === undefined) {
        return "<nil>";
    }
    if (typeof value === "string") {
        return value;
    }
    if (typeof value === "boolean") {
        return String(value);
    }
    if (typeof value === "number") {
        return goFloat(value);
    }
    if (Array.isArray(value)) {
        return `[${value.map(goText).join(" ")}]`;
    }
    if (typeof value === "object") {
        const object = value as { [key: string]: unknown };
        return `map[${sortedKeys(object)
            .map((k) => `${k}:${goText(object[k])}`)
            .join(" ")}]`;
    }
    throw new Error(`no Go text for ${typeof value}`);
}

/** Go's sorted order of string map keys: by bytes (UTF-8), which is code point order. */
function sortedKeys(object: object): string[] {
    const codePoints = (s: string) => [...s].map((c) => c.codePointAt(0)!);
    return Object.keys(object).sort((a, b) => {
        const x = codePoints(a);
        const y = codePoints(b);
        for (let i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] !== y[i]) {
                return x[i] - y[i];
            }
        }
        return x.length - y.length;
    });
}

const isMap = (value: unknown): value is { [key: string]: unknown } => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The `grafana.ini` text the chart writes for `values` (the merged `grafana."grafana.ini"` map). `tpl`
 * evaluates a string holding template syntax; without one such a string is an error (the tests know
 * what each template in the values they render yields).
 */
export function renderGrafanaIni(values: { [key: string]: unknown }, tpl: (text: string) => string = refuseTemplates): string {
    const line = (key: string, value: unknown) => {
        if (value === null || value === undefined) {
            return `${key} =`;
        }
        return `${key} = ${typeof value === "string" ? tpl(value) : goText(value)}`;
    };
    const lines: string[] = [];
    for (const key of sortedKeys(values)) {
        if (!isMap(values[key])) {
            lines.push(line(key, values[key]));
        }
    }
    for (const key of sortedKeys(values)) {
        const section = values[key];
        if (isMap(section)) {
            lines.push(`[${key}]`);
            for (const entry of sortedKeys(section)) {
                lines.push(line(entry, section[entry]));
            }
        }
    }
    return lines.join("\n") + "\n";
}

function refuseTemplates(text: string): string {
    if (text.includes("{{")) {
        throw new Error(`renderGrafanaIni: ${JSON.stringify(text)} holds template syntax; pass a tpl that knows what it yields`);
    }
    return text;
}

export const DEFAULT_SECTION = "DEFAULT";

/** Whether `text` is surrounded by exactly one pair of `quote` (ini.v1's hasSurroundedQuote). */
function surroundedBy(text: string, quote: string): boolean {
    return text.length >= 2 && text[0] === quote && text[text.length - 1] === quote && text.indexOf(quote, 1) === text.length - 1;
}

/** Reads INI text as gopkg.in/ini.v1 does with Grafana's options (see the module comment). */
export function readIni(text: string): IniFile {
    const lines = text.split("\n");
    const file: IniFile = { [DEFAULT_SECTION]: {} };
    let section = file[DEFAULT_SECTION];
    // A key `-` is ini.v1's auto-increment key: `#1`, `#2`, ... counted per section.
    let autoIncrement = 1;
    let index = 0;
    const next = (): string | undefined => (index < lines.length ? lines[index++] : undefined);
    for (let raw = next(); raw !== undefined; raw = next()) {
        const line = raw.replace(/^\s+/, "");
        if (line === "" || line[0] === "#" || line[0] === ";") {
            continue;
        }
        if (line[0] === "[") {
            const close = line.lastIndexOf("]");
            if (close === -1) {
                throw new Error(`unclosed section: ${line}`);
            }
            const name = line.slice(1, close);
            if (name === "") {
                throw new Error("empty section name");
            }
            file[name] ??= {};
            section = file[name];
            autoIncrement = 1;
            continue;
        }
        const { key, rest } = readKey(line);
        if (key === "") {
            throw new Error(`empty key name: ${line}`);
        }
        section[key === "-" ? `#${autoIncrement++}` : key] = readValue(rest, next);
    }
    return file;
}

function readKey(line: string): { key: string; rest: string } {
    const quote = line.startsWith('"""') && line.length > 6 ? '"""' : line[0] === '"' ? '"' : line[0] === "`" ? "`" : "";
    if (quote !== "") {
        const end = line.indexOf(quote, quote.length);
        if (end === -1) {
            throw new Error(`missing closing key quote: ${line}`);
        }
        const delimiter = line.slice(end + quote.length).search(/[=:]/);
        if (delimiter === -1) {
            throw new Error(`key-value delimiter not found: ${line}`);
        }
        return { key: line.slice(quote.length, end).trim(), rest: line.slice(end + quote.length + delimiter + 1) };
    }
    const delimiter = line.search(/[=:]/);
    if (delimiter === -1) {
        throw new Error(`key-value delimiter not found: ${line}`);
    }
    if (delimiter === 0) {
        throw new Error(`empty key name: ${line}`);
    }
    return { key: line.slice(0, delimiter).trim(), rest: line.slice(delimiter + 1) };
}

function readValue(rest: string, next: () => string | undefined): string {
    const text = rest.replace(/^\s+/, "");
    if (text === "") {
        return "";
    }
    const quote = text.length > 3 && text.startsWith('"""') ? '"""' : text[0] === "`" ? "`" : "";
    if (quote !== "") {
        const body = text.slice(quote.length);
        const end = body.lastIndexOf(quote);
        if (end !== -1) {
            return body.slice(0, end);
        }
        // Multi-line: the value is every following line, line breaks kept, up to the closing quote.
        let value = `${body}\n`;
        for (let line = next(); line !== undefined; line = next()) {
            const close = line.lastIndexOf(quote);
            if (close !== -1) {
                return value + line.slice(0, close);
            }
            value += `${line}\n`;
        }
        throw new Error(`missing closing quote of a multi-line value: ${rest}`);
    }
    let value = text.trim();
    if (value.endsWith("\\")) {
        // Continuation: following lines (trimmed) are appended while each ends in a backslash.
        value = value.slice(0, -1);
        for (let line = next(); line !== undefined; line = next()) {
            const more = line.trim();
            if (more === "") {
                break;
            }
            value += more;
            if (!value.endsWith("\\")) {
                break;
            }
            value = value.slice(0, -1);
        }
        return value;
    }
    const comment = value.search(/[#;]/);
    if (comment !== -1) {
        value = value.slice(0, comment).trim();
    }
    if (surroundedBy(value, "'") || surroundedBy(value, '"')) {
        value = value.slice(1, -1);
    }
    return value;
}
