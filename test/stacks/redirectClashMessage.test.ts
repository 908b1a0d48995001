/** What a redirect URI listed by two clients is told. */
import { expect } from "chai";
import { WITHOUT_DEPLOYMENTS } from "../support/services";
import { stackConfigProblems } from "../support/stacks";

describe("a redirect URI two clients list", () => {
    it("is refused at the second, naming the first and what is allowed", () => {
        const service = (publicUrl: string) => ({ name: "S", group: "G", publicUrl, callbackPath: "/cb" });
        const services = { one: service("https://one.example.net"), two: { ...service("https://two.example.net"), extraRedirectUris: ["https://one.example.net/cb"], redirectHosts: ["one.example.net"] } };
        expect(stackConfigProblems("dev", { set: { ...WITHOUT_DEPLOYMENTS, "homelab-sso:services": services } })).to.deep.equal([
            {
                key: "homelab-sso:services.two.extraRedirectUris[0]",
                message:
                    'redirect URI "https://one.example.net/cb" is already claimed by homelab-sso:services.one.callbackPath; allowed: a redirect URI no other client lists (each client gets its own callbacks)',
            },
        ]);
    });
});
