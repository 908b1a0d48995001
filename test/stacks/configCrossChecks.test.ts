/**
 * The checks across config sections: the local issuer's host alias (needed when either ArgoCD or
 * Grafana is deployed), NodePorts claimed once, a deployment's service entry, the CA certificate's
 * words, and which secret keys the program will read.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig, rawConfigFromPulumi, requiredSecretKeys } from "../../stacks/config";
import { checkCaCertificate } from "../../stacks/deployments";
import { STACK_SECRETS, readStackFile, stackConfig, stackConfigProblems } from "../support/stacks";

const parse = (stack: string, set: { [key: string]: unknown } = {}) => parseStackConfig(rawConfigFromPulumi(stackConfig(stack, { set, secrets: STACK_SECRETS[stack] }).config));

describe("config cross-checks", () => {
    it("asks for the local issuer's host alias when only ArgoCD, or only Grafana, is deployed", () => {
        for (const without of ["homelab-sso:argocd", "homelab-sso:grafana"]) {
            // Without its deployment section the argocd entry is an ordinary service, which writes its callback.
            const services = JSON.parse(JSON.stringify(readStackFile("dev")["homelab-sso:services"]));
            services.argocd.callbackPath = "/api/dex/callback";
            const problems = stackConfigProblems("dev", { set: { "homelab-sso:authentikHostAlias": undefined, [without]: undefined, "homelab-sso:services": services } });
            expect(problems.map((p) => p.key), `without ${without}`).to.deep.equal(["homelab-sso:authentikHostAlias.ip"]);
        }
    });

    it("names the CA certificate's key when it is refused", () => {
        expect(stackConfigProblems("dev", { set: { "homelab-sso:issuerCaCertificate": "not a certificate" } }).map((p) => p.key)).to.deep.equal(["homelab-sso:issuerCaCertificate"]);
    });

    it("names a certificate that is not a CA by its whole subject, one name after another", () => {
        const leaf = fs.readFileSync(path.join(__dirname, "..", "fixtures", "leaf-certificate-organisation.pem"), "utf8");
        expect(checkCaCertificate(leaf)).to.match(/^block 1 \(O=Homelab, CN=grafana\.localtest\.me\) is not a CA certificate/);
    });

    it("reports two refused NodePorts once each, not again as one port claimed twice", () => {
        const problems = stackConfigProblems("dev", {
            set: { "homelab-sso:authentik": { ...stackFileSection("dev", "homelab-sso:authentik"), nodePorts: { http: "port", https: "port" } } },
        });
        expect(problems.map((p) => p.key)).to.deep.equal(["homelab-sso:authentik.nodePorts.http", "homelab-sso:authentik.nodePorts.https"]);
    });

    it("keeps a deployment whose service entry is valid, and reports an invalid entry once (not again from the deployment)", () => {
        const config = parse("dev");
        expect(config.deployments.argocd?.service).to.equal("argocd");
        expect(config.deployments.grafana?.service).to.equal("grafana");
        const services = stackFileSection("dev", "homelab-sso:services") as { [name: string]: object };
        const problems = stackConfigProblems("dev", { set: { "homelab-sso:services": { ...services, grafana: { ...services.grafana, name: " " } } } });
        expect(problems.map((p) => p.key)).to.deep.equal(["homelab-sso:services.grafana.name"]);
    });

    it("reads no secret key the configuration does not need, and each one it does", () => {
        expect(requiredSecretKeys(parse("dev"))).to.deep.equal([]);
        expect(requiredSecretKeys(parse("prod"))).to.deep.equal(["authentik:token", "homelab-sso:infisicalClientId", "homelab-sso:infisicalClientSecret"]);
    });
});

function stackFileSection(stack: string, key: string): { [key: string]: unknown } {
    return JSON.parse(stackConfig(stack).config[key]) as { [key: string]: unknown };
}

describe("the local issuer's requirements after a refused value", () => {
    it("reports a refused host alias or CA certificate once, not again as missing", () => {
        expect(stackConfigProblems("dev", { set: { "homelab-sso:authentikHostAlias": { ip: "300.1.1.1" } } }).map((p) => p.message)).to.have.length(1).and.satisfy((m: string[]) => m[0].startsWith('"300.1.1.1" is not an IPv4 address'));
        expect(stackConfigProblems("dev", { set: { "homelab-sso:authentikHostAlias": "172.18.0.1" } }).map((p) => p.key)).to.deep.equal(["homelab-sso:authentikHostAlias"]);
        expect(stackConfigProblems("dev", { set: { "homelab-sso:issuerCaCertificate": "not a certificate" } }).map((p) => p.message)).to.have.length(1).and.satisfy((m: string[]) => m[0].startsWith("is not PEM"));
    });

    it("still asks for each when it is missing", () => {
        expect(stackConfigProblems("dev", { set: { "homelab-sso:authentikHostAlias": undefined, "homelab-sso:issuerCaCertificate": undefined } }).map((p) => [p.key, p.message.slice(0, 12)])).to.deep.equal([
            ["homelab-sso:authentikHostAlias.ip", "is required:"],
            ["homelab-sso:issuerCaCertificate", "is required:"],
        ]);
    });
});
