// Tests of e2e/steps/migration.ts's pure parts: today's Authentik objects as ArgoCD applies them (from
// the prod stack's state), and the API paths they are applied at. The step runs in `npm run e2e`.
import { expect } from "chai";
import { collectionOf, todaysAuthentikObjects } from "../../../e2e/steps/migration";

const CHART = "urn:pulumi:prod::homelab-sso::homelab:authentik:Platform$kubernetes:helm.sh/v4:Chart";

function deployment(name: string): any {
    return {
        urn: `${CHART}$kubernetes:apps/v1:Deployment::authentik-chart:authentik/${name}`,
        inputs: {
            apiVersion: "apps/v1", kind: "Deployment",
            metadata: { name, namespace: "authentik", annotations: { "pulumi.com/patchFieldManager": "argocd-controller", "pulumi.com/skipAwait": "true", keep: "me" } },
            spec: { template: { spec: { containers: [{ name: "main", securityContext: { runAsNonRoot: true } }] } } },
        },
    };
}

const STATE = [
    { urn: "urn:pulumi:prod::homelab-sso::homelab:authentik:Platform$kubernetes:core/v1:Namespace::authentik-namespace",
        inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "authentik", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } } },
    { urn: "urn:pulumi:prod::homelab-sso::homelab:authentik:Platform$kubernetes:external-secrets.io/v1:ExternalSecret::authentik-credentials",
        inputs: { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "authentik-secret", namespace: "authentik" } } },
    deployment("authentik-server"),
    deployment("authentik-worker"),
    { urn: "urn:pulumi:prod::homelab-sso::homelab:monitoring:Grafana$kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::grafana-chart:monitoring/monitoring-grafana",
        inputs: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "monitoring-grafana", namespace: "monitoring" }, spec: {} } },
];

describe("e2e migration (e2e/steps/migration.ts)", () => {
    it("takes the Authentik chart's objects, its namespace (first) and its ExternalSecret, nothing of other namespaces", () => {
        const objects = todaysAuthentikObjects(STATE, "authentik");
        expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal(
            ["Namespace/authentik", "ExternalSecret/authentik-secret", "Deployment/authentik-server", "Deployment/authentik-worker"]);
    });

    it("drops the annotations only Pulumi adds, and leaves the state untouched", () => {
        const objects = todaysAuthentikObjects(STATE, "authentik");
        expect(objects[2].metadata.annotations).to.deep.equal({ keep: "me" });
        expect(STATE[2].inputs.metadata.annotations).to.have.property("pulumi.com/patchFieldManager");
        expect(STATE[2].inputs.spec.template.spec.containers[0]).to.have.property("securityContext");
    });

    it("gives today's objects what today's sync sets differently: blueprints on the worker only, no securityContext, another enforce label", () => {
        const [ns, , server, worker] = todaysAuthentikObjects(STATE, "authentik");
        expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("baseline");
        expect(server.spec.template.spec.containers[0]).to.not.have.property("securityContext");
        expect(server.spec.template.spec.volumes).to.equal(undefined);
        expect(worker.spec.template.spec.volumes).to.deep.equal([{ name: "authentik-blueprints", configMap: { name: "authentik-blueprints" } }]);
        expect(worker.spec.template.spec.containers[0].volumeMounts[0].name).to.equal("authentik-blueprints");
    });

    it("fails the step when the state lacks the namespace or the ExternalSecret", () => {
        expect(() => todaysAuthentikObjects(STATE.slice(1), "authentik")).to.throw(/authentik-namespace and authentik-credentials/);
    });

    it("applies at the kind's collection, namespaced or cluster-scoped, and refuses an unknown kind", () => {
        expect(collectionOf({ apiVersion: "v1", kind: "Namespace", metadata: { name: "authentik" } })).to.equal("/api/v1/namespaces");
        expect(collectionOf({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "x", namespace: "authentik" } }))
            .to.equal("/apis/apps/v1/namespaces/authentik/statefulsets");
        expect(collectionOf({ apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "x", namespace: "a" } }))
            .to.equal("/apis/external-secrets.io/v1/namespaces/a/externalsecrets");
        expect(() => collectionOf({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "j", namespace: "a" } })).to.throw(/found Job j/);
    });
});
