/**
 * The offline render (`npm run render`): evaluates the real program for one stack under the recording
 * mock runtime and turns what it registered into a masked `RenderDocument`, a tree, files or a diff.
 * `scripts/render.ts` is only the command line around `runRenderCli`.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../stacks/validation";
import { CliOptions, cliTokens, requireValue } from "./cliArgs";
import { evaluateProgram } from "./mockRuntime";
import { loadRenderConfig, RenderConfig, RenderConfigOptions, StackFileError, StackFileSyntaxError } from "./renderConfig";
import { diffDocuments, formatDiff } from "./renderDiff";
import { buildRenderDocument, parseRenderDocument, RenderDocument, renderJson, scrubberFor } from "./renderDocument";
import { planRenderFiles, writeRenderFiles } from "./renderFiles";
import { formatRenderTree } from "./renderTree";
import { SecretScrubber, sortKeysDeep } from "./secretMask";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export interface RenderOptions extends RenderConfigOptions {
    /** Evaluate as `pulumi preview` would (unknown values stay unknown). Default false. */
    preview?: boolean;
    /** The program module to evaluate. Default: the project's `index.ts` (tests use small fixtures). */
    program?: string;
}

export interface RenderResult {
    document: RenderDocument;
    /** Knows every secret plaintext of this render; run all printed or written text through it. */
    scrubber: SecretScrubber;
    config: RenderConfig;
}

/** Evaluates the stack and builds its masked document. Throws the program's `ConfigError` unchanged. */
export async function renderStack(options: RenderOptions): Promise<RenderResult> {
    const config = loadRenderConfig(options);
    const secretValues = config.secretValues;
    let evaluation;
    try {
        evaluation = await evaluateProgram({ stack: options.stack, config: config.config, secretKeys: config.secretKeys, preview: options.preview, program: options.program });
        if (config.problems.length > 0) {
            throw new ConfigError(config.problems);
        }
    } catch (err) {
        if (config.problems.length > 0 && err instanceof ConfigError && err.problems !== config.problems) {
            err = new ConfigError([...config.problems, ...err.problems]);
        }
        // Whatever the program threw must not carry a secret into a log line either.
        const scrubber = new SecretScrubber();
        secretValues.forEach((v) => scrubber.add(v));
        if (err instanceof Error) {
            err.message = scrubber.scrubText(err.message);
            err.stack = err.stack ? scrubber.scrubText(err.stack) : err.stack;
        }
        throw err;
    }
    const scrubber = scrubberFor(evaluation, secretValues);
    const document = buildRenderDocument(
        evaluation,
        scrubber,
        config.placeholders.map((p) => p.key),
    );
    return { document, scrubber, config };
}

export interface RenderArgs {
    stack: string;
    json: boolean;
    out?: string;
    diff?: string;
    stackFile?: string;
}

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export const RENDER_USAGE = `usage: npm run -s render -- --stack <name> [--json] [--out <dir>] [--diff <earlier.json>] [--stack-file <path>]
  --stack <name>, -s   render Pulumi.<name>.yaml
  --json               print the machine-readable document (or, with --diff, the diff) instead of the tree
  --out <dir>          also write k8s/<namespace>/<kind>-<name>.yaml, helm/<release>-values.yaml, authentik/<type>-<name>.yaml
  --diff <earlier>     compare with an earlier \`--json\` render: added, removed and changed resources, by key
  --stack-file <path>  read the stack's config from this file instead of Pulumi.<name>.yaml
  --help, -h           print this help
A value follows its option as the next word or inline (--stack=prod); any other argument is refused.
(-s after \`npm run\` keeps npm's own banner out of the output, so \`--json > file\` writes only JSON.)
exit codes: 0 rendered, 2 invalid stack configuration (or a stack file that is not valid YAML), 1 any other failure`;

/** What `parseRenderArgs` found: render arguments, or a request for help. */
export type ParsedRenderArgs = { help: true } | ({ help: false } & RenderArgs);

const RENDER_OPTIONS: CliOptions = {
    help: { type: "boolean", short: "h" },
    stack: { type: "string", short: "s" },
    json: { type: "boolean" },
    out: { type: "string" },
    diff: { type: "string" },
    "stack-file": { type: "string" },
};

export function parseRenderArgs(argv: string[]): ParsedRenderArgs {
    const args: Partial<RenderArgs> = { json: false };
    const seen = new Map<string, string>();
    const once = (flag: string, spelling: string) => {
        const earlier = seen.get(flag);
        if (earlier !== undefined) {
            throw new UsageError(`${spelling} is given twice (also as ${earlier}); give each option once`);
        }
        seen.set(flag, spelling);
    };
    for (const token of cliTokens(argv, RENDER_OPTIONS)) {
        if (token.kind === "unknown" && token.arg.startsWith("--json=")) {
            once("--json", "--json");
            throw new UsageError("--json takes no value");
        }
        if (token.kind === "unknown") {
            throw new UsageError(`unknown argument ${JSON.stringify(token.arg)}`);
        }
        const { name, flag } = token;
        if (name === "help") {
            return { help: true };
        }
        const take = (): string =>
            requireValue(token, "-", (message) => {
                throw new UsageError(message);
            });
        once(`--${name}`, flag);
        switch (name) {
            case "stack":
                args.stack = take();
                break;
            case "json":
                args.json = true;
                break;
            case "out":
                args.out = take();
                break;
            case "diff":
                args.diff = take();
                break;
            default:
                args.stackFile = take();
        }
    }
    if (!args.stack) {
        throw new UsageError("--stack <name> is required");
    }
    if (!/^[A-Za-z0-9._-]+$/.test(args.stack)) {
        throw new UsageError(`--stack ${JSON.stringify(args.stack)}: a stack name has only letters, digits, ".", "_" and "-"`);
    }
    const fileStack = args.stackFile ? /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(args.stackFile))?.[1] : undefined;
    if (fileStack !== undefined && fileStack !== args.stack) {
        throw new UsageError(`--stack ${args.stack} conflicts with --stack-file ${args.stackFile}, which is stack ${fileStack}'s file; pass --stack ${fileStack}`);
    }
    return { help: false, ...(args as RenderArgs) };
}

export interface RenderIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Directory relative paths on the command line are resolved against. Default: process.cwd(). */
    cwd?: string;
}

/** A file-system failure as a plain sentence (no error codes or stack traces). */
export function fileProblem(code: string, wanted: string): string {
    switch (code) {
        case "ENOENT":
            return "no such file or directory";
        case "ENOTDIR":
            return `a file is in the way (this path, or one of its parent directories, is a file); expected ${wanted}`;
        case "EISDIR":
            return `is a directory; expected ${wanted}`;
        case "EEXIST":
            return `a file with that name already exists; expected ${wanted}`;
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "EROFS":
            return "the file system is read-only";
        case "ENOSPC":
            return "no space left on the device";
        default:
            return `cannot be used (${code}); expected ${wanted}`;
    }
}

/** Runs the command line; returns the exit code. Never throws. */
export async function runRenderCli(argv: string[], io: RenderIo, root = PROJECT_ROOT): Promise<number> {
    let scrubber = new SecretScrubber();
    const fail = (code: number, message: string): number => {
        io.stderr(scrubber.scrubText(message.endsWith("\n") ? message : `${message}\n`));
        return code;
    };
    let args: RenderArgs;
    try {
        const parsed = parseRenderArgs(argv);
        if (parsed.help) {
            io.stdout(`${RENDER_USAGE}\n`);
            return 0;
        }
        args = parsed;
    } catch (err) {
        return fail(1, `render: ${(err as Error).message}\n${RENDER_USAGE}`);
    }
    const cwd = io.cwd ?? process.cwd();
    const resolve = (p: string) => path.resolve(cwd, p);

    // Read the earlier render first: a bad --diff argument fails before the (slower) evaluation.
    let earlier: RenderDocument | undefined;
    if (args.diff) {
        try {
            earlier = parseRenderDocument(fs.readFileSync(resolve(args.diff), "utf8"), args.diff);
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            return fail(1, `render: --diff ${code ? `${args.diff}: ${fileProblem(code, "an earlier --json render")}` : (err as Error).message}`);
        }
    }

    let result: RenderResult;
    try {
        result = await renderStack({ root, stack: args.stack, stackFile: args.stackFile ? resolve(args.stackFile) : undefined });
    } catch (err) {
        if (err instanceof ConfigError || (err as Error)?.name === "ConfigError") {
            return fail(2, `render: stack "${args.stack}" has invalid configuration.\n${(err as Error).message}`);
        }
        if (err instanceof StackFileSyntaxError) {
            return fail(2, `render: stack "${args.stack}" has invalid configuration.\n${err.message}`);
        }
        if (err instanceof StackFileError) {
            return fail(1, `render: ${err.message}`);
        }
        return fail(1, `render: evaluating stack "${args.stack}" failed: ${(err as Error)?.stack ?? String(err)}`);
    }
    scrubber = result.scrubber;
    const { document } = result;

    try {
        if (args.out) {
            const files = planRenderFiles(document).map((f) => ({ path: f.path, content: scrubber.scrubText(f.content) }));
            try {
                writeRenderFiles(resolve(args.out), files);
            } catch (err) {
                const code = (err as NodeJS.ErrnoException).code;
                throw new Error(code ? `--out ${args.out}: ${fileProblem(code, "a directory for the files")}` : (err as Error).message.replace(resolve(args.out), args.out));
            }
            io.stderr(`render: wrote ${files.length} files to ${args.out}\n`);
        }
        if (earlier) {
            const diff = diffDocuments(earlier, document);
            const stackFile = path.relative(cwd, result.config.stackFile) || result.config.stackFile;
            const text = args.json
                ? JSON.stringify(sortKeysDeep({ base: args.diff, stack: document.stack, stackFile, ...diff }), null, 2) + "\n"
                : formatDiff(diff, `Render diff for stack "${document.stack}" (${args.diff} → ${stackFile} with this checkout's program)`);
            io.stdout(scrubber.scrubText(text));
        } else if (args.json) {
            io.stdout(renderJson(document, scrubber));
        } else {
            io.stdout(scrubber.scrubText(formatRenderTree(document)));
        }
    } catch (err) {
        return fail(1, `render: ${(err as Error).message}`);
    }
    return 0;
}
