// Tests of e2e/steps/prodStack.ts's stack file: the e2e's copy of Pulumi.prod.yaml changes only what
// PROD_STACK_CHANGES lists, says so in its header, and keeps what `pulumi stack init` and `config set`
// wrote. The step itself runs in `npm run e2e`.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, parseDocument } from "yaml";
import { PROD_STACK_CHANGES, writeProdStackFile } from "../../../e2e/steps/prodStack";

const USER_STACK = parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "Pulumi.prod.yaml"), "utf8"));
const API_URL = "https://127.0.0.1:40123";

describe("e2e prod stack file (e2e/steps/prodStack.ts)", () => {
    let dir: string;
    let file: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "prod-stack-file-"));
        file = path.join(dir, "Pulumi.prod.yaml");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("changes the kube context and the API URL only, and leaves appOfApps out of the first run", () => {
        writeProdStackFile(file, USER_STACK, API_URL, false);
        const written = parse(fs.readFileSync(file, "utf8")).config;
        const expected = JSON.parse(JSON.stringify(USER_STACK.config));
        expected["kubernetes:context"] = "e2e";
        expected["homelab-sso:authentik"].apiUrl = API_URL;
        delete expected["homelab-sso:bootstrap"].appOfApps;
        expect(written).to.deep.equal(expected);
        expect(written["homelab-sso:secrets"].source).to.equal("infisical");
        expect(written["homelab-sso:authentik"]).to.not.have.property("apiInsecure");
    });

    it("adds the user's appOfApps back for the second run", () => {
        writeProdStackFile(file, USER_STACK, API_URL, false);
        writeProdStackFile(file, USER_STACK, API_URL, true);
        const written = parse(fs.readFileSync(file, "utf8")).config;
        expect(written["homelab-sso:bootstrap"]).to.deep.equal(USER_STACK.config["homelab-sso:bootstrap"]);
    });

    it("keeps the passphrase salt and the secret config the CLI wrote", () => {
        fs.writeFileSync(file, "encryptionsalt: v1:abc\nconfig:\n  authentik:token:\n    secure: v1:xyz\n  homelab-sso:publicHost: stale\n");
        writeProdStackFile(file, USER_STACK, API_URL, true);
        const written = parse(fs.readFileSync(file, "utf8"));
        expect(written.encryptionsalt).to.equal("v1:abc");
        expect(written.config["authentik:token"]).to.deep.equal({ secure: "v1:xyz" });
        expect(written.config["homelab-sso:publicHost"]).to.equal(USER_STACK.config["homelab-sso:publicHost"]);
    });

    it("lists every change in the file's header comment", () => {
        writeProdStackFile(file, USER_STACK, API_URL, false);
        const header = parseDocument(fs.readFileSync(file, "utf8")).commentBefore ?? "";
        for (const change of PROD_STACK_CHANGES) expect(header).to.include(change);
        expect(header).to.match(/kubernetes:context/).and.to.match(/apiUrl/).and.to.match(/appOfApps/);
    });
});
