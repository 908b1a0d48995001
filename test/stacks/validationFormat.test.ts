/** The config error a user sees, the follow-on filter, and what counts as a set field. */
import { expect } from "chai";
import { ConfigError, ObjectReader, ProblemList, readInteger, readString } from "../../stacks/validation";

describe("config problems (stacks/validation)", () => {
    it("formats one problem, and several one per line, under an error named ConfigError", () => {
        const one = new ConfigError([{ key: "homelab-sso:a", message: "is wrong" }]);
        expect(one.name).to.equal("ConfigError");
        expect(one.message).to.equal("Invalid stack configuration (1 problem):\n  - homelab-sso:a: is wrong");
        const two = new ConfigError([
            { key: "homelab-sso:a", message: "is wrong" },
            { key: "homelab-sso:b", message: "is missing" },
        ]);
        expect(two.message).to.equal("Invalid stack configuration (2 problems):\n  - homelab-sso:a: is wrong\n  - homelab-sso:b: is missing");
    });

    it("drops follow-on problems only for the keys named, keeping every problem of other keys", () => {
        const problems = new ProblemList();
        problems.add("homelab-sso:a", "first");
        problems.add("homelab-sso:a", "follows from the first");
        problems.add("homelab-sso:b", "one");
        problems.add("homelab-sso:b", "two");
        problems.dropFollowOns(new Set(["homelab-sso:a"]));
        expect(problems.problems).to.deep.equal([
            { key: "homelab-sso:a", message: "first" },
            { key: "homelab-sso:b", message: "one" },
            { key: "homelab-sso:b", message: "two" },
        ]);
    });

    it("counts a field as set only when it is an own property with a value", () => {
        const reader = ObjectReader.of("homelab-sso:x", { given: 1, empty: undefined }, new ProblemList())!;
        expect(reader.has("given")).to.equal(true);
        expect(reader.has("empty")).to.equal(false);
        expect(reader.has("toString")).to.equal(false);
        expect(reader.has("missing")).to.equal(false);
    });

    it("reads a string list that is not a list as a problem and no items", () => {
        const problems = new ProblemList();
        const reader = ObjectReader.of("homelab-sso:x", { groups: "ops" }, problems)!;
        expect(reader.stringList("groups")).to.deep.equal([]);
        expect(problems.problems).to.deep.equal([{ key: "homelab-sso:x.groups", message: 'must be a list of strings, got "ops"' }]);
    });

    it("requires each entry of a string list, naming its index", () => {
        const problems = new ProblemList();
        const reader = ObjectReader.of("homelab-sso:x", { groups: ["ops", ""] }, problems)!;
        expect(reader.stringList("groups")).to.deep.equal(["ops"]);
        expect(problems.problems).to.deep.equal([{ key: "homelab-sso:x.groups[1]", message: "is required" }]);
    });

    it("lists the allowed keys in name order after an unknown one", () => {
        const problems = new ProblemList();
        const reader = ObjectReader.of("homelab-sso:x", { zeta: 1, typo: 2 }, problems)!;
        reader.has("zeta");
        reader.has("alpha");
        reader.finish();
        expect(problems.problems).to.deep.equal([{ key: "homelab-sso:x.typo", message: "unknown key; allowed keys here: alpha, zeta" }]);
    });

    it("reads null and an empty string as not set: the default, or is required", () => {
        for (const empty of [null, "", undefined]) {
            const problems = new ProblemList();
            expect(readString("homelab-sso:x", empty, { default: "fallback" }, problems), String(empty)).to.equal("fallback");
            expect(readString("homelab-sso:x", empty, { required: true }, problems)).to.equal(undefined);
            expect(problems.problems).to.deep.equal([{ key: "homelab-sso:x", message: "is required" }]);
        }
    });

    it("reads a null or absent integer as not set: the default", () => {
        for (const empty of [null, undefined]) {
            const problems = new ProblemList();
            expect(readInteger("homelab-sso:x", empty, { default: 30500, min: 30000, max: 32767, what: "NodePort" }, problems), String(empty)).to.equal(30500);
            expect(problems.problems).to.deep.equal([]);
        }
    });

    it("takes an integer range inclusive at both ends", () => {
        const problems = new ProblemList();
        const rule = { min: 30000, max: 32767, what: "NodePort" };
        expect(readInteger("homelab-sso:x", 30000, rule, problems)).to.equal(30000);
        expect(readInteger("homelab-sso:x", 32767, rule, problems)).to.equal(32767);
        expect(problems.problems).to.deep.equal([]);
        expect(readInteger("homelab-sso:x", 32768, rule, problems)).to.equal(undefined);
        expect(problems.problems).to.deep.equal([{ key: "homelab-sso:x", message: "32768 is outside the NodePort range; allowed: 30000-32767" }]);
    });
});
