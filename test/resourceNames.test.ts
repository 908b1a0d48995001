/**
 * The resource-name guard (test/support/resourceNames.ts) on a small program: a rename, re-parent or
 * removal fails unless an alias claims the old URN; additions never fail.
 */
import { expect } from "chai";
import * as path from "path";
import { evaluateProgram } from "../scripts/lib/mockRuntime";
import { compareResourceNames, resourceUrns } from "./support/resourceNames";

const PROGRAM = path.join(__dirname, "support", "programs", "renames.ts");

function evaluate(variant: string) {
    return evaluateProgram({ stack: "test", program: PROGRAM, config: { "test:variant": variant } });
}

describe("resource-name guard", () => {
    let deployed: string[];
    before(async () => {
        deployed = resourceUrns(await evaluate("before"));
    });

    it("records URNs with the parent type chain", () => {
        expect(deployed).to.deep.equal([
            "urn:pulumi:test::homelab-sso::test:index:App$test:index:Cache::app-cache",
            "urn:pulumi:test::homelab-sso::test:index:App$test:index:Db::app-db",
            "urn:pulumi:test::homelab-sso::test:index:App::app",
        ]);
    });

    it("fails on a renamed resource without an alias, naming the old URN", async () => {
        const result = compareResourceNames(deployed, await evaluate("renamed"));
        expect(result.lost).to.deep.equal(["urn:pulumi:test::homelab-sso::test:index:App$test:index:Db::app-db"]);
        expect(result.added).to.deep.equal(["urn:pulumi:test::homelab-sso::test:index:App$test:index:Db::app-database"]);
    });

    it("accepts the rename with an alias naming the old name", async () => {
        const result = compareResourceNames(deployed, await evaluate("renamed-aliased"));
        expect(result.lost).to.deep.equal([]);
        expect(result.aliased).to.deep.equal([
            { from: "urn:pulumi:test::homelab-sso::test:index:App$test:index:Db::app-db", to: "urn:pulumi:test::homelab-sso::test:index:App$test:index:Db::app-database" },
        ]);
    });

    it("accepts a renamed component whose alias its children inherit (name prefix included), as the engine does", async () => {
        const result = compareResourceNames(deployed, await evaluate("parent-renamed-aliased"));
        expect(result.lost).to.deep.equal([]);
        expect(result.aliased.map((a) => a.to)).to.have.members([
            "urn:pulumi:test::homelab-sso::test:index:App::web",
            "urn:pulumi:test::homelab-sso::test:index:App$test:index:Db::web-db",
            "urn:pulumi:test::homelab-sso::test:index:App$test:index:Cache::web-cache",
        ]);
    });

    it("fails on a re-parented resource without an alias", async () => {
        const result = compareResourceNames(deployed, await evaluate("reparented"));
        expect(result.lost).to.deep.equal(["urn:pulumi:test::homelab-sso::test:index:App$test:index:Db::app-db"]);
        expect(result.added).to.deep.equal(["urn:pulumi:test::homelab-sso::test:index:Db::app-db"]);
    });

    it("lists an addition without failing", async () => {
        const result = compareResourceNames(deployed, await evaluate("added"));
        expect(result.lost).to.deep.equal([]);
        expect(result.added).to.deep.equal(["urn:pulumi:test::homelab-sso::test:index:App$test:index:Queue::app-queue"]);
    });
});
