/** The config boundary reports top-level keys in the stack file's order, and reads only the project's own keys as its own. */
import { expect } from "chai";
import { boundary } from "../support/boundary";

const problemsOf = (raw: { [key: string]: unknown }) => boundary(raw).problems;

describe("config boundary: order and namespaces", () => {
    it("reports problems of several top-level keys in the order the keys come", () => {
        expect(problemsOf({ "homelab-sso:publicHost": "a\tb", "homelab-sso:publicUrl": "c\td" }).map((p) => p.key)).to.deep.equal(["homelab-sso:publicHost", "homelab-sso:publicUrl"]);
        expect(problemsOf({ "homelab-sso:publicUrl": "c\td", "homelab-sso:publicHost": "a\tb" }).map((p) => p.key)).to.deep.equal(["homelab-sso:publicUrl", "homelab-sso:publicHost"]);
    });

    it("never reads a key of another namespace as one of the project's (a PEM key elsewhere is plain text)", () => {
        // `other-proj1` is as long as `homelab-sso`: only the prefix check tells them apart.
        expect(problemsOf({ "other-proj1:issuerCaCertificate": "line\nline" }).map((p) => p.key)).to.deep.equal(["other-proj1:issuerCaCertificate"]);
        expect(problemsOf({ "homelab-sso:issuerCaCertificate": "line\nline" })).to.deep.equal([]);
    });

    it("reports bad keys of one object in their order, and refuses a line break in a key", () => {
        expect(problemsOf({ "homelab-sso:services": { "b\tb": {}, "a\ta": {} } }).map((p) => p.key)).to.deep.equal(['homelab-sso:services."b\\tb"', 'homelab-sso:services."a\\ta"']);
        // Values below good keys are walked in key order as well.
        expect(problemsOf({ "homelab-sso:services": { b: { url: "x\ty" }, a: { url: "x\ty" } } }).map((p) => p.key)).to.deep.equal(["homelab-sso:services.b.url", "homelab-sso:services.a.url"]);
        expect(problemsOf({ "homelab-sso:services": { "a\nb": {} } })).to.deep.equal([
            { key: 'homelab-sso:services."a\\nb"', message: "the key contains a line break (U+000A) at character 2; allowed: printable characters only" },
        ]);
    });
});
