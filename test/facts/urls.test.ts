import { expect } from "chai";
import { normaliseBaseUrl } from "../../facts/urls";

describe("facts/urls", () => {
    it("drops one trailing slash, so `${base}/path` has no `//`", () => {
        expect(normaliseBaseUrl("https://authentik.example.ts.net/")).to.equal("https://authentik.example.ts.net");
        expect(normaliseBaseUrl("https://authentik.localtest.me:8443/")).to.equal("https://authentik.localtest.me:8443");
    });

    it("leaves a base URL without a trailing slash as it is", () => {
        expect(normaliseBaseUrl("https://authentik.example.ts.net")).to.equal("https://authentik.example.ts.net");
    });
});
