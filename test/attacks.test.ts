/**
 * Issue 19's "done when", for the whole stack: every attack in test/fixtures/attacks/ (a copy of
 * test/fixtures/Pulumi.prod.yaml with one change, headed by `# attack:` and `# refused-key:` lines)
 * is refused by the render with exit 2 and its key named; every legitimate stack file still renders;
 * and the grafana.ini each legitimate stack produces, printed as the grafana chart prints it and read
 * as Grafana's INI reader reads it, holds exactly the sections and keys the values hold, the SSO-only
 * settings as the program set them. The attacks that aim at grafana.ini, applied past the checks,
 * break that reading, so the check can fail.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Evaluation } from "../scripts/lib/mockRuntime";
import { PROJECT_ROOT, renderStack, runRenderCli } from "../scripts/lib/render";
import { parseStackFileText } from "../scripts/lib/renderConfig";
import { ConfigError } from "../stacks/validation";
import { IniFile, DEFAULT_SECTION, goText, readIni, renderGrafanaIni } from "./support/ini";
import { FIXTURES, evaluateStackFile, frozenStackFile, liveStackFiles, resourcesOfType } from "./support/stacks";

const ATTACKS = path.join(FIXTURES, "attacks");
const CHART = "kubernetes:helm.sh/v4:Chart";

interface Attack {
    file: string;
    attack: string;
    refusedKey: string;
}

/** Every file in the attacks folder, with its two header lines (a file without them fails here, not silently). */
function attacks(): Attack[] {
    return fs
        .readdirSync(ATTACKS)
        .sort()
        .map((name) => {
            const file = path.join(ATTACKS, name);
            const [first, second] = fs.readFileSync(file, "utf8").split("\n");
            const attack = /^# attack: (.+)$/.exec(first)?.[1];
            const refusedKey = /^# refused-key: (.+)$/.exec(second)?.[1];
            if (attack === undefined || refusedKey === undefined) {
                throw new Error(`${path.relative(PROJECT_ROOT, file)}: the first two lines must be "# attack: <what it tries>" and "# refused-key: <key path>"`);
            }
            return { file, attack, refusedKey: refusedKey.trim() };
        });
}

/** The legitimate stack files: the frozen fixtures and the live stack files, each with its stack name. */
function acceptedStackFiles(): { stack: string; file: string }[] {
    const frozen = fs
        .readdirSync(FIXTURES)
        .map((name) => /^Pulumi\.([^.]+)\.yaml$/.exec(name)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort()
        .map((stack) => ({ stack, file: frozenStackFile(stack) }));
    return [...frozen, ...liveStackFiles()];
}

/**
 * An attack file's `config:` block as the project's stack-file reader reads it, or undefined when that
 * reader refuses the file before reading any value (YAML aliases: the alias bomb is never expanded).
 */
function attackConfig(file: string): Values | undefined {
    try {
        return (parseStackFileText(fs.readFileSync(file, "utf8"), file).document as { config: Values }).config;
    } catch (err) {
        if (err instanceof ConfigError) {
            return undefined;
        }
        throw err;
    }
}

async function render(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await runRenderCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: PROJECT_ROOT }, PROJECT_ROOT);
    return { code, stdout, stderr };
}

type Values = { [key: string]: unknown };
const isMap = (value: unknown): value is Values => typeof value === "object" && value !== null && !Array.isArray(value);

/** Helm's coalescing of values maps: `over` wins, maps merge, null removes a key. */
function coalesce(under: Values, over: Values): Values {
    const result: Values = { ...under };
    for (const [key, value] of Object.entries(over)) {
        if (value === null) {
            delete result[key];
        } else {
            result[key] = isMap(value) && isMap(result[key]) ? coalesce(result[key] as Values, value) : value;
        }
    }
    return result;
}

const chartDefaults = (file: string) => parse(fs.readFileSync(path.join(PROJECT_ROOT, "charts", "upstream", file), "utf8")) as Values;
/** The grafana chart's own grafana.ini defaults, then kube-prometheus-stack's for its grafana subchart. */
const GRAFANA_DEFAULTS = chartDefaults("grafana-11.1.7.values.yaml");
const KPS_GRAFANA_DEFAULTS = (chartDefaults("kube-prometheus-stack-82.1.0.values.yaml").grafana ?? {}) as Values;
const DEFAULT_INI = coalesce((GRAFANA_DEFAULTS["grafana.ini"] ?? {}) as Values, (KPS_GRAFANA_DEFAULTS["grafana.ini"] ?? {}) as Values);
const DOMAIN_TEMPLATE = (DEFAULT_INI.server as Values).domain;

/** The grafana subchart's values a release ends with, and its grafana.ini. */
function grafanaValues(releaseValues: Values): { grafana: Values; ini: Values } {
    const grafana = coalesce(coalesce(GRAFANA_DEFAULTS, KPS_GRAFANA_DEFAULTS), (releaseValues.grafana ?? {}) as Values);
    return { grafana, ini: grafana["grafana.ini"] as Values };
}

/**
 * `tpl` for the one template in these values, the chart's default `server.domain`: with no ingress and
 * no route it yields `''` (an empty INI value). Any other template is an error: config strings cannot
 * hold template syntax (stacks/boundary.ts).
 */
function tplFor(grafana: Values): (text: string) => string {
    return (text) => {
        if (text === DOMAIN_TEMPLATE) {
            expect((grafana.ingress as Values | undefined)?.enabled, "grafana.ingress.enabled").to.not.equal(true);
            expect(((grafana.route as Values | undefined)?.main as Values | undefined)?.enabled, "grafana.route.main.enabled").to.not.equal(true);
            return "''";
        }
        if (text.includes("{{")) {
            throw new Error(`unexpected template in grafana.ini: ${text}`);
        }
        return text;
    };
}

/** What a well-formed grafana.ini reads back as: every section and key of the values, each value as written (one pair of surrounding quotes is INI's way to write an empty or padded value). */
function expectedIni(ini: Values, tpl: (text: string) => string): IniFile {
    const text = (value: unknown) => {
        if (value === null || value === undefined) {
            return "";
        }
        const written = typeof value === "string" ? tpl(value) : goText(value);
        return /^'.*'$|^".*"$/.test(written) ? written.slice(1, -1) : written;
    };
    const result: IniFile = { [DEFAULT_SECTION]: {} };
    for (const [key, value] of Object.entries(ini)) {
        if (isMap(value)) {
            result[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, text(v)]));
        } else {
            result[DEFAULT_SECTION][key] = text(value);
        }
    }
    return result;
}

function kubePrometheusStackRelease(evaluation: Evaluation): Values | undefined {
    const releases = resourcesOfType(evaluation, CHART).filter((r) => r.inputs.chart === "kube-prometheus-stack");
    expect(releases.length, "kube-prometheus-stack releases").to.be.at.most(1);
    return releases[0]?.inputs.values as Values | undefined;
}

/** The grafana.ini sections the program owns, as its SSO values set them (before any chart default). */
const OWNED_SECTIONS = ["server", "auth", "auth.generic_oauth"];

describe("attacks on the SSO-only guarantee (test/fixtures/attacks/)", () => {
    const all = attacks();

    it("the folder holds the attacks, each headed by what it tries and the key it must be refused at", () => {
        expect(all.length).to.be.at.least(6);
        for (const attack of all) {
            const text = fs.readFileSync(attack.file, "utf8");
            expect(text, attack.file).to.not.equal(fs.readFileSync(frozenStackFile("prod"), "utf8"));
        }
    });

    for (const attack of all) {
        it(`${path.basename(attack.file)}: refused with exit 2, naming ${attack.refusedKey}`, async () => {
            const run = await render(["--stack", "prod", "--stack-file", attack.file]);
            expect(run.stdout, attack.attack).to.equal("");
            expect(run.code, `${attack.attack}\n${run.stderr}`).to.equal(2);
            expect(run.stderr, attack.attack).to.include(attack.refusedKey);
        });
    }

    it("the render command itself exits 2 on an attack and names its key (a child process)", function () {
        this.timeout(60_000);
        const attack = all.find((a) => path.basename(a.file) === "ini-key-opens-auth-anonymous.yaml")!;
        const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/render.ts", "--stack", "prod", "--stack-file", path.relative(PROJECT_ROOT, attack.file)], {
            cwd: PROJECT_ROOT,
            encoding: "utf8",
            timeout: 60_000,
        });
        expect(result.status, result.stderr).to.equal(2);
        expect(result.stdout).to.equal("");
        expect(result.stderr).to.include(`- ${attack.refusedKey}: the key contains "["`);
    });
});

describe("legitimate stack files render, and their grafana.ini reads back exactly", () => {
    for (const { stack, file } of acceptedStackFiles()) {
        const name = path.relative(PROJECT_ROOT, file);

        it(`${name} renders, and its grafana.ini keeps the SSO-only settings as the program set them`, async () => {
            // What `npm run -s render -- --stack <stack> --stack-file <file>` evaluates and prints (exit 0).
            const { document } = await renderStack({ root: PROJECT_ROOT, stack, stackFile: file });
            expect(document.stack).to.equal(stack);
            const releases = document.resources.filter((r) => r.type === CHART && r.inputs.chart === "kube-prometheus-stack");
            expect(releases.length, "kube-prometheus-stack releases").to.be.at.most(1);
            const release = releases[0]?.inputs.values as Values | undefined;
            const config = (parse(fs.readFileSync(file, "utf8")) as { config: Values }).config;
            const grafanaConfig = config["homelab-sso:grafana"] as Values | undefined;
            if (release === undefined) {
                // No Grafana: nothing to read, and the stack file must say so.
                expect(grafanaConfig === undefined || grafanaConfig.enabled === false, "no kube-prometheus-stack release although Grafana is configured").to.equal(true);
                return;
            }
            const { grafana, ini } = grafanaValues(release);
            const tpl = tplFor(grafana);
            const read = readIni(renderGrafanaIni(ini, tpl));
            expect(read).to.deep.equal(expectedIni(ini, tpl));
            // The settings that make login SSO-only, read as Grafana reads them; Grafana ignores empty values.
            const owned = (release.grafana as Values)["grafana.ini"] as Values;
            for (const section of OWNED_SECTIONS) {
                for (const [key, value] of Object.entries(owned[section] as Values)) {
                    expect(read[section][key], `[${section}] ${key}`).to.equal(goText(value)).and.not.equal("");
                }
            }
            expect(read.auth.disable_login_form).to.equal("true");
            expect(read["auth.generic_oauth"]).to.include({ enabled: "true", auto_login: "true", use_pkce: "true" });
            expect(Object.keys(read).filter((s) => /^(auth|security|users)($|\.)/.test(s) && !OWNED_SECTIONS.includes(s)), "login sections the program does not own").to.deep.equal([]);
        });
    }
});

describe("the grafana.ini check can fail: the attacks on grafana.ini, applied past the checks, break it", () => {
    let prodRelease: Values;
    before(async () => {
        prodRelease = kubePrometheusStackRelease(await evaluateStackFile("prod", frozenStackFile("prod")))!;
    });

    /** What each of this folder's grafana.ini attacks does to what Grafana reads. */
    const EFFECTS: { [file: string]: (read: IniFile) => void } = {
        "ini-key-opens-auth-anonymous.yaml": (read) => expect(read["auth.anonymous"]).to.include({ enabled: "true", org_role: "Admin" }),
        "ini-key-opens-auth.yaml": (read) => expect(read.auth.disable_login_form).to.equal("false"),
        "ini-value-continues-into-auth.yaml": (read) => {
            expect(read).to.not.have.property("auth");
            expect(read.analytics.disable_login_form).to.equal("true");
        },
        "ini-value-multiline-swallows-auth.yaml": (read) => {
            expect(read).to.not.have.property("auth");
            expect(read).to.not.have.property("auth.generic_oauth");
        },
    };

    // Only attacks the stack-file reader reads at all: it refuses the alias files before any value is
    // read, so they never reach grafana.ini.
    const iniAttacks = attacks().filter((a) => {
        const config = attackConfig(a.file);
        if (config === undefined) {
            return false;
        }
        const extra = (config["homelab-sso:grafana"] as Values | undefined)?.extraValues as Values | undefined;
        return isMap((extra?.grafana as Values | undefined)?.["grafana.ini"]);
    });

    it("this folder's grafana.ini attacks are among them, and only the alias files are refused unread", () => {
        expect(iniAttacks.map((a) => path.basename(a.file))).to.include.members(Object.keys(EFFECTS));
        const unread = attacks().filter((a) => attackConfig(a.file) === undefined);
        expect(unread.map((a) => path.basename(a.file))).to.deep.equal(["yaml-alias-bomb.yaml", "yaml-alias.yaml"]);
    });

    for (const attack of iniAttacks) {
        it(`${path.basename(attack.file)}: ${attack.attack}`, () => {
            const config = attackConfig(attack.file)!;
            const extraIni = ((config["homelab-sso:grafana"] as Values).extraValues as Values).grafana as Values;
            // The attack's grafana.ini merged under the program's values, as if the checks had let it through.
            const release = coalesce({ grafana: { "grafana.ini": extraIni["grafana.ini"] } }, prodRelease);
            const { grafana, ini } = grafanaValues(release);
            const tpl = tplFor(grafana);
            let read: IniFile | undefined;
            try {
                read = readIni(renderGrafanaIni(ini, tpl));
            } catch {
                // ini.v1 refuses the file: Grafana would not start (broken, though not open).
                return;
            }
            expect(read).to.not.deep.equal(expectedIni(ini, tpl));
            EFFECTS[path.basename(attack.file)]?.(read);
        });
    }
});
