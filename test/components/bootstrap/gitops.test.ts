import { expect } from "chai";
import { Evaluation, evaluateProgram, isSecretEnvelope } from "../../../scripts/lib/mockRuntime";
import { KNOWN_SECRETS, committedStack, onlyResource, stackConfig } from "../../support/stacks";

describe("GitOpsBootstrap", () => {
    let prod: Evaluation;
    let dev: Evaluation;
    before(async () => {
        prod = await committedStack("prod");
        dev = await committedStack("dev");
    });

    it("prod: writes ESO's Infisical machine identity from secret config, as a Pulumi secret", () => {
        const secret = onlyResource(prod, "kubernetes:core/v1:Secret", "bootstrap-eso-machine-identity").inputs as any;
        expect(secret.metadata).to.deep.include({ name: "infisical-machine-identity", namespace: "external-secrets" });
        expect(isSecretEnvelope(secret.stringData)).to.equal(true);
        expect(secret.stringData.value).to.deep.equal({
            clientId: KNOWN_SECRETS["homelab-sso:infisicalClientId"],
            clientSecret: KNOWN_SECRETS["homelab-sso:infisicalClientSecret"],
        });
    });

    it("prod: creates the ClusterSecretStore infisical as today", () => {
        const store = onlyResource(prod, "kubernetes:external-secrets.io/v1:ClusterSecretStore", "bootstrap-cluster-secret-store").inputs as any;
        expect(store.metadata.name).to.equal("infisical");
        const ref = (key: string) => ({ name: "infisical-machine-identity", namespace: "external-secrets", key });
        expect(store.spec.provider.infisical).to.deep.equal({
            hostAPI: "http://infisical-infisical-standalone-infisical.infisical.svc.cluster.local:8080",
            auth: { universalAuthCredentials: { clientId: ref("clientId"), clientSecret: ref("clientSecret") } },
            secretsScope: { projectSlug: "homelab", environmentSlug: "prod", secretsPath: "/" },
        });
    });

    it("prod: creates the root App-of-Apps after the ArgoCD release", () => {
        const app = onlyResource(prod, "kubernetes:argoproj.io/v1alpha1:Application", "bootstrap-root-application");
        const spec = (app.inputs as any).spec;
        expect((app.inputs as any).metadata).to.deep.include({ name: "argocd-apps", namespace: "argocd" });
        expect(spec.source).to.deep.equal({ repoURL: "git@github.com:holdennguyen/homelab.git", targetRevision: "HEAD", path: "k8s/apps/argocd" });
        expect(spec.syncPolicy.automated).to.deep.equal({ prune: true, selfHeal: true });
        const release = onlyResource(prod, "kubernetes:helm.sh/v3:Release", "argocd-release");
        expect(app.dependencies).to.include(release.urn);
    });

    it("dev: has no bootstrap at all", () => {
        expect(dev.resources.filter((r) => r.name.startsWith("bootstrap"))).to.deep.equal([]);
    });

    it("requires the machine identity secrets when esoMachineIdentity is on, naming the keys", async () => {
        const missing = await evaluateProgram({ stack: "prod", ...stackConfig("prod", { secrets: { "authentik:token": "x" } }) }).then(
            () => undefined,
            (err: Error) => err,
        );
        expect(missing?.message).to.include("homelab-sso:infisicalClientId: is required when homelab-sso:bootstrap.esoMachineIdentity is true");
        expect(missing?.message).to.include("homelab-sso:infisicalClientSecret: is required");
    });
});
