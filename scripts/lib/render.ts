/**
 * The offline render (`npm run render`): evaluates the real program for one stack under the recording
 * mock runtime and turns what it registered into a masked `RenderDocument`, a tree, files or a diff.
 * `scripts/render.ts` is only the command line around `runRenderCli`.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../stacks/validation";
import { evaluateProgram } from "./mockRuntime";
import { loadRenderConfig, RenderConfig, RenderConfigOptions, StackFileError } from "./renderConfig";
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

export const RENDER_USAGE = `usage: npm run render -- --stack <name> [--json] [--out <dir>] [--diff <earlier.json>] [--stack-file <path>]
  --stack <name>       render Pulumi.<name>.yaml
  --json               print the machine-readable document (or, with --diff, the diff) instead of the tree
  --out <dir>          also write k8s/<namespace>/<kind>-<name>.yaml, helm/<release>-values.yaml, authentik/<type>-<name>.yaml
  --diff <earlier>     compare with an earlier \`--json\` render: added, removed and changed resources, by key
  --stack-file <path>  read the stack's config from this file instead of Pulumi.<name>.yaml
exit codes: 0 rendered, 2 invalid stack configuration, 1 any other failure`;

export function parseRenderArgs(argv: string[]): RenderArgs {
    const args: Partial<RenderArgs> = { json: false };
    const valueOf = (flag: string, i: number): string => {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith("--")) {
            throw new UsageError(`${flag} needs a value`);
        }
        return value;
    };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
        const take = (): string => {
            if (inline !== undefined) {
                return inline;
            }
            const value = valueOf(flag, i);
            i++;
            return value;
        };
        switch (flag) {
            case "--stack":
            case "-s":
                args.stack = take();
                break;
            case "--json":
                args.json = true;
                break;
            case "--out":
                args.out = take();
                break;
            case "--diff":
                args.diff = take();
                break;
            case "--stack-file":
                args.stackFile = take();
                break;
            default:
                throw new UsageError(`unknown argument ${JSON.stringify(argv[i])}`);
        }
    }
    if (!args.stack) {
        throw new UsageError("--stack <name> is required");
    }
    if (!/^[A-Za-z0-9._-]+$/.test(args.stack)) {
        throw new UsageError(`--stack ${JSON.stringify(args.stack)}: a stack name has only letters, digits, ".", "_" and "-"`);
    }
    return args as RenderArgs;
}

export interface RenderIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Directory relative paths on the command line are resolved against. Default: process.cwd(). */
    cwd?: string;
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
        args = parseRenderArgs(argv);
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
            return fail(1, `render: --diff ${(err as NodeJS.ErrnoException).code === "ENOENT" ? `${args.diff}: no such file` : (err as Error).message}`);
        }
    }

    let result: RenderResult;
    try {
        result = await renderStack({ root, stack: args.stack, stackFile: args.stackFile ? resolve(args.stackFile) : undefined });
    } catch (err) {
        if (err instanceof ConfigError || (err as Error)?.name === "ConfigError") {
            return fail(2, `render: stack "${args.stack}" has invalid configuration.\n${(err as Error).message}`);
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
            writeRenderFiles(resolve(args.out), files);
            io.stderr(`render: wrote ${files.length} files to ${args.out}\n`);
        }
        if (earlier) {
            const diff = diffDocuments(earlier, document);
            const text = args.json
                ? JSON.stringify(sortKeysDeep({ base: args.diff, stack: document.stack, ...diff }), null, 2) + "\n"
                : formatDiff(diff, `Render diff for stack "${document.stack}" (${args.diff} → this checkout)`);
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
