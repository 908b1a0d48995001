/**
 * Test program: a `GitOpsBootstrap` on its own, given what `index.ts` never gives it, so tests can see
 * the component's own guards (the stack config refuses these cases earlier, with config keys).
 * Config (namespace `test`): `case` = `noMachineIdentity` (esoMachineIdentity on, no identity) or
 * `noArgocd` (appOfApps on, no ArgoCD release).
 */
import * as pulumi from "@pulumi/pulumi";
import { GitOpsBootstrap } from "../../../components/bootstrap/gitops";

const testCase = new pulumi.Config("test").require("case");
const appOfApps = { name: "argocd-apps", repoUrl: "git@github.com:o/r.git", path: "k8s/apps", revision: "HEAD", project: "default" };

new GitOpsBootstrap("bootstrap", testCase === "noMachineIdentity" ? { esoMachineIdentity: true } : { esoMachineIdentity: false, appOfApps });
