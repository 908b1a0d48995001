// A Stryker reporter (stryker.config.json `appendPlugins`, reporter "live-survivors"): appends each
// surviving or uncovered mutant to reports/mutation/survivors.log the moment it is known, so a long
// run can be worked on (tests written) while it is still going. Stryker's own reports come only at
// the end.
import * as fs from "node:fs";
import * as path from "node:path";
import { PluginKind, declareValuePlugin } from "@stryker-mutator/api/plugin";

const LOG = path.join("reports", "mutation", "survivors.log");

export const strykerPlugins = [
    declareValuePlugin(PluginKind.Reporter, "live-survivors", {
        onMutationTestingPlanReady() {
            fs.mkdirSync(path.dirname(LOG), { recursive: true });
            fs.writeFileSync(LOG, "");
        },
        onMutantTested(result) {
            if (result.status !== "Survived" && result.status !== "NoCoverage") {
                return;
            }
            const where = `${path.relative(process.cwd(), result.fileName)}:${result.location.start.line}:${result.location.start.column}`;
            const replacement = JSON.stringify(result.replacement ?? "").slice(0, 120);
            fs.appendFileSync(LOG, `${where} ${result.mutatorName} -> ${replacement} (${result.status})\n`);
        },
    }),
];
