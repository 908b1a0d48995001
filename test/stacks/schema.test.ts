/**
 * The stack file's JSON Schema (stacks/schema.ts, committed as schema/stack-config.schema.json with
 * the README's generated table): current, in step with the section readers key for key, and
 * satisfied by the committed stack files.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { README, SCHEMA_FILE, readmeText, schemaText } from "../../scripts/config-schema";
import { parseStackConfig } from "../../stacks/config";
import { OUTSIDE_KEYS } from "../../stacks/hygiene";
import { SchemaNode, configProperties, referenceRows, stackFileSchema } from "../../stacks/schema";
import { ROOT, configProblems, frozenStackFile, readStackFile } from "../support/stacks";

/** Validates `value` against the subset of JSON Schema the schema uses; returns the failing paths. */
function validate(node: SchemaNode, value: unknown, at = "$"): string[] {
    const errors: string[] = [];
    const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
    const typeOf = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : Number.isInteger(v) ? "integer" : typeof v);
    if (types.length > 0 && !types.some((t) => t === typeOf(value) || (t === "number" && typeof value === "number"))) {
        return [`${at}: expected ${types.join("|")}, got ${typeOf(value)}`];
    }
    if (node.enum && !node.enum.includes(value as string)) {
        errors.push(`${at}: not one of ${node.enum.join(", ")}`);
    }
    if (typeof value === "string" && node.pattern && !new RegExp(node.pattern, "u").test(value)) {
        errors.push(`${at}: does not match ${node.pattern}`);
    }
    if (typeof value === "number" && ((node.minimum !== undefined && value < node.minimum) || (node.maximum !== undefined && value > node.maximum))) {
        errors.push(`${at}: out of range`);
    }
    if (Array.isArray(value)) {
        if (node.minItems !== undefined && value.length < node.minItems) {
            errors.push(`${at}: fewer than ${node.minItems} items`);
        }
        value.forEach((item, i) => node.items && errors.push(...validate(node.items, item, `${at}[${i}]`)));
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const object = value as { [key: string]: unknown };
        for (const required of node.required ?? []) {
            if (!(required in object)) {
                errors.push(`${at}.${required}: required`);
            }
        }
        for (const [key, inner] of Object.entries(object)) {
            if (node.propertyNames?.pattern && !new RegExp(node.propertyNames.pattern).test(key)) {
                errors.push(`${at}.${key}: key does not match ${node.propertyNames.pattern}`);
            }
            const own = node.properties?.[key];
            const patterns = Object.entries(node.patternProperties ?? {}).filter(([p]) => new RegExp(p).test(key));
            if (own) {
                errors.push(...validate(own, inner, `${at}.${key}`));
            }
            for (const [, schema] of patterns) {
                errors.push(...validate(schema, inner, `${at}.${key}`));
            }
            if (!own && patterns.length === 0) {
                if (node.additionalProperties === false) {
                    errors.push(`${at}.${key}: not allowed`);
                } else if (typeof node.additionalProperties === "object") {
                    errors.push(...validate(node.additionalProperties, inner, `${at}.${key}`));
                }
            }
        }
    }
    return errors;
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
    it("is committed as npm run config-schema writes it, and so is the README's table", () => {
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

    for (const stack of ["prod", "dev"]) {
        it(`validates the committed and frozen Pulumi.${stack}.yaml`, () => {
            for (const file of [path.join(ROOT, `Pulumi.${stack}.yaml`), frozenStackFile(stack)]) {
                expect(validate(stackFileSchema(), parse(fs.readFileSync(file, "utf8"))), file).to.deep.equal([]);
            }
        });
    }

    it("flags what an editor should: unknown keys, wrong types and enums, secrets in plain text", () => {
        const config = { ...readStackFile("prod") } as { [key: string]: any };
        config["homelab-sso:authentik"] = { ...config["homelab-sso:authentik"], nodeport: 1, nodePorts: { http: "30500" } };
        config["homelab-sso:secrets"] = { source: "vault" };
        config["authentik:token"] = "plain";
        config["homelab-ssoo:argocd"] = {};
        expect(validate(stackFileSchema(), { config })).to.have.members([
            "$.config.homelab-sso:authentik.nodeport: not allowed",
            "$.config.homelab-sso:authentik.nodePorts.http: expected integer, got string",
            "$.config.homelab-sso:secrets.source: not one of infisical, pulumi",
            "$.config.authentik:token: expected object, got string",
            "$.config.homelab-ssoo:argocd: not allowed",
        ]);
    });
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
