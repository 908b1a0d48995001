/** services.<name>.rotation: what an out-of-range rotation is told. */
import { expect } from "chai";
import { ROTATION_SCHEMA } from "../../stacks/secretDelivery";
import { ProblemList, readValid } from "../../stacks/validation";

describe("rotation numbers (ROTATION_SCHEMA)", () => {
    it("names a negative rotation as outside the rotation number range", () => {
        const problems = new ProblemList();
        expect(readValid("homelab-sso:services.immich.rotation", -1, ROTATION_SCHEMA, problems)).to.equal(undefined);
        expect(problems.problems).to.have.length(1);
        expect(problems.problems[0]).to.include({ key: "homelab-sso:services.immich.rotation" });
        expect(problems.problems[0].message).to.match(/^-1 is outside the rotation number range; allowed: 0-\d+$/);
    });
});
