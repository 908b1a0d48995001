/**
 * The config readers' building blocks (stacks/validation.ts): how each reader reports a value of the
 * wrong kind, under its full key, and what it returns instead.
 */
import { expect } from "chai";
import { z } from "zod";
import { ConfigError, describe as describeValue, flag, integer, nearMiss, oneOf, ProblemList, readSchema, readValid, section, text } from "../../stacks/validation";

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

    describe("integer", () => {
        it("takes only a JSON number as an integer: quoted, zero-padded, infinite and fractional values are refused", () => {
            const port = integer({ default: 30500, min: 30000, max: 32767, what: "NodePort" });
            const cases: [unknown, string][] = [
                ["30500", 'must be an integer NodePort from 30000 to 32767 (a number written without quotes), got "30500"'],
                ["030500", 'must be an integer NodePort from 30000 to 32767 (a number written without quotes), got "030500"'],
                [Number.POSITIVE_INFINITY, "must be an integer NodePort from 30000 to 32767, got Infinity"],
                [Number.NaN, "must be an integer NodePort from 30000 to 32767, got NaN"],
                [30500.5, "must be an integer NodePort from 30000 to 32767, got 30500.5"],
                [true, "must be an integer NodePort from 30000 to 32767, got true"],
            ];
            for (const [value, message] of cases) {
                const problems = new ProblemList();
                expect(readValid("homelab-sso:x", value, port, problems), String(value)).to.equal(undefined);
                expect(problems.problems, String(value)).to.deep.equal([{ key: "homelab-sso:x", message }]);
            }
        });

        it("reads a null or absent integer as not set (the default), and takes its range inclusive at both ends", () => {
            const port = integer({ default: 30500, min: 30000, max: 32767, what: "NodePort" });
            const problems = new ProblemList();
            for (const [value, read] of [[null, 30500], [undefined, 30500], [30000, 30000], [32767, 32767]] as const) {
                expect(readValid("homelab-sso:x", value, port, problems), String(value)).to.equal(read);
            }
            expect(problems.problems).to.deep.equal([]);
            expect(readValid("homelab-sso:x", 32768, port, problems)).to.equal(undefined);
            expect(problems.problems).to.deep.equal([{ key: "homelab-sso:x", message: "32768 is outside the NodePort range; allowed: 30000-32767" }]);
        });
    });

    describe("flag", () => {
        function readBoolean(value: unknown, defaultValue: boolean) {
            const problems = new ProblemList();
            const read = readSchema("homelab-sso:authentik", { apiInsecure: value }, section({ apiInsecure: flag(defaultValue) }), problems);
            return { value: read.apiInsecure, problems: problems.problems };
        }

        it("refuses the quoted strings \"true\" and \"false\": booleans are typed, as the JSON Schema says", () => {
            expect(readBoolean(true, false)).to.deep.equal({ value: true, problems: [] });
            expect(readBoolean("true", false)).to.deep.equal({
                value: false,
                problems: [{ key: "homelab-sso:authentik.apiInsecure", message: 'must be true or false, got "true"' }],
            });
            expect(readBoolean("false", true).problems).to.have.length(1);
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

    describe("nearMiss (did you mean)", () => {
        it("names the allowed key a typo or a slip of case is closest to", () => {
            expect(nearMiss("nodeport", ["http", "nodePorts", "namespace"])).to.equal("nodePorts");
            expect(nearMiss("redirectUri", ["redirectHosts", "redirectUris", "extraRedirectUris"])).to.equal("redirectUris");
            expect(nearMiss("NAMESPACE", ["namespace"])).to.equal("namespace");
        });

        it("guesses nothing for a key far from every allowed one, or too short to tell", () => {
            expect(nearMiss("zzNotAKey", ["namespace", "nodePorts"])).to.equal(undefined);
            expect(nearMiss("ab", ["a", "b"])).to.equal(undefined);
            expect(nearMiss("nodePortz", [])).to.equal(undefined);
        });
    });

    describe("text", () => {
        it("refuses a value that is not a string, naming the key and the value, and reads null in a list as missing", () => {
            const problems = new ProblemList();
            expect(readValid("homelab-sso:authentik.namespace", 5, text().default("authentik"), problems)).to.equal(undefined);
            expect(readValid("homelab-sso:grafana.adminGroups", [{ name: "ops" }, null], z.array(text()), problems)).to.equal(undefined);
            expect(problems.problems).to.deep.equal([
                { key: "homelab-sso:authentik.namespace", message: "must be a string, got 5" },
                { key: "homelab-sso:grafana.adminGroups[0]", message: 'must be a string, got {"name":"ops"}' },
                { key: "homelab-sso:grafana.adminGroups[1]", message: "is required" },
            ]);
        });

        it("reports a map key its schema refuses at the key, in the key schema's words", () => {
            const problems = new ProblemList();
            const labels = z.record(text({ check: (v) => (v === "bad" ? '"bad" is not a key' : undefined) }), text());
            expect(readValid("homelab-sso:x", { bad: "v", good: "v" }, labels, problems)).to.equal(undefined);
            expect(problems.problems).to.deep.equal([{ key: "homelab-sso:x.bad", message: '"bad" is not a key' }]);
        });
    });

    describe("the schema building blocks and readSchema", () => {
        const SAMPLE = section({
            name: text({ pattern: /^[a-z]+$/, check: (v) => (v === "root" ? '"root" is reserved; allowed: any other name' : /^[a-z]+$/.test(v) ? undefined : `${JSON.stringify(v)} is not lower-case`) }),
            mode: oneOf(["a", "b"]).optional(),
            on: flag(false),
            port: integer({ min: 30000, max: 32767, what: "NodePort", default: 30500 }),
            inner: section({ size: text().default("2Gi") }).default({ size: "2Gi" }),
            items: z.array(section({ id: text() })).default([]),
        });
        function read(value: unknown) {
            const problems = new ProblemList();
            const result = readSchema("homelab-sso:sample", value, SAMPLE, problems);
            return { result, problems: problems.problems.map((p) => `${p.key}: ${p.message}`) };
        }

        it("reads a valid value with its defaults", () => {
            expect(read({ name: "web", items: [{ id: "x" }] })).to.deep.equal({
                result: { name: "web", on: false, port: 30500, inner: { size: "2Gi" }, items: [{ id: "x" }] },
                problems: [],
            });
        });

        it("reports every problem at once, under its key path, in today's words, one per unknown key", () => {
            expect(read({ name: 5, mode: "c", on: "true", port: "30500", inner: { size: 1, zz: 1 }, items: [{ id: "x" }, {}], nodeport: 1, extra: 2 }).problems).to.deep.equal([
                "homelab-sso:sample.name: must be a string, got 5",
                'homelab-sso:sample.mode: "c" is not allowed; allowed: a, b',
                'homelab-sso:sample.on: must be true or false, got "true"',
                'homelab-sso:sample.port: must be an integer NodePort from 30000 to 32767 (a number written without quotes), got "30500"',
                "homelab-sso:sample.inner.size: must be a string, got 1",
                "homelab-sso:sample.inner.zz: unknown key; allowed keys here: size",
                "homelab-sso:sample.items[1].id: is required",
                "homelab-sso:sample.nodeport: unknown key; allowed keys here: inner, items, mode, name, on, port",
                "homelab-sso:sample.extra: unknown key; allowed keys here: inner, items, mode, name, on, port",
            ]);
            expect(read({ name: "web", port: 30000.5 }).problems).to.deep.equal(["homelab-sso:sample.port: must be an integer NodePort from 30000 to 32767, got 30000.5"]);
            expect(read({ name: "web", port: 40000 }).problems).to.deep.equal(["homelab-sso:sample.port: 40000 is outside the NodePort range; allowed: 30000-32767"]);
            expect(read(5).problems).to.deep.equal(["homelab-sso:sample: must be an object, got 5"]);
            expect(read({}).problems).to.deep.equal(["homelab-sso:sample.name: is required"]);
        });

        it("gives one message per cause: the check's words for a value the pattern refuses, and the check for what the pattern lets through", () => {
            expect(read({ name: "Web" }).problems).to.deep.equal(['homelab-sso:sample.name: "Web" is not lower-case']);
            expect(read({ name: "root" }).problems).to.deep.equal(['homelab-sso:sample.name: "root" is reserved; allowed: any other name']);
        });

        it("treats a blank value (null or \"\") as not set, so its default applies or it is required", () => {
            expect(read({ name: "web", port: null, inner: { size: "" } }).result).to.deep.include({ port: 30500, inner: { size: "2Gi" } });
            expect(read({ name: "" }).problems).to.deep.equal(["homelab-sso:sample.name: is required"]);
            expect(read({ mode: null, name: "web" }).problems).to.deep.equal([]);
        });

        it("returns what can be read of an invalid value: valid fields kept, invalid ones at their default or left out, invalid list items dropped", () => {
            expect(read({ name: 5, on: true, port: 1, inner: { size: 3 }, items: [{ id: "x" }, { id: 1 }] }).result).to.deep.equal({
                on: true,
                port: 30500,
                inner: { size: "2Gi" },
                items: [{ id: "x" }],
            });
            expect(read(5).result).to.deep.equal({ on: false, port: 30500, inner: { size: "2Gi" }, items: [] });
        });

        it("readValid returns nothing for an invalid value, after recording its problems", () => {
            const problems = new ProblemList();
            expect(readValid("k", { name: "web" }, SAMPLE, problems)).to.deep.include({ name: "web" });
            expect(readValid("k", { name: 5 }, SAMPLE, problems)).to.equal(undefined);
            expect(problems.problems).to.deep.equal([{ key: "k.name", message: "must be a string, got 5" }]);
        });

        it("requires an enum value in its own words when it has no default", () => {
            const problems = new ProblemList();
            readSchema("k", {}, section({ source: oneOf(["infisical", "pulumi"]) }), problems);
            expect(problems.problems).to.deep.equal([{ key: "k.source", message: "is required; allowed: infisical, pulumi" }]);
        });
    });
});

/** ProblemList.hasAt: whether a key, or a key inside it, already has a problem. */
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

/** The config error a user sees, the follow-on filter, and what counts as a set field. */
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
});
