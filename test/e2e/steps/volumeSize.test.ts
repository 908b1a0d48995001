/** The volume-size step's new size (e2e/steps/volumeSize.ts). */
import { expect } from "chai";
import { doubledQuantity } from "../../../e2e/steps/volumeSize";

describe("e2e volume-size", () => {
    it("doubles a Mi/Gi/Ti quantity and refuses anything else", () => {
        expect(doubledQuantity("1Gi")).to.equal("2Gi");
        expect(doubledQuantity("512Mi")).to.equal("1024Mi");
        expect(() => doubledQuantity("1.5Gi")).to.throw("not a Mi/Gi/Ti quantity: 1.5Gi");
    });
});
