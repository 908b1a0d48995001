/** The configuration table (docs/configuration.md) as the schema describes it: ranges, expansion and escaping. */
import { expect } from "chai";
import { SchemaNode, referenceRows, referenceTable } from "../../stacks/schema";

const rowsOf = (properties: { [key: string]: SchemaNode }) => referenceRows(properties).map((row) => [row.key, row.meaning]);

describe("configuration reference (stacks/schema)", () => {
    it("states an integer range only when both bounds are known, after the allowed values", () => {
        expect(
            rowsOf({
                both: { type: "integer", description: "A port.", minimum: 1, maximum: 2 },
                lower: { type: "integer", description: "At least one.", minimum: 1 },
                upper: { type: "integer", description: "At most two.", maximum: 2 },
                choice: { type: "integer", description: "A choice.", enum: [1, 2], minimum: 1, maximum: 2 },
            }),
        ).to.deep.equal([
            ["both", "A port. Integer 1-2."],
            ["lower", "At least one."],
            ["upper", "At most two."],
            ["choice", "A choice. One of `1`, `2`. Integer 1-2."],
        ]);
    });

    it("lists the keys of a closed object, and neither an open object's examples nor a free-form map's values", () => {
        expect(
            rowsOf({
                closed: { type: "object", description: "Closed.", properties: { a: { type: "string", description: "A." } }, additionalProperties: false },
                open: { type: "object", description: "Open.", properties: { b: { type: "string", description: "B." } }, additionalProperties: true },
                map: { type: "object", description: "Free-form.", additionalProperties: { type: "string" } },
            }).map(([key]) => key),
        ).to.deep.equal(["closed", "closed.a", "open", "map"]);
    });

    it("escapes a pipe in a cell, so the Markdown table keeps its columns", () => {
        expect(referenceTable([{ key: "a", defaultValue: "x|y", meaning: "one | two" }]).split("\n")[2]).to.equal("| `a` | x\\|y | one \\| two |");
    });
});
