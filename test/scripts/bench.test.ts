/**
 * The benchmark's pure parts: generated services, statistics and budget checks. No timing here: the
 * figures come from `npm run bench`, which prints them.
 */
import { expect } from "chai";
import { BenchRow, checkBudgets, formatBenchTable, generateServices, median, perServiceCosts, withGeneratedServices } from "../../scripts/lib/bench";
import { PROJECT_ROOT } from "../../scripts/lib/render";
import { loadRenderConfig } from "../../scripts/lib/renderConfig";
import { parseStackConfig, rawConfigFromPulumi } from "../../stacks/config";
import { ConfigError } from "../../stacks/validation";

function row(services: number, resources: number, invokes: number, medianMs: number): BenchRow {
    return { services, resources, invokes, medianMs, runsMs: [medianMs] };
}

const base = row(0, 11, 4, 100);

describe("npm run bench (scripts/lib/bench)", () => {
    describe("generated services", () => {
        it("makes `count` distinct services in the homelab-sso:services format", () => {
            const services = generateServices(200);
            const entries = Object.entries(services);
            expect(entries).to.have.length(200);
            for (const [key, service] of entries) {
                expect(key).to.match(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
                expect(service.name).to.be.a("string").and.not.equal("");
                expect(service.group).to.be.a("string").and.not.equal("");
                expect(new URL(service.publicUrl).protocol).to.equal("https:");
                expect(service.publicUrl).to.not.match(/\/$/);
                expect(service.callbackPath).to.match(/^\/\S+$/);
            }
            const urls = entries.map(([, s]) => s.publicUrl);
            expect(new Set(urls).size).to.equal(200);
        });

        it("uses the same access groups at every size, so lookups cannot grow with services", () => {
            const groups = (n: number) => [...new Set(Object.values(generateServices(n)).map((s) => s.accessGroup).filter(Boolean))].sort();
            expect(groups(2)).to.deep.equal(groups(200));
        });

        it("keeps the stack's own services and adds the generated ones", () => {
            const own = { grafana: { name: "Grafana" } };
            const services = withGeneratedServices(own, 3);
            expect(Object.keys(services)).to.deep.equal(["grafana", "bench-001", "bench-002", "bench-003"]);
            expect(withGeneratedServices(undefined, 2)).to.have.all.keys("bench-001", "bench-002");
        });

        it("passes the program's own config validation, added to the prod stack's services", function () {
            const prod = loadRenderConfig({ root: PROJECT_ROOT, stack: "prod" });
            const own = prod.config["homelab-sso:services"] ? JSON.parse(prod.config["homelab-sso:services"]) : {};
            const { config } = loadRenderConfig({ root: PROJECT_ROOT, stack: "prod", set: { "homelab-sso:services": withGeneratedServices(own, 50) } });
            try {
                parseStackConfig(rawConfigFromPulumi(config));
            } catch (err) {
                const unknown = err instanceof ConfigError && err.problems.some((p) => p.key === "homelab-sso:services" && /unknown key/.test(p.message));
                if (unknown) {
                    // The program does not read homelab-sso:services yet; the bench then measures the base stack only.
                    this.skip();
                }
                throw err;
            }
        });
    });

    describe("statistics and budgets", () => {
        it("takes the median of odd and even counts", () => {
            expect(median([5, 1, 3])).to.equal(3);
            expect(median([4, 1, 3, 2])).to.equal(2.5);
        });

        it("computes the per-service cost against the base stack and the previous size", () => {
            const costs = perServiceCosts(base, [row(10, 61, 6, 400), row(2, 21, 6, 160)]);
            expect(costs.map((c) => c.services)).to.deep.equal([2, 10]);
            expect(costs[0]).to.include({ resourcesPerService: 5, msPerService: 30, marginalMs: 30 });
            expect(costs[1]).to.include({ resourcesPerService: 5, msPerService: 30, marginalResources: 5, marginalMs: 30 });
        });

        const linear = [row(2, 21, 6, 160), row(10, 61, 6, 400), row(50, 261, 6, 1600), row(200, 1011, 6, 6100)];

        it("passes a linear stack with constant invokes under the time budget", () => {
            expect(checkBudgets(base, linear).map((r) => r.status)).to.deep.equal(["PASS", "PASS", "PASS"]);
        });

        it("fails when invokes grow with services", () => {
            const growing = linear.map((r) => ({ ...r, invokes: 4 + r.services }));
            expect(checkBudgets(base, growing)[0]).to.include({ status: "FAIL" });
        });

        it("fails when time per service at 200 is more than 3x that at 10", () => {
            const quadratic = [row(2, 21, 6, 104), row(10, 61, 6, 200), row(50, 261, 6, 2600), row(200, 1011, 6, 9000)];
            const [, growth, limit] = checkBudgets(base, quadratic);
            expect(growth.status).to.equal("FAIL");
            expect(limit.status).to.equal("PASS");
        });

        it("fails when the largest stack takes 10 s or more", () => {
            const slow = [...linear.slice(0, 3), row(200, 1011, 6, 10_000)];
            expect(checkBudgets(base, slow)[2]).to.include({ status: "FAIL" });
        });

        it("does not let timer noise at 10 services fail the linearity check", () => {
            const noisy = [row(2, 21, 6, 100), row(10, 61, 6, 100), row(50, 261, 6, 130), row(200, 1011, 6, 400)];
            expect(checkBudgets(base, noisy)[1].status).to.equal("PASS");
        });

        it("skips the service budgets when only the base stack could be measured", () => {
            expect(checkBudgets(base, []).map((r) => r.status)).to.deep.equal(["SKIP", "SKIP", "PASS"]);
        });

        it("prints one table line per size, the base stack first", () => {
            const lines = formatBenchTable(base, linear);
            expect(lines).to.have.length(2 + 1 + linear.length);
            expect(lines[2]).to.match(/^0 \(base\)\s+11\s+4\s+100/);
            expect(lines[lines.length - 1]).to.match(/^\s+200\s+1011\s+6\s+6100/);
        });
    });
});
