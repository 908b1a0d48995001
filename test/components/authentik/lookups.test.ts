import { expect } from "chai";
import { Evaluation, RecordedInvoke } from "../../../scripts/lib/mockRuntime";
import { WITHOUT_DEPLOYMENTS, generatedServices, withGeneratedServices } from "../../support/services";
import { committedStack, evaluateStack, resourcesOfType } from "../../support/stacks";

const GET_FLOW = "authentik:index/getFlow:getFlow";
const GET_KEY_PAIR = "authentik:index/getCertificateKeyPair:getCertificateKeyPair";
const GET_SCOPES = "authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope";
const GET_GROUP = "authentik:index/getGroup:getGroup";
const POLICY_BINDING = "authentik:index/policyBinding:PolicyBinding";

const SHARED_LOOKUPS = [
    { token: GET_FLOW, inputs: { slug: "default-provider-authorization-implicit-consent" } },
    { token: GET_FLOW, inputs: { slug: "default-provider-invalidation-flow" } },
    { token: GET_KEY_PAIR, inputs: { name: "authentik Self-signed Certificate", fetchKey: false, fetchCertificate: false } },
    {
        token: GET_SCOPES,
        inputs: {
            managedLists: [
                "goauthentik.io/providers/oauth2/scope-openid",
                "goauthentik.io/providers/oauth2/scope-email",
                "goauthentik.io/providers/oauth2/scope-profile",
            ],
        },
    },
];

const withoutProvider = (invokes: RecordedInvoke[]) => invokes.map(({ token, inputs }) => ({ token, inputs }));

describe("shared Authentik lookups", () => {
    let prod: Evaluation;
    let fifty: Evaluation;

    // Evaluates whole stacks (prod with many services): slow on a loaded 2-core machine.
    before(async function () {
        this.timeout(120_000);
        prod = await committedStack("prod");
        fifty = await evaluateStack("prod", { set: withGeneratedServices(50) });
    });

    it("look up both flows, the signing key (without its private key) and the three scope mappings once each in prod", () => {
        expect(withoutProvider(prod.invokes)).to.have.deep.members(SHARED_LOOKUPS);
        expect(prod.invokes).to.have.length(SHARED_LOOKUPS.length);
    });

    it("do not grow with the number of clients: 2 and 50 services make the same invokes", () => {
        // 50 web clients and 16 native ones (every third service).
        expect(resourcesOfType(fifty, "authentik:index/providerOauth2:ProviderOauth2")).to.have.length(66);
        expect(fifty.invokes).to.have.length(prod.invokes.length);
        expect(withoutProvider(fifty.invokes)).to.have.deep.members(withoutProvider(prod.invokes));
    });

    it("use the explicit Authentik provider for every invoke", () => {
        for (const evaluation of [prod, fifty]) {
            const api = resourcesOfType(evaluation, "pulumi:providers:authentik");
            expect(api).to.have.length(1);
            for (const invoke of evaluation.invokes) {
                expect(invoke.provider, invoke.token).to.equal(`${api[0].urn}::${api[0].id}`);
            }
        }
    });

    it("follow homelab-sso:oidc: flow slugs, key name and scopes", async () => {
        const custom = await evaluateStack("prod", {
            set: {
                "homelab-sso:oidc": {
                    authorizationFlow: "explicit-consent",
                    invalidationFlow: "logout-flow",
                    signingKeyName: "homelab RS256",
                    scopes: ["openid", "profile", "offline_access"],
                },
            },
        });
        expect(withoutProvider(custom.invokes)).to.have.deep.members([
            { token: GET_FLOW, inputs: { slug: "explicit-consent" } },
            { token: GET_FLOW, inputs: { slug: "logout-flow" } },
            { token: GET_KEY_PAIR, inputs: { name: "homelab RS256", fetchKey: false, fetchCertificate: false } },
            {
                token: GET_SCOPES,
                inputs: {
                    managedLists: [
                        "goauthentik.io/providers/oauth2/scope-openid",
                        "goauthentik.io/providers/oauth2/scope-profile",
                        "goauthentik.io/providers/oauth2/scope-offline_access",
                    ],
                },
            },
        ]);
        for (const provider of resourcesOfType(custom, "authentik:index/providerOauth2:ProviderOauth2")) {
            expect(provider.inputs).to.include({ authorizationFlow: "<flow explicit-consent>", invalidationFlow: "<flow logout-flow>" });
            expect(provider.inputs.propertyMappings).to.have.length(3);
        }
    });

    it("look up each distinct access group once, in name order, and bind it to each restricted application", async () => {
        const services = generatedServices(50);
        Object.values(services).forEach((service, index) => {
            if (index % 5 !== 0) {
                service.accessGroup = index % 2 === 0 ? "authentik Admins" : "homelab-users";
            }
        });
        const evaluation = await evaluateStack("prod", { set: { ...WITHOUT_DEPLOYMENTS, "homelab-sso:services": services } });
        const groupLookups = evaluation.invokes.filter((i) => i.token === GET_GROUP);
        expect(groupLookups.map((i) => i.inputs)).to.have.deep.members([
            { name: "authentik Admins", includeUsers: false },
            { name: "homelab-users", includeUsers: false },
        ]);
        expect(evaluation.invokes).to.have.length(SHARED_LOOKUPS.length + 2);
        // In name order, whatever the order of the services (the first restricted one is in homelab-users).
        expect(Object.values(services).find((s) => s.accessGroup)?.accessGroup).to.equal("homelab-users");
        expect(groupLookups.map((i) => (i.inputs as { name: string }).name)).to.deep.equal(["authentik Admins", "homelab-users"]);

        // 40 restricted services; the native clients of theirs (every third service) are restricted too.
        const restrictedNatives = Object.entries(services).filter(([, s], index) => index % 5 !== 0 && s.nativeClient !== undefined).length;
        const bindings = resourcesOfType(evaluation, POLICY_BINDING);
        expect(bindings).to.have.length(40 + restrictedNatives);
        for (const binding of bindings) {
            const native = binding.name.endsWith("-native-access");
            const key = binding.name.replace(/^oidc-/, "").replace(/(-native)?-access$/, "");
            const service = services[key];
            const slug = `${(service.slug as string | undefined) ?? key}${native ? "-native" : ""}`;
            expect(binding.inputs, key).to.deep.equal({ target: `<application ${slug} uuid>`, group: `<group ${service.accessGroup}>`, order: 0 });
        }
    });

    it("are not sent during the first preview on an empty cluster (they wait for the Authentik chart and provider), and the preview still succeeds", async () => {
        for (const stack of ["prod", "dev"]) {
            const preview = await evaluateStack(stack, { preview: true, pendingCreates: true });
            expect(preview.invokes, stack).to.deep.equal([]);
            // Grafana's client and ArgoCD's (its Dex's; the CLI logs in through Dex, with no client of its own).
            expect(resourcesOfType(preview, "authentik:index/providerOauth2:ProviderOauth2"), stack).to.have.length(2);
        }
    });
});

/**
 * Authentik returns the scope mappings' UUIDs in its own order; every provider lists them sorted, so a
 * different answer order never shows as a diff in `pulumi preview`.
 */
describe("OAuth2 providers' scope mappings", () => {
    for (const stack of ["prod", "dev"]) {
        it(`${stack}: lists the openid, email and profile mappings sorted, whatever order the lookup answers in`, async () => {
            const providers = (await committedStack(stack)).resources.filter((r) => r.type === "authentik:index/providerOauth2:ProviderOauth2");
            expect(providers).to.not.be.empty;
            for (const provider of providers) {
                // The mock answers in the order asked (openid, email, profile): sorted differs from it.
                expect(provider.inputs.propertyMappings, provider.name).to.deep.equal([
                    "<scope-mapping goauthentik.io/providers/oauth2/scope-email>",
                    "<scope-mapping goauthentik.io/providers/oauth2/scope-openid>",
                    "<scope-mapping goauthentik.io/providers/oauth2/scope-profile>",
                ]);
            }
        });
    }
});
