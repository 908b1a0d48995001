import { expect } from "chai";
import { RETAINED_CHART_OBJECT_TYPES, retainChartData } from "../../../components/helm/dataRetention";

describe("components/helm/dataRetention", () => {
    it("the chart transform retains PersistentVolumeClaims and CRDs only", async () => {
        const args = (type: string) => ({ custom: true, type, name: `grafana-chart:monitoring/x`, props: { metadata: { name: "x" } }, opts: {} });
        for (const type of RETAINED_CHART_OBJECT_TYPES) {
            expect((await retainChartData(args(type)))?.opts.retainOnDelete, type).to.equal(true);
        }
        expect(RETAINED_CHART_OBJECT_TYPES).to.include.members(["kubernetes:core/v1:PersistentVolumeClaim", "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition"]);
        for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:core/v1:Service", "kubernetes:core/v1:Secret"]) {
            expect(await retainChartData(args(type)), type).to.equal(undefined);
        }
    });
});
