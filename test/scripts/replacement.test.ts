/**
 * scripts/lib/replacement.ts: which changed keys make a provider replace a resource, by the providers' own rules.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { AUTHENTIK_FORCE_NEW, kubernetesForceNewFields, replacingPaths } from "../../scripts/lib/replacement";
import { ROOT } from "../support/stacks";

const k8s = (apiVersion: string, kind: string) => ({ type: `kubernetes:x:${kind}`, custom: true, inputs: { apiVersion, kind } });

describe("replacement rules (scripts/lib/replacement.ts)", () => {
    it("replaces any Kubernetes object on a new metadata.name or metadata.namespace, never on labels or annotations", () => {
        for (const [apiVersion, kind] of [["v1", "Namespace"], ["external-secrets.io/v1", "ExternalSecret"], ["apps/v1", "Deployment"]]) {
            expect(replacingPaths(k8s(apiVersion, kind), ["metadata.name", "metadata.namespace", 'metadata.labels["a.b/c"]', "metadata.annotations.x"])).to.deep.equal([
                "metadata.name",
                "metadata.namespace",
            ]);
        }
    });

    it("knows the immutable fields of the kinds the program and its charts make", () => {
        expect(replacingPaths(k8s("apps/v1", "StatefulSet"), ["spec.volumeClaimTemplates[0].spec.resources.requests.storage", "spec.serviceName", "spec.replicas", "spec.template.spec.containers[0].image"])).to.deep.equal([
            "spec.volumeClaimTemplates[0].spec.resources.requests.storage",
            "spec.serviceName",
        ]);
        expect(replacingPaths(k8s("apps/v1", "Deployment"), ["spec.selector.matchLabels.app", "spec.template.metadata.labels.app"])).to.deep.equal(["spec.selector.matchLabels.app"]);
        expect(replacingPaths(k8s("v1", "Secret"), ["type", 'stringData["client-secret"]', "metadata.labels.a"])).to.deep.equal(["type", 'stringData["client-secret"]']);
        expect(replacingPaths(k8s("v1", "ConfigMap"), ["data.ca.crt", 'data["ca.crt"]'])).to.deep.equal(["data.ca.crt", 'data["ca.crt"]']);
        expect(replacingPaths(k8s("v1", "Service"), ["spec.clusterIP", "spec.ports[0].nodePort"])).to.deep.equal(["spec.clusterIP"]);
        expect(replacingPaths(k8s("v1", "PersistentVolumeClaim"), ["spec.storageClassName", "spec.resources.requests.storage"])).to.deep.equal(["spec.storageClassName"]);
        expect(replacingPaths(k8s("v1", "Pod"), ["spec.containers[2].image", "metadata.labels.a"])).to.deep.equal(["spec.containers[2].image"]);
        expect(kubernetesForceNewFields("policy/v1", "PodDisruptionBudget")).to.deep.equal(["metadata.name", "metadata.namespace"]);
        expect(kubernetesForceNewFields("policy/v1beta1", "PodDisruptionBudget")).to.include("spec");
    });

    it("applies the earlier kind's rules too when the kind changes", () => {
        expect(replacingPaths(k8s("v1", "ConfigMap"), ["type"], { apiVersion: "v1", kind: "Secret" })).to.deep.equal(["type"]);
    });

    it("replaces a Helm release or chart on a new name or namespace, not on new values or versions", () => {
        for (const type of ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"]) {
            expect(replacingPaths({ type, custom: type.includes("v3"), inputs: {} }, ["namespace", "name", "values.replicas", "version"])).to.deep.equal(["namespace", "name"]);
        }
    });

    it("replaces a random resource on any input change, never on a protection or parent change", () => {
        const password = { type: "random:index/randomPassword:RandomPassword", custom: true, inputs: {} };
        expect(replacingPaths(password, ["keepers.rotation", "length", "(protect)", "(parent)"])).to.deep.equal(["keepers.rotation", "length"]);
    });

    it("updates every Authentik resource the program makes in place (no force-new field in terraform-provider-authentik 2025.12.1)", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "authentik-schema-2025.12.1.json"), "utf8")) as {
            resources: { [tf: string]: { token: string; properties: { [name: string]: { tf: { [flag: string]: unknown } } } } };
        };
        for (const { token, properties } of Object.values(schema.resources)) {
            const flagged = Object.entries(properties).filter(([, p]) => p.tf.forceNew === true).map(([name]) => name);
            expect(AUTHENTIK_FORCE_NEW[token] ?? [], token).to.deep.equal(flagged);
            expect(replacingPaths({ type: token, custom: true, inputs: {} }, Object.keys(properties)), token).to.deep.equal([]);
        }
        expect(replacingPaths({ type: "authentik:index/rbacPermissionRole:RbacPermissionRole", custom: true, inputs: {} }, ["role", "objectId"])).to.deep.equal(["role", "objectId"]);
    });
});
