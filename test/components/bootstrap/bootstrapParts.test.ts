/** The GitOps bootstrap component exists when any one of its parts is asked for, and not otherwise. */
import { expect } from "chai";
import { evaluateStack, readStackFile } from "../../support/stacks";

const prodBootstrap = readStackFile("prod")["homelab-sso:bootstrap"] as { clusterSecretStore: object; appOfApps: object };

describe("GitOps bootstrap parts (index.ts)", () => {
    const bootstrapsWith = async (bootstrap: object) =>
        (await evaluateStack("prod", { set: { "homelab-sso:bootstrap": bootstrap } })).resources.filter((r) => r.type === "homelab:bootstrap:GitOps").map((r) => r.name);

    it("is created for the machine identity alone, the ClusterSecretStore alone, or the app of apps alone", async () => {
        expect(await bootstrapsWith({ esoMachineIdentity: true })).to.deep.equal(["bootstrap"]);
        expect(await bootstrapsWith({ esoMachineIdentity: false, clusterSecretStore: prodBootstrap.clusterSecretStore })).to.deep.equal(["bootstrap"]);
        expect(await bootstrapsWith({ esoMachineIdentity: false, appOfApps: prodBootstrap.appOfApps })).to.deep.equal(["bootstrap"]);
        expect(await bootstrapsWith({ esoMachineIdentity: false })).to.deep.equal([]);
    });
});
