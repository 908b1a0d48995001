/**
 * `npm run rehearsal [-- --stack <name>] [--stack-file <path>] [--out <file>] [--check]`: writes
 * docs/migration/rehearsal.md, the key-by-key change table of the first `pulumi up` on today's cluster
 * (see scripts/lib/rehearsal.ts).
 *
 * The committed table is generated from the frozen stack file `test/fixtures/Pulumi.<stack>.yaml` (the
 * configuration the migration is planned with), never from the live `Pulumi.<stack>.yaml`: an owner's
 * edit of the live file (a rotation, a new service) leaves it, and the test that checks it, alone.
 * `--out <file>` writes the table elsewhere and reads the live `Pulumi.<stack>.yaml` (the table for the
 * stack you are about to migrate); `--stack-file` names any other file. `--check` writes nothing and
 * exits 1 when the committed file is out of date.
 */
import * as fs from "fs";
import * as path from "path";
import { CliOptions, cliTokens, requireValue } from "./lib/cliArgs";
import { buildImportFiles } from "./lib/importFiles";
import { PROJECT_ROOT, renderStack } from "./lib/render";
import { frozenStackFilePath, stackFilePath } from "./lib/renderConfig";
import { buildRehearsal, formatRehearsal } from "./lib/rehearsal";
import { readToday } from "./lib/today";

export const REHEARSAL_FILE = path.join(PROJECT_ROOT, "docs", "migration", "rehearsal.md");

/** The rehearsal text for a stack (today's homelab is the `prod` stack), from its frozen stack file unless `stackFile` is given. */
export async function rehearsalText(stack = "prod", stackFile = frozenStackFilePath(PROJECT_ROOT, stack)): Promise<string> {
    const { document } = await renderStack({ root: PROJECT_ROOT, stack, stackFile });
    const today = readToday();
    return formatRehearsal(buildRehearsal(document, today, buildImportFiles(document, today)));
}

const REHEARSAL_USAGE = `usage: npm run rehearsal [-- --stack <name>] [--stack-file <path>] [--out <file>] [--check]
  (no --out)  writes docs/migration/rehearsal.md from the frozen test/fixtures/Pulumi.<name>.yaml
  --out       writes <file> instead, from the live Pulumi.<name>.yaml (or --stack-file)
A value follows its option as the next word or inline (--stack=prod); any other argument is refused.`;

interface RehearsalArgs {
    stack: string;
    stackFile?: string;
    out?: string;
    check: boolean;
}

const REHEARSAL_OPTIONS: CliOptions = {
    help: { type: "boolean", short: "h" },
    stack: { type: "string" },
    "stack-file": { type: "string" },
    out: { type: "string" },
    check: { type: "boolean" },
};

function readArgs(argv: string[]): RehearsalArgs | "help" {
    const args: RehearsalArgs = { stack: "prod", check: false };
    for (const token of cliTokens(argv, REHEARSAL_OPTIONS)) {
        if (token.kind === "unknown") {
            throw new Error(`unknown argument ${JSON.stringify(token.arg)}\n${REHEARSAL_USAGE}`);
        }
        const value = (): string =>
            requireValue(token, "-", (message) => {
                throw new Error(`${message}\n${REHEARSAL_USAGE}`);
            });
        switch (token.name) {
            case "help":
                return "help";
            case "stack":
                args.stack = value();
                break;
            case "stack-file":
                args.stackFile = path.resolve(process.cwd(), value());
                break;
            case "out":
                args.out = path.resolve(process.cwd(), value());
                break;
            default:
                args.check = true;
        }
    }
    if (!/^[A-Za-z0-9._-]+$/.test(args.stack)) {
        throw new Error(`--stack ${JSON.stringify(args.stack)} is not a stack name\n${REHEARSAL_USAGE}`);
    }
    return args;
}

async function main(argv: string[]): Promise<number> {
    const args = readArgs(argv);
    if (args === "help") {
        process.stdout.write(`${REHEARSAL_USAGE}\n`);
        return 0;
    }
    const out = args.out ?? REHEARSAL_FILE;
    // The committed table comes from the frozen stack file; a table written elsewhere, from the live one.
    const stackFile = args.stackFile ?? (out === REHEARSAL_FILE ? frozenStackFilePath(PROJECT_ROOT, args.stack) : stackFilePath(PROJECT_ROOT, args.stack));
    const text = await rehearsalText(args.stack, stackFile);
    const shown = (file: string) => path.relative(process.cwd(), file) || file;
    if (args.check) {
        const current = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "";
        if (current !== text) {
            process.stderr.write(`rehearsal: ${shown(out)} is out of date for ${shown(stackFile)}; run npm run rehearsal\n`);
            return 1;
        }
        return 0;
    }
    fs.writeFileSync(out, text);
    process.stderr.write(`rehearsal: wrote ${shown(out)} from ${shown(stackFile)}\n`);
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`rehearsal: ${(err as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
