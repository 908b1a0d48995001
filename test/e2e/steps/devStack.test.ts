/** The dev-stack step's pure parts (e2e/steps/devStack.ts): what it adds to the README's commands, failure messages. */
import { expect } from "chai";
import { commandFailure, withYes } from "../../../e2e/steps/devStack";

describe("e2e dev-stack", () => {
    it("adds --yes to `pulumi up` only, and only once", () => {
        expect(withYes(["pulumi", "up"])).to.deep.equal(["pulumi", "up", "--yes"]);
        expect(withYes(["pulumi", "up", "-y"])).to.deep.equal(["pulumi", "up", "-y"]);
        expect(withYes(["pulumi", "preview"])).to.deep.equal(["pulumi", "preview"]);
        expect(withYes(["npm", "run", "up"])).to.deep.equal(["npm", "run", "up"]);
    });

    it("names the command and shows its error lines first, colours stripped", () => {
        const failure = commandFailure("README.md:448: pulumi stack init dev", { status: 255, stdout: "a\n\x1b[31merror: passphrase must be set\x1b[0m\n", stderr: "tail" });
        expect(failure.message).to.match(/^expected `README.md:448: pulumi stack init dev` to succeed; it exited 255:\nerror: passphrase must be set\n/);
    });
});
