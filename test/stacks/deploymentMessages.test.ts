/**
 * The exact words of the deployment sections' refusals: the CA certificate, the local issuer's host
 * alias and CA, Infisical's hostApi, and the app-of-apps defaults. A user acts on these messages.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { checkCaCertificate, checkInfisicalHostApi, parseBootstrap } from "../../stacks/deployments";
import { ProblemList } from "../../stacks/validation";
import { DEV_CA_PEM as CA_PEM } from "../support/deployments";
import { stackConfigProblems } from "../support/stacks";
const CA_ALLOWED = 'allowed: PEM "-----BEGIN CERTIFICATE-----" blocks of CA certificates only, e.g. "$(cat "$(mkcert -CAROOT)/rootCA.pem")"';
const HOST_API_ALLOWED = "https://<host>[:<port>], or http://<service>.<namespace>.svc.cluster.local[:<port>] (plain http only inside the cluster)";

describe("deployment sections: what each refusal says", () => {
    describe("issuerCaCertificate (checkCaCertificate)", () => {
        it("names a control character as such, before any PEM parsing", () => {
            expect(checkCaCertificate(`${CA_PEM}\u0007`)).to.equal(`contains a control character; ${CA_ALLOWED}`);
            expect(checkCaCertificate(CA_PEM.replace("\n", "\t\n"))).to.equal(`contains a control character; ${CA_ALLOWED}`);
        });

        it("numbers blocks from 1: a block that is not a certificate, one that does not parse, one that is not a CA", () => {
            expect(checkCaCertificate("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")).to.equal(`block 1 is a PUBLIC KEY, not a CERTIFICATE; ${CA_ALLOWED}`);
            expect(checkCaCertificate(`${CA_PEM}-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n`)).to.equal(`block 2 is a PUBLIC KEY, not a CERTIFICATE; ${CA_ALLOWED}`);
            expect(checkCaCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")).to.equal(`block 1 is not a valid X.509 certificate; ${CA_ALLOWED}`);
            expect(checkCaCertificate(`${CA_PEM}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`)).to.equal(`block 2 is not a valid X.509 certificate; ${CA_ALLOWED}`);
            const leaf = fs.readFileSync(path.join(__dirname, "..", "fixtures", "leaf-certificate.pem"), "utf8");
            expect(checkCaCertificate(leaf)).to.match(/^block 1 \(.+\) is not a CA certificate \(basicConstraints CA:FALSE\); /).and.satisfy((m: string) => m.endsWith(CA_ALLOWED));
            expect(checkCaCertificate(`${CA_PEM}${leaf}`)).to.match(/^block 2 \(.+\) is not a CA certificate/);
            expect(checkCaCertificate(CA_PEM)).to.equal(undefined);
        });
    });

    describe("a local issuer (dev stack)", () => {
        const devProblems = (set: { [key: string]: unknown }) => stackConfigProblems("dev", { set });

        it("says why the host alias is required and how to set it", () => {
            const problem = devProblems({ "homelab-sso:authentikHostAlias": undefined }).find((p) => p.key === "homelab-sso:authentikHostAlias.ip");
            expect(problem?.message).to.match(
                /^is required: the issuer host authentik\.localtest\.me resolves to 127\.0\.0\.1 inside every pod, so ArgoCD's discovery and Grafana's token calls would reach the pod itself; set the address pods reach your local TLS proxy at \(kind: /,
            );
            expect(problem?.message).to.match(/\) with `pulumi config set --path homelab-sso:authentikHostAlias\.ip <address>`$/);
        });

        it("says why the CA certificate is required and gives the whole mkcert command", () => {
            const problem = devProblems({ "homelab-sso:issuerCaCertificate": undefined }).find((p) => p.key === "homelab-sso:issuerCaCertificate");
            expect(problem?.message).to.equal(
                "is required: no public CA issues certificates for authentik.localtest.me, so ArgoCD and Grafana must trust your local proxy's CA; " +
                    'with mkcert: `mkcert -install && pulumi config set homelab-sso:issuerCaCertificate -- "$(cat "$(mkcert -CAROOT)/rootCA.pem")"` (see docs/first-run.md, "A local dev stack")',
            );
        });

        it("refuses only a host alias in 127.0.0.0/8, not one that merely contains 127.", () => {
            const aliasProblems = (ip: string) => devProblems({ "homelab-sso:authentikHostAlias": { ip } }).filter((p) => p.key === "homelab-sso:authentikHostAlias.ip");
            expect(aliasProblems("10.127.0.1")).to.deep.equal([]);
            expect(aliasProblems("127.0.0.2").map((p) => p.message)).to.have.length(1).and.satisfy(([m]: string[]) => m.startsWith("127.0.0.2 is a loopback address: inside a pod it is the pod itself; allowed: "));
        });
    });

    describe("Infisical's hostApi (checkInfisicalHostApi)", () => {
        it("says what is allowed after a malformed URL and after plain http outside the cluster", () => {
            expect(checkInfisicalHostApi("ftp://app.infisical.com")).to.equal(`"ftp://app.infisical.com" must use https or http; allowed: https or http://<host>[:<port>] (${HOST_API_ALLOWED})`);
            expect(checkInfisicalHostApi("http://infisical.example.com")).to.equal(
                `"http://infisical.example.com" uses plain http to a host outside the cluster, which would send the machine identity's token unencrypted; allowed: ${HOST_API_ALLOWED}`,
            );
        });
    });

    describe("bootstrap.appOfApps defaults", () => {
        it("names the Application argocd-apps, from k8s/apps/argocd at HEAD in project default", () => {
            const problems = new ProblemList();
            const bootstrap = parseBootstrap("homelab-sso:bootstrap", { appOfApps: { repoUrl: "https://github.com/example/homelab.git" } }, problems);
            expect(problems.problems).to.deep.equal([]);
            expect(bootstrap.appOfApps).to.deep.equal({ name: "argocd-apps", repoUrl: "https://github.com/example/homelab.git", path: "k8s/apps/argocd", revision: "HEAD", project: "default" });
        });
    });
});
