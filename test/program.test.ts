import { expect } from "chai";
import { evaluateProgram } from "../scripts/lib/mockRuntime";
import { stackConfig } from "./support/stacks";

describe("the program", () => {
    it("stops on bad config before any resource is registered, listing every problem", async () => {
        const { config, secretKeys } = stackConfig("prod", {
            set: { "homelab-sso:publicHost": undefined, "homelab-sso:secrets": { source: "vault" } },
        });
        let registered = -1;
        const error = await evaluateProgram({ stack: "prod", config, secretKeys }).then(
            (evaluation) => {
                registered = evaluation.resources.length;
                return undefined;
            },
            (err: Error) => err,
        );
        expect(registered, "the program must not run").to.equal(-1);
        expect(error).to.be.instanceOf(Error);
        expect(error!.message).to.include("homelab-sso:publicHost: is required");
        expect(error!.message).to.include("homelab-sso:secrets.source");
        expect(error!.message).to.include("authentik:token");
    });
});
