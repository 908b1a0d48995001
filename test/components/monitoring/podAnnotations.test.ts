/** Grafana's pods carry the client-secret generation annotation only when the secret is delivered with one. */
import { expect } from "chai";
import { GRAFANA_SECRET_GENERATION_ANNOTATION, grafanaSsoValues } from "../../../components/monitoring/values";
import { grafanaTestConfig } from "../../support/deployments";

describe("Grafana pod annotations (grafanaSsoValues)", () => {
    const grafanaOf = (clientSecretGeneration?: string) =>
        (
            grafanaSsoValues({
                ...grafanaTestConfig(),
                publicUrl: "https://grafana.example.net",
                clientId: "grafana",
                authorizeUrl: "https://auth.example.net/application/o/authorize/",
                tokenUrl: "https://auth.example.net/application/o/token/",
                apiUrl: "https://auth.example.net/application/o/userinfo",
                endSessionUrl: "https://auth.example.net/application/o/grafana/end-session/",
                ...(clientSecretGeneration !== undefined ? { clientSecretGeneration } : {}),
            }) as { grafana: { [key: string]: unknown } }
        ).grafana;

    it("has no podAnnotations key without a generation, and the annotation with one", () => {
        expect(grafanaOf()).to.not.have.property("podAnnotations");
        expect(grafanaOf("3").podAnnotations).to.deep.equal({ [GRAFANA_SECRET_GENERATION_ANNOTATION]: "3" });
    });
});
