/**
 * The command-line scripts read their arguments with Node's `util.parseArgs`, through this one
 * function, and keep their own messages and exit codes: each walks the tokens in order and answers
 * `--help`, a missing value or an unknown argument the way its usage text says.
 *
 * `parseArgs` runs non-strict so that nothing is thrown in its words: an unknown option, a positional
 * word, `--` and a bundled short form (`-hx`, `-sprod`) all come back as `unknown`, with the word as
 * typed; the words after `--` are read as options again. A string option takes the next word as its value whatever it looks like (`--stack --json`
 * gives the value `--json`); each script decides whether such a value is missing. A flag given a
 * value (`--check=yes`) is `unknown` too.
 */
import { parseArgs } from "util";

/** The options a script knows: long name, its type, an optional one-letter alias, and whether it repeats. */
export type CliOptions = { [name: string]: { type: "string" | "boolean"; short?: string; multiple?: boolean } };

export type CliToken =
    /** `flag` is the option as typed (`--stack`, `-s`); `value` is undefined for a flag or when nothing followed; `inline` for `--name=value`. */
    | { kind: "option"; name: string; flag: string; value: string | undefined; inline: boolean }
    /** An argument no option accounts for, as typed (`--bogus=1`, `extra`, `--`, `-hx`). */
    | { kind: "unknown"; arg: string };

/** `argv`'s tokens in order, by `options`. */
export function cliTokens(argv: readonly string[], options: CliOptions): CliToken[] {
    const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
    const result: CliToken[] = [];
    const reported = new Set<number>();
    const unknown = (index: number) => {
        if (!reported.has(index)) {
            reported.add(index);
            result.push({ kind: "unknown", arg: argv[index] });
        }
    };
    for (const token of tokens) {
        if (token.kind === "option-terminator") {
            // No script takes `--`: it is an unknown word, and what follows is read as options again
            // (parseArgs would make it all positional), so a script that reports every problem names `--` alone.
            unknown(token.index);
            const rest = cliTokens(argv.slice(token.index + 1), options);
            return [...result, ...rest];
        }
        if (token.kind !== "option" || !Object.prototype.hasOwnProperty.call(options, token.name)) {
            unknown(token.index);
        } else if ((token.rawName.length === 2 && argv[token.index] !== token.rawName) || (token.inlineValue && options[token.name].type === "boolean")) {
            // `-hx` or `-sprod`: several options (or an attached value) in one word, which the scripts
            // take none of; `--check=yes`: a value for a flag.
            unknown(token.index);
        } else {
            result.push({ kind: "option", name: token.name, flag: token.rawName, value: token.value, inline: token.inlineValue ?? false });
        }
    }
    return result;
}

/**
 * The value of a string option, or what `missing` returns (given `<flag> needs a value`) when it has
 * none: nothing followed it, `--name=` ended there, or, written as a separate word, the word starts
 * with `optionPrefix` (`--stack --json`: the value was forgotten and the next option would be taken
 * for it). A value written inline is what the user meant (`--stack=-x` gives `-x`). Scripts whose
 * values may start with one dash (a negative number for verify to refuse by range) pass `"--"`.
 */
export function requireValue<Missing>(
    token: Extract<CliToken, { kind: "option" }>,
    optionPrefix: "-" | "--",
    missing: (message: string) => Missing,
): string | Missing {
    const { value, inline, flag } = token;
    if (value === undefined || (inline ? value === "" : value.startsWith(optionPrefix))) {
        return missing(`${flag} needs a value`);
    }
    return value;
}

/**
 * For a script whose one option is `--check`: whether it was given, or undefined, after writing
 * `<script>: unknown argument "<word>"` and the usage to stderr, for any other argument.
 */
export function readCheckFlag(argv: readonly string[], script: string, usage: string): boolean | undefined {
    let check = false;
    for (const token of cliTokens(argv, { check: { type: "boolean" } })) {
        if (token.kind === "unknown") {
            process.stderr.write(`${script}: unknown argument ${JSON.stringify(token.arg)}\n${usage}\n`);
            return undefined;
        }
        check = true;
    }
    return check;
}
