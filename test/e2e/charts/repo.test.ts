// Tests of e2e/charts/repo.ts (the e2e's Helm repository of stand-in charts) and of the stand-ins'
// files it packages. The templates are rendered by Helm inside the Kubernetes provider during the
// e2e; here: the repository answers as Helm expects, the archives unpack with the system's tar, each
// package carries the pinned chart's own default values, and every value path a stand-in reads is
// one the real chart's templates read (charts/index), so a stand-in cannot follow a key the real
// chart ignores.
import { expect } from "chai";
import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { ChartRepo, packageStandIns, pinnedCharts, startChartRepo, SUBCHART_CONDITIONS, tarGz } from "../../../e2e/charts/repo";
import { chartReads } from "../../../stacks/chartKeys";

const STAND_INS = path.join(__dirname, "..", "..", "..", "e2e", "charts");

function untar(archive: Buffer): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "standin-"));
    const file = path.join(dir, "chart.tgz");
    fs.writeFileSync(file, archive);
    const result = spawnSync("tar", ["-xzf", file, "-C", dir], { encoding: "utf8" });
    expect(result.error, "the system's tar must unpack the archive").to.equal(undefined);
    expect(result.status, result.stderr).to.equal(0);
    return dir;
}

/** `.Values.a.b` paths a template reads, as segments. */
function valuePaths(template: string): string[][] {
    return [...template.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map((m) => m[1].slice(1).split("."));
}

function templatesOf(dir: string): string[] {
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
}

describe("e2e stand-in chart repository (e2e/charts/repo.ts)", function () {
    this.timeout(60_000);
    let repo: ChartRepo;
    before(async () => {
        repo = await startChartRepo();
    });
    after(async () => {
        await repo.stop();
    });

    it("serves an index.yaml naming every pinned chart at its pinned version, with the archive's digest", async () => {
        const index = parse(await (await fetch(`${repo.url}/index.yaml`)).text());
        expect(index.apiVersion).to.equal("v1");
        const pinned = pinnedCharts();
        expect(Object.keys(index.entries).sort()).to.deep.equal(pinned.map((c) => c.chart).sort());
        for (const chart of pinned) {
            const [entry] = index.entries[chart.chart];
            expect(entry.version).to.equal(chart.version);
            expect(entry.urls).to.deep.equal([`${repo.url}/${chart.chart}-${chart.version}.tgz`]);
            const archive = Buffer.from(await (await fetch(entry.urls[0])).arrayBuffer());
            expect(createHash("sha256").update(archive).digest("hex")).to.equal(entry.digest);
        }
        expect((await fetch(`${repo.url}/nothing-1.0.0.tgz`)).status).to.equal(404);
    });

    it("packages archives tar unpacks: Chart.yaml with the pinned name, version and subchart conditions, and the real default values", async () => {
        for (const pinned of pinnedCharts()) {
            const archive = Buffer.from(await (await fetch(`${repo.url}/${pinned.chart}-${pinned.version}.tgz`)).arrayBuffer());
            const dir = untar(archive);
            const chartYaml = parse(fs.readFileSync(path.join(dir, pinned.chart, "Chart.yaml"), "utf8"));
            expect([chartYaml.apiVersion, chartYaml.name, chartYaml.version]).to.deep.equal(["v2", pinned.chart, pinned.version]);
            const upstream = path.join(__dirname, "..", "..", "..", "charts", "upstream");
            expect(fs.readFileSync(path.join(dir, pinned.chart, "values.yaml"), "utf8")).to.equal(fs.readFileSync(path.join(upstream, pinned.values), "utf8"));
            for (const dependency of chartYaml.dependencies ?? []) {
                expect(dependency.condition).to.equal(SUBCHART_CONDITIONS[pinned.chart][dependency.name]);
                const sub = parse(fs.readFileSync(path.join(dir, pinned.chart, "charts", dependency.name, "Chart.yaml"), "utf8"));
                expect([sub.name, sub.version]).to.deep.equal([dependency.name, dependency.version]);
                const valuesFile = pinned.subchartValues[dependency.name];
                if (valuesFile !== undefined) {
                    expect(fs.readFileSync(path.join(dir, pinned.chart, "charts", dependency.name, "values.yaml"), "utf8")).to.equal(
                        fs.readFileSync(path.join(upstream, valuesFile), "utf8"),
                    );
                    expect(dependency.version).to.equal(valuesFile.replace(`${dependency.name}-`, "").replace(".values.yaml", ""));
                }
            }
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("packages the same bytes every time (stable digests)", () => {
        expect(packageStandIns().map((c) => c.digest)).to.deep.equal(repo.charts.map((c) => c.digest));
    });

    it("writes ustar paths longer than 100 characters through the prefix field", () => {
        const long = `${"d".repeat(60)}/${"e".repeat(60)}/file.yaml`;
        const dir = untar(tarGz([{ name: long, content: Buffer.from("x: 1\n") }]));
        expect(fs.readFileSync(path.join(dir, long), "utf8")).to.equal("x: 1\n");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("reads only value paths the real chart's templates read, and every template cites the real one", () => {
        const unread: string[] = [];
        for (const pinned of pinnedCharts()) {
            const sources: [string, string[]][] = templatesOf(path.join(STAND_INS, pinned.chart, "templates")).map((f) => [f, []]);
            for (const subchart of Object.keys(SUBCHART_CONDITIONS[pinned.chart] ?? {})) {
                sources.push(...templatesOf(path.join(STAND_INS, pinned.chart, "charts", subchart, "templates")).map((f): [string, string[]] => [f, [subchart]]));
            }
            expect(sources.length).to.be.greaterThan(0);
            for (const [file, prefix] of sources) {
                const template = fs.readFileSync(file, "utf8");
                expect(template, `${file} cites the template it stands in for`).to.match(/Stand-in for |Naming as |templates\/_helpers\.tpl/);
                for (const segments of valuePaths(template)) {
                    if (chartReads(pinned.chart, pinned.version, [...prefix, ...segments]) === "unknown") {
                        unread.push(`${path.relative(STAND_INS, file)}: ${[...prefix, ...segments].join(".")}`);
                    }
                }
            }
        }
        expect(unread).to.deep.equal([]);
    });

    it("names each template helper once per package (Helm shares defines between a chart and its subcharts)", () => {
        for (const pinned of pinnedCharts()) {
            const files = [path.join(STAND_INS, pinned.chart, "templates")];
            for (const subchart of Object.keys(SUBCHART_CONDITIONS[pinned.chart] ?? {})) files.push(path.join(STAND_INS, pinned.chart, "charts", subchart, "templates"));
            const defines = files.flatMap(templatesOf).flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/define "([^"]+)"/g)].map((m) => m[1]));
            expect(defines.length, pinned.chart).to.be.greaterThan(0);
            expect(defines, pinned.chart).to.deep.equal([...new Set(defines)]);
        }
    });

    it("carries structural CRDs (the stand-ins' and ESO's in e2e/crds) that parse as YAML", () => {
        const files = [
            path.join(STAND_INS, "kube-prometheus-stack", "charts", "crds", "crds", "monitoring.coreos.com.yaml"),
            path.join(STAND_INS, "..", "crds", "external-secrets.io.yaml"),
        ];
        const kinds: string[] = [];
        for (const file of files) {
            for (const doc of parseAllDocuments(fs.readFileSync(file, "utf8"))) {
                expect(doc.errors).to.deep.equal([]);
                const crd = doc.toJSON();
                expect(crd.kind).to.equal("CustomResourceDefinition");
                expect(crd.metadata.name).to.equal(`${crd.spec.names.plural}.${crd.spec.group}`);
                for (const version of crd.spec.versions) expect(version.schema.openAPIV3Schema).to.include({ type: "object", "x-kubernetes-preserve-unknown-fields": true });
                kinds.push(`${crd.spec.group}/${crd.spec.versions[0].name} ${crd.spec.names.kind} ${crd.spec.scope}`);
            }
        }
        expect(kinds).to.include.members([
            "external-secrets.io/v1 ExternalSecret Namespaced",
            "external-secrets.io/v1 ClusterSecretStore Cluster",
            "monitoring.coreos.com/v1 Prometheus Namespaced",
            "monitoring.coreos.com/v1 Alertmanager Namespaced",
        ]);
    });
});
