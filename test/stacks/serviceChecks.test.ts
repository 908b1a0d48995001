/** The single-value checks of stacks/services.ts, called directly, with their messages word for word. */
import { expect } from "chai";
import { checkIcon, checkSlug } from "../../stacks/services";

describe("service value checks (stacks/services.ts)", () => {
    it("refuses each slug Authentik's shared OAuth2 endpoints use, listing them all", () => {
        for (const slug of ["authorize", "token", "device", "userinfo", "introspect", "revoke"]) {
            expect(checkSlug(slug), slug).to.equal(
                `"${slug}" is reserved by Authentik's shared OAuth2 endpoints; allowed: any other slug (reserved: authorize, token, device, userinfo, introspect, revoke)`,
            );
        }
        expect(checkSlug("authorize-app")).to.equal(undefined);
    });

    it("an icon is an https URL or a path Authentik serves: one leading '/', no whitespace", () => {
        expect(checkIcon("/static/dist/assets/icons/icon.png")).to.equal(undefined);
        expect(checkIcon("/media/public/application-icons/grafana.svg")).to.equal(undefined);
        expect(checkIcon("https://cdn.example.net/icon.png?s=48&v=4")).to.equal(undefined);
        for (const icon of ["//cdn.example.net/icon.png", "/static/my icon.png", "/static/icon.png\n", "icon.png"]) {
            expect(checkIcon(icon), JSON.stringify(icon)).to.match(
                new RegExp(`^${JSON.stringify(icon).replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} .+; allowed: an https URL, or a path served by Authentik starting with "/"$`),
            );
        }
    });
});
