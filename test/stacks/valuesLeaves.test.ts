/** The leaves of pass-through values, in document order, and which of them hold literal secrets. */
import { expect } from "chai";
import { literalSecretPaths, valuesLeaves } from "../../stacks/passThrough";

describe("pass-through leaves (valuesLeaves, literalSecretPaths)", () => {
    it("lists each leaf once, in document order, with list items by index and nothing for a bare scalar", () => {
        expect(valuesLeaves({ a: 1, b: { c: [true, "x"] }, d: "y" }).map((leaf) => leaf.path.join("."))).to.deep.equal(["a", "b.c.0", "b.c.1", "d"]);
        expect(valuesLeaves({ l: [1] }).map((leaf) => [leaf.path.join("."), leaf.value])).to.deep.equal([["l.0", 1]]);
        expect(valuesLeaves("scalar")).to.deep.equal([]);
    });

    it("names a list item's secret by the list, whatever its index, and a key by its whole name", () => {
        const tokens = Array.from({ length: 11 }, (_, i) => `literal-${i}`);
        expect(literalSecretPaths({ tokens }).map((path) => path.join("."))).to.deep.equal(tokens.map((_, i) => `tokens.${i}`));
        expect(literalSecretPaths({ apiToken2: "x", "2token": "y" }).map((path) => path.join("."))).to.deep.equal(["apiToken2", "2token"]);
    });
});
