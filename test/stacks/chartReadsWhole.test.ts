/** A key that is itself handed on whole (or free-form) is so, not only the keys below it. */
import { expect } from "chai";
import { chartReads } from "../../stacks/chartKeys";

describe("chart key use of a whole path (chartReads)", () => {
    it("answers handedOnWhole for the key handed on and below it, and read for a plain key", () => {
        expect(chartReads("kube-prometheus-stack", "82.1.0", ["grafana", "resources"])).to.equal("handedOnWhole");
        expect(chartReads("kube-prometheus-stack", "82.1.0", ["grafana", "resources", "limits"])).to.equal("handedOnWhole");
        expect(chartReads("kube-prometheus-stack", "82.1.0", ["grafana", "replicas"])).to.equal("read");
        expect(chartReads("kube-prometheus-stack", "82.1.0", ["grafana", "replicaz"])).to.equal("unknown");
    });
});
