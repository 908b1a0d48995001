/** Every Kubernetes Secret the program creates is an Opaque Secret (a typed one would need typed keys). */
import { expect } from "chai";
import { committedStack, resourcesOfType } from "../support/stacks";

describe("Kubernetes Secrets the program creates", () => {
    for (const stack of ["prod", "dev"]) {
        it(`${stack}: each one is type Opaque`, async () => {
            const secrets = resourcesOfType(await committedStack(stack), "kubernetes:core/v1:Secret");
            expect(secrets).to.not.be.empty;
            for (const secret of secrets) {
                expect(secret.inputs.type, secret.name).to.equal("Opaque");
            }
        });
    }
});
