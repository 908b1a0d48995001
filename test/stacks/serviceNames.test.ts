/** A service name is one whole RFC 1123 label: it goes into resource names. */
import { expect } from "chai";
import { WITHOUT_DEPLOYMENTS } from "../support/services";
import { stackConfigProblems } from "../support/stacks";

describe("service names", () => {
    it("refuses a name that starts or ends with '-', even though the rest is a label", () => {
        const service = { name: "S", group: "G", publicUrl: "https://s.example.net", callbackPath: "/cb", slug: "s" };
        for (const name of ["-grafana", "grafana-"]) {
            const problems = stackConfigProblems("dev", { set: { ...WITHOUT_DEPLOYMENTS, "homelab-sso:services": { [name]: service } } });
            expect(problems.map((p) => p.message), name).to.deep.equal([
                `${JSON.stringify(name)} is not a valid service name; allowed: lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit`,
            ]);
        }
    });
});
