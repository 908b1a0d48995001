import { expect } from "chai";
import { Evaluation } from "../../../scripts/lib/mockRuntime";
import { committedStack, evaluateStack, readStackFile, resourcesOfType } from "../../support/stacks";

const APPLICATION = "authentik:index/application:Application";

/** Today's blueprint bookmarks (the ConfigMap `authentik-blueprints`): slug, name, group, launch URL, icon, description, publisher. */
const TODAYS_BOOKMARKS = [
    ["infisical", "Infisical", "Infrastructure", "https://holdens-mac-mini.story-larch.ts.net:8445", "https://avatars.githubusercontent.com/u/107880645?s=48&v=4", "Secret Management Platform"],
    ["mkdocs", "Homelab Docs", "Documentation", "https://holdennguyen.github.io/homelab", "https://avatars.githubusercontent.com/u/9692741?s=48&v=4", "Homelab Documentation"],
    ["trivy", "Trivy Dashboard", "Security", "https://holdens-mac-mini.story-larch.ts.net:8448", "https://avatars.githubusercontent.com/u/12783832?s=48&v=4", "Trivy Operator Security Dashboard"],
    ["openclaw", "OpenClaw", "AI", "https://holdens-mac-mini.story-larch.ts.net:8447", "https://avatars.githubusercontent.com/u/252820863?s=48&v=4", "AI Agent Gateway Console"],
    ["launchfast", "LaunchFast", "Development", "https://holdens-mac-mini.story-larch.ts.net:8446", "https://api.iconify.design/mdi/rocket-launch-outline.svg?color=%236c63ff", "Modern Startup Scaffolding CLI"],
].map(([slug, name, group, metaLaunchUrl, metaIcon, metaDescription]) => ({ slug, name, group, metaLaunchUrl, metaIcon, metaDescription, metaPublisher: "Homelab" }));

function bookmarkApplications(evaluation: Evaluation) {
    const [component] = resourcesOfType(evaluation, "homelab:authentik:PortalBookmarks");
    return resourcesOfType(evaluation, APPLICATION).filter((r) => r.parent === component.urn);
}

describe("PortalBookmarks", () => {
    let prod: Evaluation;
    before(async () => {
        prod = await committedStack("prod");
    });

    it("makes today's five bookmarks, field for field, as applications without a provider", () => {
        const apps = bookmarkApplications(prod);
        expect(apps.map((a) => a.inputs)).to.have.deep.members(TODAYS_BOOKMARKS);
        for (const app of apps) {
            expect(app.inputs, app.name).not.to.have.property("protocolProvider");
        }
    });

    it("names each application from its slug", () => {
        expect(bookmarkApplications(prod).map((a) => a.name)).to.deep.equal(TODAYS_BOOKMARKS.map((b) => `bookmarks-${b.slug}`));
    });

    it("creates them through the explicit Authentik provider", () => {
        const [api] = resourcesOfType(prod, "pulumi:providers:authentik");
        for (const app of bookmarkApplications(prod)) {
            expect(app.provider, app.name).to.equal(`${api.urn}::${api.id}`);
        }
    });

    it("drops exactly the removed entry and keeps every other name, whatever the order", async () => {
        const list = readStackFile("prod")["homelab-sso:bookmarks"] as { slug: string }[];
        const without = list.filter((b) => b.slug !== "trivy").reverse();
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:bookmarks": without } });
        expect(bookmarkApplications(evaluation).map((a) => a.name)).to.have.members(
            ["infisical", "mkdocs", "openclaw", "launchfast"].map((slug) => `bookmarks-${slug}`),
        );
        expect(evaluation.outputs.bookmarks).to.deep.equal(["launchfast", "openclaw", "mkdocs", "infisical"]);
    });

    it("creates nothing for an empty list", async () => {
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:bookmarks": undefined } });
        expect(bookmarkApplications(evaluation)).to.deep.equal([]);
        expect(evaluation.outputs.bookmarks).to.deep.equal([]);
    });
});
