/** ProblemList.hasAt: whether a key, or a key inside it, already has a problem. */
import { expect } from "chai";
import { ProblemList } from "../../stacks/validation";

describe("ProblemList.hasAt", () => {
    it("finds a problem at the key, at a field or an item inside it, and not at a key that only starts the same", () => {
        const at = (key: string) => {
            const problems = new ProblemList();
            problems.add(key, "is wrong");
            return problems;
        };
        expect(at("homelab-sso:alias").hasAt("homelab-sso:alias")).to.equal(true);
        expect(at("homelab-sso:alias.ip").hasAt("homelab-sso:alias")).to.equal(true);
        expect(at("homelab-sso:alias[0]").hasAt("homelab-sso:alias")).to.equal(true);
        expect(at("homelab-sso:aliases").hasAt("homelab-sso:alias")).to.equal(false);
        expect(at("homelab-sso:alias").hasAt("homelab-sso:alias.ip")).to.equal(false);
        expect(new ProblemList().hasAt("homelab-sso:alias")).to.equal(false);
    });
});
