/**
 * Edges the survivors pointed at: a Secret reference beside a literal secret, a deployment whose
 * services section is missing, and a CA certificate of whitespace only.
 */
import { expect } from "chai";
import { checkCaCertificate } from "../../stacks/deployments";
import { literalSecretPaths } from "../../stacks/passThrough";
import { stackConfigProblems } from "../support/stacks";

describe("edges: references, absent sections, empty PEM", () => {
    it("still refuses a literal secret that sits beside existingSecret, unless its name ends in Key", () => {
        const values = { grafana: { existingSecret: "grafana-admin", password: "literal", tokenKeyFile: "literal", passwordKey: "admin-password" } };
        expect(literalSecretPaths(values).map((path) => path.join("."))).to.deep.equal(["grafana.password", "grafana.tokenKeyFile"]);
    });

    it("reports each deployment's service as missing when the services section is left out", () => {
        expect(stackConfigProblems("dev", { set: { "homelab-sso:services": undefined } }).map((p) => p.key)).to.deep.equal(["homelab-sso:argocd.service", "homelab-sso:grafana.service"]);
    });

    it("refuses a CA certificate of whitespace only as not PEM", () => {
        expect(checkCaCertificate("   \n  ")).to.match(/^is not PEM \(no PEM block found\); allowed: /);
    });
});
