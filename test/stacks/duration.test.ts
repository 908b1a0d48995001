/** ESO refresh intervals: hours, minutes and seconds, each of any number of digits. */
import { expect } from "chai";
import { checkDuration } from "../../stacks/rules";

describe("durations (checkDuration)", () => {
    it("accepts multi-digit hours, minutes and seconds in that order", () => {
        for (const good of ["1h", "12h", "30m", "90s", "1h30m", "24h0m10s"]) {
            expect(checkDuration(good), good).to.equal(undefined);
        }
        for (const bad of ["", "1d", "30m1h", "h", "1.5h"]) {
            expect(checkDuration(bad), bad).to.equal(`${JSON.stringify(bad)} is not a duration; allowed: hours/minutes/seconds such as "1h", "30m" or "1h30m"`);
        }
    });
});
