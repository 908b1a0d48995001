/** Grafana's userinfo URL loses every trailing slash: `…/userinfo//emails` would be a 404. */
import { expect } from "chai";
import { grafanaUserinfoUrl } from "../../../components/monitoring/values";

describe("Grafana's userinfo URL (grafanaUserinfoUrl)", () => {
    it("drops one or several trailing slashes and nothing else", () => {
        expect(grafanaUserinfoUrl("https://auth.example.net/application/o/userinfo/")).to.equal("https://auth.example.net/application/o/userinfo");
        expect(grafanaUserinfoUrl("https://auth.example.net/application/o/userinfo//")).to.equal("https://auth.example.net/application/o/userinfo");
        expect(grafanaUserinfoUrl("https://auth.example.net/application/o/userinfo")).to.equal("https://auth.example.net/application/o/userinfo");
    });
});
