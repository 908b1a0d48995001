/**
 * `npm run rehearsal [-- --stack <name>] [--check]`: writes docs/migration/rehearsal.md, the key-by-key
 * change table of the first `pulumi up` on today's cluster (see scripts/lib/rehearsal.ts). `--check`
 * writes nothing and exits 1 when the committed file is out of date.
 */
import * as fs from "fs";
import * as path from "path";
import { buildImportFiles } from "./lib/importFiles";
import { PROJECT_ROOT, renderStack } from "./lib/render";
import { buildRehearsal, formatRehearsal } from "./lib/rehearsal";
import { readToday } from "./lib/today";

export const REHEARSAL_FILE = path.join(PROJECT_ROOT, "docs", "migration", "rehearsal.md");

/** The rehearsal text for a stack (today's homelab is the `prod` stack). */
export async function rehearsalText(stack = "prod"): Promise<string> {
    const { document } = await renderStack({ root: PROJECT_ROOT, stack });
    const today = readToday();
    return formatRehearsal(buildRehearsal(document, today, buildImportFiles(document, today)));
}

const REHEARSAL_USAGE = "usage: npm run rehearsal [-- --stack <name>] [--check]";

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(`${REHEARSAL_USAGE}\n`);
        return 0;
    }
    const check = argv.includes("--check");
    const stackIndex = argv.indexOf("--stack");
    const stack = stackIndex >= 0 ? argv[stackIndex + 1] : "prod";
    const unknown = argv.filter((a, i) => a !== "--check" && !(a === "--stack" || (stackIndex >= 0 && i === stackIndex + 1)));
    if (unknown.length > 0 || !stack) {
        throw new Error(REHEARSAL_USAGE);
    }
    const text = await rehearsalText(stack);
    if (check) {
        const current = fs.existsSync(REHEARSAL_FILE) ? fs.readFileSync(REHEARSAL_FILE, "utf8") : "";
        if (current !== text) {
            process.stderr.write(`rehearsal: ${REHEARSAL_FILE} is out of date; run npm run rehearsal\n`);
            return 1;
        }
        return 0;
    }
    fs.writeFileSync(REHEARSAL_FILE, text);
    process.stderr.write(`rehearsal: wrote ${REHEARSAL_FILE}\n`);
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
