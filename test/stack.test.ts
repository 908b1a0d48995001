/**
 * Invariants of the whole stack, for every live stack file (`Pulumi.*.yaml`, whatever the owner put
 * in it): what must hold whatever the components do inside. The same invariants, the render and the
 * generated migration documents on a copy of the frozen prod stack file edited as each
 * docs/operations.md recipe says. And the resource-name guard, on the frozen stack files in test/fixtures/.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Evaluation, SECRET_SIG_KEY } from "../scripts/lib/mockRuntime";
import { unreadKeys } from "../stacks/chartKeys";
import * as os from "os";
import { buildImportFiles } from "../scripts/lib/importFiles";
import { PROJECT_ROOT, renderStack } from "../scripts/lib/render";
import { diffDocuments, RenderDiff } from "../scripts/lib/renderDiff";
import { RenderDocument } from "../scripts/lib/renderDocument";
import { buildRehearsal, formatRehearsal } from "../scripts/lib/rehearsal";
import { readToday } from "../scripts/lib/today";
import { editedStackFile, exampleBookmarks, exampleService, operationsRecipes } from "./support/operationsRecipes";
import { compareResourceNames, resourceUrns } from "./support/resourceNames";
import { KNOWN_SECRETS, committedStack, evaluateStackFile, frozenStackFile, liveStackFiles, plainStrings, resourcesOfType } from "./support/stacks";

const FROZEN_STACKS = ["prod", "dev"] as const;
const PROVIDER_OAUTH2 = "authentik:index/providerOauth2:ProviderOauth2";
const HELM_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];
const SECRET_MARKERS = [...Object.values(KNOWN_SECRETS), "mock-secret:", "mock-generated-client-secret:", "<placeholder for secret"];

function isLoopback(url: URL): boolean {
    return url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "127.0.0.1") && url.port !== "";
}

/** What must hold for any stack file, whatever the components do inside. */
const INVARIANTS: { name: string; check: (evaluation: Evaluation) => void }[] = [
    {
        name: "no Helm value holds a secret, plain or wrapped",
        check: (evaluation: Evaluation) => {
            const releases = evaluation.resources.filter((r) => HELM_TYPES.includes(r.type));
            expect(releases.map((r) => r.name)).to.include("authentik-chart");
            for (const release of releases) {
                const text = JSON.stringify(release.inputs.values);
                expect(text, release.name).to.not.include(SECRET_SIG_KEY);
                for (const marker of SECRET_MARKERS) {
                    expect(text, `${release.name} contains ${marker}`).to.not.include(marker);
                }
            }
        },
    },
    {
        name: "no resource input and no stack output holds a secret outside a Pulumi secret",
        check: (evaluation: Evaluation) => {
            const leaks = evaluation.resources.flatMap((r) =>
                plainStrings(r.inputs)
                    .filter((s) => SECRET_MARKERS.some((m) => s.value.includes(m)))
                    .map((s) => `${r.type}::${r.name} ${s.path}`),
            );
            expect(leaks).to.deep.equal([]);
            // A secret output (oidcClientSecrets) may hold them, as a Pulumi secret only.
            const outputLeaks = plainStrings(evaluation.outputs).filter((s) => SECRET_MARKERS.some((m) => s.value.includes(m)));
            expect(outputLeaks).to.deep.equal([]);
        },
    },
    {
        name: "every Helm value the program renders (its own and the stack's pass-through values) is a key the pinned chart reads",
        check: (evaluation: Evaluation) => {
            const releases = evaluation.resources.filter((r) => HELM_TYPES.includes(r.type));
            // Authentik always; ArgoCD and Grafana unless the stack turned them off (any version with a key index).
            expect(releases.map((r) => r.inputs.chart)).to.include("authentik");
            for (const release of releases) {
                expect(["authentik", "argo-cd", "kube-prometheus-stack"]).to.include(release.inputs.chart);
            }
            for (const release of releases) {
                const unread = unreadKeys(release.inputs.chart as string, release.inputs.version as string, release.inputs.values);
                expect(unread.map((u) => u.path.join(".")), release.name).to.deep.equal([]);
            }
        },
    },
    {
        name: "protects no component of ours, no chart and no client secret (children would inherit it; rotation replaces secrets)",
        check: (evaluation: Evaluation) => {
            for (const resource of evaluation.resources) {
                const forbidden =
                    resource.type.startsWith("homelab:") ||
                    resource.type === "kubernetes:helm.sh/v4:Chart" ||
                    (resource.type === "random:index/randomPassword:RandomPassword" && resource.name.endsWith("-client-secret"));
                if (forbidden) {
                    expect(resource.protect, `${resource.type}::${resource.name}`).to.equal(false);
                }
            }
        },
    },
    {
        name: "every OAuth2 provider signs with a key pair (RS256), has all three scopes and both flows; web clients are confidential, native ones public without a secret",
        check: (evaluation: Evaluation) => {
            const providers = resourcesOfType(evaluation, PROVIDER_OAUTH2);
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
        },
    },
    {
        name: "every redirect URI is exact (strict): https or private-use on web clients, loopback http or private-use on native ones",
        check: (evaluation: Evaluation) => {
            for (const provider of resourcesOfType(evaluation, PROVIDER_OAUTH2)) {
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
        },
    },
    {
        name: "every Authentik resource and invoke goes through the explicit provider",
        check: (evaluation: Evaluation) => {
            const provider = evaluation.resources.find((r) => r.type === "pulumi:providers:authentik")!;
            for (const resource of evaluation.resources.filter((r) => r.type.startsWith("authentik:"))) {
                expect(resource.provider, resource.name).to.match(new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`));
            }
            for (const invoke of evaluation.invokes.filter((i) => i.token.startsWith("authentik:"))) {
                expect(invoke.provider, invoke.token).to.match(new RegExp(`^${provider.urn.replace(/[$]/g, "\\$")}::`));
            }
        },
    },
];

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
            for (const invariant of INVARIANTS) {
                it(invariant.name, () => invariant.check(evaluations[stack]));
            }
        });
    }
});

/** What the render diff of each recipe's runs (the first against the unedited frozen prod stack file) must show, by section and run. */
const RECIPE_DIFFS: { [section: string]: ((diff: RenderDiff) => void)[] } = {
    "Add an OIDC service": [
        (diff) => {
            const { key } = exampleService();
            expect(diff.added.length).to.be.greaterThan(2);
            expect(diff.added.filter((r) => !r.name.startsWith(`oidc-${key}`))).to.deep.equal([]);
            expect([...diff.removed, ...diff.changed]).to.deep.equal([]);
        },
    ],
    "Add a bookmark": [
        (diff) => {
            expect(diff.added.map((r) => r.name)).to.deep.equal(exampleBookmarks().map((b) => `bookmarks-${String(b.slug)}`));
            expect([...diff.removed, ...diff.changed]).to.deep.equal([]);
        },
    ],
    "Rotate a client secret": [
        (diff) => {
            expect([...diff.added, ...diff.removed]).to.deep.equal([]);
            const password = diff.changed.find((r) => r.name === "oidc-grafana-client-secret");
            expect(password?.changes.map((c) => c.path)).to.deep.equal(["keepers.rotation"]);
            expect(password?.replace, "a new keeper replaces the password").to.deep.equal(["keepers.rotation"]);
            // The new secret reaches Authentik's provider and the delivered Secret (masked, so listed without values), and the pod annotation rolls Grafana.
            expect(diff.changed.find((r) => r.name === "oidc-grafana-provider")?.secretChanges).to.deep.equal([{ path: "clientSecret", from: "oidc-grafana-client-secret" }]);
            expect(diff.changed.find((r) => r.name === "grafana-oauth-client-secret")?.replace).to.deep.equal(["stringData.client-secret"]);
            expect(diff.changed.map((r) => r.name).sort()).to.deep.equal(["grafana-chart", "grafana-oauth-client-secret", "oidc-grafana-client-secret", "oidc-grafana-provider"]);
        },
    ],
    "Change a Helm value (pass-through)": [
        (diff) => {
            expect([...diff.added, ...diff.removed]).to.deep.equal([]);
            expect(diff.changed.map((r) => `${r.name} ${r.changes.map((c) => c.path).join(",")}`)).to.deep.equal(["grafana-chart values.grafana.replicas"]);
        },
    ],
    "Turn off a deployment": [
        (diff) => {
            // Run 1 only lifts the protection.
            expect([...diff.added, ...diff.removed]).to.deep.equal([]);
            expect(diff.changed.map((r) => `${r.name} ${r.changes.map((c) => c.path).join(",")}`)).to.deep.equal(["grafana-namespace (protect)"]);
        },
        (diff) => {
            expect(diff.added).to.deep.equal([]);
            const namespace = diff.removed.find((r) => r.name === "grafana-namespace");
            expect(namespace?.destroys).to.match(/deletes namespace "monitoring" and everything in it/);
            expect(namespace?.destroys, "unprotected in run 1").to.not.match(/it is protected/);
        },
    ],
};

describe("docs/operations.md recipes, applied to a copy of the frozen prod stack file", function () {
    this.timeout(120_000);
    let dir: string;
    let base: RenderDocument;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "operations-recipes-"));
        base = (await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile: frozenStackFile("prod") })).document;
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("cover every recipe that edits the stack file", () => {
        expect(operationsRecipes().map((r) => r.section)).to.deep.equal(Object.keys(RECIPE_DIFFS));
        for (const recipe of operationsRecipes()) {
            expect(recipe.runs.length, recipe.section).to.equal(RECIPE_DIFFS[recipe.section].length);
        }
    });

    for (const recipe of operationsRecipes()) {
        // Each run's render diff is against the run before it (the first run's, against the unedited file).
        let previous: RenderDocument | undefined;
        recipe.runs.forEach((run, index) => {
            it(`${recipe.section} (${run.label}): the invariants hold, the render diff shows it, the migration documents still generate`, async () => {
                const file = editedStackFile(frozenStackFile("prod"), dir, run.edit);
                const evaluation = await evaluateStackFile("prod", file);
                for (const invariant of INVARIANTS) {
                    invariant.check(evaluation);
                }
                const { document } = await renderStack({ root: PROJECT_ROOT, stack: "prod", stackFile: file });
                RECIPE_DIFFS[recipe.section][index](diffDocuments(index === 0 ? base : previous!, document));
                previous = document;
                // The generated documents build from the edited stack (as `--out` writes them) and name only what it registers;
                // the committed ones come from the frozen file (test/migration/), which the edit leaves alone. A stack
                // without one of today's releases cannot rehearse today's migration, and says which one it lacks.
                const today = readToday();
                const imports = buildImportFiles(document, today);
                for (const entry of [...imports.kubernetes.resources, ...imports.authentik.resources]) {
                    expect(document.resources.some((r) => r.type === entry.type && r.name === entry.name), `${entry.type}::${entry.name}`).to.equal(true);
                }
                const missing = ["authentik-chart", "grafana-chart", "argocd-release"].filter((name) => !document.resources.some((r) => r.name === name));
                if (missing.length === 0) {
                    expect(formatRehearsal(buildRehearsal(document, today, imports))).to.include("# Rehearsal of the first `pulumi up`");
                } else {
                    expect(() => buildRehearsal(document, today, imports)).to.throw(new RegExp(`has no \\S+ ${missing[0]}$`));
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
