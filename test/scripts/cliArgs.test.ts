import { expect } from "chai";
import { CliOptions, CliToken, cliTokens, readCheckFlag, requireValue } from "../../scripts/lib/cliArgs";

const OPTIONS: CliOptions = { stack: { type: "string", short: "s" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } };

describe("scripts/lib/cliArgs", () => {
    it("gives each option in order, as typed, with its value", () => {
        expect(cliTokens(["-s", "prod", "--json", "--stack=dev"], OPTIONS)).to.deep.equal([
            { kind: "option", name: "stack", flag: "-s", value: "prod", inline: false },
            { kind: "option", name: "json", flag: "--json", value: undefined, inline: false },
            { kind: "option", name: "stack", flag: "--stack", value: "dev", inline: true },
        ]);
    });

    it("lets a string option take the next word whatever it looks like, and leaves the value undefined at the end", () => {
        expect(cliTokens(["--stack", "--json"], OPTIONS)).to.deep.equal([{ kind: "option", name: "stack", flag: "--stack", value: "--json", inline: false }]);
        expect(cliTokens(["--stack"], OPTIONS)).to.deep.equal([{ kind: "option", name: "stack", flag: "--stack", value: undefined, inline: false }]);
    });

    it("reports unknown options, positional words, `--` and bundled short forms once each, as typed", () => {
        expect(cliTokens(["--bogus=1", "--json=yes", "extra", "-x", "-hx", "-sprod", "--", "after"], OPTIONS)).to.deep.equal([
            { kind: "unknown", arg: "--bogus=1" },
            { kind: "unknown", arg: "--json=yes" },
            { kind: "unknown", arg: "extra" },
            { kind: "unknown", arg: "-x" },
            { kind: "unknown", arg: "-hx" },
            { kind: "unknown", arg: "-sprod" },
            { kind: "unknown", arg: "--" },
            { kind: "unknown", arg: "after" },
        ]);
    });

    it("reads the words after `--` as options again, so `--` alone is unknown", () => {
        expect(cliTokens(["--", "--stack", "p", "--", "-h"], OPTIONS)).to.deep.equal([
            { kind: "unknown", arg: "--" },
            { kind: "option", name: "stack", flag: "--stack", value: "p", inline: false },
            { kind: "unknown", arg: "--" },
            { kind: "option", name: "help", flag: "-h", value: undefined, inline: false },
        ]);
    });

    it("does not take an inherited property name for a known option", () => {
        expect(cliTokens(["--constructor"], OPTIONS)).to.deep.equal([{ kind: "unknown", arg: "--constructor" }]);
    });

    describe("requireValue", () => {
        const option = (argv: string[]) => cliTokens(argv, OPTIONS)[0] as Extract<CliToken, { kind: "option" }>;
        const missing = (message: string) => `missing: ${message}`;

        it("gives the value as written, inline or as the next word", () => {
            expect(requireValue(option(["--stack", "prod"]), "-", missing)).to.equal("prod");
            expect(requireValue(option(["-s", "prod"]), "-", missing)).to.equal("prod");
            expect(requireValue(option(["--stack=prod"]), "-", missing)).to.equal("prod");
            // Inline, a leading dash is what the user wrote.
            expect(requireValue(option(["--stack=-x"]), "-", missing)).to.equal("-x");
            expect(requireValue(option(["--stack=--x"]), "--", missing)).to.equal("--x");
        });

        it("answers with `missing` and '<flag> needs a value' when nothing followed, `--name=` ended there, or the next word is an option", () => {
            expect(requireValue(option(["--stack"]), "-", missing)).to.equal("missing: --stack needs a value");
            expect(requireValue(option(["-s"]), "-", missing)).to.equal("missing: -s needs a value");
            expect(requireValue(option(["--stack="]), "--", missing)).to.equal("missing: --stack needs a value");
            expect(requireValue(option(["--stack", "--json"]), "--", missing)).to.equal("missing: --stack needs a value");
            expect(requireValue(option(["--stack", "-x"]), "-", missing)).to.equal("missing: --stack needs a value");
        });

        it("with the prefix `--`, takes a next word with one dash as the value (a negative number to refuse by range)", () => {
            expect(requireValue(option(["--stack", "-1"]), "--", missing)).to.equal("-1");
        });

        it("lets `missing` throw, so that a script stops at the first missing value", () => {
            expect(() =>
                requireValue(option(["--stack"]), "-", (message) => {
                    throw new Error(message);
                }),
            ).to.throw("--stack needs a value");
        });
    });

    describe("readCheckFlag", () => {
        function capture(argv: string[]): { check: boolean | undefined; stderr: string } {
            const write = process.stderr.write;
            let stderr = "";
            process.stderr.write = ((text: string) => {
                stderr += text;
                return true;
            }) as typeof process.stderr.write;
            try {
                return { check: readCheckFlag(argv, "tool", "usage: tool [--check]"), stderr };
            } finally {
                process.stderr.write = write;
            }
        }

        it("says whether --check was given", () => {
            expect(capture([])).to.deep.equal({ check: false, stderr: "" });
            expect(capture(["--check"])).to.deep.equal({ check: true, stderr: "" });
        });

        it("refuses any other argument, naming it, with the usage", () => {
            expect(capture(["--chek"])).to.deep.equal({ check: undefined, stderr: 'tool: unknown argument "--chek"\nusage: tool [--check]\n' });
            expect(capture(["--check", "extra"]).check).to.equal(undefined);
        });
    });
});
