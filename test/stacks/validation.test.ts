/**
 * The config readers' building blocks (stacks/validation.ts): how each reader reports a value of the
 * wrong kind, under its full key, and what it returns instead.
 */
import { expect } from "chai";
import { ObjectReader, ProblemList, describe as describeValue, readInteger, readString } from "../../stacks/validation";

describe("stacks/validation", () => {
    describe("describe", () => {
        it("names a missing value `nothing`, shows short values as JSON, and cuts long ones at 80 characters", () => {
            expect(describeValue(undefined)).to.equal("nothing");
            expect(describeValue("on")).to.equal('"on"');
            expect(describeValue([1, { a: true }])).to.equal('[1,{"a":true}]');
            const long = "x".repeat(100);
            expect(describeValue(long)).to.equal(`"${"x".repeat(76)}...`);
            expect(describeValue(long)).to.have.length(80);
            expect(describeValue("y".repeat(78))).to.equal(`"${"y".repeat(78)}"`);
        });

        it("names Infinity and NaN, which JSON would print as null", () => {
            expect(describeValue(Number.POSITIVE_INFINITY)).to.equal("Infinity");
            expect(describeValue(Number.NEGATIVE_INFINITY)).to.equal("-Infinity");
            expect(describeValue(Number.NaN)).to.equal("NaN");
            expect(describeValue(30500)).to.equal("30500");
        });
    });

    describe("readInteger", () => {
        it("takes only a JSON number as an integer: quoted, zero-padded, infinite and fractional values are refused", () => {
            const rule = { default: 30500, min: 30000, max: 32767, what: "NodePort" };
            const cases: [unknown, string][] = [
                ["30500", 'must be an integer NodePort from 30000 to 32767 (a number written without quotes), got "30500"'],
                ["030500", 'must be an integer NodePort from 30000 to 32767 (a number written without quotes), got "030500"'],
                ["", 'must be an integer NodePort from 30000 to 32767 (a number written without quotes), got ""'],
                [Number.POSITIVE_INFINITY, "must be an integer NodePort from 30000 to 32767, got Infinity"],
                [Number.NaN, "must be an integer NodePort from 30000 to 32767, got NaN"],
                [30500.5, "must be an integer NodePort from 30000 to 32767, got 30500.5"],
                [true, "must be an integer NodePort from 30000 to 32767, got true"],
            ];
            for (const [value, message] of cases) {
                const problems = new ProblemList();
                expect(readInteger("homelab-sso:x", value, rule, problems), String(value)).to.equal(undefined);
                expect(problems.problems, String(value)).to.deep.equal([{ key: "homelab-sso:x", message }]);
            }
        });
    });

    describe("ObjectReader.boolean", () => {
        function readBoolean(value: unknown, defaultValue: boolean) {
            const problems = new ProblemList();
            const reader = new ObjectReader("homelab-sso:authentik", { apiInsecure: value }, problems);
            return { value: reader.boolean("apiInsecure", defaultValue), problems: problems.problems };
        }

        it("reads the strings \"true\" and \"false\" as booleans", () => {
            expect(readBoolean("true", false)).to.deep.equal({ value: true, problems: [] });
            expect(readBoolean("false", true)).to.deep.equal({ value: false, problems: [] });
        });

        it("refuses anything else, naming the key and the value, and keeps the default", () => {
            expect(readBoolean("yes", true)).to.deep.equal({
                value: true,
                problems: [{ key: "homelab-sso:authentik.apiInsecure", message: 'must be true or false, got "yes"' }],
            });
            expect(readBoolean(1, false)).to.deep.equal({
                value: false,
                problems: [{ key: "homelab-sso:authentik.apiInsecure", message: "must be true or false, got 1" }],
            });
        });
    });

    describe("readString", () => {
        it("refuses a value that is not a string, naming the key and the value", () => {
            const problems = new ProblemList();
            expect(readString("homelab-sso:authentik.namespace", 5, { default: "authentik" }, problems)).to.equal(undefined);
            expect(readString("homelab-sso:grafana.adminGroups[0]", { name: "ops" }, {}, problems)).to.equal(undefined);
            expect(problems.problems).to.deep.equal([
                { key: "homelab-sso:authentik.namespace", message: "must be a string, got 5" },
                { key: "homelab-sso:grafana.adminGroups[0]", message: 'must be a string, got {"name":"ops"}' },
            ]);
        });
    });
});
