import { expect } from "chai";
import { checkHttpsBaseUrl, checkVolumeSize } from "../../stacks/rules";

describe("stacks/rules", () => {
    describe("checkHttpsBaseUrl", () => {
        it("accepts https://<host>[:<port>] with or without the trailing slash", () => {
            expect(checkHttpsBaseUrl("https://sso.example.net")).to.equal(undefined);
            expect(checkHttpsBaseUrl("https://sso.example.net:8443/")).to.equal(undefined);
        });

        it("refuses what is not a URL, naming the value", () => {
            expect(checkHttpsBaseUrl("sso.example.net")).to.equal('"sso.example.net" is not a URL; allowed: https://<host>[:<port>]');
        });

        it("refuses a path, query, fragment or credentials", () => {
            for (const value of ["https://sso.example.net/x", "https://sso.example.net/?a=1", "https://sso.example.net/#f", "https://u:p@sso.example.net", "https://u@sso.example.net"]) {
                expect(checkHttpsBaseUrl(value), value).to.match(/must be a base URL/);
            }
        });

        it("refuses a wildcard host", () => {
            expect(checkHttpsBaseUrl("https://*.example.net")).to.equal('"https://*.example.net" contains a wildcard; allowed: an exact https://<host>[:<port>]');
        });
    });

    describe("checkVolumeSize", () => {
        it("PostgreSQL gets at least 512Mi: 512Mi accepted, 511Mi refused; Gi and Ti have no floor", () => {
            expect(checkVolumeSize("512Mi")).to.equal(undefined);
            expect(checkVolumeSize("511Mi")).to.equal("511Mi is too small for PostgreSQL; allowed: at least 512Mi");
            expect(checkVolumeSize("1Gi")).to.equal(undefined);
            expect(checkVolumeSize("1Ti")).to.equal(undefined);
        });
    });
});
