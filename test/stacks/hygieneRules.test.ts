/**
 * The pure rules of stacks/hygiene.ts, called directly: which namespaces are known, when a misspelt
 * namespace gets a "did you mean" (edit distance at most 2), what counts as a plain-text secret, and
 * which plain leaves sit beside `secure:` ones in a stack file.
 */
import { expect } from "chai";
import { checkNamespaces, checkPlaintextSecrets, knownNamespaces, plainLeavesBesideSecure, secretConfigKeys } from "../../stacks/hygiene";
import { ProblemList } from "../../stacks/validation";

const PROJECT = "homelab-sso";
const ALLOWED = "allowed namespaces: homelab-sso, authentik, kubernetes, pulumi";

function namespaceProblems(keys: string[]) {
    const problems = new ProblemList();
    checkNamespaces(keys, PROJECT, problems);
    return problems.problems;
}

function hintFor(key: string): string | undefined {
    const [problem] = namespaceProblems([key]);
    expect(problem, key).to.not.equal(undefined);
    return /\(did you mean ([^?]*)\?\)/.exec(problem.message)?.[1];
}

describe("config hygiene rules", () => {
    it("the known namespaces: the project's, authentik, kubernetes, pulumi", () => {
        expect(knownNamespaces("my-sso")).to.deep.equal(["my-sso", "authentik", "kubernetes", "pulumi"]);
        expect(namespaceProblems(["homelab-sso:services", "authentik:token", "kubernetes:context", "pulumi:tags"])).to.deep.equal([]);
    });

    it("the secret keys: the API token, the Infisical identity, each clientSecrets entry", () => {
        expect(secretConfigKeys("my-sso")).to.deep.equal([
            { key: "authentik:token", perEntry: false },
            { key: "my-sso:infisicalClientId", perEntry: false },
            { key: "my-sso:infisicalClientSecret", perEntry: false },
            { key: "my-sso:clientSecrets", perEntry: true },
        ]);
    });

    describe("unknown namespaces", () => {
        it("names the key, the namespace, the hint and the allowed namespaces, every key at once", () => {
            expect(namespaceProblems(["homelab-ssoo:argocd", "aws:region", "homelab-sso:oidc"])).to.deep.equal([
                {
                    key: "homelab-ssoo:argocd",
                    message: `unknown config namespace "homelab-ssoo" (did you mean homelab-sso:argocd?): the program would ignore this key; ${ALLOWED}`,
                },
                { key: "aws:region", message: `unknown config namespace "aws": the program would ignore this key; ${ALLOWED}` },
            ]);
        });

        it("a key without a namespace, or with an empty one, is in the namespace \"\"", () => {
            expect(namespaceProblems(["services", ":services"]).map((p) => p.message)).to.deep.equal([
                `unknown config namespace "": the program would ignore this key; ${ALLOWED}`,
                `unknown config namespace "": the program would ignore this key; ${ALLOWED}`,
            ]);
        });

        it("the namespace is what precedes the first colon; the hint keeps the rest of the key", () => {
            expect(hintFor("pulumy:a:b")).to.equal("pulumi:a:b");
        });

        it("hints a namespace within two edits (insertions, deletions, substitutions), none at three", () => {
            expect(hintFor("homelab-ssoo:x")).to.equal("homelab-sso:x"); // one insertion
            expect(hintFor("homelab-s:x")).to.equal("homelab-sso:x"); // two deletions
            expect(hintFor("homelab-:x")).to.equal(undefined); // three deletions
            expect(hintFor("kubernetse:x")).to.equal("kubernetes:x"); // two substitutions
            expect(hintFor("xulumy:x")).to.equal("pulumi:x"); // two substitutions at both ends
            expect(hintFor("xulxmy:x")).to.equal(undefined); // three substitutions
            expect(hintFor("authentikxx:x")).to.equal("authentik:x"); // two insertions at the end
            expect(hintFor("xxauthentik:x")).to.equal("authentik:x"); // two insertions at the start
            expect(hintFor("athntik:x")).to.equal("authentik:x"); // two deletions inside
            expect(hintFor("kube:x")).to.equal(undefined); // a prefix six short
            expect(hintFor("pu:x")).to.equal(undefined);
        });
    });

    describe("plain-text secrets", () => {
        const check = (raw: { [key: string]: unknown }, secret: string[] = []) => {
            const problems = new ProblemList();
            checkPlaintextSecrets(raw, PROJECT, (key) => secret.includes(key), problems);
            return problems.problems;
        };

        it("names the key and the commands that store it encrypted, without the value", () => {
            expect(check({ "authentik:token": "tok-123" })).to.deep.equal([
                {
                    key: "authentik:token",
                    message:
                        "is a secret stored in plain text (value not shown); remove it with `pulumi config rm authentik:token`, " +
                        "set it with `pulumi config set --secret authentik:token <value>`, and treat the old value as leaked if the file was committed",
                },
            ]);
        });

        it("a clientSecrets entry is named with its --path command, one problem per entry", () => {
            expect(check({ "homelab-sso:clientSecrets": { grafana: "a", argocd: "b" } })).to.deep.equal(
                ["grafana", "argocd"].map((entry) => ({
                    key: `homelab-sso:clientSecrets.${entry}`,
                    message:
                        `is a secret stored in plain text (value not shown); remove it with \`pulumi config rm --path 'homelab-sso:clientSecrets.${entry}'\`, ` +
                        `set it with \`pulumi config set --secret --path 'homelab-sso:clientSecrets.${entry}' <value>\`, and treat the old value as leaked if the file was committed`,
                })),
            );
        });

        it("a clientSecrets value that is not an object is named as a whole; a key that is secret or absent is fine", () => {
            expect(check({ "homelab-sso:clientSecrets": "plain" }).map((p) => p.key)).to.deep.equal(["homelab-sso:clientSecrets"]);
            expect(check({ "authentik:token": "tok", "homelab-sso:clientSecrets": { grafana: "a" } }, ["authentik:token", "homelab-sso:clientSecrets"])).to.deep.equal([]);
            expect(check({ "homelab-sso:infisicalClientId": "id" }, ["authentik:token"]).map((p) => p.key)).to.deep.equal(["homelab-sso:infisicalClientId"]);
            expect(check({})).to.deep.equal([]);
        });
    });

    describe("plain leaves beside secure ones in a stack file", () => {
        const secure = { secure: "v1:AAAA" };

        it("names each plain clientSecrets entry beside a secure one", () => {
            expect(plainLeavesBesideSecure({ "homelab-sso:clientSecrets": { grafana: secure, argocd: "plain", immich: "plain" } }, PROJECT)).to.deep.equal([
                "homelab-sso:clientSecrets.argocd",
                "homelab-sso:clientSecrets.immich",
            ]);
        });

        it("nothing when no entry is secure, the whole value is secure, or the key is not per entry", () => {
            expect(plainLeavesBesideSecure({ "homelab-sso:clientSecrets": { grafana: "a", argocd: "b" } }, PROJECT)).to.deep.equal([]);
            expect(plainLeavesBesideSecure({ "homelab-sso:clientSecrets": secure }, PROJECT)).to.deep.equal([]);
            expect(plainLeavesBesideSecure({ "authentik:token": { a: secure, b: "plain" } }, PROJECT)).to.deep.equal([]);
            expect(plainLeavesBesideSecure({ "homelab-sso:clientSecrets": "plain" }, PROJECT)).to.deep.equal([]);
            expect(plainLeavesBesideSecure({}, PROJECT)).to.deep.equal([]);
        });

        it("secure means exactly one key, `secure`, holding a string", () => {
            const beside = (entry: unknown) => plainLeavesBesideSecure({ "homelab-sso:clientSecrets": { grafana: secure, other: entry } }, PROJECT);
            expect(beside({ secure: "v1:B", extra: "x" })).to.deep.equal(["homelab-sso:clientSecrets.other"]);
            expect(beside({ secure: 5 })).to.deep.equal(["homelab-sso:clientSecrets.other"]);
            expect(beside({ notSecure: "v1:B" })).to.deep.equal(["homelab-sso:clientSecrets.other"]);
            expect(beside([])).to.deep.equal(["homelab-sso:clientSecrets.other"]);
            expect(beside({ secure: "v1:B" })).to.deep.equal([]);
        });
    });
});
