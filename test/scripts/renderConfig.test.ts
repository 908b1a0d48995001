/**
 * The config an offline render evaluates with: the stack file, with every secret replaced by a
 * placeholder (or a known test value) and marked secret.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../scripts/lib/render";
import { StackFileError, loadRenderConfig, secretPlaceholder } from "../../scripts/lib/renderConfig";
import { SECRET_CONFIG_KEYS } from "../../stacks/config";
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

    it("fails on a stack file that is not a mapping", () => {
        const file = stackFile("list", "- a\n- b\n");
        expect(() => loadRenderConfig({ root: dir, stack: "list", stackFile: file })).to.throw(StackFileError, /expected a mapping/);
    });
});
