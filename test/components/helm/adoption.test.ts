import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { CHART_FIELD_MANAGER, FIELD_MANAGER_ANNOTATION, applyUnderArgoCdFieldManager } from "../../../components/helm/adoption";
import { Evaluation } from "../../../scripts/lib/mockRuntime";
import { committedStack, onlyResource } from "../../support/stacks";

function transformArgs(type: string, props: pulumi.Inputs, custom = true): pulumi.ResourceTransformArgs {
    return { custom, type, name: "authentik-chart:authentik/authentik-server", props, opts: {} };
}

async function applyTransform(transform: pulumi.ResourceTransform, args: pulumi.ResourceTransformArgs) {
    return await transform(args);
}

describe("chart adoption (field manager of ArgoCD's syncs)", () => {
    it("is the manager name ArgoCD's server-side apply syncs use", () => {
        expect(CHART_FIELD_MANAGER).to.equal("argocd-controller");
        expect(FIELD_MANAGER_ANNOTATION).to.equal("pulumi.com/patchFieldManager");
    });

    it("annotates every object a chart renders and keeps its other annotations, labels and pod template", async () => {
        const deployment = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "authentik-server", namespace: "authentik", labels: { a: "b" }, annotations: { keep: "me" } },
            spec: { template: { metadata: { annotations: { "checksum/secret": "x" } }, spec: { containers: [] } } },
        };
        const result = await applyTransform(applyUnderArgoCdFieldManager, transformArgs("kubernetes:apps/v1:Deployment", deployment));
        expect(result?.props.metadata).to.deep.equal({
            name: "authentik-server",
            namespace: "authentik",
            labels: { a: "b" },
            annotations: { keep: "me", "pulumi.com/patchFieldManager": "argocd-controller" },
        });
        expect(result?.props.spec).to.deep.equal(deployment.spec);
        expect(deployment.metadata.annotations).to.deep.equal({ keep: "me" });

        const crd = await applyTransform(
            applyUnderArgoCdFieldManager,
            transformArgs("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", { metadata: { name: "prometheuses.monitoring.coreos.com" } }),
        );
        expect(crd?.props.metadata.annotations).to.deep.equal({ "pulumi.com/patchFieldManager": "argocd-controller" });
    });

    it("leaves the Chart component itself and non-Kubernetes resources alone", async () => {
        expect(await applyTransform(applyUnderArgoCdFieldManager, transformArgs("kubernetes:helm.sh/v4:Chart", { chart: "authentik" }, false))).to.equal(undefined);
        expect(await applyTransform(applyUnderArgoCdFieldManager, transformArgs("random:index/randomPassword:RandomPassword", { length: 3 }))).to.equal(undefined);
        expect(await applyTransform(applyUnderArgoCdFieldManager, transformArgs("kubernetes:helm.sh/v3:Release", { metadata: {} }))).to.equal(undefined);
    });

    it("needs all three: a custom resource, a Kubernetes type, and object metadata", async () => {
        // A component whose type starts with kubernetes: (not a rendered object).
        expect(await applyTransform(applyUnderArgoCdFieldManager, transformArgs("kubernetes:apps/v1:Deployment", { metadata: { name: "x" } }, false))).to.equal(undefined);
        // Another provider's resource that happens to have metadata.
        expect(await applyTransform(applyUnderArgoCdFieldManager, transformArgs("random:index/randomPassword:RandomPassword", { metadata: { name: "x" } }))).to.equal(undefined);
        // A Kubernetes resource without object metadata.
        expect(await applyTransform(applyUnderArgoCdFieldManager, transformArgs("kubernetes:core/v1:ConfigMapList", { items: [] }))).to.equal(undefined);
        expect(await applyTransform(applyUnderArgoCdFieldManager, transformArgs("kubernetes:core/v1:ConfigMap", { metadata: "x" }))).to.equal(undefined);
    });

    describe("in the committed stacks", () => {
        let prod: Evaluation;
        before(async () => {
            prod = await committedStack("prod");
        });

        for (const name of ["authentik-chart", "grafana-chart"]) {
            it(`${name} is a helm.v4.Chart whose objects are applied under ArgoCD's field manager`, () => {
                const chart = onlyResource(prod, "kubernetes:helm.sh/v4:Chart", name);
                expect(chart.transforms).to.include(applyUnderArgoCdFieldManager);
            });
        }

        it("argocd-release stays a helm.v3.Release (a Helm release record exists and is imported)", () => {
            const release = onlyResource(prod, "kubernetes:helm.sh/v3:Release", "argocd-release");
            expect(release.transforms).to.deep.equal([]);
        });
    });
});
