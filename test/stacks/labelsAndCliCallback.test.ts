/** Label values and keys of a delivered Secret. (ArgoCD's CLI callback is Dex's since ADR 0003: test/components/argocd/dex.test.ts.) */
import { expect } from "chai";
import { checkLabelKey, checkLabelValue } from "../../stacks/secretDelivery";

describe("Secret labels and the ArgoCD CLI callback", () => {
    it("accepts an empty and a one-character label value", () => {
        expect(checkLabelValue("")).to.equal(undefined);
        expect(checkLabelValue("a")).to.equal(undefined);
        expect(checkLabelValue("-a")).to.not.equal(undefined);
    });

    it("refuses each reserved JavaScript name as a label key", () => {
        for (const key of ["__proto__", "constructor", "prototype"]) {
            expect(checkLabelKey(key), key).to.equal(`${JSON.stringify(key)} is not allowed as a key`);
        }
    });
});
