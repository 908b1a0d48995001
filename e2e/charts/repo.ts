/**
 * The e2e's Helm repository on loopback: the stand-in charts (this folder), packaged as `.tgz` at
 * start and listed in an `index.yaml`, under the names and versions of the pinned charts
 * (`charts/upstream/charts.json`). The real charts' repositories cannot be reached and their
 * templates may not be copied, so each stand-in renders, from the value paths the real templates read
 * (each template cites the real one), the objects the program relies on. See README.md here for what
 * they cannot show.
 *
 * A package is: `Chart.yaml` (written here from charts.json), the real chart's default
 * `values.yaml` (`charts/upstream`, unchanged), the stand-in's `templates/` and `crds/`, and each
 * subchart the same way under `charts/<name>/`.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { gzipSync } from "zlib";
import { stringify } from "yaml";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const STAND_INS = __dirname;
const UPSTREAM = path.join(REPO_ROOT, "charts", "upstream");

/**
 * Each subchart's condition, as the real parent's Chart.yaml declares it (authentik: `postgresql.enabled`;
 * kube-prometheus-stack: `crds.enabled`, `grafana.enabled`, `kubeStateMetrics.enabled`,
 * `nodeExporter.enabled`).
 */
export const SUBCHART_CONDITIONS: { [chart: string]: { [subchart: string]: string } } = {
    authentik: { postgresql: "postgresql.enabled" },
    "kube-prometheus-stack": {
        crds: "crds.enabled",
        grafana: "grafana.enabled",
        "kube-state-metrics": "kubeStateMetrics.enabled",
        "prometheus-node-exporter": "nodeExporter.enabled",
    },
};

/** kube-prometheus-stack's `crds` subchart carries only CRDs; the real one is versioned 0.0.0. */
const UNVERSIONED_SUBCHART = "0.0.0";

interface PinnedChart {
    chart: string;
    version: string;
    repo: string;
    values: string;
    subchartValues: { [subchart: string]: string };
}

export function pinnedCharts(): PinnedChart[] {
    return JSON.parse(fs.readFileSync(path.join(UPSTREAM, "charts.json"), "utf8")).charts;
}

/** One file of a package: its path inside the archive and its content. */
export interface PackageFile {
    name: string;
    content: Buffer;
}

function filesUnder(dir: string, archiveDir: string): PackageFile[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .sort()
        .map((entry) => ({ name: `${archiveDir}/${entry}`, content: fs.readFileSync(path.join(dir, entry)) }));
}

function chartYaml(name: string, version: string, dependencies: { name: string; version: string; condition: string }[]): Buffer {
    const chart: { [k: string]: unknown } = {
        apiVersion: "v2",
        name,
        version,
        // The stand-ins' images are never pulled (no kubelet); the chart version stands in for the app's.
        appVersion: version,
        description: `e2e stand-in for the ${name} chart ${version} (homelab-sso e2e/charts)`,
        type: "application",
    };
    if (dependencies.length > 0) chart.dependencies = dependencies;
    return Buffer.from(stringify(chart));
}

/** The files of the stand-in for one pinned chart, its subcharts included. */
export function standInFiles(pinned: PinnedChart): PackageFile[] {
    const { chart, version } = pinned;
    const standIn = path.join(STAND_INS, chart);
    if (!fs.existsSync(standIn)) throw new Error(`no stand-in for the pinned chart ${chart} in e2e/charts/`);
    const conditions = SUBCHART_CONDITIONS[chart] ?? {};
    const subcharts = fs.existsSync(path.join(standIn, "charts")) ? fs.readdirSync(path.join(standIn, "charts")).sort() : [];
    const files: PackageFile[] = [];
    const dependencies = subcharts.map((subchart) => {
        const valuesFile = pinned.subchartValues[subchart];
        const subVersion = valuesFile === undefined ? UNVERSIONED_SUBCHART : valuesFile.replace(`${subchart}-`, "").replace(/\.values\.yaml$/, "");
        const condition = conditions[subchart];
        if (condition === undefined) throw new Error(`stand-in subchart ${chart}/charts/${subchart} has no condition in SUBCHART_CONDITIONS`);
        const at = `${chart}/charts/${subchart}`;
        files.push({ name: `${at}/Chart.yaml`, content: chartYaml(subchart, subVersion, []) });
        files.push({ name: `${at}/values.yaml`, content: valuesFile === undefined ? Buffer.from("{}\n") : fs.readFileSync(path.join(UPSTREAM, valuesFile)) });
        files.push(...filesUnder(path.join(standIn, "charts", subchart, "templates"), `${at}/templates`));
        files.push(...filesUnder(path.join(standIn, "charts", subchart, "crds"), `${at}/crds`));
        return { name: subchart, version: subVersion, condition };
    });
    return [
        { name: `${chart}/Chart.yaml`, content: chartYaml(chart, version, dependencies) },
        { name: `${chart}/values.yaml`, content: fs.readFileSync(path.join(UPSTREAM, pinned.values)) },
        ...filesUnder(path.join(standIn, "templates"), `${chart}/templates`),
        ...filesUnder(path.join(standIn, "crds"), `${chart}/crds`),
        ...files,
    ];
}

/** A ustar header field: ASCII, NUL-padded to its width. */
function field(header: Buffer, offset: number, width: number, value: string): void {
    header.write(value, offset, Math.min(width, Buffer.byteLength(value)), "ascii");
}

function octal(value: number, width: number): string {
    return value.toString(8).padStart(width - 1, "0");
}

/**
 * A POSIX ustar archive of regular files (what `helm package` makes, minus directories entries,
 * which Helm does not need), gzip-compressed. Fixed mtime and modes: the same charts give the same
 * bytes, so the index digest is stable.
 */
export function tarGz(files: readonly PackageFile[]): Buffer {
    const blocks: Buffer[] = [];
    for (const file of files) {
        let name = file.name;
        let prefix = "";
        if (Buffer.byteLength(name) > 100) {
            const cut = name.lastIndexOf("/", 155);
            prefix = name.slice(0, cut);
            name = name.slice(cut + 1);
            if (Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`path too long for ustar: ${file.name}`);
        }
        const header = Buffer.alloc(512);
        field(header, 0, 100, name);
        field(header, 100, 8, octal(0o644, 8));
        field(header, 108, 8, octal(0, 8));
        field(header, 116, 8, octal(0, 8));
        field(header, 124, 12, octal(file.content.length, 12));
        field(header, 136, 12, octal(0, 12));
        header.fill(" ", 148, 156); // checksum is computed over spaces here
        field(header, 156, 1, "0");
        field(header, 257, 6, "ustar");
        field(header, 263, 2, "00");
        field(header, 345, 155, prefix);
        let sum = 0;
        for (const byte of header) sum += byte;
        field(header, 148, 8, `${octal(sum, 7)}\0`);
        blocks.push(header, file.content, Buffer.alloc((512 - (file.content.length % 512)) % 512));
    }
    blocks.push(Buffer.alloc(1024));
    return gzipSync(Buffer.concat(blocks), { level: 9 });
}

export interface PackagedChart {
    name: string;
    version: string;
    /** File name in the repository: `<name>-<version>.tgz`. */
    fileName: string;
    archive: Buffer;
    digest: string;
}

/** Every pinned chart's stand-in, packaged. */
export function packageStandIns(): PackagedChart[] {
    return pinnedCharts().map((pinned) => {
        const archive = tarGz(standInFiles(pinned));
        return {
            name: pinned.chart,
            version: pinned.version,
            fileName: `${pinned.chart}-${pinned.version}.tgz`,
            archive,
            digest: createHash("sha256").update(archive).digest("hex"),
        };
    });
}

/** A Helm repository index (`index.yaml`, apiVersion v1) for `charts` served from `baseUrl`. */
export function repositoryIndex(charts: readonly PackagedChart[], baseUrl: string): string {
    const entries: { [name: string]: unknown[] } = {};
    for (const chart of charts) {
        (entries[chart.name] ??= []).push({
            apiVersion: "v2",
            name: chart.name,
            version: chart.version,
            appVersion: chart.version,
            type: "application",
            urls: [`${baseUrl}/${chart.fileName}`],
            digest: chart.digest,
            // Fixed: nothing time-based reaches what Pulumi records.
            created: "2026-01-01T00:00:00Z",
        });
    }
    return stringify({ apiVersion: "v1", entries, generated: "2026-01-01T00:00:00Z" });
}

export interface ChartRepo {
    /** Base URL of the repository, e.g. `http://127.0.0.1:41235` (what `repositoryOpts.repo` takes). */
    url: string;
    charts: PackagedChart[];
    stop(): Promise<void>;
}

/** Packages the stand-ins and serves them with their `index.yaml` on loopback. */
export async function startChartRepo(): Promise<ChartRepo> {
    const charts = packageStandIns();
    let url = "";
    const server = http.createServer((req, res) => {
        const pathname = new URL(req.url ?? "/", "http://repo").pathname;
        const chart = charts.find((c) => pathname === `/${c.fileName}`);
        if (req.method !== "GET" && req.method !== "HEAD") {
            res.writeHead(405).end();
        } else if (pathname === "/index.yaml") {
            res.writeHead(200, { "content-type": "application/x-yaml" }).end(repositoryIndex(charts, url));
        } else if (chart === undefined) {
            res.writeHead(404).end(`no ${pathname} in the e2e chart repository\n`);
        } else {
            res.writeHead(200, { "content-type": "application/gzip", "content-length": chart.archive.length }).end(chart.archive);
        }
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        url,
        charts,
        stop: () =>
            new Promise<void>((resolve, reject) => {
                server.closeAllConnections();
                server.close((error) => (error ? reject(error) : resolve()));
            }),
    };
}
