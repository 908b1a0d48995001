/** ArgoCD's RBAC values: `policy.csv` appears only when a group is mapped; the default policy always. */
import { expect } from "chai";
import { argoCdSsoValues } from "../../../components/argocd/values";
import { argoCdTestConfig } from "../../support/deployments";

describe("ArgoCD RBAC values (argoCdSsoValues)", () => {
    const rbacOf = (groups: { adminGroups: string[]; readonlyGroups: string[] }) =>
        (argoCdSsoValues({ ...argoCdTestConfig(groups), publicUrl: "https://argocd.example.net", dexConfig: "connectors: []", trustIssuerCa: false }) as { configs: { rbac: unknown } }).configs.rbac;

    it("has no policy.csv key at all when no group is mapped", () => {
        expect(rbacOf({ adminGroups: [], readonlyGroups: [] })).to.deep.equal({ "policy.default": "role:readonly" });
    });

    it("maps the groups in policy.csv when there are some", () => {
        const rbac = rbacOf({ adminGroups: ["ops"], readonlyGroups: [] }) as { [key: string]: string };
        expect(Object.keys(rbac).sort()).to.deep.equal(["policy.csv", "policy.default"]);
        expect(rbac["policy.csv"]).to.include("g, ops, role:admin");
    });
});
