/**
 * Authentik's published API description at 2025.12.1 (the OpenAPI `schema.yml` shipped in the pinned
 * npm package `@goauthentik/api`), read to judge request bodies the way Authentik's Django REST
 * Framework serializers do: a missing required field, a null where none is allowed, a wrong type, a
 * value outside an enum or a length limit gives DRF's message under the field's key. Fields the model
 * does not have are collected separately: DRF drops them silently, so a client sending one is sending
 * something Authentik ignores.
 *
 * Pure functions over the parsed schema; the server (`server.ts`) decides what to answer.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The subset of OpenAPI 3.0 schema objects the Authentik schema uses. */
export interface SchemaObject {
    $ref?: string;
    allOf?: SchemaObject[];
    type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
    properties?: { [name: string]: SchemaObject };
    required?: string[];
    additionalProperties?: boolean | SchemaObject;
    items?: SchemaObject;
    enum?: unknown[];
    nullable?: boolean;
    readOnly?: boolean;
    format?: string;
    minLength?: number;
    maxLength?: number;
    pattern?: string;
    minimum?: number;
    maximum?: number;
}

interface Operation {
    operationId: string;
    parameters?: { in: string; name: string; $ref?: string }[];
    requestBody?: { content: { [type: string]: { schema: SchemaObject } } };
    responses: { [status: string]: { content?: { [type: string]: { schema: SchemaObject } } } };
}

export interface ApiDescription {
    version: string;
    schemas: { [name: string]: SchemaObject };
    paths: { [template: string]: { [method: string]: Operation } };
    parameters: { [name: string]: { in: string; name: string } };
}

/** DRF's error body: field → messages, nested per field for nested serializers and list items. */
export type FieldErrors = { [field: string]: unknown };

export interface Judgement {
    /** DRF-style errors; empty when the body is valid. */
    errors: FieldErrors;
    /** Dotted paths of fields the model does not have (`redirect_uris[0].foo`). */
    unknownFields: string[];
}

let loaded: ApiDescription | undefined;

/** The API description of the installed `@goauthentik/api` package (parsed once; ~1.6 MB of YAML). */
export function apiDescription(): ApiDescription {
    if (loaded === undefined) {
        const packageDir = path.dirname(require.resolve("@goauthentik/api/package.json"));
        const doc = parse(fs.readFileSync(path.join(packageDir, "schema.yml"), "utf8"), { maxAliasCount: -1 });
        loaded = { version: doc.info.version, schemas: doc.components.schemas, paths: doc.paths, parameters: doc.components.parameters ?? {} };
    }
    return loaded;
}

/** Follows `$ref` and the single-`allOf` wrapper DRF-spectacular puts around enum references. */
export function resolveSchema(api: ApiDescription, schema: SchemaObject): SchemaObject {
    let current = schema;
    for (;;) {
        if (current.$ref !== undefined) {
            const name = current.$ref.replace("#/components/schemas/", "");
            const target = api.schemas[name];
            if (target === undefined) throw new Error(`schema ${name} is not in the API description`);
            current = { ...target, nullable: current.nullable || target.nullable };
        } else if (current.allOf !== undefined && current.allOf.length === 1) {
            const { allOf, ...rest } = current;
            current = { ...allOf[0], nullable: rest.nullable };
        } else {
            return current;
        }
    }
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
// DRF's URLField is stricter, but Authentik's launch URLs (`blank://blank`) pass its own
// DomainlessFormattedURLValidator: a scheme and something after it is what both accept.
const URI = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

function typeName(value: unknown): string {
    if (value === null) return "NoneType";
    if (Array.isArray(value)) return "list";
    if (typeof value === "string") return "str";
    if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
    if (typeof value === "boolean") return "bool";
    return "dict";
}

/** DRF's messages for one value against one (resolved) schema; `undefined` when it is valid. */
function judgeValue(api: ApiDescription, raw: SchemaObject, value: unknown, at: string, unknown: string[]): unknown {
    const schema = resolveSchema(api, raw);
    if (value === null) return schema.nullable ? undefined : ["This field may not be null."];
    if (schema.enum !== undefined) {
        return schema.enum.includes(value) ? undefined : [`"${String(value)}" is not a valid choice.`];
    }
    switch (schema.type) {
        case "string": {
            if (typeof value !== "string") return ["Not a valid string."];
            if (value === "" && (schema.minLength ?? 0) >= 1) return ["This field may not be blank."];
            if (schema.maxLength !== undefined && value.length > schema.maxLength) return [`Ensure this field has no more than ${schema.maxLength} characters.`];
            if (schema.minLength !== undefined && schema.minLength > 1 && value.length < schema.minLength) return [`Ensure this field has at least ${schema.minLength} characters.`];
            if (schema.format === "uuid" && !UUID.test(value)) return ["Must be a valid UUID."];
            if (schema.format === "uri" && value !== "" && !URI.test(value)) return ["Enter a valid URL."];
            if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
                return schema.pattern === "^[-a-zA-Z0-9_]+$"
                    ? ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.']
                    : ["This value does not match the required pattern."];
            }
            return undefined;
        }
        case "integer":
        case "number": {
            if (typeof value !== "number" || (schema.type === "integer" && !Number.isInteger(value))) {
                return [schema.type === "integer" ? "A valid integer is required." : "A valid number is required."];
            }
            if (schema.maximum !== undefined && value > schema.maximum) return [`Ensure this value is less than or equal to ${schema.maximum}.`];
            if (schema.minimum !== undefined && value < schema.minimum) return [`Ensure this value is greater than or equal to ${schema.minimum}.`];
            return undefined;
        }
        case "boolean":
            return typeof value === "boolean" ? undefined : ["Must be a valid boolean."];
        case "array": {
            if (!Array.isArray(value)) return [`Expected a list of items but got type "${typeName(value)}".`];
            const itemErrors = value.map((item, index) => judgeValue(api, schema.items ?? {}, item, `${at}[${index}]`, unknown));
            if (itemErrors.every((e) => e === undefined)) return undefined;
            // DRF: a list of nested serializers answers one entry per item ({} when fine); a list of
            // plain values answers by index.
            const nested = resolveSchema(api, schema.items ?? {}).type === "object";
            if (nested) return itemErrors.map((e) => e ?? {});
            return Object.fromEntries(itemErrors.flatMap((e, index) => (e === undefined ? [] : [[String(index), e]])));
        }
        case "object": {
            if (typeof value !== "object" || Array.isArray(value)) {
                return schema.properties ? { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(value)}.`] } : ["Expected a dictionary of items but got type \"" + typeName(value) + '".'];
            }
            if (schema.properties === undefined) return undefined; // free-form (`attributes`)
            const errors = judgeObject(api, schema, value as { [k: string]: unknown }, at, unknown, false);
            return Object.keys(errors).length === 0 ? undefined : errors;
        }
        default:
            return undefined; // `{}`: any value
    }
}

function judgeObject(api: ApiDescription, schema: SchemaObject, body: { [k: string]: unknown }, at: string, unknown: string[], partial: boolean): FieldErrors {
    const errors: FieldErrors = {};
    const properties = schema.properties ?? {};
    for (const field of partial ? [] : (schema.required ?? [])) {
        if (!(field in body)) errors[field] = ["This field is required."];
    }
    for (const [field, value] of Object.entries(body)) {
        const property = properties[field];
        const where = at === "" ? field : `${at}.${field}`;
        if (property === undefined || property.readOnly) {
            unknown.push(where);
            continue;
        }
        const error = judgeValue(api, property, value, where, unknown);
        if (error !== undefined) errors[field] = error;
    }
    return errors;
}

/**
 * Judges a request body against the named request model (`OAuth2ProviderRequest`, ...) as DRF
 * would: `partial` for PATCH, where required fields may be left out.
 */
export function judgeRequest(api: ApiDescription, modelName: string, body: unknown, partial = false): Judgement {
    const schema = api.schemas[modelName];
    if (schema === undefined) throw new Error(`model ${modelName} is not in the API description ${api.version}`);
    const unknownFields: string[] = [];
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
        return { errors: { non_field_errors: [`Invalid data. Expected a dictionary, but got ${typeName(body)}.`] }, unknownFields };
    }
    return { errors: judgeObject(api, schema, body as { [k: string]: unknown }, "", unknownFields, partial), unknownFields };
}

/**
 * What a response model requires and what the double answered instead: missing required fields and
 * wrong types, as dotted paths. Read-only fields count here (they are what the server fills in). Used
 * by the tests to hold the double's answers to the published response models.
 */
export function responseProblems(api: ApiDescription, modelName: string, body: unknown): string[] {
    const problems: string[] = [];
    const walk = (raw: SchemaObject, value: unknown, at: string): void => {
        const schema = resolveSchema(api, raw);
        if (value === null) {
            if (!schema.nullable) problems.push(`${at}: null where ${schema.type ?? "a value"} is required`);
            return;
        }
        if (schema.enum !== undefined) {
            if (!schema.enum.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`);
            return;
        }
        const kind = Array.isArray(value) ? "array" : typeof value;
        const expected = schema.type === "integer" ? "number" : schema.type;
        if (expected !== undefined && kind !== expected) {
            problems.push(`${at}: ${kind} where ${schema.type} is required`);
            return;
        }
        if (schema.type === "array") (value as unknown[]).forEach((item, index) => walk(schema.items ?? {}, item, `${at}[${index}]`));
        if (schema.type === "object" && schema.properties !== undefined) {
            const object = value as { [k: string]: unknown };
            for (const field of schema.required ?? []) if (!(field in object)) problems.push(`${at}.${field}: missing`);
            for (const [field, fieldValue] of Object.entries(object)) {
                const property = schema.properties[field];
                if (property === undefined) problems.push(`${at}.${field}: not in ${modelName}`);
                else walk(property, fieldValue, `${at}.${field}`);
            }
        }
    };
    walk({ $ref: `#/components/schemas/${modelName}` }, body, modelName);
    return problems;
}

export interface MatchedOperation {
    template: string;
    operation: Operation;
    pathParams: { [name: string]: string };
    /** The request model's name, for methods with a body. */
    requestModel?: string;
    /** The success response's model name. */
    responseModel?: string;
    /** Names of the query parameters the operation declares. */
    queryParams: string[];
}

function refName(schema: SchemaObject | undefined): string | undefined {
    return schema?.$ref?.replace("#/components/schemas/", "");
}

/** The operation the API description declares for `method` on `apiPath` (relative to `/api/v3`). */
export function matchOperation(api: ApiDescription, method: string, apiPath: string): MatchedOperation | undefined {
    for (const [template, operations] of Object.entries(api.paths)) {
        const operation = operations[method.toLowerCase()];
        if (operation === undefined) continue;
        const names: string[] = [];
        const pattern = new RegExp("^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, name: string) => (names.push(name), "([^/]+)")) + "$");
        const match = pattern.exec(apiPath);
        if (match === null) continue;
        const pathParams = Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1])]));
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith("2"))?.[1];
        const queryParams = (operation.parameters ?? [])
            .map((p) => (p.$ref !== undefined ? api.parameters[p.$ref.replace("#/components/parameters/", "")] : p))
            .filter((p) => p !== undefined && p.in === "query")
            .map((p) => p.name);
        return {
            template,
            operation,
            pathParams,
            requestModel: refName(operation.requestBody?.content["application/json"]?.schema),
            responseModel: refName(success?.content?.["application/json"]?.schema),
            queryParams,
        };
    }
    return undefined;
}
