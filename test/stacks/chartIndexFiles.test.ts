/** Which chart versions have a committed key index, read from the index's file names. */
import { expect } from "chai";
import { versionsIn } from "../../stacks/chartKeys";

describe("indexed chart versions (versionsIn)", () => {
    it("lists a chart's versions sorted, ignoring other charts, other files and names that are no version", () => {
        const files = ["argo-cd-7.9.1.json", "argo-cd-7.8.0.json", "argo-cd-extra-1.0.0.json", "argo-cd-notes.json", "argo-cd-7.8.0.txt", "grafana-8.0.0.json", "README.md"];
        expect(versionsIn("argo-cd", files)).to.deep.equal(["7.8.0", "7.9.1"]);
        expect(versionsIn("grafana", files)).to.deep.equal(["8.0.0"]);
        expect(versionsIn("authentik", files)).to.deep.equal([]);
    });
});
