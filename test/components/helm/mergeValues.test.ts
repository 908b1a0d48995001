import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { mergeValues } from "../../../components/helm/mergeValues";

describe("mergeValues", () => {
    it("merges objects key by key with later layers winning", () => {
        const merged = mergeValues({ a: { b: 1, c: 2 }, d: 1 }, { a: { c: 3, e: 4 } }, { d: 5 });
        expect(merged).to.deep.equal({ a: { b: 1, c: 3, e: 4 }, d: 5 });
    });

    it("replaces arrays instead of concatenating them", () => {
        expect(mergeValues({ list: [1, 2] }, { list: [3] })).to.deep.equal({ list: [3] });
    });

    it("treats Outputs as leaves", () => {
        const output = pulumi.output("x");
        const merged = mergeValues({ a: { b: 1 } }, { a: output as unknown });
        expect(merged.a).to.equal(output);
    });

    it("does not modify its inputs", () => {
        const base = { a: { b: 1 } };
        const merged = mergeValues(base, { a: { b: 2 } });
        expect(base).to.deep.equal({ a: { b: 1 } });
        (merged.a as { b: number }).b = 9;
        expect(base.a.b).to.equal(1);
    });
});
