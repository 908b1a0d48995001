// Tests of e2e/authentik/models.ts: Authentik's published API description read as DRF judges bodies.
import { expect } from "chai";
import { apiDescription, judgeRequest, matchOperation, resolveSchema, responseProblems } from "../../../e2e/authentik/models";

const FLOW = "11111111-1111-4111-8111-111111111111";

describe("e2e Authentik models (e2e/authentik/models.ts)", function () {
    this.timeout(30_000);
    const api = apiDescription();

    it("reads the pinned @goauthentik/api description, version 2025.12.1", () => {
        expect(api.version).to.equal("2025.12.1");
        expect(api.schemas.OAuth2ProviderRequest.required).to.include.members(["name", "authorization_flow", "invalidation_flow", "redirect_uris"]);
    });

    it("resolves $ref and the single-allOf wrapper around enums, keeping nullable", () => {
        const clientType = resolveSchema(api, api.schemas.OAuth2ProviderRequest.properties!.client_type);
        expect(clientType.enum).to.deep.equal(["confidential", "public"]);
        expect(resolveSchema(api, { $ref: "#/components/schemas/ClientTypeEnum", nullable: true }).nullable).to.equal(true);
    });

    it("accepts a complete body and gives DRF's message for each kind of mistake, all at once", () => {
        const valid = { name: "x", authorization_flow: FLOW, invalidation_flow: FLOW, redirect_uris: [] };
        expect(judgeRequest(api, "OAuth2ProviderRequest", valid)).to.deep.equal({ errors: {}, unknownFields: [] });
        const judged = judgeRequest(api, "OAuth2ProviderRequest", {
            name: "",
            authorization_flow: "not-a-uuid",
            invalidation_flow: null,
            client_id: "c".repeat(256),
            access_code_validity: 5,
            property_mappings: "openid",
            jwt_federation_providers: [1, "two"],
            redirect_uris: [{ matching_mode: "strict", url: "https://a.example/cb" }, { matching_mode: "exact", url: "https://b.example/cb" }],
        });
        expect(judged.errors).to.deep.equal({
            name: ["This field may not be blank."],
            authorization_flow: ["Must be a valid UUID."],
            invalidation_flow: ["This field may not be null."],
            client_id: ["Ensure this field has no more than 255 characters."],
            access_code_validity: ["Not a valid string."],
            property_mappings: ['Expected a list of items but got type "str".'],
            jwt_federation_providers: { "1": ["A valid integer is required."] },
            redirect_uris: [{}, { matching_mode: ['"exact" is not a valid choice.'] }],
        });
    });

    it("lets PATCH leave required fields out, but not PUT/POST", () => {
        expect(judgeRequest(api, "ApplicationRequest", { name: "n" }, true).errors).to.deep.equal({});
        expect(judgeRequest(api, "ApplicationRequest", { name: "n" }).errors).to.deep.equal({ slug: ["This field is required."] });
        expect(judgeRequest(api, "ApplicationRequest", []).errors).to.deep.equal({ non_field_errors: ["Invalid data. Expected a dictionary, but got list."] });
    });

    it("accepts Authentik's own launch URLs (blank://blank) and rejects text that is no URL", () => {
        expect(judgeRequest(api, "ApplicationRequest", { name: "n", slug: "s", meta_launch_url: "blank://blank" }).errors).to.deep.equal({});
        expect(judgeRequest(api, "ApplicationRequest", { name: "n", slug: "s", meta_launch_url: "grafana" }).errors).to.deep.equal({ meta_launch_url: ["Enter a valid URL."] });
    });

    it("lists fields the model does not have, read-only ones included, by dotted path", () => {
        const judged = judgeRequest(api, "ApplicationRequest", { name: "n", slug: "s", pk: "x", launch_url: "https://x", colour: 1 });
        expect(judged.errors).to.deep.equal({});
        expect(judged.unknownFields).to.deep.equal(["pk", "launch_url", "colour"]);
    });

    it("finds the operation, its path parameters, models and declared query parameters", () => {
        const detail = matchOperation(api, "PUT", "/providers/oauth2/12/");
        expect(detail).to.include({ template: "/providers/oauth2/{id}/", requestModel: "OAuth2ProviderRequest", responseModel: "OAuth2Provider" });
        expect(detail!.pathParams).to.deep.equal({ id: "12" });
        const list = matchOperation(api, "GET", "/propertymappings/provider/scope/");
        expect(list!.responseModel).to.equal("PaginatedScopeMappingList");
        expect(list!.queryParams).to.include.members(["managed", "page", "page_size"]);
        expect(matchOperation(api, "GET", "/providers/oauth2")).to.equal(undefined);
    });

    it("names what a response lacks or has wrong against the published model", () => {
        expect(responseProblems(api, "CertificateData", { data: "x" })).to.deep.equal([]);
        expect(responseProblems(api, "CertificateData", {})).to.deep.equal(["CertificateData.data: missing"]);
        expect(responseProblems(api, "Pagination", { next: "2", previous: 0, count: 1, current: 1, total_pages: 1, start_index: 1, end_index: 1, extra: 1 })).to.deep.equal([
            "Pagination.next: string where number is required",
            "Pagination.extra: not in Pagination",
        ]);
    });
});
