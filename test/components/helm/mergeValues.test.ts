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

    it("copies arrays and the objects inside them, so changing the result never changes a layer", () => {
        const layer = { list: [{ name: "a" }], only: { nested: [1] } };
        const merged = mergeValues(layer) as any;
        merged.list[0].name = "changed";
        merged.only.nested.push(2);
        expect(layer).to.deep.equal({ list: [{ name: "a" }], only: { nested: [1] } });
    });

    it("merges objects without a prototype like plain ones, and keeps other objects (class instances) whole", () => {
        const bare = Object.assign(Object.create(null), { b: 2 });
        expect(mergeValues({ a: { x: 1 } }, { a: bare })).to.deep.equal({ a: { x: 1, b: 2 } });
        class Leaf {
            constructor(readonly b: number) {}
        }
        const leaf = new Leaf(3);
        const merged = mergeValues({ a: { x: 1 } }, { a: leaf });
        expect(merged.a).to.equal(leaf);
        expect(mergeValues({ a: leaf }, { a: { x: 1 } }).a).to.deep.equal({ x: 1 });
        expect(mergeValues({ a: null }, { b: null })).to.deep.equal({ a: null, b: null });
        expect(mergeValues({ a: { x: 1 } }, { a: null })).to.deep.equal({ a: null });
    });
});

/** Merged values are plain objects: every key written by the merge is enumerable, writable and deletable. */
describe("keys of merged values (mergeValues)", () => {
    it("behave like assigned keys, including a __proto__ key", () => {
        const merged = mergeValues({ a: { b: 1 } }, JSON.parse('{"a": {"c": 2}, "__proto__": {"d": 3}}')) as { [key: string]: unknown };
        for (const [owner, key] of [[merged, "a"], [merged, "__proto__"], [merged.a, "c"]] as const) {
            expect(Object.getOwnPropertyDescriptor(owner, key), key).to.include({ enumerable: true, writable: true, configurable: true });
        }
        delete merged.a;
        expect(Object.keys(merged)).to.deep.equal(["__proto__"]);
    });
});

/**
 * The order of the values layers of each chart (components/helm/mergeValues.ts): program defaults <
 * the stack's `extraValues` < the SSO values the program owns. Config validation refuses extra values
 * on SSO paths; this pins the second line of defence, the merge itself, by handing the builders extra
 * values that validation would have refused.
 */
describe("values layers: defaults < extraValues < SSO values", () => {
    it("mergeValues: later layers win key by key, siblings of both layers stay, arrays replace", () => {
        const merged = mergeValues({ a: { x: 1, y: 1 }, list: [1, 2] }, { a: { y: 2, z: 2 }, list: [3] });
        expect(merged).to.deep.equal({ a: { x: 1, y: 2, z: 2 }, list: [3] });
    });
});
