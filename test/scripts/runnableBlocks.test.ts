/**
 * The README's runnable blocks (```sh e2e, README "Run it for real"; scripts/lib/runnableBlocks.ts):
 * every command in them is one the project provides, an npm script of package.json or a command and
 * flag of the pinned Pulumi CLI, so the e2e that runs them as written cannot run into a typo.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { blockCommands, CliCommand, commandProblem, CommandCatalogue, runnableBlocks, shellWords } from "../../scripts/lib/runnableBlocks";
import { ROOT } from "../support/stacks";

/**
 * The pulumi CLI's commands and flags that runnable blocks may use, as the CLI's cobra definitions name
 * them (`Use`, `Aliases`, and the flag names of `Flags()`/`PersistentFlags()`), in pulumi/pulumi
 * pkg/cmd/pulumi/: pulumi.go (global persistent flags), auth/login.go, stack/stack.go (persistent
 * `--stack`), stack/stack_new.go (`Use: "new"`, aliases init/create/setup), stack/stack_select.go,
 * stack/stack_output.go, install/install.go, config/config.go, operations/preview.go, operations/up.go,
 * version/version.go. Read at the newest snapshot of pulumi/pulumi available to us (development head of
 * 3.260.0, commit 1b5949891b); the pinned CLI is 3.276.0, and none of these commands or flags changed in
 * the releases before it that we could read. Only what the blocks need is listed: a flag outside it fails
 * the test and must be looked up (and cited) before it is added.
 */
const GLOBAL = ["cwd", "C", "color", "emoji", "e", "logflow", "logtostderr", "non-interactive", "verbose", "v", "tracing", "profiling", "disable-integrity-checking", "fully-qualify-stack-names"];
const flags = (...names: string[]): CliCommand => ({ flags: [...GLOBAL, ...names] });
const PULUMI: CliCommand = {
    flags: GLOBAL,
    subcommands: {
        login: flags("cloud-url", "c", "default-org", "local", "l", "insecure", "interactive", "oidc-token", "oidc-org", "oidc-team", "oidc-user", "oidc-expiration"),
        stack: {
            flags: [...GLOBAL, "stack", "s"],
            subcommands: Object.fromEntries([
                ...["new", "init", "create", "setup"].map((name) => [name, flags("stack", "s", "secrets-provider", "copy-config-from", "no-select", "teams", "remote-config", "yes", "y")]),
                ["select", flags("stack", "s", "create", "c", "secrets-provider")],
                ["output", flags("stack", "s", "json", "j", "shell", "show-secrets")],
            ]),
        },
        install: flags("parallel", "reinstall", "no-plugins", "no-dependencies", "use-language-version-tools"),
        config: {
            flags: [...GLOBAL, "stack", "s", "config-file", "show-secrets", "json", "j", "open"],
            subcommands: { set: flags("stack", "s", "config-file", "path", "plaintext", "secret", "type", "raw") },
        },
        preview: flags("stack", "s", "diff", "refresh", "r", "expect-no-changes", "replace", "target", "t", "suppress-outputs"),
        up: flags("stack", "s", "diff", "refresh", "r", "expect-no-changes", "replace", "target", "t", "suppress-outputs", "skip-preview", "f", "yes", "y"),
        version: flags(),
    },
};

function catalogue(): CommandCatalogue {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { [name: string]: string } };
    return { npmScripts: Object.keys(pkg.scripts), pulumi: PULUMI, environment: ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_BACKEND_URL"] };
}

describe("README's runnable blocks (```sh e2e)", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

    it("exist in the local first run, in order: render, backend and stack, deploy, outputs", () => {
        const section = readme.slice(readme.indexOf("## Run it for real"), readme.indexOf("### What changes for prod"));
        const blocks = runnableBlocks(section);
        expect(blocks.length).to.be.greaterThan(2);
        const commands = blocks.flatMap((b) => blockCommands(b.text)).map((c) => c.join(" "));
        const at = (prefix: string) => commands.findIndex((c) => c.startsWith(prefix));
        for (const prefix of ["npm run -s render", "pulumi login", "export PULUMI_CONFIG_PASSPHRASE=", "pulumi stack init dev", "pulumi up", "pulumi stack output --json"]) {
            expect(at(prefix), prefix).to.be.greaterThan(-1);
        }
        expect(at("pulumi login")).to.be.lessThan(at("pulumi stack init dev"));
        expect(at("export PULUMI_CONFIG_PASSPHRASE=")).to.be.lessThan(at("pulumi stack init dev"));
        expect(at("pulumi stack init dev")).to.be.lessThan(at("pulumi up"));
        // The e2e reads the outputs it checks from this command's output.
        expect(at("pulumi up")).to.be.lessThan(at("pulumi stack output --json"));
        // Only this section has runnable blocks: the e2e runs all of them.
        expect(runnableBlocks(readme).length).to.equal(blocks.length);
    });

    it("leave installation to plain blocks of the same section: the e2e runs on what CI installed", () => {
        // `npm run setup` would reinstall the node_modules the e2e runs from; `pulumi install` needs the
        // language host's installer and the dynamic bridge's code generation, which the e2e's stand-ins
        // do not have (e2e/build/README.md). Both stay in the first run, unmarked.
        const section = readme.slice(readme.indexOf("## Run it for real"), readme.indexOf("### What changes for prod"));
        const marked = runnableBlocks(section).flatMap((b) => blockCommands(b.text)).map((c) => c.join(" "));
        expect(marked.filter((c) => c.startsWith("npm run setup") || c.startsWith("pulumi install"))).to.deep.equal([]);
        expect(section).to.contain("```sh\n   npm run setup\n");
        expect(section).to.contain("pulumi install --no-dependencies && npm run setup");
    });

    it("hold only npm scripts of package.json and commands and flags of the pinned pulumi CLI", () => {
        const problems = runnableBlocks(readme).flatMap((block) =>
            blockCommands(block.text)
                .map((words) => ({ words, problem: commandProblem(words, catalogue()) }))
                .filter((c) => c.problem !== undefined)
                .map((c) => `README.md:${block.line}: ${c.words.join(" ")}: ${c.problem}`),
        );
        expect(problems).to.deep.equal([]);
    });

    it("refuse what the project does not provide", () => {
        const check = (line: string) => blockCommands(line).map((words) => commandProblem(words, catalogue()));
        expect(check("npm run setup && npm run -s render -- --stack dev")).to.deep.equal([undefined, undefined]);
        expect(check("npm run deploy")).to.deep.equal(['npm script "deploy" is not in package.json']);
        expect(check("npm install")).to.deep.equal(["only `npm run <script>` is runnable here"]);
        expect(check("pulumi up --yes --frobnicate")).to.deep.equal(["`pulumi up` has no flag --frobnicate"]);
        expect(check("pulumi stack frobnicate dev")[0]).to.match(/^`pulumi stack frobnicate` is not a command/);
        expect(check("pulumi deploy")[0]).to.match(/^`pulumi deploy` is not a command/);
        expect(check("pulumi stack init dev --secrets-provider passphrase")).to.deep.equal([undefined]);
        expect(check("pulumi config set --path 'homelab-sso:a.b' 1")).to.deep.equal([undefined]);
        expect(check("kubectl get pods")[0]).to.match(/^kubectl is neither npm nor pulumi/);
        expect(check("export HOME=/tmp")[0]).to.match(/^exports HOME/);
        expect(check("export PULUMI_CONFIG_PASSPHRASE='a b' # comment")).to.deep.equal([undefined]);
    });

    it("are found by their info string, with list indentation removed, and split into commands", () => {
        const markdown = "1. step\n\n   ```sh e2e\n   npm run setup \\\n     && pulumi version   # v1\n   # comment\n   ```\n\n```sh\nkubectl get pods\n```\n";
        const [block] = runnableBlocks(markdown);
        expect(runnableBlocks(markdown)).to.have.length(1);
        expect(block.line).to.equal(3);
        expect(blockCommands(block.text)).to.deep.equal([["npm", "run", "setup"], ["pulumi", "version"]]);
        expect(shellWords(`pulumi config set x -- "$(cat 'a b')" # c`)).to.deep.equal(["pulumi", "config", "set", "x", "--", "$(cat 'a b')"]);
    });
});
