/**
 * docs/migration/rehearsal.md is generated from the program's render of the FROZEN prod stack file
 * (test/fixtures/Pulumi.prod.yaml, never the live one) and docs/migration/today.yaml; it
 * must match what the program renders now, so a change of values shows up as a changed table in review.
 */
import { expect } from "chai";
import * as fs from "fs";
import { REHEARSAL_FILE, rehearsalText } from "../../scripts/rehearsal";
import { buildImportFiles } from "../../scripts/lib/importFiles";
import { PROJECT_ROOT, renderStack } from "../../scripts/lib/render";
import { frozenStackFilePath } from "../../scripts/lib/renderConfig";
import { buildRehearsal, flatten, Rehearsal } from "../../scripts/lib/rehearsal";
import { RenderDocument } from "../../scripts/lib/renderDocument";
import { readToday, Today } from "../../scripts/lib/today";

describe("migration rehearsal (npm run rehearsal)", () => {
    let document: RenderDocument;
    let today: Today;
    let rehearsal: Rehearsal;
    before(async () => {
        document = (await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile: frozenStackFilePath(PROJECT_ROOT, "prod") })).document;
        today = readToday();
        rehearsal = buildRehearsal(document, today, buildImportFiles(document, today));
    });

    it("docs/migration/rehearsal.md is what the program renders now (update it: npm run rehearsal)", async () => {
        expect(fs.readFileSync(REHEARSAL_FILE, "utf8")).to.equal(await rehearsalText("prod"));
    });

    it("flattens values to dotted leaves, quoting keys with dots and keeping lists whole", () => {
        expect([...flatten({ a: { "b.c": { d: 1 } }, l: [1, 2], e: {} }).entries()]).to.deep.equal([
            ['a."b.c".d', 1],
            ["l", [1, 2]],
            ["e", {}],
        ]);
    });

    it("treats a key one side leaves at the chart default as no change", () => {
        const authentik = rehearsal.charts[0];
        expect(authentik.rows.find((r) => r.path === "postgresql.primary.resourcesPreset")?.result).to.equal("same (chart default)");
        expect(authentik.rows.find((r) => r.path === "global.envFrom")?.result).to.equal("changes");
    });

    it("rolls Authentik's server and worker once and never its PostgreSQL StatefulSet", () => {
        const authentik = rehearsal.charts[0];
        expect(authentik.rolls).to.deep.equal(["Deployment/authentik-server", "Deployment/authentik-worker"]);
        expect(authentik.rows.filter((r) => r.path.startsWith("postgresql.") && r.result === "changes")).to.deep.equal([]);
    });

    it("says 'not derived' for a changed key with no recorded effect instead of guessing", () => {
        const changed: Today = JSON.parse(JSON.stringify(today));
        changed.charts.authentik.values = { ...changed.charts.authentik.values, mystery: { key: 1 } };
        const result = buildRehearsal(document, changed, buildImportFiles(document, changed)).charts[0];
        expect(result.notDerived).to.include("mystery.key");
        expect(result.rows.find((r) => r.path === "mystery.key")?.effect).to.match(/^not derived/);
    });

    it("finds the keys ArgoCD owned that stay behind on grafana-secret", () => {
        const row = rehearsal.ownership.find((r) => r.object === "ExternalSecret monitoring/grafana-secret");
        expect(row?.changes).to.include("spec.target.template.data.oauth-client-secret");
        const authentikSecret = rehearsal.ownership.find((r) => r.object === "ExternalSecret authentik/authentik-secret");
        expect(authentikSecret?.changes).to.not.include("stays behind");
    });
});
