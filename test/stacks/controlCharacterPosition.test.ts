/** A control character's position counts every character of the value the user wrote, line breaks included. */
import { expect } from "chai";
import { controlCharacterProblem } from "../../stacks/boundary";

describe("control character positions (controlCharacterProblem)", () => {
    it("counts allowed line breaks (\\n and \\r\\n) in the position of a later control character", () => {
        expect(controlCharacterProblem("line one\nline\ttwo", true)).to.equal("contains a tab (U+0009) at character 14");
        expect(controlCharacterProblem("a\r\nb\tc", true)).to.equal("contains a tab (U+0009) at character 5");
    });

    it("still refuses a carriage return that does not end a line", () => {
        expect(controlCharacterProblem("a\rb", true)).to.equal("contains a carriage return (U+000D) at character 2");
        expect(controlCharacterProblem("a\nb", false)).to.equal("contains a line break (U+000A) at character 2");
    });
});
