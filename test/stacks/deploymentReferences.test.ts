/** Git revisions, Infisical folders and the service a deployment names: the edges of what each accepts. */
import { expect } from "chai";
import { checkDeploymentServices, checkRevision, checkSecretsPath } from "../../stacks/deployments";
import { ProblemList } from "../../stacks/validation";
import { argoCdTestConfig, grafanaTestConfig } from "../support/deployments";
import { readStackFile, stackConfigProblems } from "../support/stacks";

describe("deployment references", () => {
    it("refuses a git revision that starts with '/' or ends with '.'", () => {
        for (const bad of ["/main", "main.", "release/1."]) {
            expect(checkRevision(bad), bad).to.match(/is not a safe git revision/);
        }
        for (const good of ["main", "release/1.2", "v1.0.0", "HEAD"]) {
            expect(checkRevision(good), good).to.equal(undefined);
        }
    });

    it("accepts an Infisical secrets path of any depth", () => {
        for (const good of ["/a", "/a/b", "/homelab/prod/authentik"]) {
            expect(checkSecretsPath(good), good).to.equal(undefined);
        }
    });

    describe("a deployment's service that is not under services", () => {
        const grafana = grafanaTestConfig();
        const problemsWith = (services: { key: string }[]) => {
            const problems = new ProblemList();
            checkDeploymentServices(
                { grafana, bootstrap: { esoMachineIdentity: false } },
                services.map((s) => ({ ...s, enabled: true, callbackPath: "/login/generic_oauth" })),
                (name) => `homelab-sso:${name}`,
                problems,
            );
            return problems.problems;
        };

        it("asks nothing of a native client on a service other than ArgoCD's (Grafana here)", () => {
            const problems = new ProblemList();
            checkDeploymentServices(
                { grafana, bootstrap: { esoMachineIdentity: false } },
                [{ key: "grafana", enabled: true, callbackPath: "/login/generic_oauth", issuerMode: "per_provider", nativeClient: { redirectUris: ["app.grafana:///cb"] } }],
                (name) => `homelab-sso:${name}`,
                problems,
            );
            expect(problems.problems).to.deep.equal([]);
        });

        it("accepts ArgoCD's service with Dex's callback, the per-provider issuer, no native client, and only the pre-Dex callback as an extra", () => {
            const problems = new ProblemList();
            checkDeploymentServices(
                { argocd: argoCdTestConfig(), bootstrap: { esoMachineIdentity: false } },
                [
                    {
                        key: "argocd",
                        enabled: true,
                        publicUrl: "https://argocd.example.net",
                        callbackPath: "/api/dex/callback",
                        extraRedirectUris: ["https://argocd.example.net/auth/callback"],
                        issuerMode: "per_provider",
                    },
                ],
                (name) => `homelab-sso:${name}`,
                problems,
            );
            expect(problems.problems).to.deep.equal([]);
        });

        it("lists the configured services, or says there are none", () => {
            expect(problemsWith([{ key: "immich" }, { key: "paperless" }])).to.deep.equal([
                {
                    key: "homelab-sso:grafana.service",
                    message: 'names "grafana", which is not under homelab-sso:services; allowed: immich, paperless, or set homelab-sso:grafana.enabled to false',
                },
            ]);
            expect(problemsWith([])).to.deep.equal([
                {
                    key: "homelab-sso:grafana.service",
                    message: 'names "grafana", which is not under homelab-sso:services; allowed: (no services configured), or set homelab-sso:grafana.enabled to false',
                },
            ]);
        });
    });

    it("says word for word what turning ArgoCD off deletes and how to go ahead", () => {
        const argocd = readStackFile("prod")["homelab-sso:argocd"] as object;
        const problem = stackConfigProblems("prod", { set: { "homelab-sso:argocd": { ...argocd, enabled: false } } }).find((p) => p.key === "homelab-sso:argocd.enabled");
        expect(problem?.message).to.equal(
            'turns argocd off, which deletes the namespace "argocd" and everything in it: the Helm release "argocd" (ArgoCD, and argocd-secret with the key that signs every session), ' +
                "and every Application, AppProject and repository Secret in that namespace; these are protected. To go ahead, first set homelab-sso:argocd.acknowledgeDataLoss to " +
                '"argocd" with argocd still on and run `pulumi up` (it removes the protection), then turn it off and run `pulumi up` again (it deletes them); docs/operations.md, ' +
                '"Turn off a deployment". If this stack never deployed it, remove the homelab-sso:argocd section instead.',
        );
    });
});
