import { expect } from "chai";
import * as path from "path";
import { rotationKeepers } from "../../../components/authentik/oidcClient";
import { Evaluation, RecordedResource, SecretValue, evaluateProgram, isSecretEnvelope } from "../../../scripts/lib/mockRuntime";
import { derivedCallbackPaths } from "../../../stacks/deployments";
import { KNOWN_CLIENT_SECRET, generatedServices, mockClientSecret, withGeneratedServices } from "../../support/services";
import { KNOWN_SECRETS, StackOverrides, evaluateStack, plainStrings, readStackFile, resourcesOfType } from "../../support/stacks";

const OIDC_CLIENT = "homelab:authentik:OidcClient";
const PROVIDER_OAUTH2 = "authentik:index/providerOauth2:ProviderOauth2";
const APPLICATION = "authentik:index/application:Application";
const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

/** What the mocks answer for the shared lookups (scripts/lib/mockRuntime.ts). */
const AUTHORIZATION_FLOW = "<flow default-provider-authorization-implicit-consent>";
const INVALIDATION_FLOW = "<flow default-provider-invalidation-flow>";
const SIGNING_KEY = "<certificate-key-pair authentik Self-signed Certificate>";
const SCOPE_MAPPINGS = ["openid", "email", "profile"].map((scope) => `<scope-mapping goauthentik.io/providers/oauth2/scope-${scope}>`);

type NativeEntry = { slug?: string; clientId?: string; name?: string; redirectUris: string[] };
type ServiceEntry = {
    slug?: string;
    clientId?: string;
    publicUrl: string;
    callbackPath?: string;
    extraRedirectUris?: string[];
    name: string;
    group: string;
    issuerMode?: string;
    nativeClient?: NativeEntry;
};

interface Scenario {
    title: string;
    stack: string;
    overrides: StackOverrides;
    /** The service table as written in config, independent of the code under test. */
    services: () => { [key: string]: ServiceEntry };
    /** Services whose secret is given in `homelab-sso:clientSecrets`. */
    keptSecrets: { [key: string]: string };
}

const fileServices = (stack: string) => () => readStackFile(stack)["homelab-sso:services"] as { [key: string]: ServiceEntry };
const SCENARIOS: Scenario[] = [
    { title: "prod", stack: "prod", overrides: {}, services: fileServices("prod"), keptSecrets: {} },
    { title: "dev", stack: "dev", overrides: {}, services: fileServices("dev"), keptSecrets: {} },
    {
        title: "prod with 50 generated services",
        stack: "prod",
        overrides: { set: withGeneratedServices(50) },
        services: () => generatedServices(50) as unknown as { [key: string]: ServiceEntry },
        keptSecrets: {},
    },
    {
        title: "prod keeping grafana's client secret from config",
        stack: "prod",
        overrides: { secrets: { "homelab-sso:clientSecrets": JSON.stringify({ grafana: KNOWN_CLIENT_SECRET }) } },
        services: fileServices("prod"),
        keptSecrets: { grafana: KNOWN_CLIENT_SECRET },
    },
];

function childrenOf(evaluation: Evaluation, parent: RecordedResource, type: string): RecordedResource[] {
    return evaluation.resources.filter((r) => r.parent === parent.urn && r.type === type);
}

function onlyChild(evaluation: Evaluation, parent: RecordedResource, type: string): RecordedResource {
    const children = childrenOf(evaluation, parent, type);
    expect(children, `${parent.name}: children of type ${type}`).to.have.length(1);
    return children[0];
}

function unwrapSecret(value: unknown): unknown {
    expect(isSecretEnvelope(value), "a secret envelope").to.equal(true);
    return (value as { value: unknown }).value;
}

for (const scenario of SCENARIOS) {
    describe(`OidcClient under mocks: ${scenario.title}`, () => {
        let evaluation: Evaluation;
        let services: [string, ServiceEntry][];
        const clientOf = (key: string) => {
            const matches = resourcesOfType(evaluation, OIDC_CLIENT).filter((r) => r.name === `oidc-${key}`);
            expect(matches, `OidcClient oidc-${key}`).to.have.length(1);
            return matches[0];
        };

        // Evaluates a whole stack (up to 50 generated services): slow on a loaded 2-core machine.
        before(async function () {
            this.timeout(120_000);
            evaluation = await evaluateStack(scenario.stack, scenario.overrides);
            services = Object.entries(scenario.services());
        });

        it("creates one OidcClient with one ProviderOauth2 and one Application per service, and nothing else of theirs", () => {
            const natives = services.filter(([, entry]) => entry.nativeClient !== undefined);
            expect(resourcesOfType(evaluation, OIDC_CLIENT).map((r) => r.name)).to.have.members([
                ...services.map(([key]) => `oidc-${key}`),
                ...natives.map(([key]) => `oidc-${key}-native`),
            ]);
            expect(resourcesOfType(evaluation, PROVIDER_OAUTH2)).to.have.length(services.length + natives.length);
            for (const [key, entry] of services) {
                const client = clientOf(key);
                expect(childrenOf(evaluation, client, PROVIDER_OAUTH2).map((r) => r.name)).to.deep.equal([`oidc-${key}-provider`]);
                expect(childrenOf(evaluation, client, APPLICATION).map((r) => r.name)).to.deep.equal([`oidc-${key}-application`]);
                expect(childrenOf(evaluation, client, OIDC_CLIENT).map((r) => r.name)).to.deep.equal(entry.nativeClient ? [`oidc-${key}-native`] : []);
            }
        });

        it("gives each service's native client a public provider: no secret, PKCE redirect URIs only, the same key, flows, scopes and issuer mode, a hidden application", () => {
            for (const [key, entry] of services.filter(([, e]) => e.nativeClient !== undefined)) {
                const native = onlyChild(evaluation, clientOf(key), OIDC_CLIENT);
                const web = onlyChild(evaluation, clientOf(key), PROVIDER_OAUTH2).inputs;
                const inputs = onlyChild(evaluation, native, PROVIDER_OAUTH2).inputs;
                const slug = entry.nativeClient!.slug ?? `${entry.slug ?? key}-native`;
                expect(inputs.name, key).to.equal(slug);
                expect(inputs.clientId, key).to.equal(entry.nativeClient!.clientId ?? slug);
                expect(inputs.clientType, key).to.equal("public");
                expect(inputs, key).to.not.have.property("clientSecret");
                expect(childrenOf(evaluation, native, RANDOM_PASSWORD), key).to.have.length(0);
                expect(inputs.allowedRedirectUris, key).to.deep.equal(entry.nativeClient!.redirectUris.map((url) => ({ matching_mode: "strict", url })));
                for (const field of ["signingKey", "authorizationFlow", "invalidationFlow", "propertyMappings", "issuerMode"]) {
                    expect(inputs[field], `${key} ${field}`).to.deep.equal(web[field]);
                }
                expect(inputs.issuerMode, key).to.equal(entry.issuerMode ?? "per_provider");
                const app = onlyChild(evaluation, native, APPLICATION).inputs;
                expect(app.slug, key).to.equal(slug);
                expect(app.metaLaunchUrl, key).to.equal("blank://blank");
            }
        });

        it("gives every ProviderOauth2 its name, client id, confidential type, signing key, both flows and all three scope mappings", () => {
            for (const [key, entry] of services) {
                const inputs = onlyChild(evaluation, clientOf(key), PROVIDER_OAUTH2).inputs;
                const slug = entry.slug ?? key;
                expect(inputs.name, key).to.equal(slug);
                expect(inputs.clientId, key).to.equal(entry.clientId ?? slug);
                expect(inputs.clientType, key).to.equal("confidential");
                expect(inputs.issuerMode, key).to.equal(entry.issuerMode ?? "per_provider");
                expect(inputs.signingKey, key).to.equal(SIGNING_KEY);
                expect(inputs.authorizationFlow, key).to.equal(AUTHORIZATION_FLOW);
                expect(inputs.invalidationFlow, key).to.equal(INVALIDATION_FLOW);
                expect(inputs.propertyMappings, key).to.have.members(SCOPE_MAPPINGS);
                expect(inputs.propertyMappings, key).to.have.length(3);
            }
        });

        it("allows exactly publicUrl + callbackPath (derived for a deployed service), then the extras, all with strict matching", () => {
            const derived = derivedCallbackPaths(readStackFile(scenario.stack), (name) => `homelab-sso:${name}`);
            for (const [key, entry] of services) {
                const inputs = onlyChild(evaluation, clientOf(key), PROVIDER_OAUTH2).inputs;
                const expected = [entry.publicUrl + (entry.callbackPath ?? derived.get(key)), ...(entry.extraRedirectUris ?? [])].map((url) => ({ matching_mode: "strict", url }));
                expect(inputs.allowedRedirectUris, key).to.deep.equal(expected);
            }
        });

        it("links each Application to its own provider and gives it the service's portal entry", () => {
            for (const [key, entry] of services) {
                const client = clientOf(key);
                const provider = onlyChild(evaluation, client, PROVIDER_OAUTH2);
                const app = onlyChild(evaluation, client, APPLICATION).inputs;
                expect(provider.id, key).to.match(/^\d+$/);
                expect(app.protocolProvider, key).to.equal(Number(provider.id));
                expect(app.slug, key).to.equal(entry.slug ?? key);
                expect(app.name, key).to.equal(entry.name);
                expect(app.group, key).to.equal(entry.group);
                expect(app.metaLaunchUrl, key).to.equal(entry.publicUrl);
                expect(app.metaPublisher, key).to.equal("Homelab");
            }
        });

        it("has unique client ids, slugs, provider names and redirect URIs", () => {
            const providers = resourcesOfType(evaluation, PROVIDER_OAUTH2).map((r) => r.inputs);
            const apps = resourcesOfType(evaluation, APPLICATION).map((r) => r.inputs);
            const unique = (values: unknown[]) => expect(new Set(values).size).to.equal(values.length);
            unique(providers.map((p) => p.clientId));
            unique(providers.map((p) => p.name));
            unique(apps.map((a) => a.slug));
            unique(providers.flatMap((p) => (p.allowedRedirectUris as { url: string }[]).map((u) => u.url)));
        });

        it("hands every ProviderOauth2 its client secret as a secret: generated (64 letters and digits) or kept from config", () => {
            for (const [key] of services) {
                const client = clientOf(key);
                const secret = unwrapSecret(onlyChild(evaluation, client, PROVIDER_OAUTH2).inputs.clientSecret);
                const generators = childrenOf(evaluation, client, RANDOM_PASSWORD);
                if (scenario.keptSecrets[key] !== undefined) {
                    expect(secret, key).to.equal(scenario.keptSecrets[key]);
                    expect(generators, key).to.have.length(0);
                } else {
                    expect(secret, key).to.equal(mockClientSecret(key));
                    expect(generators.map((g) => g.name), key).to.deep.equal([`oidc-${key}-client-secret`]);
                    expect(generators[0].inputs, key).to.deep.equal({ length: 64, special: false });
                }
            }
        });

        it("lets no secret plaintext appear in a plain input, invoke argument or stack output", () => {
            const known = [...Object.values(KNOWN_SECRETS), KNOWN_CLIENT_SECRET];
            const isSecretText = (text: string) => known.some((secret) => text.includes(secret)) || /mock-(secret|bcrypt):/.test(text);
            const plain = [
                ...evaluation.resources.flatMap((r) => plainStrings(r.inputs, `${r.type}::${r.name}`)),
                ...evaluation.invokes.flatMap((i) => plainStrings(i.inputs, i.token)),
                ...plainStrings(evaluation.outputs, "outputs"),
            ];
            expect(plain.filter((s) => isSecretText(s.value)).map((s) => s.path)).to.deep.equal([]);
        });

        it("exports no secret at all: client secrets stay in the program", () => {
            const secrets: string[] = [];
            const walk = (value: unknown, at: string) => {
                if (value instanceof SecretValue) {
                    secrets.push(at);
                } else if (typeof value === "object" && value !== null) {
                    Object.entries(value).forEach(([k, v]) => walk(v, `${at}.${k}`));
                }
            };
            walk(evaluation.outputs, "outputs");
            expect(secrets).to.deep.equal([]);
        });
    });
}

describe("OidcClient on its own", () => {
    const program = path.resolve(__dirname, "..", "..", "support", "programs", "oidcClient.ts");
    const run = (config: { [key: string]: string }, secretKeys: string[]) =>
        evaluateProgram({ stack: "test", program, config: { "test:token": "test-api-token", ...config }, secretKeys: ["test:token", ...secretKeys] });

    it("outputs the client secret as a Pulumi secret, generated by RandomPassword", async () => {
        const evaluation = await run({}, []);
        expect(evaluation.outputs.clientSecret).to.be.instanceOf(SecretValue);
        expect((evaluation.outputs.clientSecret as SecretValue).value).to.equal("mock-secret:oidc-demo-client-secret");
        expect(resourcesOfType(evaluation, RANDOM_PASSWORD).map((r) => r.name)).to.deep.equal(["oidc-demo-client-secret"]);
    });

    it("keeps a given client secret, making it a secret even when handed over in plain, and generates none", async () => {
        const evaluation = await run({ "test:clientSecret": KNOWN_CLIENT_SECRET }, []);
        expect(evaluation.outputs.clientSecret).to.be.instanceOf(SecretValue);
        expect((evaluation.outputs.clientSecret as SecretValue).value).to.equal(KNOWN_CLIENT_SECRET);
        expect(resourcesOfType(evaluation, RANDOM_PASSWORD)).to.have.length(0);
        const provider = resourcesOfType(evaluation, PROVIDER_OAUTH2).find((p) => p.name === "oidc-demo-provider")!;
        expect(unwrapSecret(provider.inputs.clientSecret)).to.equal(KNOWN_CLIENT_SECRET);
    });

    it("refuses a client secret for a public client, naming the component", async () => {
        const failure = (variant: string) =>
            run({ "test:variant": variant }, []).then(
                () => "",
                (error: Error) => error.message,
            );
        expect(await failure("publicWithSecret")).to.include("oidc-demo: a public client has no client secret");
    });

    it("allows exactly the redirect URIs it is given, strictly matched, and outputs them", async () => {
        const evaluation = await run({ "test:variant": "oneRedirect" }, []);
        expect(evaluation.outputs.redirectUris).to.deep.equal(["https://demo.example.ts.net:8450/auth/callback"]);
        const provider = resourcesOfType(evaluation, PROVIDER_OAUTH2).find((p) => p.name === "oidc-demo-provider")!;
        expect(provider.inputs.allowedRedirectUris).to.deep.equal([{ matching_mode: "strict", url: "https://demo.example.ts.net:8450/auth/callback" }]);
    });

    it("defaults to the per_provider issuer mode: each client's issuer is its own slug's", async () => {
        const evaluation = await run({}, []);
        expect(resourcesOfType(evaluation, PROVIDER_OAUTH2).map((p) => [p.name, p.inputs.issuerMode]).sort()).to.deep.equal([
            ["oidc-demo-native-provider", "per_provider"],
            ["oidc-demo-provider", "per_provider"],
        ]);
        expect(evaluation.outputs.issuer).to.equal("https://authentik.example.ts.net/application/o/demo/");
        expect((evaluation.outputs.native as { issuer: string }).issuer).to.equal("https://authentik.example.ts.net/application/o/demo-cli/");
    });

    it("outputs the client id, the redirect URIs and every endpoint of its slug", async () => {
        const evaluation = await run({}, []);
        expect(evaluation.outputs).to.deep.include({
            clientId: "demo",
            redirectUris: ["https://demo.example.ts.net:8450/auth/callback", "https://demo.example.ts.net:8450/pkce/verify"],
            issuer: "https://authentik.example.ts.net/application/o/demo/",
            discoveryUrl: "https://authentik.example.ts.net/application/o/demo/.well-known/openid-configuration",
        });
        expect(evaluation.outputs.endpoints).to.deep.equal({
            authorize: "https://authentik.example.ts.net/application/o/authorize/",
            token: "https://authentik.example.ts.net/application/o/token/",
            userinfo: "https://authentik.example.ts.net/application/o/userinfo/",
            endSession: "https://authentik.example.ts.net/application/o/demo/end-session/",
            jwks: "https://authentik.example.ts.net/application/o/demo/jwks/",
        });
    });

    it("outputs the native client as public, with its own id and redirect URIs, and no secret", async () => {
        const evaluation = await run({}, []);
        expect(evaluation.outputs.native).to.deep.equal({
            clientId: "demo-cli",
            clientType: "public",
            hasSecret: false,
            redirectUris: ["http://localhost:8085/auth/callback", "app.example.demo:/oauth-callback"],
            issuer: "https://authentik.example.ts.net/application/o/demo-cli/",
        });
    });

    it("issues a global issuer (Authentik's root) for both clients in issuer mode global", async () => {
        const evaluation = await run({ "test:issuerMode": "global" }, []);
        expect(evaluation.outputs.issuer).to.equal("https://authentik.example.ts.net/");
        expect(evaluation.outputs.discoveryUrl).to.equal("https://authentik.example.ts.net/.well-known/openid-configuration");
        expect((evaluation.outputs.native as { issuer: string }).issuer).to.equal("https://authentik.example.ts.net/");
        for (const provider of resourcesOfType(evaluation, PROVIDER_OAUTH2)) {
            expect(provider.inputs.issuerMode, provider.name).to.equal("global");
        }
    });

    it("binds the access group to the application (by uuid) only when one is given", async () => {
        const open = await run({}, []);
        expect(resourcesOfType(open, "authentik:index/policyBinding:PolicyBinding")).to.have.length(0);

        const restricted = await run({ "test:accessGroupId": "group-uuid" }, []);
        const bindings = resourcesOfType(restricted, "authentik:index/policyBinding:PolicyBinding").sort((a, b) => a.name.localeCompare(b.name));
        // The native client is bound too: otherwise the CLI would log in users the web app refuses.
        expect(bindings.map((b) => b.name)).to.deep.equal(["oidc-demo-access", "oidc-demo-native-access"]);
        expect(bindings[0].inputs).to.deep.equal({ target: "<application demo uuid>", group: "group-uuid", order: 0 });
        expect(bindings[1].inputs).to.deep.equal({ target: "<application demo-cli uuid>", group: "group-uuid", order: 0 });
        const client = resourcesOfType(restricted, OIDC_CLIENT).find((c) => c.name === "oidc-demo")!;
        expect(bindings[0].parent).to.equal(client.urn);
    });

    it("parents every child to the component and gives every Authentik child the provider", async () => {
        const evaluation = await run({ "test:accessGroupId": "group-uuid" }, []);
        const client = resourcesOfType(evaluation, OIDC_CLIENT).find((c) => c.name === "oidc-demo")!;
        const api = resourcesOfType(evaluation, "pulumi:providers:authentik")[0];
        const children = evaluation.resources.filter((r) => r.parent === client.urn);
        expect(children.map((r) => r.name)).to.have.members(["oidc-demo-client-secret", "oidc-demo-provider", "oidc-demo-application", "oidc-demo-access", "oidc-demo-native"]);
        for (const child of children.filter((r) => r.type.startsWith("authentik:"))) {
            expect(child.provider, child.name).to.equal(`${api.urn}::${api.id}`);
        }
    });
});

describe("rotationKeepers", () => {
    it("adds no keepers at rotation 0, so existing secrets stay as they are", () => {
        expect(rotationKeepers(0)).to.deep.equal({});
        expect(rotationKeepers(undefined)).to.deep.equal({});
        expect(rotationKeepers(3)).to.deep.equal({ keepers: { rotation: "3" } });
    });
});
