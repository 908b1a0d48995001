/**
 * Without Infisical the program writes Grafana's admin Secret itself: user `admin`, a generated
 * 32-character alphanumeric password (no symbols to escape anywhere), and the labels of the Secret
 * the chart would otherwise make, so the chart finds it.
 */
import { expect } from "chai";
import { isSecretEnvelope } from "../../../scripts/lib/mockRuntime";
import { committedStack, onlyResource } from "../../support/stacks";

describe("Grafana admin credentials (pulumi mode, dev stack)", () => {
    it("generates a 32-character password without symbols", async () => {
        const password = onlyResource(await committedStack("dev"), "random:index/randomPassword:RandomPassword", "grafana-admin-password");
        expect(password.inputs).to.deep.equal({ length: 32, special: false });
    });

    it("writes user admin and the generated password, as secrets, into a Secret labelled for the monitoring release", async () => {
        const secret = onlyResource(await committedStack("dev"), "kubernetes:core/v1:Secret", "grafana-admin-credentials");
        expect((secret.inputs.metadata as { labels: unknown }).labels).to.deep.equal({ "app.kubernetes.io/name": "monitoring", "app.kubernetes.io/instance": "monitoring" });
        const stringData = secret.inputs.stringData;
        expect(isSecretEnvelope(stringData), "stringData is a secret").to.equal(true);
        expect((stringData as { value: unknown }).value).to.deep.equal({ "admin-user": "admin", "admin-password": "mock-secret:grafana-admin-password" });
    });
});
