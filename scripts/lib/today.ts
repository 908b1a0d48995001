/**
 * Today's homelab as the migration needs it (`docs/migration/today.yaml`): which objects exist, which
 * Helm releases have a record, today's chart values and what each value reaches.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const TODAY_FILE = path.resolve(__dirname, "..", "..", "docs", "migration", "today.yaml");

export interface TodayObject {
    kind: string;
    namespace?: string;
    name: string;
    owner: string;
    /** Keys of map fields in today's object (dotted path → keys), to find the keys the program drops. */
    mapKeys?: { [path: string]: string[] };
}

export interface ValueEffect {
    prefix: string;
    workloads: string[];
    /** true: the value is in a pod template (a change rolls the pods once); null: not derived. */
    podTemplate: boolean | null;
    note?: string;
}

export interface TodayChart {
    values: { [key: string]: unknown };
    /** Chart defaults for keys one side leaves unset, by dotted path. */
    chartDefaults?: { [path: string]: unknown };
    effects: ValueEffect[];
    /** Only keys under these dotted path prefixes are compared (default: all); today's other values are not recorded. */
    compare?: string[];
    argocdApplication?: string;
    chart?: string;
    version?: string;
    namespace?: string;
    release?: string;
}

export interface Today {
    /** The stack that deploys onto today's homelab. */
    stack: string;
    kubernetes: TodayObject[];
    helmReleases: { namespace: string; name: string; chart: string; version: string; owner: string }[];
    authentik: { oauth2Providers: string[]; applications: string[]; leftovers: string[] };
    charts: { [chart: string]: TodayChart };
    argocd: TodayChart;
}

export function readToday(file = TODAY_FILE): Today {
    return parse(fs.readFileSync(file, "utf8")) as Today;
}
