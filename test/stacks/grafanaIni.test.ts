/**
 * Keys and values inside grafana.ini (stacks/grafanaIni.ts): each stays one `key = value` line of its
 * section as Grafana's INI reader (gopkg.in/ini.v1) reads it. The rules are checked here one by one;
 * test/attacks.test.ts renders and reads whole grafana.ini files.
 */
import { expect } from "chai";
import { grafanaSsoValues } from "../../components/monitoring/values";
import { GRAFANA_INI, iniKeyProblem, iniShapeProblem, iniValueProblem, insideGrafanaIni } from "../../stacks/grafanaIni";
import { PASS_THROUGH_ALLOWLIST } from "../../stacks/passThrough";
import { boundary } from "../support/boundary";
import { readIni, renderGrafanaIni } from "../support/ini";

const INI = 'homelab-sso:grafana.extraValues.grafana."grafana.ini"';

function withIni(ini: unknown): { [key: string]: unknown } {
    return { "homelab-sso:grafana": { extraValues: { grafana: { "grafana.ini": ini } } } };
}

describe("grafana.ini keys and values (stacks/grafanaIni)", () => {
    it("knows grafana.ini's place: kube-prometheus-stack's grafana.\"grafana.ini\", below it only", () => {
        expect(insideGrafanaIni("kube-prometheus-stack", ["grafana", "grafana.ini", "log"])).to.equal(true);
        expect(insideGrafanaIni("kube-prometheus-stack", ["grafana", "grafana.ini", "log", "level"])).to.equal(true);
        expect(insideGrafanaIni("kube-prometheus-stack", ["grafana", "grafana.ini"])).to.equal(false);
        expect(insideGrafanaIni("kube-prometheus-stack", ["grafana", "persistence", "log"])).to.equal(false);
        expect(insideGrafanaIni("kube-prometheus-stack", ["prometheus", "grafana.ini", "log"])).to.equal(false);
        expect(insideGrafanaIni("argo-cd", ["grafana", "grafana.ini", "log"])).to.equal(false);
        expect(insideGrafanaIni(undefined, ["grafana", "grafana.ini", "log"])).to.equal(false);
    });

    it("accepts plain key names", () => {
        for (const key of ["level", "mode", "check_for_updates", "filters", "min_refresh_interval", "a.b", "x-y", "-"]) {
            expect(iniKeyProblem(key), key).to.equal(undefined);
        }
    });

    for (const [key, what] of [
        ["[auth.anonymous]", "a section bracket"],
        ["auth]", "a section bracket"],
        ["a=b", "a key-value delimiter"],
        ["a:b", "a key-value delimiter"],
        [";x", "a comment character"],
        ["#x", "a comment character"],
        ['"x"', "a quote character"],
        ["'x", "a quote character"],
        ["`x", "a quote character"],
    ] as const) {
        it(`refuses the key ${JSON.stringify(key)}: ${what}`, () => {
            const problem = iniKeyProblem(key);
            expect(problem).to.include(`(${what})`);
            expect(problem).to.include("gopkg.in/ini.v1");
            expect(problem).to.include("allowed: a name without [ ] = : ; # or quote characters");
        });
    }

    it("refuses an empty key and a key with spaces at either end (ini.v1 trims key names)", () => {
        expect(iniKeyProblem("")).to.match(/^the key "" is empty, which ini.v1 refuses/);
        expect(iniKeyProblem("  ")).to.match(/is empty/);
        expect(iniKeyProblem(" level")).to.match(/^the key has spaces at its start or end, which ini.v1 trims/);
        expect(iniKeyProblem("level ")).to.match(/spaces at its start or end/);
    });

    it("accepts plain values, quotes inside them included", () => {
        for (const value of ["info", "console file", "/var/lib/grafana", "http://x.example:3000/a?b=c", 'say "hi"', "", "a\\b"]) {
            expect(iniValueProblem(value), value).to.equal(undefined);
        }
    });

    it("refuses values that would swallow the next lines, and inline comments", () => {
        expect(iniValueProblem("`x")).to.match(/^starts with "`", which makes Grafana's INI reader .* read the following lines/);
        expect(iniValueProblem(' """x')).to.match(/^starts with "\\"\\"\\""/);
        expect(iniValueProblem("false \\")).to.match(/^ends with a backslash, which makes Grafana's INI reader .* take the next line/);
        expect(iniValueProblem("x\\ ")).to.match(/^ends with a backslash/);
        expect(iniValueProblem("a # b")).to.match(/^contains "#", where Grafana's INI reader .* starts an inline comment/);
        expect(iniValueProblem("a;b")).to.match(/^contains ";"/);
    });

    it("takes a section as a map and values inside it as scalars", () => {
        const section = [...GRAFANA_INI.path, "log"];
        expect(iniShapeProblem(section, { level: "info" })).to.equal(undefined);
        expect(iniShapeProblem(section, "x")).to.match(/^must be a map of INI keys/);
        expect(iniShapeProblem(section, ["x"])).to.match(/^must be a map of INI keys/);
        expect(iniShapeProblem([...section, "level"], "info")).to.equal(undefined);
        expect(iniShapeProblem([...section, "level"], 3)).to.equal(undefined);
        expect(iniShapeProblem([...section, "filters"], { a: "b" })).to.match(/^is a map inside an INI section, which the chart prints as Go's text \(`map\[k:v\]`\)/);
        expect(iniShapeProblem([...section, "filters"], ["a"])).to.equal(
            "is a list inside an INI section, which the chart prints as Go's text (`[a b]`), not as INI; allowed: a string, number or boolean",
        );
        // null is no map: not a section, and a plain (empty) value inside one.
        expect(iniShapeProblem(section, null)).to.match(/^must be a map of INI keys/);
        expect(iniShapeProblem([...section, "level"], null)).to.equal(undefined);
    });

    it("the config boundary applies them inside grafana.ini only, every problem at once", () => {
        const problems = boundary(
            withIni({
                log: { "[auth.anonymous]": "x", enabled: true, level: "info;debug", filters: { a: "b" } },
                analytics: { reporting_enabled: "false \\" },
                dashboards: "x",
            }),
        ).problems;
        expect(problems.map((p) => p.key)).to.deep.equal([
            `${INI}.log."[auth.anonymous]"`,
            `${INI}.log.level`,
            `${INI}.log.filters`,
            `${INI}.analytics.reporting_enabled`,
            `${INI}.dashboards`,
        ]);
        // Outside grafana.ini the same keys and values are other rules' business (the allowlist's, here).
        const outside = boundary({ "homelab-sso:grafana": { extraValues: { grafana: { podLabels: { "a:b": "x;y \\" } } } } }).problems;
        expect(outside).to.deep.equal([]);
    });

    it("the pass-through sections inherit nothing from, and give nothing to, a section the program owns", () => {
        // ini.v1 looks a key up in a dotted section's parent (`auth.generic_oauth` in `auth`), so no
        // passed-through section may be an owned one, its parent or its child.
        const sso = grafanaSsoValues({ adminGroups: [], editorGroups: [], publicUrl: "https://g.example", clientId: "c", authorizeUrl: "a", tokenUrl: "t", apiUrl: "u", endSessionUrl: "e" }) as any;
        const owned = Object.keys(sso.grafana["grafana.ini"]);
        expect(owned).to.have.members(["server", "auth", "auth.generic_oauth"]);
        const passed = PASS_THROUGH_ALLOWLIST["kube-prometheus-stack"].filter((entry) => insideGrafanaIni("kube-prometheus-stack", entry.path)).map((entry) => entry.path[2]);
        expect(passed).to.have.members(["analytics", "log", "dashboards"]);
        const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
        for (const section of passed) {
            expect(owned.filter((o) => related(o, section)), section).to.deep.equal([]);
        }
    });

    it("what it refuses really changes the sections Grafana reads (rendered as the chart does, read as ini.v1 does)", () => {
        const owned = { auth: { disable_login_form: true }, server: { root_url: "https://g.example" } };
        const read = (extra: object) => readIni(renderGrafanaIni({ ...owned, ...extra }));
        expect(read({ log: { level: "info" } })).to.deep.equal({ DEFAULT: {}, auth: { disable_login_form: "true" }, log: { level: "info" }, server: { root_url: "https://g.example" } });
        expect(read({ log: { "[auth.anonymous]": "x", enabled: true } })["auth.anonymous"]).to.deep.equal({ enabled: "true" });
        expect(read({ analytics: { reporting_enabled: "false \\" } })).to.not.have.property("auth");
        expect(read({ analytics: { x: "`a" }, dashboards: { y: "b`" } })).to.not.have.property("auth");
        expect(read({ log: { level: "info;debug" } }).log.level).to.equal("info");
        expect(read({ log: { "a=b": "c" } }).log).to.deep.equal({ a: "b = c" });
    });
});
