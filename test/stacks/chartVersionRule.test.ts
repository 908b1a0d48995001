/** A pinned chart version is an exact semantic version, with an optional pre-release part. */
import { expect } from "chai";
import { checkChartVersion } from "../../stacks/rules";

describe("chart versions (checkChartVersion)", () => {
    it("accepts exact versions, multi-digit parts and pre-releases", () => {
        for (const good of ["2025.12.4", "7.8.0", "82.1.10", "1.2.3-rc.1", "1.2.3-beta-2"]) {
            expect(checkChartVersion(good), good).to.equal(undefined);
        }
    });

    it("refuses anything after the version, ranges and a leading v", () => {
        for (const bad of ["1.2.3x", "1.2.3 ", "1.2.3-", "1.2.3-rc!", "^1.2.3", "v1.2.3", "1.2", "1.2.x"]) {
            expect(checkChartVersion(bad), bad).to.equal(
                `${JSON.stringify(bad)} is not an exact chart version; allowed: a pinned semantic version such as "2025.12.4" (no ranges, no leading "v")`,
            );
        }
    });
});
