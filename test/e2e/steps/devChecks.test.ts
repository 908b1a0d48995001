/** The dev-checks step's pure parts (e2e/steps/devChecks.ts): secret leaves of an export, a Helm release's objects. */
import { expect } from "chai";
import { gzipSync } from "zlib";
import { helmReleaseObjects, objectLabel, secretLeaves } from "../../../e2e/steps/devChecks";

const SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

describe("e2e dev-checks", () => {
    it("finds every string leaf of a decrypted secret, with the resource and path it sits at", () => {
        const exported = {
            deployment: {
                resources: [
                    { urn: "urn:a", type: "random:index/randomPassword:RandomPassword", outputs: { length: 32, result: { ...SIG, plaintext: JSON.stringify("p4ssw0rd-p4ssw0rd") } } },
                    { urn: "urn:b", type: "kubernetes:core/v1:Secret", outputs: { data: { ...SIG, plaintext: JSON.stringify({ a: "eA==", list: ["x", 1] }) } } },
                    { urn: "urn:c", type: "kubernetes:core/v1:ConfigMap", outputs: { data: { a: "plain" } } },
                ],
            },
        };
        expect(secretLeaves(exported)).to.deep.equal([
            { at: "urn:a outputs.result", value: "p4ssw0rd-p4ssw0rd" },
            { at: "urn:b outputs.data.a", value: "eA==" },
            { at: "urn:b outputs.data.list[0]", value: "x" },
        ]);
        expect(secretLeaves({ result: undefined }, "urn:x")).to.deep.equal([]);
    });

    it("reads a Helm release's objects from its storage Secret (base64 of base64(gzip(JSON))), in the release's namespace by default", () => {
        const manifest = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argocd-server\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: argocd-server\n  namespace: other\n";
        const helm = gzipSync(Buffer.from(JSON.stringify({ name: "argocd", namespace: "argocd", manifest }))).toString("base64");
        const data = Buffer.from(helm).toString("base64");
        const objects = helmReleaseObjects(data);
        expect(objects.map((o) => objectLabel({ kind: o.kind, ...o.metadata }))).to.deep.equal(["Deployment argocd/argocd-server", "Service other/argocd-server"]);
        expect(objectLabel({ kind: "Namespace", name: "authentik" })).to.equal("Namespace authentik");
    });
});
