/**
 * The config boundary (stacks/boundary.ts) and the rules it works with: one walk every key and string
 * passes through, before any section parser; canonical base URLs; the Infisical hostApi; git fields.
 * Then the boundary's own words: size limits, key order, control character positions, secret values,
 * and each kind of text.
 */
import { expect } from "chai";
import { mergeValues } from "../../components/helm/mergeValues";
import { LIMITS, controlCharacterProblem, templateSyntaxProblem } from "../../stacks/boundary";
import { checkGitRepoUrl, checkInfisicalHostApi, checkRepoPath, checkRevision } from "../../stacks/deployments";
import { checkHttpsBaseUrl, isClusterServiceHost } from "../../stacks/rules";
import { boundary } from "../support/boundary";
import { configProblems, readStackFile } from "../support/stacks";

function nested(levels: number): object {
    let value: object = { leaf: "x" };
    for (let i = 0; i < levels; i++) {
        value = { a: value };
    }
    return value;
}

const problemsOf = configProblems;
/** The boundary walk alone, before any section parser. */
const boundaryProblems = (raw: { [key: string]: unknown }) => boundary(raw).problems;

describe("config boundary", () => {
    it("passes today's stack files untouched", () => {
        for (const stack of ["prod", "dev"]) {
            expect(boundary(readStackFile(stack)).problems, stack).to.deep.equal([]);
        }
    });

    it("refuses __proto__, constructor and prototype as keys anywhere, as a structural stop", () => {
        const raw = {
            "homelab-sso:services": { constructor: {} },
            "homelab-sso:grafana": { extraValues: JSON.parse('{"grafana": {"__proto__": {"x": 1}, "replicas": 1}}') },
            "homelab-sso:bookmarks": [{ prototype: "x" }],
        };
        const result = boundary(raw);
        expect(result.safe).to.equal(false);
        expect(result.problems.map((p) => p.key)).to.have.members([
            "homelab-sso:services.constructor",
            "homelab-sso:grafana.extraValues.grafana.__proto__",
            "homelab-sso:bookmarks[0].prototype",
        ]);
    });

    it("refuses template syntax in keys anywhere, pass-through values and toYaml subtrees included, without stopping the walk", () => {
        const result = boundary({
            "homelab-sso:services": { "{{x}}": {} },
            "homelab-sso:grafana": { extraValues: { grafana: { podAnnotations: { "a}}": "x" } }, additionalPrometheusRulesMap: { "$__env{X}": { groups: [] } } } },
        });
        expect(result.safe).to.equal(true);
        expect(result.problems.map((p) => p.key)).to.have.members([
            'homelab-sso:services."{{x}}"',
            'homelab-sso:grafana.extraValues.grafana.podAnnotations."a}}"',
            'homelab-sso:grafana.extraValues.additionalPrometheusRulesMap."$__env{X}"',
        ]);
        expect(result.problems[0].message).to.match(/^the key contains "\{\{", template syntax .*; allowed: a key without \{\{, \}\} or \$__$/);
    });

    it("reports 3,000 levels of nesting as a config error at the depth limit, never a RangeError", () => {
        const problems = problemsOf({ "homelab-sso:publicHost": "a.example.net", "homelab-sso:grafana": { extraValues: nested(3000) } });
        expect(problems).to.have.length(1);
        expect(problems[0].key).to.equal(`homelab-sso:grafana.extraValues${".a".repeat(LIMITS.depth - 1)}`);
        expect(problems[0].message).to.equal(`nests deeper than ${LIMITS.depth} levels; allowed: at most ${LIMITS.depth} levels of objects and lists`);
    });

    it("limits string, key and list lengths and the number of values", () => {
        expect(boundary({ "homelab-sso:publicHost": "a".repeat(LIMITS.stringLength + 1) }).problems[0].message).to.match(/at most 4096/);
        expect(boundary({ "homelab-sso:publicHost": "a".repeat(LIMITS.stringLength) }).problems).to.deep.equal([]);
        expect(boundary({ "homelab-sso:bookmarks": new Array(LIMITS.listItems + 1).fill("x") }).safe).to.equal(false);
        expect(boundary({ "homelab-sso:services": { ["k".repeat(LIMITS.keyLength + 1)]: {} } }).safe).to.equal(false);
        const wide = Object.fromEntries(Array.from({ length: LIMITS.nodes }, (_, i) => [`k${i}`, 1]));
        expect(boundary({ "homelab-sso:grafana": { extraValues: wide } }).safe).to.equal(false);
    });

    it("refuses a key that is too long or holds a control character, naming the key path and the limit", () => {
        const long = "k".repeat(LIMITS.keyLength + 1);
        expect(boundary({ "homelab-sso:services": { [long]: {} } })).to.deep.equal({
            safe: false,
            problems: [{ key: `homelab-sso:services.${long}`, message: `the key is ${LIMITS.keyLength + 1} characters long; allowed: at most ${LIMITS.keyLength}` }],
        });
        expect(boundary({ "homelab-sso:services": { ["k".repeat(LIMITS.keyLength)]: {} } }).problems).to.deep.equal([]);
        expect(boundary({ "homelab-sso:grafana": { extraValues: { "graf\tana": {} } } })).to.deep.equal({
            safe: false,
            problems: [{ key: 'homelab-sso:grafana.extraValues."graf\\tana"', message: "the key contains a tab (U+0009) at character 5; allowed: printable characters only" }],
        });
    });

    it("names each control character: tab, line break, NUL, DEL, C1, bidi override and isolate, separators, BOM", () => {
        for (const [char, name] of [
            ["\t", "a tab"],
            ["\n", "a line break"],
            ["\r", "a carriage return"],
            ["\u0000", "a NUL character"],
            ["\u007f", "a control character"],
            ["\u0085", "a control character"],
            ["\u202e", "a bidirectional control"],
            ["\u2066", "a bidirectional control"],
            ["\u2028", "a control character"],
            ["\ufeff", "a control character"],
        ]) {
            expect(controlCharacterProblem(`ab${char}c`, false), JSON.stringify(char)).to.match(new RegExp(`^contains ${name} \\(U\\+[0-9A-F]{4}\\) at character 3$`));
        }
        expect(controlCharacterProblem("a\nb\r\nc", true)).to.equal(undefined);
        expect(controlCharacterProblem("a\tb", true)).to.match(/tab/);
        expect(controlCharacterProblem("Homelab Docs — ünïcode ok", false)).to.equal(undefined);
    });

    it("lets only a PEM certificate hold line breaks, and only toYaml-handed pass-through values hold template syntax", () => {
        expect(boundary({ "homelab-sso:issuerCaCertificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }).problems).to.deep.equal([]);
        expect(boundary({ "homelab-sso:issuerCaCertificate": "-----BEGIN\tCERTIFICATE-----" }).problems[0].message).to.match(/tab/);
        expect(boundary({ "homelab-sso:oidc": { signingKeyName: "a\nb" } }).problems[0].key).to.equal("homelab-sso:oidc.signingKeyName");
        const rules = { additionalPrometheusRulesMap: { host: { groups: [{ name: "g", rules: [{ alert: "Down", annotations: { summary: "{{ $labels.instance }} is down\nsince {{ $value }}" } }] }] } } };
        expect(boundary({ "homelab-sso:grafana": { extraValues: rules } }).problems).to.deep.equal([]);
        const ini = { grafana: { "grafana.ini": { log: { mode: "{{ .Values.x }}" } } } };
        expect(boundary({ "homelab-sso:grafana": { extraValues: ini } }).problems.map((p) => p.key)).to.deep.equal(['homelab-sso:grafana.extraValues.grafana."grafana.ini".log.mode']);
        for (const value of ["{{ x", "x }}", "$__env{HOME}"]) {
            expect(templateSyntaxProblem(value), value).to.match(/template syntax/);
            expect(boundary({ "homelab-sso:services": { g: { description: value } } }).problems).to.have.length(1);
        }
        // A secret may hold any printable character; only control characters are refused there.
        expect(boundary({ "homelab-sso:clientSecrets": { g: "a{{b$__c" } }).problems).to.deep.equal([]);
        expect(boundary({ "authentik:token": "tok\n" }).problems[0].message).to.match(/line break/);
        expect(boundary({ "authentik:token": "tok\n" }).problems[0].message).to.not.include("tok");
    });

    it("lists every boundary problem at once, next to the section parsers' own", () => {
        const problems = problemsOf({
            "homelab-sso:publicHost": "a.example.net",
            "homelab-sso:grafana": { adminGroup: "a\nb", editorGroups: ["{{x}}"], nodePorts: 1 },
            "homelab-sso:services": { g: { name: "G\t", group: "x", publicUrl: "https://G.example.net:443", callbackPath: "/cb" } },
        });
        const keys = problems.map((p) => p.key);
        expect(keys).to.include.members([
            "homelab-sso:grafana.adminGroup",
            "homelab-sso:grafana.editorGroups[0]",
            "homelab-sso:grafana.nodePorts",
            "homelab-sso:services.g.name",
            "homelab-sso:services.g.publicUrl",
        ]);
        // One message per key the boundary refused: its own.
        expect(problems.filter((p) => p.key === "homelab-sso:grafana.adminGroup")).to.have.length(1);
        expect(problems.find((p) => p.key === "homelab-sso:grafana.adminGroup")!.message).to.match(/line break/);
    });
});

describe("canonical base URLs", () => {
    it("accepts the canonical form and one trailing slash", () => {
        for (const url of ["https://sso.example.net", "https://sso.example.net/", "https://sso.example.net:8443", "https://[::1]:8443"]) {
            expect(checkHttpsBaseUrl(url), url).to.equal(undefined);
        }
    });

    it("refuses the rest, giving the canonical form where there is one", () => {
        expect(checkHttpsBaseUrl("https://SSO.example.net")).to.include('write "https://sso.example.net"');
        expect(checkHttpsBaseUrl("https://sso.example.net:443")).to.include('write "https://sso.example.net"');
        expect(checkHttpsBaseUrl("https://sso.example.net//")).to.include("no path");
        expect(checkHttpsBaseUrl("https://sso.example.net\n")).to.include("canonical");
        for (const [url, mention] of [
            ["https://sso.example.net/?a=1", /no path, query/],
            ["https://sso.example.net/#x", /no path, query/],
            ["https://sso.example.net?", /no path, query/],
            ["https://u:p@sso.example.net", /credentials/],
            ["https://@sso.example.net", /credentials/],
            ["https://sso.example.net/app", /no path/],
            ["http://sso.example.net", /must use https/],
            ["https://*.example.net", /wildcard/],
            ["sso.example.net", /not a URL/],
        ] as const) {
            expect(checkHttpsBaseUrl(url), url).to.match(mention);
        }
    });
});

describe("Infisical hostApi, git repository, path and revision", () => {
    it("hostApi: https anywhere, http only to a *.svc.cluster.local host (suffix), never credentials", () => {
        expect(checkInfisicalHostApi("http://infisical-infisical-standalone-infisical.infisical.svc.cluster.local:8080")).to.equal(undefined);
        expect(checkInfisicalHostApi("https://app.infisical.com")).to.equal(undefined);
        expect(checkInfisicalHostApi("http://x.svc.cluster.local.evil.com")).to.match(/outside the cluster/);
        expect(checkInfisicalHostApi("http://svc.cluster.local")).to.match(/outside the cluster/);
        expect(checkInfisicalHostApi("http://evilsvc.cluster.local")).to.match(/outside the cluster/);
        expect(checkInfisicalHostApi("http://user:pass@any-host")).to.match(/credentials/);
        expect(checkInfisicalHostApi("https://user:pass@app.infisical.com")).to.match(/credentials/);
        expect(isClusterServiceHost("a.svc.cluster.local")).to.equal(true);
        expect(isClusterServiceHost(".svc.cluster.local")).to.equal(false);
    });

    it("repoUrl: https or scp-like git@host:path", () => {
        for (const url of ["git@github.com:holdennguyen/homelab.git", "https://github.com/holdennguyen/homelab.git", "https://github.com/holdennguyen/homelab"]) {
            expect(checkGitRepoUrl(url), url).to.equal(undefined);
        }
        for (const url of ["http://github.com/a/b", "https://u:p@github.com/a/b", "https://github.com/a/b?x=1", "ssh://git@github.com/a/b", "git@github.com:a/b\n", "git@github.com:../b", "file:///etc", "git@-x:a/b"]) {
            expect(checkGitRepoUrl(url), url).to.match(/not a git repository URL/);
        }
    });

    it("path and revision: git-safe characters, no climbing out", () => {
        expect(checkRepoPath("k8s/apps/argocd")).to.equal(undefined);
        for (const bad of ["/abs", "a//b", "../x", "a/../b", "a\nb", "{{x}}", "a b"]) {
            expect(checkRepoPath(bad), bad).to.match(/not a safe repository path/);
        }
        for (const good of ["HEAD", "main", "release/1.2", "v1.0.0", "0123456789abcdef0123456789abcdef01234567"]) {
            expect(checkRevision(good), good).to.equal(undefined);
        }
        for (const bad of ["-x", "a..b", "a/", "a.lock", "a/.b", "{{x}}", "a\nb", "a b", "a//b"]) {
            expect(checkRevision(bad), bad).to.match(/not a safe git revision/);
        }
    });
});

describe("mergeValues with a __proto__ key", () => {
    it("keeps the key as data and drops no sibling", () => {
        const extra = JSON.parse('{"grafana": {"__proto__": {"x": 1}, "persistence": {"enabled": true}}}') as { [key: string]: unknown };
        const merged = mergeValues({ grafana: { service: { nodePort: 30090 } } }, extra, { grafana: { "grafana.ini": { auth: {} } } });
        const grafana = merged.grafana as { [key: string]: unknown };
        expect(Object.keys(grafana)).to.have.members(["service", "__proto__", "persistence", "grafana.ini"]);
        expect(Object.getPrototypeOf(grafana)).to.equal(Object.prototype);
        expect(({} as { x?: number }).x).to.equal(undefined);
    });
});

/** What the config boundary says when a stack file is too big: the limit, and what was found. */
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

/** The config boundary reports top-level keys in the stack file's order, and reads only the project's own keys as its own. */
describe("config boundary: order and namespaces", () => {
    it("reports problems of several top-level keys in the order the keys come", () => {
        expect(boundaryProblems({ "homelab-sso:publicHost": "a\tb", "homelab-sso:publicUrl": "c\td" }).map((p) => p.key)).to.deep.equal(["homelab-sso:publicHost", "homelab-sso:publicUrl"]);
        expect(boundaryProblems({ "homelab-sso:publicUrl": "c\td", "homelab-sso:publicHost": "a\tb" }).map((p) => p.key)).to.deep.equal(["homelab-sso:publicUrl", "homelab-sso:publicHost"]);
    });

    it("never reads a key of another namespace as one of the project's (a PEM key elsewhere is plain text)", () => {
        // `other-proj1` is as long as `homelab-sso`: only the prefix check tells them apart.
        expect(boundaryProblems({ "other-proj1:issuerCaCertificate": "line\nline" }).map((p) => p.key)).to.deep.equal(["other-proj1:issuerCaCertificate"]);
        expect(boundaryProblems({ "homelab-sso:issuerCaCertificate": "line\nline" })).to.deep.equal([]);
    });

    it("reports bad keys of one object in their order, and refuses a line break in a key", () => {
        expect(boundaryProblems({ "homelab-sso:services": { "b\tb": {}, "a\ta": {} } }).map((p) => p.key)).to.deep.equal(['homelab-sso:services."b\\tb"', 'homelab-sso:services."a\\ta"']);
        // Values below good keys are walked in key order as well.
        expect(boundaryProblems({ "homelab-sso:services": { b: { url: "x\ty" }, a: { url: "x\ty" } } }).map((p) => p.key)).to.deep.equal(["homelab-sso:services.b.url", "homelab-sso:services.a.url"]);
        expect(boundaryProblems({ "homelab-sso:services": { "a\nb": {} } })).to.deep.equal([
            { key: 'homelab-sso:services."a\\nb"', message: "the key contains a line break (U+000A) at character 2; allowed: printable characters only" },
        ]);
    });
});

/** A control character's position counts every character of the value the user wrote, line breaks included. */
describe("control character positions (controlCharacterProblem)", () => {
    it("counts allowed line breaks (\\n and \\r\\n) in the position of a later control character", () => {
        expect(controlCharacterProblem("line one\nline\ttwo", true)).to.equal("contains a tab (U+0009) at character 14");
        expect(controlCharacterProblem("a\r\nb\tc", true)).to.equal("contains a tab (U+0009) at character 5");
    });

    it("still refuses a carriage return that does not end a line", () => {
        expect(controlCharacterProblem("a\rb", true)).to.equal("contains a carriage return (U+000D) at character 2");
        expect(controlCharacterProblem("a\nb", false)).to.equal("contains a line break (U+000A) at character 2");
    });
});

/** Secret config values may hold any printable character: only control characters are refused there. */
describe("config boundary: secret values", () => {
    it("lets each secret key hold template-like text, and still refuses a control character in it", () => {
        const text = "a{{b}}$__c";
        for (const raw of [
            { "authentik:token": text },
            { "homelab-sso:infisicalClientId": text },
            { "homelab-sso:infisicalClientSecret": text },
            { "homelab-sso:clientSecrets": { grafana: text } },
        ]) {
            expect(boundary(raw).problems, Object.keys(raw)[0]).to.deep.equal([]);
        }
        expect(boundary({ "homelab-sso:infisicalClientSecret": "a\tb" }).problems.map((p) => p.key)).to.deep.equal(["homelab-sso:infisicalClientSecret"]);
        // The same text in a plain key is refused.
        expect(boundary({ "homelab-sso:publicHost": text }).problems).to.have.length(1);
    });
});

/**
 * The config boundary reads each string by where it lands: a PEM certificate (longer, with line
 * breaks), plain text, or a pass-through value (plain unless the chart hands it on through toYaml).
 * Each kind has its own limit and its own words for what is allowed.
 */
const PLAIN_CHARACTERS = "printable characters only (no tab, line break, NUL or bidirectional control)";
const PLAIN_TEMPLATE = "plain text without {{, }} or $__";
const PASS_THROUGH_TEMPLATE = "plain text; template syntax only in values the chart hands on through toYaml (e.g. additionalPrometheusRulesMap)";


describe("config boundary: kinds of text", () => {
    it("allows a PEM certificate up to its own limit, longer than any other string", () => {
        const pem = (length: number) => `-----BEGIN CERTIFICATE-----\n${"A".repeat(length - 54)}\n-----END CERTIFICATE-----`;
        expect(pem(LIMITS.stringLength + 1)).to.have.length(LIMITS.stringLength + 1);
        expect(boundaryProblems({ "homelab-sso:issuerCaCertificate": pem(LIMITS.stringLength + 1) })).to.deep.equal([]);
        expect(boundaryProblems({ "homelab-sso:issuerCaCertificate": pem(LIMITS.pemLength + 1) })).to.deep.equal([
            { key: "homelab-sso:issuerCaCertificate", message: `is ${LIMITS.pemLength + 1} characters long; allowed: at most ${LIMITS.pemLength}` },
        ]);
        expect(boundaryProblems({ "homelab-sso:publicHost": "a".repeat(LIMITS.stringLength + 1) })).to.deep.equal([
            { key: "homelab-sso:publicHost", message: `is ${LIMITS.stringLength + 1} characters long; allowed: at most ${LIMITS.stringLength}` },
        ]);
    });

    it("tells a PEM certificate and plain text apart in what a control character's refusal allows", () => {
        expect(boundaryProblems({ "homelab-sso:issuerCaCertificate": "-----BEGIN\tCERTIFICATE-----" })).to.deep.equal([
            { key: "homelab-sso:issuerCaCertificate", message: "contains a tab (U+0009) at character 11; allowed: a PEM certificate, whose only control characters are line breaks" },
        ]);
        expect(boundaryProblems({ "homelab-sso:oidc": { signingKeyName: "a\tb" } })).to.deep.equal([
            { key: "homelab-sso:oidc.signingKeyName", message: `contains a tab (U+0009) at character 2; allowed: ${PLAIN_CHARACTERS}` },
        ]);
    });

    it("tells plain text and a pass-through value apart in what a template refusal allows", () => {
        const template = templateSyntaxProblem("{{ x }}");
        expect(boundaryProblems({ "homelab-sso:grafana": { adminGroup: "{{ x }}" } })).to.deep.equal([
            { key: "homelab-sso:grafana.adminGroup", message: `${template}; allowed: ${PLAIN_TEMPLATE}` },
        ]);
        expect(boundaryProblems({ "homelab-sso:grafana": { extraValues: { grafana: { "grafana.ini": { log: { mode: "{{ x }}" } } } } } })).to.deep.equal([
            { key: 'homelab-sso:grafana.extraValues.grafana."grafana.ini".log.mode', message: `${template}; allowed: ${PASS_THROUGH_TEMPLATE}` },
        ]);
    });

    it("reads only a chart section's own top-level extraValues as pass-through values", () => {
        const template = templateSyntaxProblem("{{ x }}");
        // A key named extraValues elsewhere (in a section without a chart, or deeper down) is plain text.
        for (const [raw, key] of [
            [{ "homelab-sso:oidc": { extraValues: "{{ x }}" } }, "homelab-sso:oidc.extraValues"],
            [{ "homelab-sso:services": { g: { extraValues: "{{ x }}" } } }, "homelab-sso:services.g.extraValues"],
            [{ "homelab-sso:grafana": { persistence: { extraValues: "{{ x }}" } } }, "homelab-sso:grafana.persistence.extraValues"],
        ] as const) {
            expect(boundaryProblems(raw), key).to.deep.equal([{ key, message: `${template}; allowed: ${PLAIN_TEMPLATE}` }]);
        }
    });
});
