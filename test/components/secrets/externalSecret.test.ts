import { expect } from "chai";
import { ExternalSecretSpecArgs, externalSecretManifest, templateRef } from "../../../components/secrets/externalSecret";

const args = (template: { [key: string]: string }, extra: Partial<ExternalSecretSpecArgs> = {}): ExternalSecretSpecArgs => ({
    name: "app-secret",
    namespace: "apps",
    storeName: "infisical",
    refreshInterval: "1h",
    data: [
        { secretKey: "password", remoteKey: "APP_PASSWORD" },
        { secretKey: "user_2", remoteKey: "APP_USER" },
    ],
    template,
    ...extra,
});

describe("components/secrets/externalSecret", () => {
    it("refuses a template that uses an item no data entry defines, however the expression is spaced", () => {
        for (const expression of ["{{ .missing }}", "{{.missing}}", "{{ .missing}}", "{{.missing }}", "{{   .missing   }}", "{{ .ab }}"]) {
            expect(() => externalSecretManifest(args({ key: `x-${expression}` })), expression).to.throw(
                /^ExternalSecret apps\/app-secret: template key key uses \.(missing|ab), which no data item defines$/,
            );
        }
    });

    it("accepts templates that use only defined items, inside other text, and literals", () => {
        const manifest = externalSecretManifest(args({ url: "postgres://{{ .user_2 }}:{{.password}}@db/app", literal: "plain", ref: templateRef("password") }));
        expect(manifest.spec.target.template.data).to.deep.equal({ url: "postgres://{{ .user_2 }}:{{.password}}@db/app", literal: "plain", ref: "{{ .password }}" });
        expect(manifest.spec.data).to.deep.equal([
            { secretKey: "password", remoteRef: { key: "APP_PASSWORD" } },
            { secretKey: "user_2", remoteRef: { key: "APP_USER" } },
        ]);
    });

    it("labels the ExternalSecret and, separately, the Secret it renders, only when asked", () => {
        const plain = externalSecretManifest(args({ a: "{{ .password }}" }));
        expect(plain.metadata).to.deep.equal({ name: "app-secret", namespace: "apps" });
        expect(plain.spec.target.template).to.deep.equal({ engineVersion: "v2", data: { a: "{{ .password }}" } });
        const labelled = externalSecretManifest(args({ a: "{{ .password }}" }, { labels: { owner: "x" }, targetLabels: { "app.kubernetes.io/part-of": "argocd" } }));
        expect(labelled.metadata.labels).to.deep.equal({ owner: "x" });
        expect(labelled.spec.target.template.metadata).to.deep.equal({ labels: { "app.kubernetes.io/part-of": "argocd" } });
        expect(labelled.spec).to.deep.include({ refreshInterval: "1h", secretStoreRef: { kind: "ClusterSecretStore", name: "infisical" } });
        expect(labelled.spec.target).to.deep.include({ name: "app-secret", creationPolicy: "Owner" });
    });
});
