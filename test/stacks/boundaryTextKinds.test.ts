/**
 * The config boundary reads each string by where it lands: a PEM certificate (longer, with line
 * breaks), plain text, or a pass-through value (plain unless the chart hands it on through toYaml).
 * Each kind has its own limit and its own words for what is allowed.
 */
import { expect } from "chai";
import { LIMITS, templateSyntaxProblem } from "../../stacks/boundary";
import { boundary } from "../support/boundary";

const PLAIN_CHARACTERS = "printable characters only (no tab, line break, NUL or bidirectional control)";
const PLAIN_TEMPLATE = "plain text without {{, }} or $__";
const PASS_THROUGH_TEMPLATE = "plain text; template syntax only in values the chart hands on through toYaml (e.g. additionalPrometheusRulesMap)";

const problemsOf = (raw: { [key: string]: unknown }) => boundary(raw).problems;

describe("config boundary: kinds of text", () => {
    it("allows a PEM certificate up to its own limit, longer than any other string", () => {
        const pem = (length: number) => `-----BEGIN CERTIFICATE-----\n${"A".repeat(length - 54)}\n-----END CERTIFICATE-----`;
        expect(pem(LIMITS.stringLength + 1)).to.have.length(LIMITS.stringLength + 1);
        expect(problemsOf({ "homelab-sso:issuerCaCertificate": pem(LIMITS.stringLength + 1) })).to.deep.equal([]);
        expect(problemsOf({ "homelab-sso:issuerCaCertificate": pem(LIMITS.pemLength + 1) })).to.deep.equal([
            { key: "homelab-sso:issuerCaCertificate", message: `is ${LIMITS.pemLength + 1} characters long; allowed: at most ${LIMITS.pemLength}` },
        ]);
        expect(problemsOf({ "homelab-sso:publicHost": "a".repeat(LIMITS.stringLength + 1) })).to.deep.equal([
            { key: "homelab-sso:publicHost", message: `is ${LIMITS.stringLength + 1} characters long; allowed: at most ${LIMITS.stringLength}` },
        ]);
    });

    it("tells a PEM certificate and plain text apart in what a control character's refusal allows", () => {
        expect(problemsOf({ "homelab-sso:issuerCaCertificate": "-----BEGIN\tCERTIFICATE-----" })).to.deep.equal([
            { key: "homelab-sso:issuerCaCertificate", message: "contains a tab (U+0009) at character 11; allowed: a PEM certificate, whose only control characters are line breaks" },
        ]);
        expect(problemsOf({ "homelab-sso:oidc": { signingKeyName: "a\tb" } })).to.deep.equal([
            { key: "homelab-sso:oidc.signingKeyName", message: `contains a tab (U+0009) at character 2; allowed: ${PLAIN_CHARACTERS}` },
        ]);
    });

    it("tells plain text and a pass-through value apart in what a template refusal allows", () => {
        const template = templateSyntaxProblem("{{ x }}");
        expect(problemsOf({ "homelab-sso:grafana": { adminGroup: "{{ x }}" } })).to.deep.equal([
            { key: "homelab-sso:grafana.adminGroup", message: `${template}; allowed: ${PLAIN_TEMPLATE}` },
        ]);
        expect(problemsOf({ "homelab-sso:grafana": { extraValues: { grafana: { "grafana.ini": { log: { mode: "{{ x }}" } } } } } })).to.deep.equal([
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
            expect(problemsOf(raw), key).to.deep.equal([{ key, message: `${template}; allowed: ${PLAIN_TEMPLATE}` }]);
        }
    });
});
