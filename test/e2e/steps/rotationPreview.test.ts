/** The rotation step's comparison (e2e/steps/rotationPreview.ts): engine preview steps against render diff URNs. */
import { expect } from "chai";
import { engineChangedUrns, renderDiffUrns, urnSetDifference } from "../../../e2e/steps/rotationPreview";

describe("e2e rotation: engine preview vs render diff", () => {
    const chart = "urn:chart";
    const parents = new Map<string, string | undefined>([["urn:child", chart], [chart, "urn:platform"], ["urn:platform", undefined]]);

    it("counts a chart's child as its chart, the nearest ancestor the render knows, and ignores unchanged ops", () => {
        const steps = [
            { op: "same", urn: "urn:stack" },
            { op: "replace", urn: "urn:password" },
            { op: "create-replacement", urn: "urn:password" },
            { op: "update", urn: "urn:child" },
            { op: "read", urn: "urn:lookup" },
            { op: "create", urn: "urn:new", newState: { parent: "urn:unknown" } },
        ];
        const known = new Set(["urn:password", chart, "urn:platform"]);
        expect(engineChangedUrns(steps, parents, known)).to.deep.equal([chart, "urn:new", "urn:password"]);
    });

    it("lists the render diff's added, removed and changed URNs once, and both sides of a difference", () => {
        const ref = (urn: string) => ({ urn, type: "t", name: "n" });
        const diff = { added: [ref("urn:a")], removed: [ref("urn:b")], changed: [{ ...ref("urn:a"), changes: [] }], outputs: [], invokes: [] };
        expect(renderDiffUrns(diff)).to.deep.equal(["urn:a", "urn:b"]);
        expect(urnSetDifference(["urn:a", "urn:c"], ["urn:a", "urn:b"])).to.deep.equal({ onlyEngine: ["urn:c"], onlyRender: ["urn:b"] });
    });
});
