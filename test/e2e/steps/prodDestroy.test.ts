// Tests of e2e/steps/prodDestroy.ts's comparison of two inventories of the API server (what a run
// deleted or recreated). The step runs in `npm run e2e`.
import { expect } from "chai";
import { lost } from "../../../e2e/steps/prodDestroy";

describe("e2e prod-destroy (e2e/steps/prodDestroy.ts)", () => {
    const before = new Map([["/api/v1/namespaces /authentik", "uid-1"], ["/apis/apps/v1/deployments authentik/server", "uid-2"]]);

    it("finds nothing lost when every object is still there under its uid (new objects do not matter)", () => {
        const after = new Map([...before, ["/api/v1/services authentik/new", "uid-3"]]);
        expect(lost(before, after)).to.deep.equal([]);
    });

    it("names a deleted object and a recreated one (same name, new uid)", () => {
        const after = new Map([["/api/v1/namespaces /authentik", "uid-9"]]);
        expect(lost(before, after)).to.deep.equal(["/api/v1/namespaces /authentik", "/apis/apps/v1/deployments authentik/server"]);
    });
});
