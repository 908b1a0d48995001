// Tests of e2e/authentik/server.ts (the e2e's Authentik API double). Every answer is held to
// Authentik's published response models (e2e/authentik/models.ts, `responseProblems`).
import { expect } from "chai";
import * as https from "https";
import { apiDescription, responseProblems } from "../../../e2e/authentik/models";
import { AuthentikDouble, startAuthentikDouble } from "../../../e2e/authentik/server";

const TOKEN = "e2e-token";

interface Answer {
    status: number;
    body: any;
}

async function call(double: AuthentikDouble, method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Answer> {
    const headers: { [k: string]: string } = { "content-type": "application/json" };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const url = `${double.url}/api/v3${path}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (double.caPem !== undefined) {
        return new Promise((resolve, reject) => {
            const req = https.request(url, { method, headers, ca: double.caPem }, (res) => {
                let text = "";
                res.on("data", (chunk) => (text += chunk));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text === "" ? undefined : JSON.parse(text) }));
            });
            req.on("error", reject);
            req.end(payload);
        });
    }
    const res = await fetch(url, { method, headers, body: payload });
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
}

/**
 * Where Authentik itself answers null against its schema: a binding without a policy or user
 * (goauthentik/authentik `authentik/policies/api/bindings.py`: the nested `*_obj` serializers are
 * read-only views of a nullable relation).
 */
const AUTHENTIK_OWN_NULLS = ["PolicyBinding.policy_obj: null where object is required", "PolicyBinding.user_obj: null where object is required"];

/** Asserts the answer is what the published model describes, then returns its body. */
function conforms(answer: Answer, status: number, model: string): any {
    expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
    expect(responseProblems(apiDescription(), model, answer.body).filter((p) => !AUTHENTIK_OWN_NULLS.includes(p))).to.deep.equal([]);
    return answer.body;
}

async function lookups(double: AuthentikDouble) {
    const flows = conforms(await call(double, "GET", "/flows/instances/?slug=default-provider-authorization-implicit-consent"), 200, "PaginatedFlowList");
    const invalidation = conforms(await call(double, "GET", "/flows/instances/?slug=default-provider-invalidation-flow"), 200, "PaginatedFlowList");
    const keys = conforms(await call(double, "GET", "/crypto/certificatekeypairs/?name=authentik%20Self-signed%20Certificate"), 200, "PaginatedCertificateKeyPairList");
    const scopes = conforms(
        await call(
            double,
            "GET",
            "/propertymappings/provider/scope/?managed=goauthentik.io%2Fproviders%2Foauth2%2Fscope-email&managed=goauthentik.io%2Fproviders%2Foauth2%2Fscope-openid&managed=goauthentik.io%2Fproviders%2Foauth2%2Fscope-profile",
        ),
        200,
        "PaginatedScopeMappingList",
    );
    return {
        authorizationFlow: flows.results[0].pk as string,
        invalidationFlow: invalidation.results[0].pk as string,
        signingKey: keys.results[0].pk as string,
        scopes: (scopes.results as { pk: string }[]).map((s) => s.pk),
    };
}

function providerBody(ids: Awaited<ReturnType<typeof lookups>>, overrides: { [k: string]: unknown } = {}) {
    return {
        name: "grafana",
        client_id: "grafana",
        client_secret: "s".repeat(64),
        client_type: "confidential",
        issuer_mode: "per_provider",
        authorization_flow: ids.authorizationFlow,
        invalidation_flow: ids.invalidationFlow,
        signing_key: ids.signingKey,
        property_mappings: ids.scopes,
        redirect_uris: [{ matching_mode: "strict", url: "https://grafana.example/login/generic_oauth" }],
        ...overrides,
    };
}

describe("e2e Authentik double (e2e/authentik/server.ts)", function () {
    this.timeout(60_000);
    let double: AuthentikDouble;
    beforeEach(async () => {
        double = await startAuthentikDouble({ token: TOKEN });
    });
    afterEach(async () => {
        await double.stop();
    });

    it("starts with a fresh Authentik's flows, key pair, scope mappings and admins group, under their blueprint names", async () => {
        const state = double.state();
        expect(state.flows.map((f) => f.slug)).to.include.members([
            "default-authentication-flow",
            "default-invalidation-flow",
            "default-provider-authorization-explicit-consent",
            "default-provider-authorization-implicit-consent",
            "default-provider-invalidation-flow",
        ]);
        expect(state.certificateKeyPairs.map((k) => [k.name, k.key_type])).to.deep.equal([["authentik Self-signed Certificate", "rsa"]]);
        expect(state.scopeMappings.map((m) => m.managed)).to.include.members(["openid", "email", "profile"].map((s) => `goauthentik.io/providers/oauth2/scope-${s}`));
        expect(state.groups.map((g) => [g.name, g.is_superuser])).to.deep.equal([["authentik Admins", true]]);
        expect(state.providers).to.deep.equal([]);
        expect(state.applications).to.deep.equal([]);
    });

    it("answers the provider's configure call and every lookup in the published models' shape, filtered as asked", async () => {
        conforms(await call(double, "GET", "/root/config/", undefined, null), 200, "Config");
        const ids = await lookups(double);
        expect(ids.scopes).to.have.length(3);
        const group = conforms(await call(double, "GET", "/core/groups/?include_users=false&name=authentik%20Admins"), 200, "PaginatedGroupList");
        expect(group.results.map((g: { name: string }) => g.name)).to.deep.equal(["authentik Admins"]);
        const none = conforms(await call(double, "GET", "/core/groups/?name=nobody"), 200, "PaginatedGroupList");
        expect(none.results).to.deep.equal([]);
        const cert = conforms(await call(double, "GET", `/crypto/certificatekeypairs/${ids.signingKey}/view_certificate/`), 200, "CertificateData");
        expect(cert.data).to.match(/^-----BEGIN CERTIFICATE-----/);
        expect(double.violations()).to.deep.equal([]);
    });

    it("pages lists as Authentik's pagination says (next page number, 0 on the last)", async () => {
        const first = conforms(await call(double, "GET", "/propertymappings/provider/scope/?page_size=4"), 200, "PaginatedScopeMappingList");
        expect(first.pagination).to.include({ count: 6, current: 1, next: 2, total_pages: 2 });
        const second = conforms(await call(double, "GET", "/propertymappings/provider/scope/?page=2&page_size=4"), 200, "PaginatedScopeMappingList");
        expect(second.pagination).to.include({ next: 0, previous: 1 });
        expect(second.results).to.have.length(2);
    });

    it("creates, reads, updates and deletes an OAuth2 provider, its application and a policy binding", async () => {
        const ids = await lookups(double);
        const created = conforms(await call(double, "POST", "/providers/oauth2/", providerBody(ids)), 201, "OAuth2Provider");
        expect(created.pk).to.equal(1);
        const read = conforms(await call(double, "GET", `/providers/oauth2/${created.pk}/`), 200, "OAuth2Provider");
        expect(read).to.include({ client_id: "grafana", signing_key: ids.signingKey, sub_mode: "hashed_user_id" });
        expect(read.redirect_uris).to.deep.equal([{ matching_mode: "strict", url: "https://grafana.example/login/generic_oauth" }]);

        const app = conforms(
            await call(double, "POST", "/core/applications/", { name: "Grafana", slug: "grafana", provider: created.pk, meta_launch_url: "blank://blank" }),
            201,
            "Application",
        );
        expect(app.provider_obj).to.include({ pk: created.pk, name: "grafana" });
        expect(conforms(await call(double, "GET", `/providers/oauth2/${created.pk}/`), 200, "OAuth2Provider").assigned_application_slug).to.equal("grafana");

        const admins = double.state().groups[0].pk;
        const binding = conforms(await call(double, "POST", "/policies/bindings/", { target: app.pk, group: admins, order: 0 }), 201, "PolicyBinding");
        expect(binding.group_obj).to.include({ name: "authentik Admins" });

        const updated = conforms(await call(double, "PUT", `/providers/oauth2/${created.pk}/`, providerBody(ids, { client_secret: "t".repeat(64) })), 200, "OAuth2Provider");
        expect(updated.client_secret).to.equal("t".repeat(64));
        expect(double.state().providers[0].client_secret).to.equal("t".repeat(64));

        expect((await call(double, "DELETE", `/core/applications/grafana/`)).status).to.equal(204);
        expect(double.state().policyBindings, "bindings go with their application").to.deep.equal([]);
        expect((await call(double, "DELETE", `/providers/oauth2/${created.pk}/`)).status).to.equal(204);
        // A 404 is how the Terraform provider learns a resource is gone (helpers.HTTPToDiag).
        expect((await call(double, "GET", `/providers/oauth2/${created.pk}/`)).status).to.equal(404);
        expect(double.violations()).to.deep.equal([]);
    });

    it("answers 400 with DRF's field errors for missing required fields, wrong types and objects that do not exist", async () => {
        const ids = await lookups(double);
        const { authorization_flow: _dropped, ...missingFlow } = providerBody(ids);
        void _dropped;
        const missing = await call(double, "POST", "/providers/oauth2/", missingFlow);
        expect(missing.status).to.equal(400);
        expect(missing.body).to.deep.equal({ authorization_flow: ["This field is required."] });

        const wrong = await call(double, "POST", "/providers/oauth2/", providerBody(ids, { client_type: "secret", include_claims_in_id_token: "yes", redirect_uris: [{ matching_mode: "strict" }] }));
        expect(wrong.status).to.equal(400);
        expect(wrong.body).to.deep.equal({
            client_type: ['"secret" is not a valid choice.'],
            include_claims_in_id_token: ["Must be a valid boolean."],
            redirect_uris: [{ url: ["This field is required."] }],
        });

        const ghost = "00000000-0000-4000-8000-000000000000";
        const dangling = await call(double, "POST", "/providers/oauth2/", providerBody(ids, { signing_key: ghost }));
        expect(dangling.body).to.deep.equal({ signing_key: [`Invalid pk "${ghost}" - object does not exist.`] });
        expect(double.state().providers, "nothing is created by a rejected request").to.deep.equal([]);

        const noSubject = await call(double, "POST", "/policies/bindings/", { target: double.state().flows[0].pk, order: 0 });
        expect(noSubject.body).to.deep.equal({ non_field_errors: ["One of 'policy', 'group' or 'user' must be set."] });

        const badSlug = await call(double, "POST", "/core/applications/", { name: "x", slug: "no spaces" });
        expect(badSlug.body).to.deep.equal({ slug: ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'] });
    });

    it("holds uniqueness like Authentik's models: one application per slug and per provider", async () => {
        const ids = await lookups(double);
        const provider = (await call(double, "POST", "/providers/oauth2/", providerBody(ids))).body;
        expect((await call(double, "POST", "/core/applications/", { name: "A", slug: "a", provider: provider.pk })).status).to.equal(201);
        const again = await call(double, "POST", "/core/applications/", { name: "B", slug: "a", provider: provider.pk });
        expect(again.status).to.equal(400);
        expect(Object.keys(again.body).sort()).to.deep.equal(["provider", "slug"]);
    });

    it("records a field the model does not have (Authentik would drop it), and rejects it when asked to", async () => {
        const ids = await lookups(double);
        const answer = await call(double, "POST", "/providers/oauth2/", providerBody(ids, { redirect_uris: [{ matching_mode: "strict", url: "https://x.example/cb", regex: false }], pk: 7 }));
        expect(answer.status).to.equal(201);
        expect(double.violations()).to.deep.equal([
            { kind: "unknown-field", method: "POST", path: "/providers/oauth2/", detail: "redirect_uris[0].regex" },
            { kind: "unknown-field", method: "POST", path: "/providers/oauth2/", detail: "pk" },
        ]);
        await double.stop();
        double = await startAuthentikDouble({ token: TOKEN, rejectUnknownFields: true });
        const strictIds = await lookups(double);
        const rejected = await call(double, "POST", "/providers/oauth2/", providerBody(strictIds, { colour: "red" }));
        expect(rejected.status).to.equal(400);
        expect(Object.keys(rejected.body)).to.deep.equal(["colour"]);
    });

    it("records query parameters the operation does not declare or the double does not filter by, and endpoints it does not serve", async () => {
        await call(double, "GET", "/flows/instances/?slug=default-authentication-flow&colour=red&search=x");
        expect((await call(double, "GET", "/core/users/")).status).to.equal(405);
        expect((await call(double, "POST", "/flows/instances/", { name: "x", slug: "x", title: "x", designation: "authorization" })).status).to.equal(405);
        expect((await call(double, "GET", "/providers/oauth2")).status, "no trailing slash").to.equal(404);
        expect(double.violations().map((v) => [v.kind, v.detail])).to.deep.equal([
            ["unknown-query-parameter", "colour"],
            ["unserved-query-parameter", "search"],
            ["unserved-endpoint", "core_users_list"],
            ["unserved-endpoint", "flows_instances_create"],
            ["unserved-endpoint", "not in the API description"],
        ]);
    });

    it("holds the extra groups it is started with beside the admins group, found by name as the provider's getGroup asks", async () => {
        await double.stop();
        double = await startAuthentikDouble({ token: TOKEN, groups: ["homelab-admins", "homelab-users"] });
        expect(double.state().groups.map((g) => [g.name, g.num_pk, g.is_superuser])).to.deep.equal([
            ["authentik Admins", 1, true],
            ["homelab-admins", 2, false],
            ["homelab-users", 3, false],
        ]);
        const found = conforms(await call(double, "GET", "/core/groups/?include_users=false&name=homelab-users"), 200, "PaginatedGroupList");
        expect(found.results.map((g: { name: string }) => g.name)).to.deep.equal(["homelab-users"]);
        expect(double.violations()).to.deep.equal([]);
    });

    it("needs the token: 403 without it or with another", async () => {
        expect((await call(double, "GET", "/core/groups/", undefined, null)).status).to.equal(403);
        expect((await call(double, "GET", "/core/groups/", undefined, "other")).status).to.equal(403);
        expect((await call(double, "GET", "/core/groups/")).status).to.equal(200);
    });

    it("serves HTTPS with a certificate only its CA vouches for", async () => {
        await double.stop();
        double = await startAuthentikDouble({ token: TOKEN, https: true });
        expect(double.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
        expect(double.caPem).to.match(/^-----BEGIN CERTIFICATE-----/);
        conforms(await call(double, "GET", "/core/groups/"), 200, "PaginatedGroupList");
        const untrusted = await fetch(`${double.url}/api/v3/root/config/`).then(
            () => "answered",
            (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
        );
        expect(untrusted).to.match(/self-signed|unable to verify|certificate/i);
    });
});
