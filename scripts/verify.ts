/**
 * `npm run verify -- --stack <name>` (or `--outputs <file>`): checks that a deployed stack's SSO works,
 * client by client, with read-only requests to the live Authentik. `--help` lists the checks. Exit
 * codes: 0 all passed, 1 a check failed, 2 nothing could be checked. See scripts/lib/verify/.
 */
import { runVerifyCli } from "./lib/verify/cli";

runVerifyCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
}).then(
    (code) => {
        process.exitCode = code;
    },
    (err: unknown) => {
        process.stderr.write(`verify: unexpected failure (${(err as Error)?.name ?? typeof err}: ${(err as Error)?.message ?? ""})\n`);
        process.exitCode = 2;
    },
);
