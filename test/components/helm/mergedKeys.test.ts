/** Merged values are plain objects: every key written by the merge is enumerable, writable and deletable. */
import { expect } from "chai";
import { mergeValues } from "../../../components/helm/mergeValues";

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
