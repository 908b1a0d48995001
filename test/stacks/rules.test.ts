import { expect } from "chai";
import { checkChartVersion, checkDisplayText, checkDuration, checkHostName, checkHttpsBaseUrl, checkVolumeSize, editDistance, urlHostProblem } from "../../stacks/rules";

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

    describe("checkHostName", () => {
        it("refuses a trailing dot, naming the name without it (a trailing-dot host is another host to browsers and Authentik)", () => {
            expect(checkHostName("holdens-mac-mini.story-larch.ts.net")).to.equal(undefined);
            expect(checkHostName("holdens-mac-mini.story-larch.ts.net.")).to.equal(
                '"holdens-mac-mini.story-larch.ts.net." ends with a dot: the same machine to DNS, but another host to browsers, TLS names and Authentik\'s exact matching; allowed: the name without it, "holdens-mac-mini.story-larch.ts.net"',
            );
            expect(checkHostName("sso.example.net..")).to.match(/^"sso\.example\.net\.\." ends with a dot: .*allowed: the name without it, "sso\.example\.net"$/);
        });

        it("refuses characters outside lower-case letters, digits, '-' and '.'", () => {
            for (const value of ["sso_1.example.net", "sso$.example.net", "s\u200bso.example.net", "sso.exa mple.net", "-sso.example.net", "sso..example.net", "."]) {
                expect(checkHostName(value), value).to.match(/is not a host name; allowed: a lower-case DNS name/);
            }
        });
    });

    describe("urlHostProblem", () => {
        it("accepts DNS names (one label too), IPv4 and bracketed IPv6 addresses", () => {
            for (const host of ["localhost", "sso.example.net", "authentik-server.authentik.svc.cluster.local", "127.0.0.1", "[::1]", "xn--bcher-kva.example"]) {
                expect(urlHostProblem(host), host).to.equal(undefined);
            }
        });

        it("refuses a trailing dot and characters a host name cannot hold, naming the host", () => {
            expect(urlHostProblem("sso.example.net.")).to.equal(
                'has the host "sso.example.net.", which ends with a dot: the same machine to DNS, but another host to browsers, TLS names and Authentik\'s exact matching; write it without the dot',
            );
            for (const host of ["sso_1.example.net", "sso$.example.net", "a!b", `${"a".repeat(64)}.example.net`]) {
                expect(urlHostProblem(host), host).to.equal(
                    `has the host ${JSON.stringify(host)}, which is not a DNS name (dot-separated labels of lower-case letters, digits and '-', at most 63 characters each)`,
                );
            }
        });

        it("is what base URLs are checked with: a trailing-dot or underscore host is refused with the key's allowed shape", () => {
            expect(checkHttpsBaseUrl("https://holdens-mac-mini.story-larch.ts.net.:8444")).to.equal(
                '"https://holdens-mac-mini.story-larch.ts.net.:8444" has the host "holdens-mac-mini.story-larch.ts.net.", which ends with a dot: the same machine to DNS, but another host to browsers, TLS names and Authentik\'s exact matching; write it without the dot; allowed: https://<host>[:<port>]',
            );
            expect(checkHttpsBaseUrl("https://sso_1.example.net")).to.match(/has the host "sso_1\.example\.net", which is not a DNS name/);
        });
    });

    describe("checkDisplayText", () => {
        const check = checkDisplayText("a name");
        it("names the first invisible character by code point and its position in characters (an emoji counts once)", () => {
            expect(check("📈 Grafana\u{E0041}\u200b")).to.equal(
                "contains the invisible character U+E0041 at character 10 (a zero-width, bidirectional or other format character makes text read differently than it shows); allowed: a name, in visible characters only",
            );
            for (const char of ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2060", "\u2064", "\u2066", "\u2069", "\ufeff", "\u00ad", "\u061c", "\u034f", "\u115f", "\u1160", "\u3164", "\uffa0"]) {
                expect(check(`a${char}b`), char.codePointAt(0)!.toString(16)).to.match(/ at character 2 /);
            }
        });

        it("accepts visible text of any script", () => {
            expect(check("Grafana – métriques · Дашборды 仪表板 ❤")).to.equal(undefined);
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

    describe("editDistance", () => {
        it("counts insertions, deletions and substitutions, whichever string is longer", () => {
            expect(editDistance("kitten", "sitting")).to.equal(3);
            expect(editDistance("sitting", "kitten")).to.equal(3);
            expect(editDistance("", "abc")).to.equal(3);
            expect(editDistance("abc", "")).to.equal(3);
            expect(editDistance("grafana", "grafana")).to.equal(0);
        });

        it("counts a swap of neighbours as two edits and a single insertion as one", () => {
            expect(editDistance("kubernetes", "kubernetse")).to.equal(2);
            expect(editDistance("authentk", "authentik")).to.equal(1);
            expect(editDistance("flaw", "lawn")).to.equal(2);
        });
    });
});

/** A base URL with a path, credentials, or even an empty query or fragment is told it must be a base URL. */
describe("base URLs (checkHttpsBaseUrl)", () => {
    it("refuses a path, credentials and an empty or filled query or fragment with the same words", () => {
        for (const url of ["https://auth.example.net/path", "https://u@auth.example.net", "https://:p@auth.example.net", "https://auth.example.net/?", "https://auth.example.net/?a=1", "https://auth.example.net/#", "https://auth.example.net/#x"]) {
            expect(checkHttpsBaseUrl(url), url).to.equal(`${JSON.stringify(url)} must be a base URL; allowed: https://<host>[:<port>] with no path, query, fragment or credentials`);
        }
        expect(checkHttpsBaseUrl("https://auth.example.net")).to.equal(undefined);
    });
});

/** A pinned chart version is an exact semantic version, with an optional pre-release part. */
describe("chart versions (checkChartVersion)", () => {
    it("accepts exact versions, multi-digit parts and pre-releases", () => {
        for (const good of ["2025.12.4", "7.8.0", "82.1.10", "1.2.3-rc.1", "1.2.3-beta-2"]) {
            expect(checkChartVersion(good), good).to.equal(undefined);
        }
    });

    it("refuses anything after the version, ranges and a leading v", () => {
        for (const bad of ["1.2.3x", "1.2.3 ", "1.2.3-", "1.2.3-rc!", "^1.2.3", "v1.2.3", "1.2", "1.2.x"]) {
            expect(checkChartVersion(bad), bad).to.equal(
                `${JSON.stringify(bad)} is not an exact chart version; allowed: a pinned semantic version such as "2025.12.4" (no ranges, no leading "v")`,
            );
        }
    });
});

/** ESO refresh intervals: hours, minutes and seconds, each of any number of digits. */
describe("durations (checkDuration)", () => {
    it("accepts multi-digit hours, minutes and seconds in that order", () => {
        for (const good of ["1h", "12h", "30m", "90s", "1h30m", "24h0m10s"]) {
            expect(checkDuration(good), good).to.equal(undefined);
        }
        for (const bad of ["", "1d", "30m1h", "h", "1.5h"]) {
            expect(checkDuration(bad), bad).to.equal(`${JSON.stringify(bad)} is not a duration; allowed: hours/minutes/seconds such as "1h", "30m" or "1h30m"`);
        }
    });
});

/** A volume size is the whole value: a positive number and a binary suffix. */
describe("volume sizes (checkVolumeSize)", () => {
    it("refuses anything before or after the quantity", () => {
        for (const bad of ["x1Gi", " 1Gi", "1Gix", "1 Gi", "01Gi", "1GB"]) {
            expect(checkVolumeSize(bad), bad).to.equal(`${JSON.stringify(bad)} is not a volume size; allowed: a positive whole number with Mi, Gi or Ti, e.g. "2Gi"`);
        }
        expect(checkVolumeSize("10Gi")).to.equal(undefined);
    });
});
