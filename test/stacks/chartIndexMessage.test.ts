/** The message for a chart version without a committed key index lists every version that has one. */
import { expect } from "chai";
import { missingChartIndexMessage } from "../../stacks/deployments";

describe("a chart version without a key index (missingChartIndexMessage)", () => {
    it("lists each indexed version, comma-separated, or (none)", () => {
        const tail = ", or add the chart's default values and template keys under charts/upstream/ and run `npm run chart-index` (charts/README.md)";
        const head = "argo-cd 9.9.9 has no committed key index (charts/index/argo-cd-9.9.9.json), so its Helm values cannot be checked; allowed: ";
        expect(missingChartIndexMessage("argo-cd", "9.9.9", ["7.8.0", "7.9.1"])).to.equal(`${head}7.8.0, 7.9.1${tail}`);
        expect(missingChartIndexMessage("argo-cd", "9.9.9", ["7.8.0"])).to.equal(`${head}7.8.0${tail}`);
        expect(missingChartIndexMessage("argo-cd", "9.9.9", [])).to.equal(`${head}(none)${tail}`);
    });
});
