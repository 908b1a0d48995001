/** Without Infisical the program writes Authentik's credentials Secret itself, labelled as the chart's release expects. */
import { expect } from "chai";
import { committedStack, onlyResource } from "../../support/stacks";

describe("Authentik credentials Secret (pulumi mode, dev stack)", () => {
    it("carries the labels of the authentik release", async () => {
        const secret = onlyResource(await committedStack("dev"), "kubernetes:core/v1:Secret", "authentik-credentials");
        expect((secret.inputs.metadata as { labels: unknown }).labels).to.deep.equal(AUTHENTIK_LABELS);
    });
});

const AUTHENTIK_LABELS = { "app.kubernetes.io/name": "authentik", "app.kubernetes.io/instance": "authentik" };
