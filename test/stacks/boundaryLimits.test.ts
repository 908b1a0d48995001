/** What the config boundary says when a stack file is too big: the limit, and what was found. */
import { expect } from "chai";
import { LIMITS } from "../../stacks/boundary";
import { boundary } from "../support/boundary";

describe("config boundary limits: the words of each refusal", () => {
    it("a list longer than the limit, naming its length", () => {
        expect(boundary({ "homelab-sso:bookmarks": new Array(LIMITS.listItems + 1).fill("x") })).to.deep.equal({
            safe: false,
            problems: [{ key: "homelab-sso:bookmarks", message: `lists ${LIMITS.listItems + 1} items; allowed: at most ${LIMITS.listItems}` }],
        });
        expect(boundary({ "homelab-sso:bookmarks": new Array(LIMITS.listItems).fill("x") }).problems).to.deep.equal([]);
    });

    it("more values than the limit in the whole configuration", () => {
        const wide = Object.fromEntries(Array.from({ length: LIMITS.nodes }, (_, i) => [`k${i}`, 1]));
        const result = boundary({ "homelab-sso:grafana": { extraValues: wide } });
        expect(result.safe).to.equal(false);
        expect(result.problems).to.have.length(1);
        expect(result.problems[0].message).to.equal(`the configuration holds more than ${LIMITS.nodes} values; allowed: at most ${LIMITS.nodes}`);
    });

    it("accepts exactly the limit of values (the section and extraValues objects count as two)", () => {
        const leaves = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 1]));
        expect(boundary({ "homelab-sso:grafana": { extraValues: leaves(LIMITS.nodes - 2) } }).problems).to.deep.equal([]);
        expect(boundary({ "homelab-sso:grafana": { extraValues: leaves(LIMITS.nodes - 1) } }).safe).to.equal(false);
    });

    it("counts each list item once (section, extraValues, the list and its 2 items, and the other leaves make the limit)", () => {
        const leaves = Object.fromEntries(Array.from({ length: LIMITS.nodes - 5 }, (_, i) => [`k${i}`, 1]));
        expect(boundary({ "homelab-sso:grafana": { extraValues: { ...leaves, list: [1, 2] } } }).problems).to.deep.equal([]);
        expect(boundary({ "homelab-sso:grafana": { extraValues: { ...leaves, list: [1, 2, 3] } } }).safe).to.equal(false);
    });
});
