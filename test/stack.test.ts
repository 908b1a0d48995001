/**
 * Invariants of the whole stack, for every live stack file (`Pulumi.*.yaml`, whatever the owner put
 * in it): what must hold whatever the components do inside. And the resource-name guard, on the
 * frozen stack files in test/fixtures/.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Evaluation, SECRET_SIG_KEY } from "../scripts/lib/mockRuntime";
import { unreadKeys } from "../stacks/chartKeys";
import { compareResourceNames, resourceUrns } from "./support/resourceNames";
import { KNOWN_SECRETS, committedStack, evaluateStackFile, liveStackFiles, plainStrings, resourcesOfType } from "./support/stacks";

const FROZEN_STACKS = ["prod", "dev"] as const;
const PROVIDER_OAUTH2 = "authentik:index/providerOauth2:ProviderOauth2";
const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];
const SECRET_MARKERS = [...Object.values(KNOWN_SECRETS), "mock-secret:", "mock-generated-client-secret:", "<placeholder for secret"];

function isLoopback(url: URL): boolean {
    return url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1") && url.port !== "";
}

describe("whole-stack invariants", () => {
    const stacks = liveStackFiles();
    const evaluations: { [stack: string]: Evaluation } = {};
    before(async () => {
        for (const { stack, file } of stacks) {
            evaluations[stack] = await evaluateStackFile(stack, file);
        }
    });

    it("run on every live stack file", () => {
        expect(stacks.map((s) => s.stack)).to.include.members(["prod", "dev"]);
    });

    for (const { stack, file } of stacks) {
        describe(`${path.basename(file)}`, () => {
            const evaluation = () => evaluations[stack];

            it("no Helm value holds a secret, plain or wrapped", () => {
                const releases = evaluation().resources.filter((r) => HELM_TYPES.includes(r.type));
                expect(releases.map((r) => r.name)).to.include("authentik-chart");
                for (const release of releases) {
                    const text = JSON.stringify(release.inputs.values);
                    expect(text, release.name).to.not.include(SECRET_SIG_KEY);
                    for (const marker of SECRET_MARKERS) {
                        expect(text, `${release.name} contains ${marker}`).to.not.include(marker);
                    }
                }
            });

            it("no resource input and no stack output holds a secret outside a Pulumi secret", () => {
                const leaks = evaluation().resources.flatMap((r) =>
                    plainStrings(r.inputs)
                        .filter((s) => SECRET_MARKERS.some((m) => s.value.includes(m)))
                        .map((s) => `${r.type}::${r.name} ${s.path}`),
                );
                expect(leaks).to.deep.equal([]);
                // A secret output (oidcClientSecrets) may hold them, as a Pulumi secret only.
                const outputLeaks = plainStrings(evaluation().outputs).filter((s) => SECRET_MARKERS.some((m) => s.value.includes(m)));
                expect(outputLeaks).to.deep.equal([]);
            });

            it("every Helm value the program renders (its own and the stack's pass-through values) is a key the pinned chart reads", () => {
                const releases = evaluation().resources.filter((r) => HELM_TYPES.includes(r.type));
                expect(releases.map((r) => `${r.inputs.chart}@${r.inputs.version}`)).to.have.members([
                    "authentik@2025.12.4",
                    "argo-cd@7.8.0",
                    "kube-prometheus-stack@82.1.0",
                ]);
                for (const release of releases) {
                    const unread = unreadKeys(release.inputs.chart as string, release.inputs.version as string, release.inputs.values);
                    expect(unread.map((u) => u.path.join(".")), release.name).to.deep.equal([]);
                }
            });

            it("protects no component of ours, no chart and no client secret (children would inherit it; rotation replaces secrets)", () => {
                for (const resource of evaluation().resources) {
                    const forbidden =
                        resource.type.startsWith("homelab:") ||
                        resource.type === "kubernetes:helm.sh/v4:Chart" ||
                        (resource.type === "random:index/randomPassword:RandomPassword" && resource.name.endsWith("-client-secret"));
                    if (forbidden) {
                        expect(resource.protect, `${resource.type}::${resource.name}`).to.equal(false);
                    }
                }
            });

            it("every OAuth2 provider signs with a key pair (RS256), has all three scopes and both flows; web clients are confidential, native ones public without a secret", () => {
                const providers = resourcesOfType(evaluation(), PROVIDER_OAUTH2);
                for (const provider of providers) {
                    const inputs = provider.inputs as any;
                    expect(inputs.signingKey, provider.name).to.equal("<certificate-key-pair authentik Self-signed Certificate>");
                    expect(inputs.propertyMappings, provider.name).to.have.members([
                        "<scope-mapping goauthentik.io/providers/oauth2/scope-openid>",
                        "<scope-mapping goauthentik.io/providers/oauth2/scope-email>",
                        "<scope-mapping goauthentik.io/providers/oauth2/scope-profile>",
                    ]);
                    expect(inputs.authorizationFlow).to.equal("<flow default-provider-authorization-implicit-consent>");
                    expect(inputs.invalidationFlow).to.equal("<flow default-provider-invalidation-flow>");
                    if (provider.name.endsWith("-native-provider")) {
                        expect(inputs.clientType, provider.name).to.equal("public");
                        expect(inputs, provider.name).to.not.have.property("clientSecret");
                    } else {
                        expect(inputs.clientType, provider.name).to.equal("confidential");
                        expect(inputs.clientSecret, provider.name).to.not.equal(undefined);
                    }
                }
            });

            it("every redirect URI is exact (strict): https or private-use on web clients, loopback http or private-use on native ones", () => {
                for (const provider of resourcesOfType(evaluation(), PROVIDER_OAUTH2)) {
                    const native = (provider.inputs as any).clientType === "public";
                    for (const entry of (provider.inputs as any).allowedRedirectUris as { matching_mode: string; url: string }[]) {
                        expect(entry.matching_mode, entry.url).to.equal("strict");
                        const url = new URL(entry.url);
                        const privateUse = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+:$/.test(url.protocol);
                        expect(native ? isLoopback(url) || privateUse : url.protocol === "https:" || privateUse, `${provider.name} ${entry.url}`).to.equal(true);
                        expect(entry.url).to.not.match(/[*#?]/);
                        expect(url.toString(), "normalised form").to.equal(entry.url);
                    }
                }
            });

            it("every Authentik resource and invoke goes through the explicit provider", () => {
                const provider = evaluation().resources.find((r) => r.type === "pulumi:providers:authentik")!;
                for (const resource of evaluation().resources.filter((r) => r.type.startsWith("authentik:"))) {
                    expect(resource.provider, resource.name).to.match(new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`));
                }
                for (const invoke of evaluation().invokes.filter((i) => i.token.startsWith("authentik:"))) {
                    expect(invoke.provider, invoke.token).to.match(new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`));
                }
            });
        });
    }
});

describe("resource names (frozen stack files in test/fixtures/)", () => {
    for (const stack of FROZEN_STACKS) {
        it(`${stack}: every recorded resource is still registered under its URN, or claimed by an alias`, async () => {
            const file = path.join(__dirname, "fixtures", `resource-names.${stack}.json`);
            const evaluation = await committedStack(stack);
            if (process.env.UPDATE_RESOURCE_NAMES === "1") {
                fs.writeFileSync(file, JSON.stringify(resourceUrns(evaluation), null, 2) + "\n");
            }
            const { lost, added, aliased } = compareResourceNames(JSON.parse(fs.readFileSync(file, "utf8")), evaluation);
            // Additions never fail: they are new resources (or renamed ones whose alias is listed above them).
            for (const urn of added) {
                console.log(`      resource added (not in ${path.basename(file)}): ${urn}`);
            }
            for (const { from, to } of aliased) {
                console.log(`      resource moved by alias: ${from} -> ${to}`);
            }
            expect(
                lost,
                "resources that `pulumi up` would delete (renamed, re-parented or removed); keep the name, or add an `aliases` option naming the old one",
            ).to.deep.equal([]);
        });
    }
});
