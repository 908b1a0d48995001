import { expect } from "chai";
import * as fs from "fs";
import { generateIndexes } from "../../scripts/chart-index";
import { buildChartIndex, checkAllowlist } from "../../scripts/lib/chartIndex";
import { chartReads, hasChartIndex, indexedVersions, nearestReadKey, unreadKeys, versionsIn } from "../../stacks/chartKeys";
import { ConfigProblem } from "../../stacks/validation";
import { KNOWN_SECRETS, readStackFile, stackConfigProblems } from "../support/stacks";

const KPS = ["kube-prometheus-stack", "82.1.0"] as const;

function problemsOf(stack: string, set: { [key: string]: unknown }): ConfigProblem[] {
    return stackConfigProblems(stack, { set, secrets: stack === "prod" ? { ...KNOWN_SECRETS } : {} });
}

/** The prod Grafana section with `extraValues` changed by `edit`. */
function prodGrafana(edit: (extra: any) => void): { [key: string]: unknown } {
    const grafana = JSON.parse(JSON.stringify(readStackFile("prod")["homelab-sso:grafana"]));
    edit(grafana.extraValues);
    return { "homelab-sso:grafana": grafana };
}

describe("chart key index (charts/index, stacks/chartKeys)", () => {
    it("is committed exactly as npm run chart-index derives it from charts/upstream and charts/allowlist.json", () => {
        const generated = generateIndexes();
        expect(generated.map((g) => g.file.split("/").pop())).to.have.members([
            "argo-cd-7.8.0.json",
            "authentik-2025.12.4.json",
            "kube-prometheus-stack-82.1.0.json",
        ]);
        for (const { file, text } of generated) {
            expect(fs.readFileSync(file, "utf8") === text, `${file} is stale: run npm run chart-index`).to.equal(true);
        }
    });

    it("tells read keys, keys handed on whole, free-form maps and unknown keys apart", () => {
        expect(chartReads(...KPS, ["grafana", "replicas"])).to.equal("read");
        expect(chartReads(...KPS, ["kube-state-metrics", "replicas"])).to.equal("read");
        expect(chartReads(...KPS, ["grafana", "grafana.ini", "server", "root_url"])).to.equal("handedOnWhole");
        expect(chartReads(...KPS, ["prometheus", "prometheusSpec", "storageSpec", "volumeClaimTemplate"])).to.equal("handedOnWhole");
        expect(chartReads(...KPS, ["defaultRules", "disabled", "KubeCPUOvercommit"])).to.equal("freeForm");
        expect(chartReads(...KPS, ["grafana", "replicaCount"])).to.equal("unknown");
        expect(chartReads(...KPS, ["kubeStateMetrics", "replicaCount"])).to.equal("unknown");
        expect(chartReads(...KPS, ["prometheusOperator", "replicaCount"])).to.equal("unknown");
        // A scalar default has no keys below it.
        expect(chartReads(...KPS, ["grafana", "replicas", "count"])).to.equal("unknown");
        expect(chartReads("argo-cd", "7.8.0", ["server", "service", "nodePortHttp"])).to.equal("read");
        expect(chartReads("argo-cd", "7.8.0", ["server", "service", "nodePorts"])).to.equal("unknown");
        expect(chartReads("argo-cd", "7.8.0", ["configs", "cm", "oidc.config"])).to.equal("handedOnWhole");
    });

    it("suggests the nearest key the chart reads", () => {
        expect(nearestReadKey(...KPS, ["grafana", "replicaCount"])).to.equal("grafana.replicas");
        expect(nearestReadKey(...KPS, ["kubeStateMetrics", "replicas"])).to.equal("kube-state-metrics.replicas");
        expect(nearestReadKey(...KPS, ["kubeStateMetrics", "replicaCount"])).to.equal("kube-state-metrics.replicas");
        expect(nearestReadKey("argo-cd", "7.8.0", ["server", "service", "nodePorts", "http"])).to.equal("server.service.nodePortHttp");
        // A suggestion is a likely typo: at most 2 edits, or half the last segment's letters.
        expect(nearestReadKey(...KPS, ["grafana", "persistence", "qqqqqqqqqqqqqqqq"])).to.equal(undefined);
        expect(nearestReadKey(...KPS, ["grafana", "persistence", "sizexx"])).to.equal("grafana.persistence.size");
        expect(nearestReadKey(...KPS, ["grafana", "persistence", "qqqe"])).to.equal(undefined);
        expect(nearestReadKey(...KPS, ["grafana", "persistence", "zize"])).to.equal("grafana.persistence.size");
    });

    it("walks objects, stops below keys handed on whole or free-form, and never walks into lists", () => {
        expect(
            unreadKeys(...KPS, {
                grafana: { replicas: 0, "grafana.ini": { anything: { at: "all" } }, extraConfigmapMounts: [{ nonsense: true }], replicaCount: 0 },
                defaultRules: { disabled: { AnyRule: true } },
                nodeExporter: { enabled: false, replicas: 1 },
            }).map((u) => u.path.join(".")),
        ).to.deep.equal(["grafana.replicaCount", "nodeExporter.replicas"]);
    });

    it("builds subchart values under their key, maps a subchart's global.* reads to the top, skips library charts, never treats a subchart root as handed on whole, and treats {} and null as free-form", () => {
        const index = buildChartIndex({
            chart: "parent",
            version: "1.0.0",
            values: "replicas: 1\npodAnnotations: {}\nextra: ~\nlist: [a]\nnested:\n  key: 1\n",
            subchartValues: { child: "replicas: 2\nresources: {}\n" },
            templateKeys: {
                chart: "parent",
                version: "1.0.0",
                read: ["nested.viaTemplate"],
                // "child": the parent hands the subchart's map to a helper; that is not "anything goes".
                handedOnWhole: ["tolerations", "child"],
                subcharts: {
                    child: { chart: "child", version: "2.0.0", read: ["image.tag", "global.imageRegistry"], handedOnWhole: ["env"] },
                    common: { chart: "common", version: "2.0.0", read: ["path.to.the.Value"] },
                },
            },
            allowlist: [{ chart: "parent", version: "1.0.0", key: "hidden.key", use: "read", template: "templates/deployment.yaml: $x := .Values.hidden; $x.key" }],
        });
        expect(index.read).to.include.members(["replicas", "nested", "nested.key", "nested.viaTemplate", "child", "child.replicas", "child.image", "child.image.tag", "global.imageRegistry", "hidden.key"]);
        expect(index.read).to.not.include("child.global.imageRegistry");
        expect(index.read.filter((k) => k.includes("path.to"))).to.deep.equal([]);
        expect(index.handedOnWhole).to.deep.equal(["child.env", "tolerations"]);
        expect(index.freeForm).to.deep.equal(["child.resources", "extra", "podAnnotations"]);
        expect(index.allowlisted.map((e) => e.key)).to.deep.equal(["hidden.key"]);
    });

    it("refuses an allowlist entry that does not cite the template that reads the key", () => {
        expect(checkAllowlist([{ chart: "argo-cd", version: "7.8.0", key: "server.foo", use: "read" }])).to.have.length(1);
        expect(checkAllowlist([{ chart: "argo-cd", version: "7.8.0", key: "server.foo", use: "read", template: "templates/argocd-server/deployment.yaml: $s.foo" }])).to.deep.equal([]);
        expect(checkAllowlist([{ chart: "argo-cd", version: "7.8.0", key: "server.foo", use: "maybe", template: "templates/x.yaml" }])).to.have.length(1);
    });

    for (const stack of ["prod", "dev"]) {
        it(`finds every pass-through key of Pulumi.${stack}.yaml in the chart index`, () => {
            const file = readStackFile(stack);
            for (const [section, chart] of [
                ["homelab-sso:argocd", "argo-cd"],
                ["homelab-sso:grafana", "kube-prometheus-stack"],
            ] as const) {
                const entry = file[section] as { chartVersion: string; extraValues?: object } | undefined;
                if (entry?.extraValues !== undefined) {
                    expect(unreadKeys(chart, entry.chartVersion, entry.extraValues), `${stack} ${section}`).to.deep.equal([]);
                }
            }
        });
    }

    describe("pass-through values in stack config", () => {
        it("refuses every key the chart does not read, all at once, each with the nearest read key", () => {
            const problems = problemsOf(
                "prod",
                prodGrafana((extra) => {
                    extra.grafana.replicaCount = 0;
                    extra.kubeStateMetrics.replicas = 0;
                    extra.prometheusOperator = { replicaCount: 0 };
                }),
            );
            const byKey = Object.fromEntries(problems.map((p) => [p.key, p.message]));
            expect(Object.keys(byKey)).to.have.members([
                "homelab-sso:grafana.extraValues.grafana.replicaCount",
                "homelab-sso:grafana.extraValues.kubeStateMetrics.replicas",
                "homelab-sso:grafana.extraValues.prometheusOperator.replicaCount",
            ]);
            expect(byKey["homelab-sso:grafana.extraValues.grafana.replicaCount"]).to.include("did you mean `grafana.replicas`?");
            expect(byKey["homelab-sso:grafana.extraValues.kubeStateMetrics.replicas"]).to.include("did you mean `kube-state-metrics.replicas`?");
            expect(byKey["homelab-sso:grafana.extraValues.grafana.replicaCount"]).to.include("kube-prometheus-stack 82.1.0");
        });

        it("refuses today's ArgoCD NodePort spelling server.service.nodePorts, pointing to homelab-sso:argocd.nodePorts", () => {
            const argocd = { ...(readStackFile("prod")["homelab-sso:argocd"] as object), extraValues: { server: { service: { nodePorts: { http: 30080 } } } } };
            const problems = problemsOf("prod", { "homelab-sso:argocd": argocd });
            const problem = problems.find((p) => p.key === "homelab-sso:argocd.extraValues.server.service.nodePorts.http");
            expect(problem, JSON.stringify(problems)).to.not.equal(undefined);
            expect(problem!.message).to.include("set by the program from homelab-sso:argocd.nodePorts");
        });

        it("accepts keys below a map handed on whole and in free-form maps", () => {
            const problems = problemsOf(
                "prod",
                prodGrafana((extra) => {
                    extra.grafana.podAnnotations = { "example.com/anything": "x" };
                    extra.grafana["grafana.ini"] = { dashboards: { default_home_dashboard_path: "/tmp/x.json" } };
                    extra.defaultRules = { disabled: { KubeCPUOvercommit: true } };
                }),
            );
            expect(problems).to.deep.equal([]);
        });

        for (const [section, version] of [
            ["homelab-sso:argocd", "7.9.0"],
            ["homelab-sso:grafana", "82.2.0"],
            ["homelab-sso:authentik", "2026.2.0"],
        ] as const) {
            it(`refuses a chartVersion without a committed key index, naming ${section}.chartVersion`, () => {
                const value = { ...(readStackFile("prod")[section] as object), chartVersion: version };
                const problems = problemsOf("prod", { [section]: value });
                const problem = problems.find((p) => p.key === `${section}.chartVersion`);
                expect(problem, JSON.stringify(problems)).to.not.equal(undefined);
                expect(problem!.message).to.match(/has no committed key index/).and.match(/npm run chart-index/);
            });
        }
    });

    describe("a chart version without a committed key index", () => {
        it("has no index, and the indexed versions of each chart are listed from charts/index/", () => {
            expect(hasChartIndex("argo-cd", "9.9.9")).to.equal(false);
            expect(hasChartIndex("argo-cd", "7.8.0")).to.equal(true);
            expect(indexedVersions("argo-cd")).to.deep.equal(["7.8.0"]);
            expect(indexedVersions("kube-prometheus-stack")).to.deep.equal(["82.1.0"]);
            expect(indexedVersions("no-such-chart")).to.deep.equal([]);
        });

        it("throws when asked what the chart reads, naming the chart, the version and charts/index/", () => {
            expect(() => chartReads("argo-cd", "9.9.9", ["server", "replicas"])).to.throw(Error, /^no key index for argo-cd 9\.9\.9 in charts\/index\/$/);
        });

        it("suggests no key", () => {
            expect(nearestReadKey("argo-cd", "9.9.9", ["server", "replica"])).to.equal(undefined);
            expect(nearestReadKey("argo-cd", "7.8.0", ["server", "replica"])).to.equal("server.replicas");
        });

        it("refuses a name or version that could leave charts/index/", () => {
            expect(hasChartIndex("../index/argo-cd", "7.8.0")).to.equal(false);
            expect(hasChartIndex("argo-cd", "7.8.0/../7.8.0")).to.equal(false);
            // Each resolves to the committed argo-cd-7.8.0.json if a pattern were not anchored at both ends.
            expect(hasChartIndex("argo-cd/../argo-cd", "7.8.0")).to.equal(false);
            expect(hasChartIndex("argo-cd", "7.8.0/../../index/argo-cd-7.8.0")).to.equal(false);
            expect(hasChartIndex("argo-cd", "7.8.0")).to.equal(true);
        });
    });
});

/** Which chart versions have a committed key index, read from the index's file names. */
describe("indexed chart versions (versionsIn)", () => {
    it("lists a chart's versions sorted, ignoring other charts, other files and names that are no version", () => {
        const files = ["argo-cd-7.9.1.json", "argo-cd-7.8.0.json", "argo-cd-extra-1.0.0.json", "argo-cd-notes.json", "argo-cd-7.8.0.txt", "grafana-8.0.0.json", "README.md"];
        expect(versionsIn("argo-cd", files)).to.deep.equal(["7.8.0", "7.9.1"]);
        expect(versionsIn("grafana", files)).to.deep.equal(["8.0.0"]);
        expect(versionsIn("authentik", files)).to.deep.equal([]);
    });
});

/** Which key the "did you mean" of an unread pass-through key names, when several are near. */
describe("chart key suggestions (nearestReadKey)", () => {
    it("suggests a key as many letters longer as the limit allows (the length skip never hides an allowed key)", () => {
        // `si` is 2 edits from `size`, and 2 is the limit for a 2-letter segment.
        expect(nearestReadKey(...KPS, ["grafana", "persistence", "si"])).to.equal("grafana.persistence.size");
    });

    it("prefers the shorter of two equally near keys", () => {
        // One edit from both `KubeNodeNotReady` (first in the chart's key order) and `KubePodNotReady`.
        expect(nearestReadKey(...KPS, ["defaultRules", "disabled", "KubePodeNotReady"])).to.equal("defaultRules.disabled.KubePodNotReady");
    });

    it("between equally near keys of one length, keeps the first in the chart's key order", () => {
        // Two edits from both `sha` and `tag`; `sha` comes first.
        expect(nearestReadKey(...KPS, ["grafana", "image", "tga"])).to.equal("grafana.image.sha");
    });
});

/** A key that is itself handed on whole (or free-form) is so, not only the keys below it. */
describe("chart key use of a whole path (chartReads)", () => {
    it("answers handedOnWhole for the key handed on and below it, and read for a plain key", () => {
        expect(chartReads("kube-prometheus-stack", "82.1.0", ["grafana", "resources"])).to.equal("handedOnWhole");
        expect(chartReads("kube-prometheus-stack", "82.1.0", ["grafana", "resources", "limits"])).to.equal("handedOnWhole");
        expect(chartReads("kube-prometheus-stack", "82.1.0", ["grafana", "replicas"])).to.equal("read");
        expect(chartReads("kube-prometheus-stack", "82.1.0", ["grafana", "replicaz"])).to.equal("unknown");
    });
});
