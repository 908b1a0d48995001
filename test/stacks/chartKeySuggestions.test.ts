/** Which key the "did you mean" of an unread pass-through key names, when several are near. */
import { expect } from "chai";
import { nearestReadKey } from "../../stacks/chartKeys";

const KPS = ["kube-prometheus-stack", "82.1.0"] as const;

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
