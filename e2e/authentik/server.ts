/**
 * A stateful stand-in for Authentik's API on loopback, for the endpoints the Terraform provider
 * (goauthentik/terraform-provider-authentik v2025.12.1, `pkg/provider`) calls for what this program
 * uses: configure (`GET /root/config/`), OAuth2 providers, applications and policy bindings (create,
 * read, update, delete), and the lookups of flows, certificate key pairs, scope mappings and groups.
 *
 * - Routes and bodies come from Authentik's published API description (`models.ts`): a body is
 *   judged against the operation's request model as DRF would (400 with field errors); a field the
 *   model does not have, a query parameter the operation does not declare, or an endpoint this double
 *   does not serve is recorded in `violations()` (the e2e fails on any), and answered 400 as well when
 *   `rejectUnknownFields` is set.
 * - Relations are checked like DRF's PrimaryKeyRelatedField (`Invalid pk "..." - object does not
 *   exist.`), uniqueness like the models' unique fields, and deletes cascade like Authentik's models
 *   (an application's provider is SET_NULL; its policy bindings go with it).
 * - It starts with what a fresh Authentik has (`seed.ts`).
 * - HTTP or HTTPS; HTTPS with a CA made at start (`caPem`), for 127.0.0.1 and localhost.
 * - Token auth: `Authorization: Bearer <token>`, 403 otherwise, as Authentik's API answers.
 */
import { randomBytes, randomUUID } from "crypto";
import * as http from "http";
import * as https from "https";
import { AddressInfo } from "net";
import { loopbackTls } from "../../test/support/loopbackTls";
import { apiDescription, FieldErrors, judgeRequest, matchOperation } from "./models";
import { group, seedFreshAuthentik, SeededKeyPair, Stored } from "./seed";

export interface AuthentikDoubleOptions {
    /** Serve HTTPS with a CA made at start (its PEM is `caPem`). Default HTTP. */
    https?: boolean;
    /** The API token clients must send as `Authorization: Bearer <token>`. */
    token: string;
    /** Also answer 400 to a body with fields the model does not have (they are recorded either way). */
    rejectUnknownFields?: boolean;
    /** Groups beyond a fresh Authentik's, as an administrator would have made them (the access groups services name). */
    groups?: string[];
}

export interface Violation {
    kind: "unknown-field" | "unknown-query-parameter" | "unserved-endpoint" | "unserved-query-parameter";
    method: string;
    path: string;
    /** The field, parameter or operation concerned. */
    detail: string;
}

/** Every object the double holds, as the API would answer for it. */
export interface AuthentikState {
    providers: Stored[];
    applications: Stored[];
    policyBindings: Stored[];
    flows: Stored[];
    certificateKeyPairs: Stored[];
    scopeMappings: Stored[];
    groups: Stored[];
}

export interface AuthentikDouble {
    /** Base URL (no `/api/v3`), e.g. `https://127.0.0.1:41234`: what the provider's `url` takes. */
    url: string;
    /** The CA that signed the HTTPS certificate (HTTPS only). */
    caPem?: string;
    stop(): Promise<void>;
    state(): AuthentikState;
    violations(): Violation[];
}

type Collection = "providers" | "applications" | "policyBindings" | "flows" | "certificateKeyPairs" | "scopeMappings" | "groups";

/** Where each served path lives, what identifies an object in its detail URL, and whether it can be written. */
interface CollectionRoute {
    collection: Collection;
    list: string;
    detail: string;
    /** The field the detail URL's parameter matches. */
    lookup: string;
    writable: boolean;
    /** Field → the collection its pk (or pks) must be in. */
    relations: { [field: string]: Collection | "targets" | "none" };
    /** Fields unique across the collection (`provider` as Application's OneToOneField). */
    unique: string[];
    /** Supported list filters: query parameter → how an object matches. */
    filters: { [param: string]: (object: Stored, values: string[]) => boolean };
}

const byField = (field: string) => (object: Stored, values: string[]) => values.includes(String(object[field]));

const ROUTES: CollectionRoute[] = [
    {
        collection: "providers",
        list: "/providers/oauth2/",
        detail: "/providers/oauth2/{id}/",
        lookup: "pk",
        writable: true,
        relations: {
            authorization_flow: "flows",
            authentication_flow: "flows",
            invalidation_flow: "flows",
            signing_key: "certificateKeyPairs",
            encryption_key: "certificateKeyPairs",
            property_mappings: "scopeMappings",
            jwt_federation_sources: "none",
            jwt_federation_providers: "providers",
        },
        unique: ["name"],
        filters: { name: byField("name"), client_id: byField("client_id") },
    },
    {
        collection: "applications",
        list: "/core/applications/",
        detail: "/core/applications/{slug}/",
        lookup: "slug",
        writable: true,
        relations: { provider: "providers", backchannel_providers: "providers" },
        unique: ["slug", "provider"],
        filters: { name: byField("name"), slug: byField("slug"), group: byField("group") },
    },
    {
        collection: "policyBindings",
        list: "/policies/bindings/",
        detail: "/policies/bindings/{policy_binding_uuid}/",
        lookup: "pk",
        writable: true,
        // No policies or users exist in the double: any pk given for them does not exist.
        relations: { group: "groups", target: "targets", policy: "none", user: "none" },
        unique: [],
        filters: { target: byField("target") },
    },
    {
        collection: "flows",
        list: "/flows/instances/",
        detail: "/flows/instances/{slug}/",
        lookup: "slug",
        writable: false,
        relations: {},
        unique: [],
        filters: { slug: byField("slug"), designation: byField("designation"), name: byField("name") },
    },
    {
        collection: "certificateKeyPairs",
        list: "/crypto/certificatekeypairs/",
        detail: "/crypto/certificatekeypairs/{kp_uuid}/",
        lookup: "pk",
        writable: false,
        relations: {},
        unique: [],
        filters: { name: byField("name"), managed: byField("managed"), include_details: () => true },
    },
    {
        collection: "scopeMappings",
        list: "/propertymappings/provider/scope/",
        detail: "/propertymappings/provider/scope/{pm_uuid}/",
        lookup: "pk",
        writable: false,
        relations: {},
        unique: [],
        filters: { managed: byField("managed"), name: byField("name"), scope_name: byField("scope_name") },
    },
    {
        collection: "groups",
        list: "/core/groups/",
        detail: "/core/groups/{group_uuid}/",
        lookup: "pk",
        writable: false,
        relations: {},
        unique: [],
        // include_users only shapes the answer (`users_obj`).
        filters: { name: byField("name"), include_users: () => true },
    },
];

/** Query parameters every list takes. */
const PAGING = ["page", "page_size"];

const UNIQUE_MESSAGE: { [collection: string]: string } = { providers: "Provider", applications: "Application" };

class DrfError extends Error {
    constructor(
        public readonly status: number,
        public readonly body: unknown,
    ) {
        super(JSON.stringify(body));
    }
}

/** Authentik's defaults for fields a create leaves out (`authentik/providers/oauth2/models.py`, `authentik/core/models.py`, `authentik/policies/models.py`). */
function defaultsFor(collection: Collection): Stored {
    switch (collection) {
        case "providers":
            return {
                authentication_flow: null,
                property_mappings: [],
                client_type: "confidential",
                client_id: randomBytes(20).toString("hex"),
                client_secret: randomBytes(64).toString("hex"),
                access_code_validity: "minutes=1",
                access_token_validity: "hours=1",
                refresh_token_validity: "days=30",
                refresh_token_threshold: "seconds=0",
                include_claims_in_id_token: true,
                signing_key: null,
                encryption_key: null,
                logout_uri: "",
                logout_method: "backchannel",
                sub_mode: "hashed_user_id",
                issuer_mode: "per_provider",
                jwt_federation_sources: [],
                jwt_federation_providers: [],
            };
        case "applications":
            return {
                provider: null,
                backchannel_providers: [],
                open_in_new_tab: false,
                meta_launch_url: "",
                meta_icon: "",
                meta_description: "",
                meta_publisher: "",
                policy_engine_mode: "any",
                group: "",
            };
        case "policyBindings":
            return { policy: null, group: null, user: null, negate: false, enabled: true, timeout: 30, failure_result: false };
        default:
            return {};
    }
}

export async function startAuthentikDouble(options: AuthentikDoubleOptions): Promise<AuthentikDouble> {
    const api = apiDescription();
    const seed = await seedFreshAuthentik();
    const keyPairs: { [pk: string]: SeededKeyPair } = Object.fromEntries(seed.keyPairs.map((pair) => [pair.object.pk as string, pair]));
    const store: { [C in Collection]: Stored[] } = {
        providers: [],
        applications: [],
        policyBindings: [],
        flows: seed.flows,
        certificateKeyPairs: seed.keyPairs.map((pair) => pair.object),
        scopeMappings: seed.scopeMappings,
        groups: [...seed.groups, ...(options.groups ?? []).map((name, i) => group(name, seed.groups.length + i + 1))],
    };
    let nextProviderPk = 1;
    const violations: Violation[] = [];
    const tls = options.https ? await loopbackTls("homelab-sso e2e Authentik double CA", 7 * 24) : undefined;

    const pks = (collection: Collection | "targets"): Set<unknown> => {
        if (collection === "targets") return new Set([...store.applications, ...store.flows].map((o) => o.pk));
        return new Set(store[collection].map((o) => o.pk));
    };

    const renderProvider = (provider: Stored): Stored => {
        const application = store.applications.find((a) => a.provider === provider.pk);
        return {
            ...provider,
            component: "ak-provider-oauth2-form",
            assigned_application_slug: application?.slug ?? "",
            assigned_application_name: application?.name ?? "",
            assigned_backchannel_application_slug: "",
            assigned_backchannel_application_name: "",
            verbose_name: "OAuth2/OpenID Provider",
            verbose_name_plural: "OAuth2/OpenID Providers",
            meta_model_name: "authentik_providers_oauth2.oauth2provider",
        };
    };
    const providerBase = (provider: Stored): Stored => {
        const full = renderProvider(provider);
        // Provider (the base serializer) has the common fields only.
        const base = Object.keys(api.schemas.Provider.properties ?? {});
        return Object.fromEntries(base.filter((key) => key in full).map((key) => [key, full[key]]));
    };
    const partialGroup = (pk: unknown): Stored | null => {
        const group = store.groups.find((g) => g.pk === pk);
        return group === undefined ? null : { pk: group.pk, num_pk: group.num_pk, name: group.name, is_superuser: group.is_superuser, attributes: group.attributes };
    };

    const render = (collection: Collection, object: Stored, query: URLSearchParams): Stored => {
        switch (collection) {
            case "providers":
                return renderProvider(object);
            case "applications": {
                const provider = store.providers.find((p) => p.pk === object.provider);
                return {
                    ...object,
                    provider_obj: provider === undefined ? null : providerBase(provider),
                    backchannel_providers_obj: [],
                    launch_url: object.meta_launch_url === "" ? null : object.meta_launch_url,
                    meta_icon_url: null,
                };
            }
            case "policyBindings":
                return { ...object, policy_obj: null, group_obj: object.group === null ? null : partialGroup(object.group), user_obj: null };
            case "groups":
                return { ...object, users_obj: query.get("include_users") === "false" ? null : [] };
            default:
                return object;
        }
    };

    const judgeRelations = (route: CollectionRoute, body: Stored, self: Stored | undefined): FieldErrors => {
        const errors: FieldErrors = {};
        for (const [field, target] of Object.entries(route.relations)) {
            if (!(field in body) || body[field] === null) continue;
            const known = target === "none" ? new Set() : pks(target);
            const values = Array.isArray(body[field]) ? (body[field] as unknown[]) : [body[field]];
            const missing = values.find((value) => !known.has(value));
            if (missing !== undefined) errors[field] = [`Invalid pk "${String(missing)}" - object does not exist.`];
        }
        for (const field of route.unique) {
            if (!(field in body) || body[field] === null) continue;
            const taken = store[route.collection].some((other) => other !== self && other[field] === body[field]);
            if (taken) errors[field] = [`${UNIQUE_MESSAGE[route.collection]} with this ${field} already exists.`];
        }
        return errors;
    };

    const list = (route: CollectionRoute, query: URLSearchParams): unknown => {
        let objects = store[route.collection];
        for (const [param, matches] of Object.entries(route.filters)) {
            const values = query.getAll(param);
            if (values.length > 0) objects = objects.filter((object) => matches(object, values));
        }
        const pageSize = Math.max(1, Number(query.get("page_size") ?? 100) || 100);
        const totalPages = Math.max(1, Math.ceil(objects.length / pageSize));
        const page = Number(query.get("page") ?? 1) || 1;
        if (page < 1 || page > totalPages) throw new DrfError(404, { detail: "Invalid page." });
        const results = objects.slice((page - 1) * pageSize, page * pageSize);
        return {
            pagination: {
                next: page < totalPages ? page + 1 : 0,
                previous: page > 1 ? page - 1 : 0,
                count: objects.length,
                current: page,
                total_pages: totalPages,
                start_index: results.length === 0 ? 0 : (page - 1) * pageSize + 1,
                end_index: (page - 1) * pageSize + results.length,
            },
            results: results.map((object) => render(route.collection, object, query)),
            autocomplete: {},
        };
    };

    const handle = (method: string, apiPath: string, query: URLSearchParams, body: unknown): { status: number; body?: unknown } => {
        if (method === "GET" && apiPath === "/root/config/") {
            // Error reporting off: the provider then sets up no Sentry transport (pkg/provider/provider.go).
            return {
                status: 200,
                body: {
                    error_reporting: { enabled: false, sentry_dsn: "", environment: "", send_pii: false, traces_sample_rate: 0 },
                    capabilities: [],
                    cache_timeout: 300,
                    cache_timeout_flows: 300,
                    cache_timeout_policies: 300,
                },
            };
        }
        const operation = matchOperation(api, method, apiPath);
        const route = ROUTES.find((r) => r.list === operation?.template || r.detail === operation?.template);
        const keyPairView = /^\/crypto\/certificatekeypairs\/\{kp_uuid\}\/view_(certificate|private_key)\/$/.exec(operation?.template ?? "");
        if (operation === undefined || (route === undefined && keyPairView === null) || (route !== undefined && method !== "GET" && !route.writable)) {
            violations.push({ kind: "unserved-endpoint", method, path: apiPath, detail: operation?.operation.operationId ?? "not in the API description" });
            throw new DrfError(operation === undefined ? 404 : 405, { detail: `the Authentik double does not serve ${method} ${apiPath}` });
        }
        for (const param of new Set(query.keys())) {
            if (!operation.queryParams.includes(param)) {
                violations.push({ kind: "unknown-query-parameter", method, path: apiPath, detail: param });
            } else if (route !== undefined && operation.template === route.list && method === "GET" && !(param in route.filters) && !PAGING.includes(param)) {
                violations.push({ kind: "unserved-query-parameter", method, path: apiPath, detail: param });
            }
        }
        if (keyPairView !== null) {
            const pair = keyPairs[operation.pathParams.kp_uuid];
            if (pair === undefined) throw new DrfError(404, { detail: "Not found." });
            return { status: 200, body: { data: keyPairView[1] === "certificate" ? pair.certificatePem : pair.privateKeyPem } };
        }
        const at = route as CollectionRoute;
        const objects = store[at.collection];
        if (operation.template === at.list && method === "GET") return { status: 200, body: list(at, query) };

        let current: Stored | undefined;
        if (operation.template === at.detail) {
            const key = Object.values(operation.pathParams)[0];
            current = objects.find((object) => String(object[at.lookup]) === key);
            if (current === undefined) throw new DrfError(404, { detail: "Not found." });
        }
        if (method === "GET") return { status: 200, body: render(at.collection, current as Stored, query) };
        if (method === "DELETE") {
            const target = current as Stored;
            store[at.collection] = objects.filter((object) => object !== target);
            if (at.collection === "providers") for (const app of store.applications) if (app.provider === target.pk) app.provider = null;
            if (at.collection === "applications") store.policyBindings = store.policyBindings.filter((binding) => binding.target !== target.pk);
            return { status: 204 };
        }

        const judgement = judgeRequest(api, operation.requestModel as string, body, method === "PATCH");
        for (const field of judgement.unknownFields) violations.push({ kind: "unknown-field", method, path: apiPath, detail: field });
        if (Object.keys(judgement.errors).length > 0) throw new DrfError(400, judgement.errors);
        if (options.rejectUnknownFields && judgement.unknownFields.length > 0) {
            throw new DrfError(400, Object.fromEntries(judgement.unknownFields.map((field) => [field, ["Authentik has no such field; it would be ignored."]])));
        }
        const fields = body as Stored;
        const relationErrors = judgeRelations(at, fields, current);
        if (Object.keys(relationErrors).length > 0) throw new DrfError(400, relationErrors);
        if (at.collection === "policyBindings") {
            // authentik/policies/api/bindings.py PolicyBindingSerializer.validate: exactly one subject.
            const subjects = ["policy", "group", "user"].filter((field) => Boolean(fields[field])).length;
            if (subjects > 1) throw new DrfError(400, { non_field_errors: ["Only one of 'policy', 'group' or 'user' can be set."] });
            if (subjects < 1) throw new DrfError(400, { non_field_errors: ["One of 'policy', 'group' or 'user' must be set."] });
        }

        if (current === undefined) {
            const pk = at.collection === "providers" ? nextProviderPk++ : randomUUID();
            const created: Stored = { pk, ...defaultsFor(at.collection), ...fields };
            objects.push(created);
            return { status: 201, body: render(at.collection, created, query) };
        }
        Object.assign(current, fields);
        return { status: 200, body: render(at.collection, current, query) };
    };

    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const send = (status: number, payload?: unknown) => {
                if (payload === undefined) res.writeHead(status).end();
                else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
            };
            const url = new URL(req.url ?? "/", "http://double");
            const method = req.method ?? "GET";
            if (!url.pathname.startsWith("/api/v3/")) return send(404, { detail: "Not found." });
            const apiPath = url.pathname.slice("/api/v3".length);
            const authorization = req.headers.authorization;
            // root/config is open to anonymous clients in Authentik; the rest needs the token.
            if (apiPath !== "/root/config/") {
                if (authorization === undefined) return send(403, { detail: "Authentication credentials were not provided." });
                if (authorization !== `Bearer ${options.token}`) return send(403, { detail: "Token invalid/expired" });
            }
            let body: unknown;
            if (chunks.length > 0) {
                try {
                    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
                } catch (error) {
                    return send(400, { detail: `JSON parse error - ${(error as Error).message}` });
                }
            }
            try {
                const answer = handle(method, apiPath, url.searchParams, body);
                send(answer.status, answer.body);
            } catch (error) {
                if (error instanceof DrfError) send(error.status, error.body);
                else send(500, { detail: (error as Error).message });
            }
        });
    };

    const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));
    return {
        url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
        caPem: tls?.caPem,
        stop: () =>
            new Promise<void>((resolve, reject) => {
                server.closeAllConnections();
                server.close((error) => (error ? reject(error) : resolve()));
            }),
        state: () => {
            const none = new URLSearchParams();
            const all = (collection: Collection) => copy(store[collection].map((object) => render(collection, object, none)));
            return {
                providers: all("providers"),
                applications: all("applications"),
                policyBindings: all("policyBindings"),
                flows: all("flows"),
                certificateKeyPairs: all("certificateKeyPairs"),
                scopeMappings: all("scopeMappings"),
                groups: all("groups"),
            };
        },
        violations: () => copy(violations),
    };
}
