/**
 * `npm run import-files -- --stack <name> [--out <dir>] [--provider-pk <client_id>=<pk>]... [--without <resource>]... [--check]`
 *
 * Writes `<out>/<stack>-kubernetes.json` and `<out>/<stack>-authentik.json` for `pulumi import --file`,
 * generated from the offline render of the stack (see scripts/lib/importFiles.ts). Default `--out`:
 * docs/migration/import (the committed files, with pk placeholders), generated from the frozen stack
 * file `test/fixtures/Pulumi.<stack>.yaml`, so an owner's edit of the live stack file changes neither
 * them nor their test. With another `--out` (the migration's real run) the source is the live
 * `Pulumi.<stack>.yaml`; `--stack-file` names any other. `--check` writes nothing and exits 1 when the
 * files in `--out` differ from what the program generates now.
 */
import * as fs from "fs";
import * as path from "path";
import { CliOptions, cliTokens, requireValue } from "./lib/cliArgs";
import { buildImportFiles, importFileText } from "./lib/importFiles";
import { PROJECT_ROOT, renderStack } from "./lib/render";
import { frozenStackFilePath, stackFilePath } from "./lib/renderConfig";
import { readToday } from "./lib/today";

export const DEFAULT_IMPORT_DIR = path.join(PROJECT_ROOT, "docs", "migration", "import");

const USAGE = `usage: npm run import-files -- --stack <name> [--out <dir>] [--stack-file <path>] [--provider-pk <client_id>=<pk>]... [--without <resource name>]... [--check]
  (no --out)  docs/migration/import, from the frozen test/fixtures/Pulumi.<name>.yaml
  --out       another directory, from the live Pulumi.<name>.yaml (or --stack-file)
A value follows its option as the next word or inline (--stack=prod); any other argument is refused.`;

const IMPORT_FILES_OPTIONS: CliOptions = {
    help: { type: "boolean", short: "h" },
    stack: { type: "string" },
    out: { type: "string" },
    "stack-file": { type: "string" },
    "provider-pk": { type: "string", multiple: true },
    without: { type: "string", multiple: true },
    check: { type: "boolean" },
};

async function main(argv: string[]): Promise<number> {
    let stack: string | undefined;
    let out = DEFAULT_IMPORT_DIR;
    let check = false;
    let stackFile: string | undefined;
    const providerPks: { [clientId: string]: string } = {};
    const without: string[] = [];
    for (const token of cliTokens(argv, IMPORT_FILES_OPTIONS)) {
        if (token.kind === "unknown") {
            throw new Error(`unknown argument ${JSON.stringify(token.arg)}\n${USAGE}`);
        }
        const value = (): string =>
            requireValue(token, "--", (message) => {
                throw new Error(`${message}\n${USAGE}`);
            });
        switch (token.name) {
            case "help":
                process.stdout.write(`${USAGE}\n`);
                return 0;
            case "stack":
                stack = value();
                break;
            case "out":
                out = path.resolve(process.cwd(), value());
                break;
            case "stack-file":
                stackFile = path.resolve(process.cwd(), value());
                break;
            case "provider-pk": {
                const given = value();
                const [clientId, pk] = given.split("=");
                if (!clientId || !/^[0-9]+$/.test(pk ?? "")) {
                    throw new Error(`--provider-pk expects <client_id>=<numeric pk>, got ${JSON.stringify(given)}`);
                }
                providerPks[clientId] = pk;
                break;
            }
            case "without":
                without.push(value());
                break;
            default:
                check = true;
        }
    }
    if (!stack || !/^[A-Za-z0-9._-]+$/.test(stack)) {
        throw new Error(`--stack <name> is required\n${USAGE}`);
    }
    // The committed files come from the frozen stack file; files written elsewhere, from the live one.
    const source = stackFile ?? (out === DEFAULT_IMPORT_DIR ? frozenStackFilePath(PROJECT_ROOT, stack) : stackFilePath(PROJECT_ROOT, stack));
    process.stderr.write(`import-files: reading ${path.relative(process.cwd(), source) || source}\n`);
    const { document } = await renderStack({ root: PROJECT_ROOT, stack, stackFile: source });
    const files = buildImportFiles(document, readToday(), { providerPks, without });
    const texts = { [`${stack}-kubernetes.json`]: importFileText(files.kubernetes), [`${stack}-authentik.json`]: importFileText(files.authentik) };
    if (check) {
        const stale = Object.entries(texts).filter(([file, text]) => !fs.existsSync(path.join(out, file)) || fs.readFileSync(path.join(out, file), "utf8") !== text);
        for (const [file] of stale) {
            process.stderr.write(`import-files: ${path.join(out, file)} is out of date; run npm run import-files -- --stack ${stack}\n`);
        }
        return stale.length > 0 ? 1 : 0;
    }
    fs.mkdirSync(out, { recursive: true });
    for (const [file, text] of Object.entries(texts)) {
        fs.writeFileSync(path.join(out, file), text);
        process.stderr.write(`import-files: wrote ${path.join(out, file)}\n`);
    }
    if (files.placeholders.length > 0) {
        process.stderr.write(
            `import-files: ${files.placeholders.join(", ")} still have a placeholder id; pass --provider-pk <client_id>=<pk> for each (docs/migration.md, step 4)\n`,
        );
    }
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`import-files: ${(err as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
