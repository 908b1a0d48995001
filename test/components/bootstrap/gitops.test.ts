import { expect } from "chai";
import * as path from "path";
import { Evaluation, evaluateProgram, isSecretEnvelope } from "../../../scripts/lib/mockRuntime";
import { rootApplication } from "../../../components/bootstrap/gitops";
import { KNOWN_SECRETS, acknowledgeDataLoss, committedStack, evaluateStack, onlyResource, readStackFile, stackConfig } from "../../support/stacks";

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

    it("prod: the machine-identity Secret is of type Opaque, as today's", () => {
        expect((onlyResource(prod, "kubernetes:core/v1:Secret", "bootstrap-eso-machine-identity").inputs as any).type).to.equal("Opaque");
    });

    it("prod: the root Application deploys into the argocd namespace of the local cluster", () => {
        const spec = (onlyResource(prod, "kubernetes:argoproj.io/v1alpha1:Application", "bootstrap-root-application").inputs as any).spec;
        expect(spec.destination).to.deep.equal({ server: "https://kubernetes.default.svc", namespace: "argocd" });
    });

    it("the component refuses misuse the stack config cannot produce: esoMachineIdentity without an identity, appOfApps without ArgoCD", async () => {
        const program = path.resolve(__dirname, "..", "..", "support", "programs", "gitopsBootstrap.ts");
        const failure = (testCase: string) =>
            evaluateProgram({ stack: "test", program, config: { "test:case": testCase } }).then(
                () => undefined,
                (err: Error) => err.message,
            );
        expect(await failure("noMachineIdentity")).to.include("GitOpsBootstrap: esoMachineIdentity is on but no machine identity was given");
        expect(await failure("noArgocd")).to.include("GitOpsBootstrap: appOfApps needs ArgoCD deployed by this program");
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

    it("the root Application: labelled as part of the homelab's gitops, synced to the local cluster with server-side apply", () => {
        const app = rootApplication("argocd", { name: "argocd-apps", project: "default", repoUrl: "git@github.com:o/r.git", revision: "HEAD", path: "k8s/apps" });
        expect(app.metadata.labels).to.deep.equal({
            "app.kubernetes.io/name": "argocd-apps",
            "app.kubernetes.io/part-of": "homelab",
            "app.kubernetes.io/component": "gitops",
        });
        expect(app.spec.destination).to.deep.equal({ server: "https://kubernetes.default.svc", namespace: "argocd" });
        expect(app.spec.project).to.equal("default");
        expect(app.spec.syncPolicy.syncOptions).to.deep.equal(["ServerSideApply=true"]);
    });

    it("with esoMachineIdentity off: no external-secrets namespace and no machine-identity Secret, and the store waits for nothing of ours", async () => {
        const bootstrap = readStackFile("prod")["homelab-sso:bootstrap"] as { [key: string]: unknown };
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:bootstrap": { ...bootstrap, esoMachineIdentity: false } } });
        const names = evaluation.resources.map((r) => r.name);
        expect(names).to.not.include("bootstrap-eso-machine-identity");
        expect(names).to.not.include("bootstrap-external-secrets-namespace");
        const store = onlyResource(evaluation, "kubernetes:external-secrets.io/v1:ClusterSecretStore", "bootstrap-cluster-secret-store");
        const bootstrapUrns = evaluation.resources.filter((r) => r.name.startsWith("bootstrap-")).map((r) => r.urn);
        expect(store.dependencies.filter((urn) => bootstrapUrns.includes(urn))).to.deep.equal([]);
    });

    it("without ArgoCD deployed: the machine identity and the store, and no root Application", async () => {
        const { appOfApps, ...bootstrap } = readStackFile("prod")["homelab-sso:bootstrap"] as { [key: string]: unknown };
        expect(appOfApps).to.not.equal(undefined);
        const argocd = acknowledgeDataLoss("prod", "argocd")["homelab-sso:argocd"] as { [key: string]: unknown };
        const evaluation = await evaluateStack("prod", { set: { "homelab-sso:bootstrap": bootstrap, "homelab-sso:argocd": { ...argocd, enabled: false } } });
        const bootstrapNames = evaluation.resources.filter((r) => r.name.startsWith("bootstrap")).map((r) => r.name).sort();
        expect(bootstrapNames).to.deep.equal(["bootstrap", "bootstrap-cluster-secret-store", "bootstrap-eso-machine-identity", "bootstrap-external-secrets-namespace"]);
        expect(evaluation.resources.filter((r) => r.type === "kubernetes:argoproj.io/v1alpha1:Application")).to.deep.equal([]);
    });
});
