/** Issuer hosts that resolve to the loopback address in every pod need a host alias and a CA (a local dev stack). */
import { expect } from "chai";
import { resolvesToLoopback } from "../../stacks/deployments";

describe("issuer hosts that resolve to loopback in every pod (resolvesToLoopback)", () => {
    it("knows localhost, localtest.me and lvh.me with their subdomains, 127.0.0.0/8 and [::1]", () => {
        for (const host of ["localhost", "localtest.me", "lvh.me", "authentik.localhost", "authentik.localtest.me", "a.b.lvh.me", "127.0.0.1", "127.1.2.3", "127.10.200.30", "[::1]"]) {
            expect(resolvesToLoopback(host), host).to.equal(true);
        }
    });

    it("refuses look-alikes: another domain ending in the same letters, longer or shorter dotted quads, letters in the octets", () => {
        for (const host of ["auth.example.com", "mylocaltest.me", "localtest.me.example.com", "x127.0.0.1", "127.0.0.1.5", "127.0.0", "127.a.0.1", "127.0.b.1", "127.0.0.c", "128.0.0.1", "[::2]", ""]) {
            expect(resolvesToLoopback(host), host).to.equal(false);
        }
    });
});
