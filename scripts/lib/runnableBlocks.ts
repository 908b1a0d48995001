/**
 * The README's runnable blocks: fenced blocks whose info string is `sh e2e` (README, "Run it for real").
 * They hold only `npm` and `pulumi` commands (and the `export` of the environment those read), so a
 * script can run them as written, in order, in one shell from the repository root: the e2e does, and a
 * test checks that each command is one the project provides. Pure functions, shared by both.
 */

/** The info string that marks a runnable block. */
export const RUNNABLE_INFO = "sh e2e";

export interface RunnableBlock {
    /** 1-based line of the opening fence. */
    line: number;
    /** The block's text, the list indentation of its fence removed. */
    text: string;
}

/** Every runnable block of a Markdown text, in order. */
export function runnableBlocks(markdown: string): RunnableBlock[] {
    const blocks: RunnableBlock[] = [];
    const lines = markdown.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const open = /^( *)```(.*)$/.exec(lines[i]);
        if (!open) {
            continue;
        }
        const indent = open[1].length;
        let end = i + 1;
        while (end < lines.length && !/^ *```\s*$/.test(lines[end])) {
            end++;
        }
        if (open[2].trim() === RUNNABLE_INFO) {
            blocks.push({ line: i + 1, text: lines.slice(i + 1, end).map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join("\n") });
        }
        i = end;
    }
    return blocks;
}

/** A shell line's words, honouring single and double quotes (no expansion); a `#` that starts a word starts a comment. */
export function shellWords(line: string): string[] {
    const words: string[] = [];
    let word = "";
    let inWord = false;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === "'" || c === '"') {
            const close = line.indexOf(c, i + 1);
            if (close < 0) {
                throw new Error(`unterminated ${c} in: ${line}`);
            }
            word += line.slice(i + 1, close);
            inWord = true;
            i = close;
        } else if (/\s/.test(c)) {
            if (inWord) {
                words.push(word);
            }
            word = "";
            inWord = false;
        } else if (c === "#" && !inWord) {
            break;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord) {
        words.push(word);
    }
    return words;
}

/** The commands of a block: lines joined at trailing `\`, comments dropped, split at `&&`, as word lists. */
export function blockCommands(text: string): string[][] {
    const commands: string[][] = [];
    for (const line of text.replace(/\\\n/g, " ").split("\n")) {
        let current: string[] = [];
        for (const word of shellWords(line)) {
            if (word === "&&") {
                commands.push(current);
                current = [];
            } else {
                current.push(word);
            }
        }
        if (current.length > 0) {
            commands.push(current);
        }
    }
    return commands;
}

/** A pulumi (sub)command: its flags (long names without dashes, and one-letter short names) and subcommands. */
export interface CliCommand {
    flags: string[];
    subcommands?: { [name: string]: CliCommand };
}

export interface CommandCatalogue {
    /** `package.json` scripts. */
    npmScripts: string[];
    /** The pulumi CLI's command tree. */
    pulumi: CliCommand;
    /** Environment variables a block may `export` (the ones the npm scripts and the CLI read). */
    environment: string[];
}

/** What is wrong with one command of a runnable block, or undefined when the project provides it. */
export function commandProblem(words: string[], catalogue: CommandCatalogue): string | undefined {
    const [program, ...args] = words;
    if (program === "export") {
        const assignment = /^([A-Z_][A-Z0-9_]*)=./.exec(args[0] ?? "");
        if (args.length !== 1 || !assignment) {
            return "`export` takes one NAME=value";
        }
        return catalogue.environment.includes(assignment[1]) ? undefined : `exports ${assignment[1]}, which neither the npm scripts nor the pulumi CLI read (allowed: ${catalogue.environment.join(", ")})`;
    }
    if (program === "npm") {
        const rest = [...args];
        if (rest.shift() !== "run") {
            return "only `npm run <script>` is runnable here";
        }
        while (rest[0] === "-s" || rest[0] === "--silent") {
            rest.shift();
        }
        const script = rest.shift();
        if (!script || !catalogue.npmScripts.includes(script)) {
            return `npm script ${JSON.stringify(script ?? "")} is not in package.json`;
        }
        if (rest.length > 0 && rest[0] !== "--") {
            return "arguments to an npm script go after `--`";
        }
        return undefined;
    }
    if (program === "pulumi") {
        let command = catalogue.pulumi;
        const path: string[] = [];
        const rest = [...args];
        while (rest.length > 0 && !rest[0].startsWith("-") && command.subcommands?.[rest[0]]) {
            path.push(rest[0]);
            command = command.subcommands[rest.shift()!];
        }
        const positional = rest.find((w) => !w.startsWith("-"));
        if (path.length === 0 || (command.subcommands && positional !== undefined && rest[0] === positional)) {
            return `\`pulumi ${[...path, rest[0] ?? ""].join(" ")}\` is not a command of the pinned pulumi CLI (or not one the catalogue lists)`;
        }
        for (const word of rest) {
            const flag = /^--([a-z][a-z0-9-]*)(=.*)?$/.exec(word)?.[1] ?? /^-([a-zA-Z])$/.exec(word)?.[1];
            if (word.startsWith("-") && word !== "--" && (!flag || !command.flags.includes(flag))) {
                return `\`pulumi ${path.join(" ")}\` has no flag ${word}`;
            }
        }
        return undefined;
    }
    return `${program} is neither npm nor pulumi: cluster tooling and browsers stay in unmarked blocks`;
}
