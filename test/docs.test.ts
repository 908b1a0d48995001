/**
 * The migration guide's import files must name the resources the program really registers: a
 * renamed resource would otherwise be imported under a name the program never uses, and the next
 * `pulumi up` would create a duplicate next to it.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Evaluation } from "../scripts/lib/mockRuntime";
import { committedStack } from "./support/stacks";

interface ImportEntry {
    type: string;
    name: string;
    id?: string;
    parent?: string;
    provider?: string;
    component?: boolean;
}

function importFiles(): { nameTable?: { [name: string]: string }; resources: ImportEntry[] }[] {
    const guide = fs.readFileSync(path.join(__dirname, "..", "docs", "migration.md"), "utf8");
    return [...guide.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => JSON.parse(match[1]));
}

describe("docs/migration.md import files", () => {
    let prod: Evaluation;
    before(async () => {
        prod = await committedStack("prod");
    });

    it("are valid JSON and cover Kubernetes and Authentik objects", () => {
        const files = importFiles();
        expect(files).to.have.length(2);
        const types = files.flatMap((f) => f.resources.map((r) => r.type));
        expect(types).to.include("kubernetes:helm.sh/v3:Release");
        expect(types).to.include("authentik:index/providerOauth2:ProviderOauth2");
    });

    it("name only resources the prod stack registers, under the parent it gives them", () => {
        for (const file of importFiles()) {
            const byName = new Map(file.resources.map((r) => [r.name, r]));
            for (const entry of file.resources) {
                const registered = prod.resources.find((r) => r.type === entry.type && r.name === entry.name);
                expect(registered, `${entry.type}::${entry.name}`).to.not.equal(undefined);
                expect(registered!.custom, entry.name).to.equal(!entry.component);
                if (entry.component) {
                    continue;
                }
                expect(entry.id, `${entry.name} needs an id`).to.be.a("string");
                const parent = byName.get(entry.parent ?? "");
                expect(parent?.component, `${entry.name}'s parent is a component entry of the same file`).to.equal(true);
                expect(registered!.parent).to.match(new RegExp(`::${parent!.type}::${parent!.name}$`));
                if (entry.type.startsWith("authentik:")) {
                    const providerUrn = file.nameTable?.[entry.provider ?? ""];
                    expect(providerUrn, `${entry.name} uses the explicit provider`).to.be.a("string");
                    expect(registered!.provider?.startsWith(`${providerUrn}::`)).to.equal(true);
                }
            }
        }
    });
});
