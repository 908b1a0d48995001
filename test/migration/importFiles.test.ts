/**
 * The migration's import files (docs/migration/import/, made by `npm run import-files`) must name the
 * resources the program really registers: a renamed resource would otherwise be imported under a name
 * the program never uses, and the next `pulumi up` would create a duplicate next to it. They must also
 * cover every object that exists today and nothing the program creates.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_IMPORT_DIR } from "../../scripts/import-files";
import { buildImportFiles, ImportFile, importFileText, providerPkPlaceholder } from "../../scripts/lib/importFiles";
import { PROJECT_ROOT, renderStack } from "../../scripts/lib/render";
import { frozenStackFilePath } from "../../scripts/lib/renderConfig";
import { RenderDocument } from "../../scripts/lib/renderDocument";
import { readToday } from "../../scripts/lib/today";
import { Evaluation } from "../../scripts/lib/mockRuntime";
import { evaluateStackFile } from "../support/stacks";

function committed(file: string): ImportFile {
    return JSON.parse(fs.readFileSync(path.join(DEFAULT_IMPORT_DIR, file), "utf8"));
}

describe("migration import files (npm run import-files)", () => {
    let document: RenderDocument;
    let prod: Evaluation;
    before(async () => {
        // The committed files are generated from the frozen stack file, never the live one (scripts/import-files.ts).
        document = (await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile: frozenStackFilePath(PROJECT_ROOT, "prod") })).document;
        prod = await evaluateStackFile("prod", frozenStackFilePath(PROJECT_ROOT, "prod"));
    });

    it("are committed as the program generates them now (regenerate: npm run import-files -- --stack prod)", () => {
        const files = buildImportFiles(document, readToday());
        expect(fs.readFileSync(path.join(DEFAULT_IMPORT_DIR, "prod-kubernetes.json"), "utf8")).to.equal(importFileText(files.kubernetes));
        expect(fs.readFileSync(path.join(DEFAULT_IMPORT_DIR, "prod-authentik.json"), "utf8")).to.equal(importFileText(files.authentik));
    });

    it("name only resources the prod stack registers, under the parent and explicit provider it gives them", () => {
        for (const file of [committed("prod-kubernetes.json"), committed("prod-authentik.json")]) {
            const byName = new Map(file.resources.map((r) => [r.name, r]));
            for (const entry of file.resources) {
                const registered = prod.resources.find((r) => r.type === entry.type && r.name === entry.name);
                expect(registered, `${entry.type}::${entry.name}`).to.not.equal(undefined);
                expect(registered!.custom, entry.name).to.equal(!entry.component);
                if (entry.component) {
                    expect(entry.id, entry.name).to.equal(undefined);
                    continue;
                }
                expect(entry.id, `${entry.name} needs an id`).to.be.a("string").and.not.equal("");
                const parent = byName.get(entry.parent ?? "");
                expect(parent?.component, `${entry.name}'s parent is a component entry of the same file`).to.equal(true);
                expect(registered!.parent).to.match(new RegExp(`::${parent!.type.replace(/[$]/g, "\\$")}::${parent!.name}$`));
                if (entry.type.startsWith("authentik:")) {
                    const providerUrn = file.nameTable?.[entry.provider ?? ""];
                    expect(providerUrn, `${entry.name} uses the explicit provider`).to.be.a("string");
                    expect(registered!.provider?.startsWith(`${providerUrn}::`)).to.equal(true);
                } else {
                    expect(entry.provider, entry.name).to.equal(undefined);
                }
            }
        }
    });

    it("import exactly today's objects: never a chart object, a new Secret or a generated password", () => {
        const names = [...committed("prod-kubernetes.json").resources, ...committed("prod-authentik.json").resources]
            .filter((r) => !r.component)
            .map((r) => r.name)
            .sort();
        expect(names).to.deep.equal(
            [
                "argocd-namespace",
                "argocd-release",
                "authentik-credentials",
                "authentik-namespace",
                "bootstrap-cluster-secret-store",
                "bootstrap-eso-machine-identity",
                "bootstrap-external-secrets-namespace",
                "bootstrap-root-application",
                "grafana-admin-credentials",
                "grafana-namespace",
                "oidc-argocd-application",
                "oidc-argocd-provider",
                "oidc-grafana-application",
                "oidc-grafana-provider",
                "bookmarks-infisical",
                "bookmarks-launchfast",
                "bookmarks-mkdocs",
                "bookmarks-openclaw",
                "bookmarks-trivy",
            ].sort(),
        );
        // Every object of today's inventory that the program manages is covered.
        const today = readToday();
        const kubernetesIds = committed("prod-kubernetes.json").resources.map((r) => r.id);
        for (const object of today.kubernetes) {
            expect(kubernetesIds, `${object.kind} ${object.name}`).to.include(object.namespace ? `${object.namespace}/${object.name}` : object.name);
        }
    });

    it("use Kubernetes ids namespace/name (cluster-scoped: name), application slugs and provider pks", () => {
        const ids = Object.fromEntries([...committed("prod-kubernetes.json").resources, ...committed("prod-authentik.json").resources].map((r) => [r.name, r.id]));
        expect(ids["authentik-credentials"]).to.equal("authentik/authentik-secret");
        expect(ids["bootstrap-cluster-secret-store"]).to.equal("infisical");
        expect(ids["argocd-release"]).to.equal("argocd/argocd");
        expect(ids["oidc-argocd-application"]).to.equal("argocd");
        expect(ids["oidc-grafana-provider"]).to.equal(providerPkPlaceholder("grafana"));
    });

    it("take the providers' pks and leave out what does not exist today when told", () => {
        const files = buildImportFiles(document, readToday(), { providerPks: { grafana: "7", argocd: "9" }, without: ["oidc-grafana-application"] });
        const entries = Object.fromEntries(files.authentik.resources.map((r) => [r.name, r]));
        expect(entries["oidc-grafana-provider"].id).to.equal("7");
        expect(entries["oidc-argocd-provider"].id).to.equal("9");
        expect(entries).to.not.have.property("oidc-grafana-application");
        expect(files.placeholders).to.deep.equal([]);
        expect(() => buildImportFiles(document, readToday(), { without: ["no-such-resource"] })).to.throw(/no-such-resource/);
        expect(() => buildImportFiles({ ...document, stack: "dev" }, readToday())).to.throw(/describes the cluster of stack "prod", not "dev"/);
    });
});
