/**
 * The stack file's JSON Schema (stacks/schema.ts, committed as schema/stack-config.schema.json with
 * the generated table of docs/configuration.md): current, in step with the section readers key for key, and
 * satisfied by the committed stack files.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { README, readmeText, SCHEMA_FILE, schemaText } from "../../scripts/config-schema";
import Ajv2020 from "ajv/dist/2020";
import { ValidateFunction } from "ajv/dist/2020";
import { loadRenderConfig, StackFileError } from "../../scripts/lib/renderConfig";
import { parseStackConfig, rawConfigFromPulumi } from "../../stacks/config";
import { ConfigError } from "../../stacks/validation";
import { OUTSIDE_KEYS } from "../../stacks/hygiene";
import { configProperties, referenceRows, referenceTable, SchemaNode, stackFileSchema } from "../../stacks/schema";
import { configProblems, FIXTURES, frozenStackFile, readStackFile, ROOT } from "../support/stacks";

/** The committed JSON Schema, compiled as an editor's validator would: Ajv, draft 2020-12, every strict check on. */
function compiledSchema(): ValidateFunction {
    return new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")));
}

/** What the JSON Schema says of a stack file's document: one line per error, empty when it is valid. */
function validate(document: unknown): string[] {
    const check = compiledSchema();
    return check(document) ? [] : (check.errors ?? []).map((e) => `${e.instancePath}: ${e.message}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
}

/**
 * What the program says of a stack file: refused (a problem, or a file the stack-file reader refuses)
 * or accepted, read as the render reads it (its `secure:` values filled), with `set` applied on top.
 */
function programRefuses(stackFile: string, set: { [key: string]: unknown } = {}): boolean {
    try {
        const read = loadRenderConfig({ root: ROOT, stack: "prod", stackFile, set });
        if (read.problems.length > 0) {
            return true;
        }
        parseStackConfig(rawConfigFromPulumi(read.config), { isSecret: (key) => read.secretKeys.includes(key) });
        return false;
    } catch (err) {
        if (err instanceof ConfigError || err instanceof StackFileError) {
            return true;
        }
        throw err;
    }
}

/** What an editor reading the file with a plain YAML parser and the JSON Schema says: refused or accepted. */
function schemaRefuses(stackFile: string, set: { [key: string]: unknown } = {}): boolean {
    let document: { config: { [key: string]: unknown } };
    try {
        document = parse(fs.readFileSync(stackFile, "utf8")) as typeof document;
    } catch {
        // The YAML parser itself gives up (the alias bomb exceeds its alias limit).
        return true;
    }
    const config = { ...document.config };
    for (const [key, value] of Object.entries(set)) {
        if (value === undefined) {
            delete config[key];
        } else {
            config[key] = value;
        }
    }
    return validate({ ...document, config }).length > 0;
}

const problemsOf = configProblems;

const UNKNOWN = "zzNotAKey";

/** Every object the readers read field by field, as [config key, path inside it, schema node]. */
function readerObjects(): { key: string; at: string[]; node: SchemaNode }[] {
    const result: { key: string; at: string[]; node: SchemaNode }[] = [];
    const visit = (key: string, at: string[], node: SchemaNode) => {
        if (node.properties && node.additionalProperties === false && !node.required?.includes("secure")) {
            result.push({ key, at, node });
            for (const [name, inner] of Object.entries(node.properties)) {
                visit(key, [...at, name], inner);
            }
        } else if (typeof node.additionalProperties === "object" && node["x-key-name"] === "<name>") {
            visit(key, [...at, "grafana"], node.additionalProperties);
        } else if (node.type === "array" && node.items?.properties) {
            visit(key, [...at, "0"], node.items);
        }
    };
    for (const [key, node] of Object.entries(configProperties())) {
        visit(key, [], node);
    }
    return result;
}

describe("stack file JSON Schema", () => {
    it("is committed as npm run config-schema writes it, and so is the table in docs/configuration.md", () => {
        expect(fs.readFileSync(SCHEMA_FILE, "utf8")).to.equal(schemaText());
        const readme = fs.readFileSync(README, "utf8");
        expect(readme).to.equal(readmeText(readme));
    });

    it("is named by the yaml-language-server line of each committed stack file", () => {
        for (const file of ["Pulumi.prod.yaml", "Pulumi.dev.yaml"]) {
            const first = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")[0];
            expect(first, file).to.equal("# yaml-language-server: $schema=./schema/stack-config.schema.json");
        }
    });

    it("lists exactly the top-level keys the program reads", () => {
        const problem = problemsOf({ [`homelab-sso:${UNKNOWN}`]: 1 }).find((p) => p.key === `homelab-sso:${UNKNOWN}`);
        const allowed = problem!.message.replace(/^unknown key; allowed keys: /, "").split(", ");
        const schemaKeys = Object.keys(configProperties()).filter((k) => k.startsWith("homelab-sso:"));
        expect([...schemaKeys].sort()).to.deep.equal([...allowed].sort());
    });

    it("lists exactly the keys outside homelab-sso the program accepts (no pattern lets others through)", () => {
        const outside = Object.keys(configProperties()).filter((k) => !k.startsWith("homelab-sso:"));
        expect([...outside].sort()).to.deep.equal(Object.keys(OUTSIDE_KEYS).sort());
        expect(stackFileSchema().properties!.config.patternProperties).to.equal(undefined);
    });

    for (const { key, at, node } of readerObjects()) {
        const where = [key, ...at].join(".");
        it(`has the keys the reader of ${where} accepts, no more, no fewer`, () => {
            const raw = JSON.parse(JSON.stringify(readStackFile("prod"))) as { [key: string]: any };
            let target: any = raw;
            for (const segment of [key, ...at]) {
                target[segment] ??= {};
                target = target[segment];
            }
            target[UNKNOWN] = 1;
            const unknownKey = `${key}${at.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("")}.${UNKNOWN}`;
            const problem = problemsOf(raw).find((p) => p.key === unknownKey);
            expect(problem, `no unknown-key problem at ${unknownKey}`).to.not.equal(undefined);
            const allowed = problem!.message.replace(/^unknown key; allowed keys here: /, "").split(", ");
            expect(Object.keys(node.properties!).sort()).to.deep.equal(allowed.sort());
        });
    }

    it("loads in Ajv 2020 with its default options (strict: standard keywords and annotations only)", () => {
        const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
        expect(() => new Ajv2020().compile(schema)).to.not.throw();
        expect(JSON.stringify(schema)).to.not.match(/"x-/);
    });

    for (const stack of ["prod", "dev"]) {
        it(`validates the committed and frozen Pulumi.${stack}.yaml`, () => {
            for (const file of [path.join(ROOT, `Pulumi.${stack}.yaml`), frozenStackFile(stack)]) {
                expect(validate(parse(fs.readFileSync(file, "utf8"))), file).to.deep.equal([]);
            }
        });
    }

    it("flags what an editor should: unknown keys, wrong types and enums, secrets in plain text", () => {
        const config = { ...readStackFile("prod") } as { [key: string]: any };
        config["homelab-sso:authentik"] = { ...config["homelab-sso:authentik"], nodeport: 1, nodePorts: { http: "30500" } };
        config["homelab-sso:secrets"] = { source: "vault" };
        config["authentik:token"] = "plain";
        config["homelab-ssoo:argocd"] = {};
        expect(validate({ config })).to.have.members([
            "/config: must NOT have additional properties (homelab-ssoo:argocd)",
            "/config/homelab-sso:secrets/source: must be equal to one of the allowed values",
            "/config/homelab-sso:authentik: must NOT have additional properties (nodeport)",
            "/config/homelab-sso:authentik/nodePorts/http: must be integer",
            "/config/authentik:token: must be object",
        ]);
    });
});

/**
 * Rules the JSON Schema cannot state, which only the program enforces: each fixture the schema
 * accepts and the program refuses, with the reason. Every other fixture gets the same answer from both.
 */
const PROGRAM_ONLY: { [file: string]: string } = {
    "alertmanager-sidecar-container.yaml": "pass-through allowlist (stacks/passThrough.ts): extraValues keys that shape a pod",
    "argocd-server-privileged-root.yaml": "pass-through allowlist: security-context values of the restricted Pod Security level",
    "grafana-loadbalancer-service.yaml": "pass-through allowlist: Service types",
    "node-exporter-enabled.yaml": "pass-through allowlist: node-exporter",
    "prometheus-hostpath-root.yaml": "pass-through allowlist: volumes",
    "prometheus-mounts-grafana-oauth.yaml": "pass-through allowlist: volume mounts",
    "prometheus-sidecar-container.yaml": "pass-through allowlist: containers",
    "ini-key-opens-auth-anonymous.yaml": "pass-through grafana.ini keys and values, checked as Grafana's INI reader reads them (stacks/grafanaIni.ts)",
    "ini-key-opens-auth.yaml": "pass-through grafana.ini keys (stacks/grafanaIni.ts)",
    "ini-value-continues-into-auth.yaml": "pass-through grafana.ini values (stacks/grafanaIni.ts)",
    "ini-value-multiline-swallows-auth.yaml": "pass-through grafana.ini values (stacks/grafanaIni.ts)",
    "prototype-key-in-helm-values.yaml": "the boundary's key checks inside pass-through values (stacks/boundary.ts)",
    "template-key-in-helm-values.yaml": "the boundary's template-syntax check inside pass-through values (stacks/boundary.ts)",
    "argocd-private-use-redirect.yaml": "cross-reference: the service ArgoCD uses may not have private-use redirect URIs",
    "authentik-api-insecure-public.yaml": "cross-field: apiInsecure only with a loopback or in-cluster apiUrl",
    "redirect-uri-foreign-host.yaml": "cross-field: an https redirect URI's host must be the publicUrl host or in redirectHosts",
    "host-trailing-dot.yaml": "a URL's host, as the WHATWG URL parser reads it (canonical base URLs)",
    "icon-path-backslash-host.yaml": "an icon path, percent-decoded (a backslash or .. that browsers turn into another host)",
    "nodeport-leading-zero.yaml": "YAML text rule of issue 14: a number YAML parsers read differently (030500)",
    "yaml-alias.yaml": "YAML text rule of issue 14: aliases are never expanded",
};

describe("the program and the JSON Schema agree", () => {
    const files = [
        ...fs.readdirSync(FIXTURES).filter((name) => name.endsWith(".yaml")).map((name) => path.join(FIXTURES, name)),
        ...fs.readdirSync(path.join(FIXTURES, "attacks")).map((name) => path.join(FIXTURES, "attacks", name)),
    ].sort();

    for (const file of files) {
        const name = path.basename(file);
        const reason = PROGRAM_ONLY[name];
        it(`${path.relative(FIXTURES, file)}: ${reason === undefined ? "the same answer from both" : `refused by the program only (${reason})`}`, function () {
            this.timeout(60_000);
            const program = programRefuses(file);
            const schema = schemaRefuses(file);
            if (reason === undefined) {
                expect(schema, "the JSON Schema refuses it").to.equal(program);
            } else {
                expect([program, schema], "[program refuses, schema refuses]").to.deep.equal([true, false]);
            }
        });
    }

    it("lists only fixtures that exist", () => {
        expect(Object.keys(PROGRAM_ONLY).filter((name) => !files.some((file) => path.basename(file) === name))).to.deep.equal([]);
    });

    /** Changes to the frozen prod stack file the message tests make, which both must answer alike. */
    const prod = readStackFile("prod") as { [key: string]: any };
    const CASES: { [what: string]: { [key: string]: unknown } } = {
        'a quoted NodePort "30500"': { "homelab-sso:authentik": { ...prod["homelab-sso:authentik"], nodePorts: { http: "30500", https: 30501 } } },
        'a quoted rotation "1"': { "homelab-sso:services": { ...prod["homelab-sso:services"], grafana: { ...prod["homelab-sso:services"].grafana, rotation: "1" } } },
        'a quoted boolean "true"': { "homelab-sso:authentik": { ...prod["homelab-sso:authentik"], apiInsecure: "true" } },
        "the bookmark slug LaunchFast": { "homelab-sso:bookmarks": [{ slug: "LaunchFast", name: "L", group: "x", launchUrl: "https://l.example.net" }] },
        "an http bookmark URL": { "homelab-sso:bookmarks": [{ slug: "l", name: "L", group: "x", launchUrl: "http://l.example.net" }] },
        "a native client with no redirect URI": {
            "homelab-sso:services": { ...prod["homelab-sso:services"], immich: { name: "I", group: "x", publicUrl: "https://i.example.net", callbackPath: "/cb", nativeClient: { redirectUris: [] } } },
        },
        "a service client id with a space": { "homelab-sso:services": { ...prod["homelab-sso:services"], grafana: { ...prod["homelab-sso:services"].grafana, clientId: "graf ana" } } },
        "a service group with a zero-width space": { "homelab-sso:services": { ...prod["homelab-sso:services"], grafana: { ...prod["homelab-sso:services"].grafana, group: "Moni\u200btoring" } } },
        "a valid bookmark": { "homelab-sso:bookmarks": [{ slug: "l", name: "L", group: "x", launchUrl: "https://l.example.net" }] },
        "an unknown secrets source": { "homelab-sso:secrets": { source: "vault" } },
        "a NodePort outside the range": { "homelab-sso:authentik": { ...prod["homelab-sso:authentik"], nodePorts: { http: 80 } } },
        "a volume size with the wrong unit": { "homelab-sso:authentik": { ...prod["homelab-sso:authentik"], postgresqlVolumeSize: "2GB" } },
    };
    for (const [what, set] of Object.entries(CASES)) {
        it(`${what}: the same answer from both`, function () {
            this.timeout(60_000);
            const file = frozenStackFile("prod");
            expect(schemaRefuses(file, set), "the JSON Schema refuses it").to.equal(programRefuses(file, set));
        });
    }
});

describe("stack file JSON Schema defaults", () => {
    /** Where the reader puts each section in the typed config. */
    const SECTIONS: { [key: string]: (config: any) => any } = {
        "homelab-sso:secrets": (c) => c.secrets,
        "homelab-sso:authentik": (c) => c.authentik,
        "homelab-sso:oidc": (c) => c.oidc,
        "homelab-sso:argocd": (c) => c.deployments.argocd,
        "homelab-sso:grafana": (c) => c.deployments.grafana,
        "homelab-sso:bootstrap": (c) => c.deployments.bootstrap,
        "homelab-sso:services": (c) => ({ g: c.services[0] }),
        "homelab-sso:bookmarks": (c) => c.bookmarks,
    };

    it("are the defaults the readers apply", () => {
        const config = parseStackConfig({
            "homelab-sso:publicHost": "sso.example.net",
            "homelab-sso:secrets": { source: "pulumi" },
            "homelab-sso:services": {
                g: { name: "G", group: "x", publicUrl: "https://g.example.net", callbackPath: "/cb" },
                argocd: { name: "A", group: "x", publicUrl: "https://a.example.net", callbackPath: "/api/dex/callback" },
                grafana: { name: "Gr", group: "x", publicUrl: "https://gr.example.net", callbackPath: "/login/generic_oauth" },
            },
            "homelab-sso:bookmarks": [{ slug: "b", name: "B", group: "x", launchUrl: "https://b.example.net" }],
            "homelab-sso:argocd": {},
            "homelab-sso:grafana": {},
            "homelab-sso:bootstrap": { clusterSecretStore: {}, appOfApps: { repoUrl: "https://github.com/o/r" } },
        });
        const checked: string[] = [];
        const visit = (node: SchemaNode, value: any, at: string) => {
            // A list of objects is given with one item here (its items' defaults are compared).
            if (node.default !== undefined && !(node.type === "array" && node.items?.properties)) {
                expect(value, at).to.deep.equal(node.default);
                checked.push(at);
            }
            if (node.properties && value !== undefined && node.type === "object") {
                for (const [name, inner] of Object.entries(node.properties)) {
                    visit(inner, value?.[name], `${at}.${name}`);
                }
            } else if (typeof node.additionalProperties === "object" && node.additionalProperties.properties && value !== undefined) {
                visit(node.additionalProperties, value.g, `${at}.g`);
            } else if (node.type === "array" && node.items?.properties && Array.isArray(value)) {
                visit(node.items, value[0], `${at}[0]`);
            }
        };
        for (const [key, section] of Object.entries(SECTIONS)) {
            visit(configProperties()[key], section(config), key);
        }
        // Every default the schema states was compared (nothing skipped silently).
        expect(checked.length).to.be.greaterThan(30);
    });

    it("lists a key without a description by its allowed values alone, and a map without x-key-name as <key>", () => {
        const rows = referenceRows({
            port: { type: "integer", minimum: 30000, maximum: 32767 },
            labels: { type: "object", description: "Labels.", additionalProperties: { type: "object", properties: { value: { type: "string", description: "The value.", default: "x" } } } },
            names: { type: "object", description: "Names.", "x-key-name": "<name>", additionalProperties: { type: "object", properties: { on: { type: "boolean", default: true } } } },
        });
        expect(rows).to.deep.equal([
            { key: "port", defaultValue: "none", meaning: "Integer 30000-32767." },
            { key: "labels", defaultValue: "none", meaning: "Labels." },
            { key: "labels.<key>.value", defaultValue: "`x`", meaning: "The value." },
            { key: "names", defaultValue: "none", meaning: "Names." },
            { key: "names.<name>.on", defaultValue: "`true`", meaning: "" },
        ]);
    });
});

/** The README's configuration table as the schema describes it: ranges, expansion and escaping. */
const rowsOf = (properties: { [key: string]: SchemaNode }) => referenceRows(properties).map((row) => [row.key, row.meaning]);

describe("configuration reference (stacks/schema)", () => {
    it("states an integer range only when both bounds are known, after the allowed values", () => {
        expect(
            rowsOf({
                both: { type: "integer", description: "A port.", minimum: 1, maximum: 2 },
                lower: { type: "integer", description: "At least one.", minimum: 1 },
                upper: { type: "integer", description: "At most two.", maximum: 2 },
                choice: { type: "integer", description: "A choice.", enum: [1, 2], minimum: 1, maximum: 2 },
            }),
        ).to.deep.equal([
            ["both", "A port. Integer 1-2."],
            ["lower", "At least one."],
            ["upper", "At most two."],
            ["choice", "A choice. One of `1`, `2`. Integer 1-2."],
        ]);
    });

    it("lists the keys of a closed object, and neither an open object's examples nor a free-form map's values", () => {
        expect(
            rowsOf({
                closed: { type: "object", description: "Closed.", properties: { a: { type: "string", description: "A." } }, additionalProperties: false },
                open: { type: "object", description: "Open.", properties: { b: { type: "string", description: "B." } }, additionalProperties: true },
                map: { type: "object", description: "Free-form.", additionalProperties: { type: "string" } },
            }).map(([key]) => key),
        ).to.deep.equal(["closed", "closed.a", "open", "map"]);
    });

    it("escapes a pipe in a cell, so the Markdown table keeps its columns", () => {
        expect(referenceTable([{ key: "a", defaultValue: "x|y", meaning: "one | two" }]).split("\n")[2]).to.equal("| `a` | x\\|y | one \\| two |");
    });
});
