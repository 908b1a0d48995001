/**
 * Pure parts of the offline render: the tree, file naming and the diff, on hand-made documents.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { diffDocuments, diffValues, formatDiff, joinPath, maskedPaths } from "../../scripts/lib/renderDiff";
import { RENDER_FORMAT, RenderDocument, RenderedResource, parseRenderDocument } from "../../scripts/lib/renderDocument";
import { OUT_MARKER, filePathFor, planRenderFiles, safeFileName, typeFileStem, writeRenderFiles } from "../../scripts/lib/renderFiles";
import { compact, describeResource, formatInvokes, formatRenderTree, formatResourceTree, valuesSummary } from "../../scripts/lib/renderTree";

const STACK_URN = "urn:pulumi:t::homelab-sso::";

function resource(type: string, name: string, inputs: { [key: string]: unknown }, parent: RenderedResource | null = null, custom = true): RenderedResource {
    const parentTypes = parent ? `${parent.urn.slice(STACK_URN.length).split("::")[0]}$` : "";
    return { urn: `${STACK_URN}${parentTypes}${type}::${name}`, type, name, parent: parent ? parent.urn : null, custom, provider: null, inputs };
}

const component = resource("homelab:oidc:Client", "grafana", {}, null, false);
const namespace = resource("kubernetes:core/v1:Namespace", "ns", { apiVersion: "v1", kind: "Namespace", metadata: { name: "monitoring" } }, component);
const secret = resource(
    "kubernetes:core/v1:Secret",
    "client-secret",
    { apiVersion: "v1", kind: "Secret", metadata: { name: "grafana-oidc", namespace: "monitoring" }, stringData: "[secret]" },
    component,
);
const release = resource(
    "kubernetes:helm.sh/v3:Release",
    "grafana-release",
    {
        name: "grafana",
        chart: "grafana",
        version: "10.1.0",
        repositoryOpts: { repo: "https://grafana-community.github.io/helm-charts" },
        namespace: "monitoring",
        values: { grafana: { ini: { a: 1, b: 2 } }, replicas: 1 },
    },
    component,
);
const provider = resource(
    "authentik:index/providerOauth2:ProviderOauth2",
    "grafana",
    { name: "grafana", clientId: "grafana", clientSecret: "[secret]", allowedRedirectUris: [{ matchingMode: "strict", url: "https://g.example/login/generic_oauth" }] },
    component,
);

function document(resources: RenderedResource[], extra: Partial<RenderDocument> = {}): RenderDocument {
    return { format: RENDER_FORMAT, stack: "t", secretPlaceholders: ["authentik:token"], resources, invokes: [], outputs: {}, ...extra };
}

describe("offline render formatting (scripts/lib/render*)", () => {
    describe("tree", () => {
        it("nests resources under their parents with the key inputs of each kind", () => {
            const lines = formatResourceTree([component, namespace, release, secret, provider]);
            expect(lines[0]).to.equal("homelab:oidc:Client grafana");
            expect(lines).to.include("├─ kubernetes:core/v1:Namespace ns");
            expect(lines.some((l) => l.startsWith("└─ authentik:index/providerOauth2:ProviderOauth2 grafana"))).to.equal(true);
            const text = lines.join("\n");
            expect(text).to.include("Namespace monitoring");
            expect(text).to.include("Secret monitoring/grafana-oidc");
            expect(text).to.include("chart: grafana 10.1.0 from https://grafana-community.github.io/helm-charts");
            expect(text).to.include("release: grafana in namespace monitoring");
            expect(text).to.include("values: 3 settings: grafana (2), replicas (1)");
            expect(text).to.include("clientSecret: [secret]");
            expect(text).to.include('allowedRedirectUris: [{"matchingMode":"strict","url":"https://g.example/login/generic_oauth"}]');
        });

        it("puts a resource whose parent is not recorded at the top level", () => {
            const orphan = { ...namespace, parent: "urn:pulumi:t::homelab-sso::pulumi:pulumi:Stack::homelab-sso-t" };
            expect(formatResourceTree([orphan])[0]).to.equal("kubernetes:core/v1:Namespace ns");
        });

        it("summarises Helm values and wraps long values instead of cutting them", () => {
            expect(valuesSummary({})).to.equal("none (chart defaults)");
            expect(valuesSummary("[secret]")).to.equal("[secret]");
            expect(compact("x".repeat(150))).to.have.length(150);
            expect(compact("a\nb")).to.equal("a ⏎ b");
            const url = `https://holdens-mac-mini.story-larch.ts.net:8450/${"very-long-path-segment/".repeat(10)}callback?x=1&y=2`;
            const lines = describeResource(resource("authentik:index/application:Application", "app", { metaLaunchUrl: url }));
            expect(lines.length).to.be.greaterThan(2);
            expect(lines.join("\n")).to.not.include("…");
            expect(lines[0].startsWith("metaLaunchUrl: ")).to.equal(true);
            expect(lines.slice(1).every((l) => l.startsWith(" ".repeat("metaLaunchUrl: ".length)))).to.equal(true);
            expect(lines.map((l) => l.slice("metaLaunchUrl: ".length)).join("")).to.equal(url);
            expect(Math.max(...lines.map((l) => l.length - "metaLaunchUrl: ".length))).to.be.at.most(100);
            expect(describeResource(resource("random:index/randomPassword:RandomPassword", "p", { length: 32, special: false }))).to.deep.equal([
                "length: 32",
                "special: false",
            ]);
        });

        it("lists invokes grouped, with their labelled placeholder answers", () => {
            const flow = { token: "authentik:index/getFlow:getFlow", inputs: { slug: "default-provider-invalidation-flow" }, result: { id: "<flow default-provider-invalidation-flow>" } };
            const scopes = { token: "authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope", inputs: { managedLists: ["a", "b"] }, result: { id: "-1", ids: ["<scope-mapping a>", "<scope-mapping b>"] } };
            expect(formatInvokes([flow, flow, scopes])).to.deep.equal([
                "authentik:index/getFlow:getFlow slug=default-provider-invalidation-flow → <flow default-provider-invalidation-flow> (×2)",
                'authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope managedLists=["a","b"] → ["<scope-mapping a>","<scope-mapping b>"]',
            ]);
        });

        it("spreads long lists one entry per line instead of cutting them, and names an explicit provider", () => {
            const urls = [1, 2, 3].map((i) => ({ matching_mode: "strict", url: `https://service-${i}.example.ts.net:844${i}/login/generic_oauth` }));
            const lines = describeResource({ ...provider, inputs: { allowedRedirectUris: urls }, provider: `${STACK_URN}pulumi:providers:authentik::authentik-api::id-1` });
            expect(lines).to.deep.equal([
                "allowedRedirectUris:",
                ...urls.map((u) => `  - ${JSON.stringify(u)}`),
                "(provider: authentik-api)",
            ]);
            const many = Array.from({ length: 8 }, (_, i) => `goauthentik.io/providers/oauth2/scope-${i}`);
            const invoke = { token: "authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope", inputs: { managedLists: many }, result: { id: "-1", ids: many.map((m) => `<scope-mapping ${m}>`) } };
            const invokeLines = formatInvokes([invoke]);
            expect(invokeLines[0]).to.equal(invoke.token);
            expect(invokeLines).to.include("    managedLists:");
            expect(invokeLines).to.include(`      - ${many[7]}`);
            expect(invokeLines).to.include("    →");
            expect(invokeLines).to.include(`      - <scope-mapping ${many[7]}>`);
        });

        it("says in its header which secrets are placeholders", () => {
            const text = formatRenderTree(document([namespace]));
            expect(text.split("\n")[1]).to.match(/placeholders.*authentik:token.*\[secret\]/);
            expect(text).to.include("Invokes (0): none");
        });
    });

    describe("--out files", () => {
        it("names one file per Kubernetes object, Helm release and Authentik object", () => {
            expect(filePathFor(namespace)).to.equal("k8s/_cluster/namespace-monitoring.yaml");
            expect(filePathFor(secret)).to.equal("k8s/monitoring/secret-grafana-oidc.yaml");
            expect(filePathFor(release)).to.equal("helm/grafana-values.yaml");
            expect(filePathFor(provider)).to.equal("authentik/provider-oauth2-grafana.yaml");
            expect(filePathFor(component)).to.equal(undefined);
            expect(filePathFor(resource("pulumi:providers:authentik", "authentik", { url: "https://a" }))).to.equal(undefined);
        });

        it("keeps file names safe and unique", () => {
            expect(safeFileName("../etc/passwd")).to.equal("__etc_passwd");
            expect(typeFileStem("authentik:index/policyBinding:PolicyBinding")).to.equal("policy-binding");
            const twin = { ...secret, urn: `${secret.urn}-twin`, name: "client-secret-twin" };
            const paths = planRenderFiles(document([secret, twin])).map((f) => f.path);
            expect(paths).to.deep.equal(["k8s/monitoring/secret-grafana-oidc-2.yaml", "k8s/monitoring/secret-grafana-oidc.yaml"]);
        });

        it("writes exactly the release's values into its values file", () => {
            const file = planRenderFiles(document([release])).find((f) => f.path === "helm/grafana-values.yaml")!;
            expect(parse(file.content)).to.deep.equal(release.inputs.values);
        });

        it("writes into a new or earlier-render directory, replacing stale files, and refuses any other", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-out-"));
            try {
                writeRenderFiles(dir, planRenderFiles(document([namespace, secret])));
                expect(fs.existsSync(path.join(dir, OUT_MARKER))).to.equal(true);
                writeRenderFiles(dir, planRenderFiles(document([namespace])));
                expect(fs.existsSync(path.join(dir, "k8s/monitoring/secret-grafana-oidc.yaml"))).to.equal(false);
                expect(fs.existsSync(path.join(dir, "k8s/_cluster/namespace-monitoring.yaml"))).to.equal(true);

                const other = fs.mkdtempSync(path.join(os.tmpdir(), "render-other-"));
                fs.writeFileSync(path.join(other, "notes.txt"), "mine");
                expect(() => writeRenderFiles(other, [])).to.throw(/not empty/);
                fs.rmSync(other, { recursive: true, force: true });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("--diff", () => {
        it("reports changed keys as dotted paths, quoting keys that are not identifiers", () => {
            expect(joinPath("metadata.labels", "app.kubernetes.io/name")).to.equal('metadata.labels["app.kubernetes.io/name"]');
            expect(diffValues({ a: { b: [1, 2] }, same: 1 }, { a: { b: [1, 3, 4] }, same: 1, added: "x" })).to.deep.equal([
                { path: "a.b[1]", before: 2, after: 3 },
                { path: "a.b[2]", before: undefined, after: 4 },
                { path: "added", before: undefined, after: "x" },
            ]);
        });

        it("finds added, removed and changed resources by URN, and output changes", () => {
            const changedRelease = { ...release, inputs: { ...release.inputs, values: { grafana: { ini: { a: 1, b: 3 } }, replicas: 1 } } };
            const before = document([component, namespace, release], { outputs: { url: "https://a" } });
            const after = document([component, changedRelease, provider], { outputs: { url: "https://b" } });
            const diff = diffDocuments(before, after);
            expect(diff.added.map((r) => r.name)).to.deep.equal(["grafana"]);
            expect(diff.removed.map((r) => r.name)).to.deep.equal(["ns"]);
            expect(diff.changed).to.have.length(1);
            expect(diff.changed[0].changes).to.deep.equal([{ path: "values.grafana.ini.b", before: 2, after: 3 }]);
            const text = formatDiff(diff, "diff");
            expect(text).to.include("+ authentik:index/providerOauth2:ProviderOauth2 grafana");
            expect(text).to.include('- kubernetes:core/v1:Namespace ns\n    deletes namespace "monitoring" and everything in it');
            expect(text).to.include("~ kubernetes:helm.sh/v3:Release grafana-release\n    values.grafana.ini.b: 2 → 3");
            expect(text).to.include('~ url: "https://a" → "https://b"');
            expect(formatDiff(diffDocuments(before, before), "diff")).to.include("No differences.");
        });

        it("says in plain words what a removal deletes in the cluster and in Authentik", () => {
            const diff = diffDocuments(document([component, namespace, release, secret, provider]), document([component]));
            const text = formatDiff(diff, "diff");
            expect(text).to.include('- kubernetes:helm.sh/v3:Release grafana-release\n    deletes Helm release "grafana" in namespace "monitoring" (chart grafana)');
            expect(text).to.include("- kubernetes:core/v1:Secret client-secret\n    deletes Secret monitoring/grafana-oidc");
            expect(text).to.include('- authentik:index/providerOauth2:ProviderOauth2 grafana\n    deletes Authentik ProviderOauth2 "grafana"');
            const statefulSet = resource("kubernetes:apps/v1:StatefulSet", "db", { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: "monitoring" } });
            expect(formatDiff(diffDocuments(document([statefulSet]), document([])), "diff").replace(/\n {4}(?!deletes)/g, " ")).to.include(
                "- kubernetes:apps/v1:StatefulSet db\n    deletes StatefulSet monitoring/db and its pods; the claims made from its volume templates, and their data, stay",
            );
        });

        it("wraps long values instead of cutting them", () => {
            const long = (tag: string) => `https://holdens-mac-mini.story-larch.ts.net:8450/${tag}/${"segment/".repeat(20)}end`;
            const before = document([{ ...provider, inputs: { launchUrl: long("before") } }], { outputs: { url: long("a") } });
            const after = document([{ ...provider, inputs: { launchUrl: long("after") } }], { outputs: { url: long("b") } });
            const lines = formatDiff(diffDocuments(before, after), "diff").split("\n");
            expect(lines.join("\n")).to.not.include("…");
            const start = lines.indexOf("    launchUrl:");
            expect(start).to.be.greaterThan(0);
            const side = (marker: string) => {
                const first = lines.findIndex((l, i) => i > start && l.startsWith(`      ${marker} `));
                const pieces = [lines[first].slice(8)];
                for (let i = first + 1; lines[i]?.startsWith("        "); i++) {
                    pieces.push(lines[i].slice(8));
                }
                return pieces.join("");
            };
            expect(side("-")).to.equal(JSON.stringify(long("before")));
            expect(side("+")).to.equal(JSON.stringify(long("after")));
            expect(lines).to.include("  ~ url:");
            const appeared = formatDiff(diffDocuments(document([], { outputs: {} }), document([], { outputs: { client: { id: "x", urls: { a: "https://a" } } } })), "diff");
            expect(appeared).to.include('  + client.id: (absent) → "x"\n  + client.urls.a: (absent) → "https://a"');
        });

        it("shows a change that replaces a resource as `+-` with the keys that force it, and what it deletes", () => {
            const renamed = { ...namespace, protect: true as const, inputs: { ...namespace.inputs, metadata: { name: "monitorin" } } };
            const moved = { ...release, inputs: { ...release.inputs, namespace: "monitorin" } };
            const relabelled = { ...secret, inputs: { ...secret.inputs, metadata: { ...(secret.inputs.metadata as object), labels: { a: "b" } } } };
            const diff = diffDocuments(document([component, { ...namespace, protect: true }, release, secret]), document([component, renamed, moved, relabelled]));
            expect(diff.changed.map((r) => [r.name, r.replace])).to.deep.equal([
                ["ns", ["metadata.name"]],
                ["grafana-release", ["namespace"]],
                ["client-secret", undefined],
            ]);
            const text = formatDiff(diff, "diff");
            expect(text.split("\n")[0]).to.equal("diff: 0 to add, 0 to remove, 3 to change (2 to replace), 0 output change(s)");
            const flat = text.replace(/\n {6}/g, " ");
            expect(flat).to.include('+- kubernetes:core/v1:Namespace ns (replace: metadata.name)\n    metadata.name: "monitoring" → "monitorin"');
            expect(flat).to.include('    ! replaces namespace "monitoring" with "monitorin": deleting "monitoring" deletes everything in it: chart grafana (release "grafana") with its StatefulSets\' volume claims, Secret grafana-oidc, and the data in its PersistentVolumeClaims');
            expect(flat).to.include("    ! it is protected: `pulumi up` refuses to replace it");
            expect(flat).to.include('+- kubernetes:helm.sh/v3:Release grafana-release (replace: namespace)\n    namespace: "monitoring" → "monitorin"\n    ! uninstalls Helm release monitoring/grafana and installs monitorin/grafana');
            expect(flat).to.include('~ kubernetes:core/v1:Secret client-secret\n    metadata.labels.a: (absent) → "b"\n');
        });

        it("lists masked inputs that take a new secret value from a replaced random resource, without values, and replaces a Secret they feed", () => {
            const password = resource("random:index/randomPassword:RandomPassword", "grafana-secret", { length: 48, special: false });
            const rotated = { ...password, inputs: { ...password.inputs, keepers: { rotation: "1" } } };
            const dependent = (r: RenderedResource) => ({ ...r, dependencies: [password.urn] });
            const unrelated = { ...provider, name: "other", urn: `${provider.urn}-other` };
            const before = document([password, dependent(provider), dependent(secret), unrelated]);
            const after = document([rotated, dependent(provider), dependent(secret), unrelated]);
            const diff = diffDocuments(before, after);
            expect(diff.changed.map((r) => [r.name, r.replace ?? null, r.secretChanges ?? null])).to.deep.equal([
                ["grafana-secret", ["keepers.rotation"], null],
                ["grafana", null, [{ path: "clientSecret", from: "grafana-secret" }]],
                ["client-secret", ["stringData"], [{ path: "stringData", from: "grafana-secret" }]],
            ]);
            const text = formatDiff(diff, "diff");
            expect(text).to.include("~ authentik:index/providerOauth2:ProviderOauth2 grafana\n    clientSecret: [secret] changes (a new secret value from grafana-secret)");
            expect(text).to.include("+- kubernetes:core/v1:Secret client-secret (replace: stringData)\n    stringData: [secret] changes (a new secret value from grafana-secret)");
            // Without a replacement nothing gets a new value.
            expect(diffDocuments(before, before).changed).to.deep.equal([]);
            expect(maskedPaths({ a: "[secret]", b: { c: ["x", "pre [secret] post"] }, d: 1 })).to.deep.equal(["a", "b.c[1]"]);
        });

        it("calls out a PostgreSQL volume size the Authentik chart's StatefulSet cannot take in place", () => {
            const chart = resource("kubernetes:helm.sh/v4:Chart", "authentik-chart", { chart: "authentik", name: "authentik", namespace: "authentik", values: { postgresql: { primary: { persistence: { size: "2Gi" } } } } }, null, false);
            const grown = { ...chart, inputs: { ...chart.inputs, values: { postgresql: { primary: { persistence: { size: "5Gi" } } } } } };
            const [change] = diffDocuments(document([chart]), document([grown])).changed;
            expect(change.replace).to.equal(undefined);
            expect(change.callouts?.join(" ")).to.match(/^PostgreSQL's volume size 2Gi → 5Gi: the chart's StatefulSet cannot take it in place \(spec\.volumeClaimTemplates is immutable\)/);
            // What the engine does (npm run e2e, volume-size): the API server refuses the update; the way through keeps the claim.
            expect(change.callouts?.join(" ")).to.match(/fail with the API server's "Forbidden: updates to statefulset spec".*--cascade=orphan.*keeps its old size/);
            const text = formatDiff(diffDocuments(document([chart]), document([grown])), "diff");
            expect(text).to.include("~ kubernetes:helm.sh/v4:Chart authentik-chart\n    values.postgresql.primary.persistence.size: \"2Gi\" → \"5Gi\"\n    ! PostgreSQL's volume size");
        });

        it("accepts only render documents as the earlier side", () => {
            expect(() => parseRenderDocument("{}", "x.json")).to.throw(/not an offline render document/);
            expect(() => parseRenderDocument("nope", "x.json")).to.throw(/not JSON/);
            expect(() => parseRenderDocument("\n> homelab-sso@0.1.0 render\n> ts-node scripts/render.ts --stack prod --json\n\n{}", "before.json")).to.throw(
                /not JSON [\s\S]*npm's banner: make it with `npm run -s render -- --stack <name> --json`/,
            );
            expect(parseRenderDocument(JSON.stringify(document([namespace])), "x.json").resources).to.have.length(1);
        });
    });
});

describe("render: protection (issue 13 §3)", () => {
    it("marks protected resources in the tree, says so for a removal, and shows a protection change", async function () {
        // Two evaluations of the prod stack: allow for a loaded machine.
        this.timeout(120_000);
        const { buildRenderDocument, scrubberFor } = await import("../../scripts/lib/renderDocument");
        const { diffDocuments, formatDiff } = await import("../../scripts/lib/renderDiff");
        const { formatResourceTree } = await import("../../scripts/lib/renderTree");
        const { evaluateStack, acknowledgeDataLoss } = await import("../support/stacks");
        const evaluation = await evaluateStack("prod");
        const document = buildRenderDocument(evaluation, scrubberFor(evaluation));
        const tree = formatResourceTree(document.resources).join("\n");
        expect(tree).to.match(/kubernetes:core\/v1:Namespace grafana-namespace \[protected\]/);
        expect(tree).to.match(/kubernetes:helm\.sh\/v3:Release argocd-release \[protected\]/);
        expect(tree).to.match(/kubernetes:helm\.sh\/v4:Chart grafana-chart$/m);

        const acknowledged = await evaluateStack("prod", { set: acknowledgeDataLoss("prod", "grafana") });
        const unprotected = buildRenderDocument(acknowledged, scrubberFor(acknowledged));
        const run1 = formatDiff(diffDocuments(document, unprotected), "diff");
        expect(run1).to.include("~ kubernetes:core/v1:Namespace grafana-namespace\n    (protect): true → false");
        expect(run1).to.include("0 to add, 0 to remove, 1 to change");

        const removed = { ...document, resources: document.resources.filter((r) => r.name !== "grafana-namespace") };
        const refused = formatDiff(diffDocuments(document, removed), "diff");
        expect(refused.replace(/\n\s+/g, " ")).to.include('deletes namespace "monitoring" and everything in it (workloads, Secrets, PersistentVolumeClaims and their data); it is protected, so `pulumi up` refuses to delete it');
    });
});
