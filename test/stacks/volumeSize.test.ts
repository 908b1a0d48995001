/** A volume size is the whole value: a positive number and a binary suffix. */
import { expect } from "chai";
import { checkVolumeSize } from "../../stacks/rules";

describe("volume sizes (checkVolumeSize)", () => {
    it("refuses anything before or after the quantity", () => {
        for (const bad of ["x1Gi", " 1Gi", "1Gix", "1 Gi", "01Gi", "1GB"]) {
            expect(checkVolumeSize(bad), bad).to.equal(`${JSON.stringify(bad)} is not a volume size; allowed: a positive whole number with Mi, Gi or Ti, e.g. "2Gi"`);
        }
        expect(checkVolumeSize("10Gi")).to.equal(undefined);
    });
});
