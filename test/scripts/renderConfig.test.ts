/**
 * The config an offline render evaluates with: the stack file, with every secret replaced by a
 * placeholder (or a known test value) and marked secret.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../scripts/lib/render";
import { StackFileError, loadRenderConfig, numberSpellingProblem, secretPlaceholder } from "../../scripts/lib/renderConfig";
import { SECRET_CONFIG_KEYS } from "../../stacks/config";
import { ConfigError } from "../../stacks/validation";
import { frozenStackFile } from "../support/stacks";

describe("offline render config (scripts/lib/renderConfig)", () => {
    let dir = "";
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-config-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    function stackFile(name: string, text: string): string {
        const file = path.join(dir, `Pulumi.${name}.yaml`);
        fs.writeFileSync(file, text);
        return file;
    }

    it("fills every secret config key the program may read with a placeholder marked secret", () => {
        const config = loadRenderConfig({ root: PROJECT_ROOT, stack: "prod", stackFile: frozenStackFile("prod") });
        for (const key of SECRET_CONFIG_KEYS) {
            expect(config.config[key]).to.equal(secretPlaceholder(key));
            expect(config.secretKeys).to.include(key);
            expect(config.placeholders).to.deep.include({ key, reason: "missing" });
            expect(config.secretValues).to.include(secretPlaceholder(key));
        }
        expect(config.config["homelab-sso:publicHost"]).to.equal("holdens-mac-mini.story-larch.ts.net");
    });

    it("replaces secure: values, top-level and nested (pulumi config set --secret --path), never passing ciphertext on", () => {
        const file = stackFile(
            "secure",
            [
                "config:",
                "  authentik:token:",
                "    secure: v1:AAAAtopLevelCiphertext",
                "  homelab-sso:clientSecrets:",
                "    grafana:",
                "      secure: v1:BBBBnestedCiphertext",
                "  homelab-sso:publicHost: example.ts.net",
            ].join("\n"),
        );
        const config = loadRenderConfig({ root: dir, stack: "secure", stackFile: file, secrets: { "homelab-sso:clientSecrets.grafana": "known-kept-secret-1234" } });
        expect(JSON.stringify(config.config)).to.not.include("Ciphertext");
        expect(config.config["authentik:token"]).to.equal(secretPlaceholder("authentik:token"));
        expect(JSON.parse(config.config["homelab-sso:clientSecrets"])).to.deep.equal({ grafana: "known-kept-secret-1234" });
        expect(config.secretKeys).to.include.members(["authentik:token", "homelab-sso:clientSecrets"]);
        expect(config.secretKeys).to.not.include("homelab-sso:clientSecrets.grafana");
        expect(config.placeholders).to.deep.include({ key: "authentik:token", reason: "encrypted" });
        expect(config.secretValues).to.include.members(["known-kept-secret-1234", secretPlaceholder("authentik:token")]);
        expect(config.secretValues).to.not.include("example.ts.net");
    });

    it("uses known values instead of placeholders, and passes a secret key written in plain text on as plain, as Pulumi does", () => {
        const file = stackFile("plain", "config:\n  authentik:token: written-in-plain-text-42\n");
        const config = loadRenderConfig({ root: dir, stack: "plain", stackFile: file, secrets: { "homelab-sso:infisicalClientId": "known-id-123456" } });
        expect(config.config["authentik:token"]).to.equal("written-in-plain-text-42");
        expect(config.config["homelab-sso:infisicalClientId"]).to.equal("known-id-123456");
        expect(config.secretKeys).to.include("homelab-sso:infisicalClientId");
        expect(config.secretKeys, "the program must see it is not secret, and refuse it").to.not.include("authentik:token");
        expect(config.placeholders.map((p) => p.key)).to.not.include.members(["authentik:token", "homelab-sso:infisicalClientId"]);
    });

    it("lists only the placeholders the stack uses (dev reads no authentik:token and no Infisical ids)", () => {
        const dev = loadRenderConfig({ root: PROJECT_ROOT, stack: "dev", stackFile: frozenStackFile("dev") });
        expect(dev.placeholders).to.deep.equal([]);
        for (const key of SECRET_CONFIG_KEYS) {
            expect(dev.config).to.not.have.property(key);
            expect(dev.secretKeys).to.not.include(key);
        }
        const file = stackFile("tokenOnly", fs.readFileSync(frozenStackFile("prod"), "utf8").replace("esoMachineIdentity: true", "esoMachineIdentity: false"));
        expect(loadRenderConfig({ root: dir, stack: "tokenOnly", stackFile: file }).placeholders).to.deep.equal([{ key: "authentik:token", reason: "missing" }]);
    });

    it("reports a plain entry beside encrypted ones in clientSecrets, which the program cannot see", () => {
        const file = stackFile(
            "mixed",
            ["config:", "  homelab-sso:clientSecrets:", "    grafana:", "      secure: v1:AAAA", "    argocd: plain-text-secret-99"].join("\n"),
        );
        const config = loadRenderConfig({ root: dir, stack: "mixed", stackFile: file });
        expect(config.problems.map((p) => p.key)).to.deep.equal(["homelab-sso:clientSecrets.argocd"]);
        expect(config.problems[0].message).to.include("pulumi config set --secret --path 'homelab-sso:clientSecrets.argocd' <value>");
        expect(config.problems[0].message).to.not.include("plain-text-secret-99");
    });

    it("fails on a missing stack file, naming the stacks that exist", () => {
        expect(() => loadRenderConfig({ root: PROJECT_ROOT, stack: "nope" })).to.throw(StackFileError, /Pulumi\.nope\.yaml not found; stacks here: dev, prod/);
    });

    describe("what only the stack file's text shows", () => {
        const prodText = () => fs.readFileSync(frozenStackFile("prod"), "utf8");
        /** The frozen prod stack file with `from` (which must occur once) replaced. */
        function prodWith(name: string, from: string, to: string): string {
            const text = prodText();
            expect(text.split(from), from).to.have.length(2);
            return stackFile(name, text.replace(from, to));
        }
        const lineOf = (file: string, needle: string) => fs.readFileSync(file, "utf8").split("\n").findIndex((line) => line.includes(needle)) + 1;

        it("accepts numbers every YAML parser reads alike, and anything that is no number", () => {
            for (const source of ["30500", "0", "-1", "0.5", "-12.25", "1e3", "2.5E-3", "2Gi", "7.8.0", "1h", "200m", "v1", "0x", ".", "-", "1.2.3"]) {
                expect(numberSpellingProblem(source), source).to.equal(undefined);
            }
        });

        it("refuses a leading zero, naming both readings: octal in YAML 1.1, decimal here", () => {
            expect(numberSpellingProblem("030500")).to.equal(
                "030500 starts with a zero: YAML 1.1 parsers such as gopkg.in/yaml.v3 (the Pulumi CLI's) read it as the octal 12608, this render as 30500; allowed: a decimal number without leading zeros, such as 30500",
            );
            expect(numberSpellingProblem("-010")).to.match(/^-010 starts with a zero: .* octal -8, this render as -10;/);
        });

        it("refuses infinity and NaN, which JSON turns into null", () => {
            for (const source of [".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"]) {
                const problem = numberSpellingProblem(source) ?? "";
                expect(problem.startsWith(`${source} is not a finite number: `), source).to.equal(true);
                expect(problem, source).to.include("would arrive as null (the default); allowed: a finite decimal number");
            }
        });

        it("refuses every other spelling parsers disagree on: '+', '_', hex, octal and binary prefixes, a bare leading or trailing dot, 08", () => {
            for (const source of ["+5", "1_000", "0x7562", "0X7562", "0o17", "0b101", ".5", "5.", "08", "-0b1", "0_"]) {
                expect(numberSpellingProblem(source), source).to.match(/is not written as a plain decimal number, .*allowed: a decimal number without sign '\+', leading zeros, '_', or hex, octal or binary prefixes/);
            }
        });

        it("reports a zero-padded or infinite NodePort with its key, file and line, beside the program's problems", () => {
            const file = prodWith("padded", "      http: 30500\n      https: 30501", "      http: 030500\n      https: .inf");
            const config = loadRenderConfig({ root: dir, stack: "padded", stackFile: file });
            const shown = path.relative(process.cwd(), file).startsWith("..") ? file : path.relative(process.cwd(), file);
            const line = lineOf(file, "http: 030500");
            expect(config.problems.map((p) => p.key)).to.deep.equal(["homelab-sso:authentik.nodePorts.http", "homelab-sso:authentik.nodePorts.https"]);
            expect(config.problems[0].message).to.equal(`${shown}:${line}:13: ${numberSpellingProblem("030500")}`);
            expect(config.problems[1].message).to.equal(`${shown}:${line + 1}:14: ${numberSpellingProblem(".inf")}`);
        });

        it("leaves a quoted number alone (a string, refused or taken by the program) and checks keys too", () => {
            const quoted = prodWith("quoted", "      http: 30500\n", '      http: "030500"\n');
            expect(loadRenderConfig({ root: dir, stack: "quoted", stackFile: quoted }).problems).to.deep.equal([]);
            const key = prodWith("numberKey", "        initChownData:\n", "        0755: x\n        initChownData:\n");
            expect(loadRenderConfig({ root: dir, stack: "numberKey", stackFile: key }).problems.map((p) => p.key)).to.deep.equal(["homelab-sso:grafana.extraValues.grafana.0755"]);
        });

        it("refuses a YAML alias with its key, file and line, and reads nothing", () => {
            const text = prodText().replace("      description: Metrics dashboards\n", "      description: &d Metrics dashboards\n");
            const file = stackFile("alias", text.replace("      description: GitOps continuous delivery\n", "      description: *d\n"));
            let error: unknown;
            try {
                loadRenderConfig({ root: dir, stack: "alias", stackFile: file });
            } catch (err) {
                error = err;
            }
            expect(error).to.be.instanceOf(ConfigError);
            const problems = (error as ConfigError).problems;
            expect(problems.map((p) => p.key)).to.deep.equal(["homelab-sso:services.argocd.description"]);
            expect(problems[0].message).to.match(new RegExp(`:${lineOf(file, "description: *d")}:20: is a YAML alias \\(\\*d\\); allowed: the value written out in full`));
        });

        it("refuses the alias bomb (billion laughs) quickly, with a line and key, listing ten aliases and counting the rest", () => {
            const laughs = ['        lol0: &a0 "lol"'];
            for (let i = 1; i <= 9; i++) {
                laughs.push(`        lol${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
            }
            const file = prodWith("laughs", "        initChownData:\n", `        laughs:\n${laughs.map((l) => `  ${l}`).join("\n")}\n        initChownData:\n`);
            const started = Date.now();
            let error: unknown;
            try {
                loadRenderConfig({ root: dir, stack: "laughs", stackFile: file });
            } catch (err) {
                error = err;
            }
            expect(Date.now() - started).to.be.below(2000);
            expect(error).to.be.instanceOf(ConfigError);
            const problems = (error as ConfigError).problems;
            expect(problems).to.have.length(11);
            expect(problems[0].key).to.equal("homelab-sso:grafana.extraValues.grafana.laughs.lol1[0]");
            expect(problems[0].message).to.match(new RegExp(`:${lineOf(file, "lol1:")}:\\d+: is a YAML alias \\(\\*a0\\)`));
            expect(problems[10]).to.deep.equal({ key: "homelab-sso:grafana.extraValues.grafana.laughs.lol2[0]", message: "and 80 more YAML aliases from here on (not listed); allowed: no aliases" });
        });
    });

    it("fails on a stack file that is not a mapping", () => {
        const file = stackFile("list", "- a\n- b\n");
        expect(() => loadRenderConfig({ root: dir, stack: "list", stackFile: file })).to.throw(StackFileError, /expected a mapping/);
    });
});
