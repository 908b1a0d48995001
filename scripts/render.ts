/**
 * `npm run -s render -- --stack <name> [--json] [--out <dir>] [--diff <earlier.json>] [--stack-file <path>] [--help]`
 *
 * Renders a stack offline: evaluates the real program with `Pulumi.<name>.yaml` under Pulumi's mock
 * runtime (no Pulumi CLI, cluster, network or credentials) and prints every resource with its key
 * inputs. Secrets print as `[secret]`. Exit codes: 0 rendered, 2 invalid stack configuration, 1 other
 * failures. See scripts/lib/render.ts.
 */
import { runRenderCli } from "./lib/render";

// `npm run -s render -- ... --json | head`: the reader closed the pipe, so nothing more can be printed.
// End quietly, as a pipeline expects, instead of dying on the unhandled EPIPE with a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") {
        process.exit(0);
    }
    throw err;
});

runRenderCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
}).then(
    (code) => {
        process.exitCode = code;
    },
    (err: unknown) => {
        // runRenderCli never throws; this is a last resort that prints no value, only the kind of failure.
        process.stderr.write(`render: unexpected failure (${(err as Error)?.name ?? typeof err})\n`);
        process.exitCode = 1;
    },
);
