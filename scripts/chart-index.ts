/**
 * `npm run chart-index`: regenerates `charts/index/<chart>-<version>.json` from `charts/upstream/`
 * and `charts/allowlist.json`. `--check` only compares and fails when a committed index is stale;
 * any other argument is refused (exit 2).
 * Logic in scripts/lib/chartIndex.ts; how to refresh the inputs on a chart upgrade: charts/README.md.
 */
import * as fs from "fs";
import * as path from "path";
import { readCheckFlag } from "./lib/cliArgs";
import { AllowlistEntry, TemplateKeys, buildChartIndex, checkAllowlist, serialiseChartIndex } from "./lib/chartIndex";

const ROOT = path.resolve(__dirname, "..");
const UPSTREAM = path.join(ROOT, "charts", "upstream");
const INDEX = path.join(ROOT, "charts", "index");

interface Manifest {
    charts: { chart: string; version: string; values: string; templateKeys: string; subchartValues: { [key: string]: string } }[];
}

export function generateIndexes(): { file: string; text: string }[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(UPSTREAM, "charts.json"), "utf8")) as Manifest;
    const allowlist = (JSON.parse(fs.readFileSync(path.join(ROOT, "charts", "allowlist.json"), "utf8")) as { entries: unknown }).entries;
    const problems = checkAllowlist(allowlist);
    if (problems.length > 0) {
        throw new Error(problems.join("\n"));
    }
    const read = (file: string) => fs.readFileSync(path.join(UPSTREAM, file), "utf8");
    return manifest.charts.map((entry) => {
        const index = buildChartIndex({
            chart: entry.chart,
            version: entry.version,
            values: read(entry.values),
            subchartValues: Object.fromEntries(Object.entries(entry.subchartValues).map(([key, file]) => [key, read(file)])),
            templateKeys: JSON.parse(read(entry.templateKeys)) as TemplateKeys,
            allowlist: allowlist as AllowlistEntry[],
        });
        return { file: path.join(INDEX, `${entry.chart}-${entry.version}.json`), text: serialiseChartIndex(index) };
    });
}

const USAGE = "usage: npm run chart-index [-- --check]   (--check only compares; any other argument is refused, exit 2)";

function main(check: boolean): void {
    let stale = 0;
    for (const { file, text } of generateIndexes()) {
        const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
        if (current === text) {
            console.log(`up to date: ${path.relative(ROOT, file)}`);
        } else if (check) {
            console.error(`stale: ${path.relative(ROOT, file)} (run npm run chart-index)`);
            stale++;
        } else {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
            console.log(`wrote: ${path.relative(ROOT, file)}`);
        }
    }
    process.exitCode = stale > 0 ? 1 : 0;
}

if (require.main === module) {
    const check = readCheckFlag(process.argv.slice(2), "chart-index", USAGE);
    if (check === undefined) {
        process.exitCode = 2;
    } else {
        main(check);
    }
}
