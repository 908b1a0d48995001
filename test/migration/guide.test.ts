/**
 * docs/migration.md is followed to the letter: every file it links or names in this repository must
 * exist, it must not point outside the repository, and the npm scripts it runs must exist.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { evaluateStackFile } from "../support/stacks";

const ROOT = path.resolve(__dirname, "..", "..");
const GUIDE = fs.readFileSync(path.join(ROOT, "docs", "migration.md"), "utf8");

describe("docs/migration.md", () => {
    it("links only files that exist in the repository", () => {
        const links = [...GUIDE.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]).filter((l) => !/^https?:/.test(l));
        expect(links.length).to.be.greaterThan(2);
        for (const link of links) {
            expect(fs.existsSync(path.join(ROOT, "docs", link)), link).to.equal(true);
        }
        for (const file of ["docs/migration/import/prod-kubernetes.json", "docs/migration/import/prod-authentik.json", "docs/migration/today.yaml", "docs/migration/rehearsal.md"]) {
            expect(fs.existsSync(path.join(ROOT, file)), file).to.equal(true);
        }
    });

    it("never points outside the repository", () => {
        expect(GUIDE).to.not.match(/\.\.\/shared|\/work\/shared/);
    });

    it("runs only npm scripts the project defines, and ends with npm run verify", () => {
        const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);
        const used = [...new Set([...GUIDE.matchAll(/npm run (?:--silent )?([a-z-]+)/g)].map((m) => m[1]))];
        expect(used).to.include.members(["render", "import-files", "rehearsal", "verify"]);
        // `verify` comes with issue 10; the others must exist here.
        for (const script of used.filter((s) => s !== "verify")) {
            expect(scripts, script).to.include(script);
        }
    });

    it("precedes each ArgoCD Application delete with a finalizer check and runs the cut-over only with upsert and force", () => {
        expect(GUIDE.indexOf("jsonpath='{.metadata.finalizers}")).to.be.lessThan(GUIDE.indexOf("kubectl -n argocd delete application"));
        expect(GUIDE).to.include("PULUMI_K8S_UPSERT_EXISTING_OBJECTS=true PULUMI_K8S_ENABLE_PATCH_FORCE=true pulumi up");
        expect(GUIDE).to.include("argocd.argoproj.io/sync-options: Prune=false");
    });
});

describe("docs/migration.md cut-over targets (step 8)", () => {
    /** The engine's matching of a `--target` value (`pulumi/pulumi pkg/resource/deploy/deployment.go`, `UrnTargets`). */
    function targetMatcher(target: string): RegExp {
        const segments = target.split("**").map((segment) =>
            segment
                .split("*")
                .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
                .join("[^:]*"),
        );
        return new RegExp(`^${segments.join(".*")}$`);
    }

    it("target the Authentik platform and the API provider, and nothing they need is left uncreated", async () => {
        const prod = await evaluateStackFile("prod", path.join(ROOT, "Pulumi.prod.yaml"));
        const step8 = GUIDE.slice(GUIDE.indexOf("## 8."), GUIDE.indexOf("## 9."));
        const targets = [...step8.matchAll(/--target '([^']+)'/g)].map((m) => targetMatcher(m[1]));
        expect(targets).to.have.length(2);
        const targeted = prod.resources.filter((r) => targets.some((t) => t.test(r.urn)));
        const names = targeted.map((r) => r.name);
        expect(names).to.include.members(["authentik", "authentik-namespace", "authentik-credentials", "authentik-chart", "authentik-api"]);
        expect(names.filter((n) => n.startsWith("oidc-") || n.startsWith("argocd") || n.startsWith("grafana"))).to.deep.equal([]);

        // Everything a targeted resource depends on is targeted too, or already in the state from step 7's import.
        const imported = JSON.parse(fs.readFileSync(path.join(ROOT, "docs", "migration", "import", "prod-kubernetes.json"), "utf8")) as {
            resources: { type: string; name: string }[];
        };
        const inState = new Set(
            prod.resources.filter((r) => imported.resources.some((e) => e.type === r.type && e.name === r.name)).map((r) => r.urn),
        );
        const targetedUrns = new Set(targeted.map((r) => r.urn));
        for (const resource of targeted) {
            for (const dependency of resource.dependencies) {
                expect(targetedUrns.has(dependency) || inState.has(dependency), `${resource.name} depends on ${dependency}`).to.equal(true);
            }
        }
    });
});
