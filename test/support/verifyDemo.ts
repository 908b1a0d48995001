/**
 * `npm run verify:demo -- [--fault <name>] [--dir <dir>] [--seconds <n>]`
 *
 * Starts the loopback test provider (test/support/oidcServer.ts: oidc-provider laid out like Authentik,
 * TLS from a CA made on the spot), writes `<dir>/outputs.json` (the stack outputs the program would
 * export for it) and `<dir>/ca.pem`, and prints the verify command to run against it, in a second
 * terminal: this one stays busy serving until --seconds (default 600) pass or Ctrl-C. Faults: hs256, issuer-without-slash,
 * wildcard-redirect, accepts-wrong-secret, missing-scopes, no-userinfo, no-end-session,
 * native-confidential, and unregistered-redirect (the outputs list a redirect URI the provider lacks).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliOptions, cliTokens } from "../../scripts/lib/cliArgs";
import { Fault, makeTestTls, startTestServer, stackOutputs } from "./oidcServer";

const FAULTS: Fault[] = ["hs256", "issuer-without-slash", "wildcard-redirect", "accepts-wrong-secret", "missing-scopes", "no-userinfo", "no-end-session", "native-confidential"];

export const VERIFY_DEMO_USAGE = `usage: npm run verify:demo -- [--fault <name>]... [--dir <dir>] [--seconds <n>]
Starts a loopback OpenID provider laid out like Authentik and serves it in this terminal until
--seconds pass (default 600) or Ctrl-C. Run the \`npm run verify\` command it prints in a second terminal.
  --fault <name>   break one check: ${[...FAULTS, "unregistered-redirect"].join(", ")}
  --dir <dir>      where to write outputs.json and ca.pem (default: a new temporary directory)
  --seconds <n>    stop after n seconds (default 600)`;

const VERIFY_DEMO_OPTIONS: CliOptions = {
    help: { type: "boolean", short: "h" },
    fault: { type: "string", multiple: true },
    dir: { type: "string" },
    seconds: { type: "string" },
};

async function main(argv: string[]): Promise<number> {
    const faults: Fault[] = [];
    let unregisteredRedirect = false;
    let dir = "";
    let seconds = 600;
    for (const token of cliTokens(argv, VERIFY_DEMO_OPTIONS)) {
        if (token.kind === "option" && token.name === "help") {
            process.stdout.write(`${VERIFY_DEMO_USAGE}\n`);
            return 0;
        }
        const value = token.kind === "option" ? token.value : undefined;
        if (token.kind === "option" && token.name === "fault" && value !== undefined) {
            if (value === "unregistered-redirect") {
                unregisteredRedirect = true;
            } else if ((FAULTS as string[]).includes(value)) {
                faults.push(value as Fault);
            } else {
                process.stderr.write(`verify:demo: unknown fault ${JSON.stringify(value)}; allowed: ${[...FAULTS, "unregistered-redirect"].join(", ")}\n${VERIFY_DEMO_USAGE}\n`);
                return 2;
            }
        } else if (token.kind === "option" && token.name === "dir" && value !== undefined) {
            dir = value;
        } else if (token.kind === "option" && token.name === "seconds" && value !== undefined && Number.isInteger(Number(value)) && Number(value) > 0) {
            seconds = Number(value);
        } else {
            process.stderr.write(`verify:demo: unknown argument ${JSON.stringify(token.kind === "unknown" ? token.arg : token.flag)}\n${VERIFY_DEMO_USAGE}\n`);
            return 2;
        }
    }
    dir = dir || fs.mkdtempSync(path.join(os.tmpdir(), "verify-demo-"));
    fs.mkdirSync(dir, { recursive: true });
    const tls = await makeTestTls();
    const server = await startTestServer({ tls, faults });
    const outputs = stackOutputs(server.baseUrl, undefined, unregisteredRedirect ? "https://127.0.0.1:8444/login/generic_oauth/extra" : undefined);
    fs.writeFileSync(path.join(dir, "outputs.json"), `${JSON.stringify(outputs, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "ca.pem"), tls.caPem);
    process.stdout.write(
        `test provider on ${server.baseUrl} (faults: ${[...faults, ...(unregisteredRedirect ? ["unregistered-redirect"] : [])].join(", ") || "none"})\n` +
            `in a second terminal, run: npm run verify -- --outputs ${path.join(dir, "outputs.json")} --ca ${path.join(dir, "ca.pem")}\n` +
            `this terminal serves it until Ctrl-C, or ${seconds}s from now (--seconds <n> to change)\n`,
    );
    await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, seconds * 1000);
        for (const signal of ["SIGINT", "SIGTERM"] as const) {
            process.once(signal, () => {
                clearTimeout(timer);
                resolve();
            });
        }
    });
    await server.close();
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
