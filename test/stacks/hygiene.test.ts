/**
 * Config hygiene (stacks/hygiene.ts): keys in an unknown namespace, secrets stored in plain text, and
 * no follow-on error blaming a valid section. Through the real program under the mock runtime, where
 * Pulumi's own `isConfigSecret` answers from the secret keys, as with the CLI. Then the pure rules,
 * called directly.
 */
import { expect } from "chai";
import { evaluateProgram } from "../../scripts/lib/mockRuntime";
import { RawConfig, parseStackConfig } from "../../stacks/config";
import { OUTSIDE_KEYS, checkOutsideKeys, checkNamespaces, checkPlaintextSecrets, knownNamespaces, plainLeavesBesideSecure, secretConfigKeys } from "../../stacks/hygiene";
import { ConfigError, ProblemList } from "../../stacks/validation";
import { KNOWN_SECRETS, readStackFile, stackConfig } from "../support/stacks";

/** Evaluates the frozen prod stack with `plain` config values that are NOT marked secret; returns the error. */
async function programError(stack: string, options: { set?: { [key: string]: unknown }; plain?: { [key: string]: string }; secrets?: { [key: string]: string } }): Promise<ConfigError> {
    const { config, secretKeys } = stackConfig(stack, { set: options.set, secrets: options.secrets });
    Object.assign(config, options.plain ?? {});
    const error = await evaluateProgram({ stack, config, secretKeys }).then(
        () => undefined,
        (err: unknown) => err,
    );
    expect(error, "the program must refuse this config").to.be.instanceOf(ConfigError);
    return error as ConfigError;
}

function keysOf(error: ConfigError): string[] {
    return error.problems.map((p) => p.key);
}

describe("config hygiene", () => {
    describe("unknown namespaces", () => {
        it("names a key whose namespace is misspelt, and suggests the right one", () => {
            const raw: RawConfig = { ...readStackFile("dev"), "homelab-ssoo:argocd": { chartVersion: "7.8.0" } };
            let error: unknown;
            try {
                parseStackConfig(raw);
            } catch (err) {
                error = err;
            }
            expect(error).to.be.instanceOf(ConfigError);
            expect((error as ConfigError).problems).to.deep.equal([
                {
                    key: "homelab-ssoo:argocd",
                    message:
                        'unknown config namespace "homelab-ssoo" (did you mean homelab-sso:argocd?): the program would ignore this key; allowed namespaces: homelab-sso, authentik, kubernetes, pulumi',
                },
            ]);
        });

        it("accepts the named keys of the authentik, kubernetes and pulumi namespaces", () => {
            const raw: RawConfig = { ...readStackFile("dev"), "kubernetes:context": "kind-kind", "pulumi:tags": "{}" };
            expect(() => parseStackConfig(raw)).to.not.throw();
        });

        it("refuses a key in another namespace without a suggestion when none is close", async () => {
            const error = await programError("dev", { plain: { "aws:region": "eu-west-1" } });
            expect(keysOf(error)).to.deep.equal(["aws:region"]);
            expect(error.message).to.not.include("did you mean");
        });
    });

    describe("provider and Pulumi keys outside the named list (issue 19 §3)", () => {
        const ALLOWED = "allowed outside homelab-sso: kubernetes:context, authentik:token (secret), pulumi:tags";

        it("names the list: the kube context, the Authentik token, the stack's tags", () => {
            expect(Object.keys(OUTSIDE_KEYS)).to.deep.equal(["kubernetes:context", "authentik:token", "pulumi:tags"]);
        });

        it("refuses kubernetes:renderYamlToDirectory with the reason, before anything is created", async () => {
            const error = await programError("dev", { plain: { "kubernetes:renderYamlToDirectory": "/tmp/out" } });
            expect(error.problems).to.deep.equal([
                {
                    key: "kubernetes:renderYamlToDirectory",
                    message:
                        "is a Kubernetes provider setting the program does not take from a stack file: such settings change how and where objects are applied (cluster, namespace, server-side apply, rendering to disk), behind the program's checks; " +
                        `this one makes the Kubernetes provider write every manifest, Secrets included (client secrets, the Authentik bootstrap credentials), to disk in plain text instead of applying it; ${ALLOWED}`,
                },
            ]);
        });

        it("refuses every other provider and Pulumi key, each with its namespace's reason, all at once", () => {
            const problems = new ProblemList();
            checkOutsideKeys(
                ["kubernetes:namespace", "kubernetes:enableServerSideApply", "kubernetes:kubeconfig", "authentik:insecure", "authentik:url", "pulumi:disable-default-providers", "homelab-sso:anything", "aws:region", "kubernetes:context", "authentik:token", "pulumi:tags"],
                "homelab-sso",
                problems,
            );
            expect(problems.problems.map((p) => p.key)).to.deep.equal([
                "kubernetes:namespace",
                "kubernetes:enableServerSideApply",
                "kubernetes:kubeconfig",
                "authentik:insecure",
                "authentik:url",
                "pulumi:disable-default-providers",
            ]);
            expect(problems.problems[0].message).to.match(/; this one moves every object without a namespace of its own/);
            expect(problems.problems[1].message).to.equal(
                `is a Kubernetes provider setting the program does not take from a stack file: such settings change how and where objects are applied (cluster, namespace, server-side apply, rendering to disk), behind the program's checks; ${ALLOWED}`,
            );
            expect(problems.problems[3].message).to.match(/^is an Authentik provider setting .* homelab-sso:authentik\.apiUrl and apiInsecure, which are checked; allowed outside/);
            expect(problems.problems[5].message).to.equal(`is a Pulumi engine setting the program does not take from a stack file; ${ALLOWED}`);
        });

        it("leaves keys of unknown namespaces to the namespace check (one problem per key)", async () => {
            const error = await programError("dev", { plain: { "kubernets:renderYamlToDirectory": "/tmp/out", "__proto__:x": "1" } });
            expect(keysOf(error)).to.deep.equal(["kubernets:renderYamlToDirectory", "__proto__:x"]);
            expect(error.problems[0].message).to.match(/^unknown config namespace "kubernets" \(did you mean kubernetes:renderYamlToDirectory\?\)/);
        });
    });

    describe("secrets stored in plain text", () => {
        it("refuses authentik:token without --secret, naming the key and the command", async () => {
            const { "authentik:token": token, ...others } = KNOWN_SECRETS;
            const error = await programError("prod", { plain: { "authentik:token": token }, secrets: others });
            expect(keysOf(error)).to.deep.equal(["authentik:token"]);
            expect(error.message).to.include("pulumi config set --secret authentik:token <value>");
            expect(error.message).to.not.include(token);
        });

        it("refuses the Infisical machine identity without --secret", async () => {
            const error = await programError("prod", {
                plain: { "homelab-sso:infisicalClientId": "plain-id-0001", "homelab-sso:infisicalClientSecret": "plain-secret-0002" },
                secrets: { "authentik:token": KNOWN_SECRETS["authentik:token"] },
            });
            expect(keysOf(error)).to.deep.equal(["homelab-sso:infisicalClientId", "homelab-sso:infisicalClientSecret"]);
            expect(error.message).to.include("pulumi config set --secret homelab-sso:infisicalClientSecret <value>");
            expect(error.message).to.not.match(/plain-id-0001|plain-secret-0002/);
        });

        it("refuses clientSecrets set without --secret, naming each entry and the --path command", async () => {
            const error = await programError("prod", {
                plain: { "homelab-sso:clientSecrets": JSON.stringify({ grafana: "plain-grafana-secret-77" }) },
                secrets: KNOWN_SECRETS,
            });
            expect(keysOf(error)).to.deep.equal(["homelab-sso:clientSecrets.grafana"]);
            expect(error.message).to.include("pulumi config set --secret --path 'homelab-sso:clientSecrets.grafana' <value>");
            expect(error.message).to.not.include("plain-grafana-secret-77");
        });

        it("accepts clientSecrets set with --secret --path (Pulumi marks the whole key secret)", async () => {
            const { config, secretKeys } = stackConfig("prod", { secrets: { ...KNOWN_SECRETS, "homelab-sso:clientSecrets": JSON.stringify({ grafana: "kept-grafana-secret-31" }) } });
            const evaluation = await evaluateProgram({ stack: "prod", config, secretKeys });
            expect(evaluation.resources.length).to.be.greaterThan(0);
        });
    });

    describe("an invalid service entry", () => {
        it("reports only its own problems, not that a deployment names a missing service", () => {
            const raw = JSON.parse(JSON.stringify({ ...readStackFile("prod"), ...KNOWN_SECRETS })) as { [key: string]: any };
            raw["homelab-sso:services"].grafana.publicUrl = "http://not-https.example";
            raw["homelab-sso:services"].argocd.name = "";
            let error: unknown;
            try {
                parseStackConfig(raw);
            } catch (err) {
                error = err;
            }
            expect(keysOf(error as ConfigError)).to.deep.equal(["homelab-sso:services.grafana.publicUrl", "homelab-sso:services.argocd.name"]);
        });

        it("reports only the services problem when homelab-sso:services is not an object", () => {
            const raw = { ...readStackFile("prod"), ...KNOWN_SECRETS, "homelab-sso:services": ["grafana", "argocd"] };
            let error: unknown;
            try {
                parseStackConfig(raw);
            } catch (err) {
                error = err;
            }
            expect(keysOf(error as ConfigError)).to.deep.equal(["homelab-sso:services"]);
        });

        it("still reports a deployment naming a service that does not exist", () => {
            const raw = JSON.parse(JSON.stringify({ ...readStackFile("prod"), ...KNOWN_SECRETS })) as { [key: string]: any };
            raw["homelab-sso:grafana"].service = "grafana-ui";
            expect(() => parseStackConfig(raw)).to.throw(ConfigError, 'homelab-sso:grafana.service: names "grafana-ui", which is not under homelab-sso:services');
        });
    });
});

/**
 * The pure rules of stacks/hygiene.ts, called directly: which namespaces are known, when a misspelt
 * namespace gets a "did you mean" (edit distance at most 2), what counts as a plain-text secret, and
 * which plain leaves sit beside `secure:` ones in a stack file.
 */
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
