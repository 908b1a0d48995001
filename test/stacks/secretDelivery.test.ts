import { expect } from "chai";
import { ARGOCD_OIDC_SECRET } from "../../components/argocd/values";
import { GRAFANA_OAUTH_SECRET } from "../../components/monitoring/values";
import { parseStackConfig } from "../../stacks/config";
import { ConfigError, ProblemList, readValid } from "../../stacks/validation";
import { DEPLOYMENT_CLIENT_SECRETS } from "../../stacks/deployments";
import { ROTATION_SCHEMA, checkLabelKey, checkLabelValue, secretGeneration } from "../../stacks/secretDelivery";
import { readClientSecretTo } from "../support/services";
import { readStackFile } from "../support/stacks";

const PROD_SECRETS = { "authentik:token": "t", "homelab-sso:infisicalClientId": "i", "homelab-sso:infisicalClientSecret": "s" };

/** The frozen prod config with one more service (Immich as docs/operations.md adds it) and overrides. */
function prodWith(extra: { [key: string]: unknown } = {}, immich: { [key: string]: unknown } = {}): { [key: string]: unknown } {
    const raw: { [key: string]: unknown } = { ...readStackFile("prod"), ...PROD_SECRETS };
    raw["homelab-sso:services"] = {
        ...(raw["homelab-sso:services"] as object),
        immich: {
            name: "Immich",
            group: "Media",
            publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8450",
            callbackPath: "/auth/login",
            ...immich,
        },
    };
    for (const [key, value] of Object.entries(extra)) {
        if (value === undefined) {
            delete raw[key];
        } else {
            raw[key] = value;
        }
    }
    return raw;
}

function problems(raw: { [key: string]: unknown }): string[] {
    try {
        parseStackConfig(raw);
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return (err as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
    }
    return [];
}

describe("client secret delivery and rotation config (services.<name>.clientSecretTo, .rotation)", () => {
    it("defaults to no delivery and rotation 0", () => {
        const immich = parseStackConfig(prodWith()).services.find((s) => s.key === "immich")!;
        expect(immich).to.not.have.property("clientSecretTo");
        expect(immich.rotation).to.equal(0);
    });

    it("reads a Kubernetes Secret target (key defaults to client-secret) and the stack output flag", () => {
        const config = parseStackConfig(
            prodWith({}, { rotation: 2, clientSecretTo: { kubernetesSecret: { namespace: "immich", name: "immich-oauth", labels: { "app.kubernetes.io/name": "immich" } }, stackOutput: true } }),
        );
        const immich = config.services.find((s) => s.key === "immich")!;
        expect(immich.rotation).to.equal(2);
        expect(immich.clientSecretTo).to.deep.equal({
            kubernetesSecret: { namespace: "immich", name: "immich-oauth", key: "client-secret", labels: { "app.kubernetes.io/name": "immich" } },
            stackOutput: true,
        });
    });

    it("reports every bad field under its own key, and nothing about other sections", () => {
        const found = problems(
            prodWith(
                {},
                {
                    rotation: -1,
                    clientSecretTo: {
                        kubernetesSecret: { namespace: "Immich", name: "bad_name", key: "a/b", labels: { __proto__x: "ok", "bad key!": "v", ok: "not ok!" }, extra: 1 },
                        stackOutput: "maybe",
                    },
                },
            ),
        );
        const keys = found.map((p) => p.split(": ")[0]);
        expect(keys).to.include.members([
            "homelab-sso:services.immich.rotation",
            "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.namespace",
            "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.name",
            "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.key",
            "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.labels.bad key!",
            "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.labels.ok",
            "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.extra",
            "homelab-sso:services.immich.clientSecretTo.stackOutput",
        ]);
        expect(found.filter((p) => !p.startsWith("homelab-sso:services.immich."))).to.deep.equal([]);
    });

    it("refuses an empty clientSecretTo and reserved label keys", () => {
        expect(problems(prodWith({}, { clientSecretTo: {} }))).to.deep.equal([
            "homelab-sso:services.immich.clientSecretTo.kubernetesSecret: names no destination; allowed: a kubernetesSecret {namespace, name, key, labels}, stackOutput: true, or both (leave clientSecretTo out for neither)",
        ]);
        expect(checkLabelKey("__proto__")).to.include("not allowed");
        expect(checkLabelKey("constructor")).to.include("not allowed");
        expect(checkLabelKey("app.kubernetes.io/part-of")).to.equal(undefined);
        expect(checkLabelValue("argocd")).to.equal(undefined);
        expect(checkLabelValue("{{ .Values.x }}")).to.include("not a label value");
    });

    it("refuses a Secret another service or a deployed service's own Secret already uses", () => {
        const target = { namespace: "monitoring", name: "grafana-oauth" };
        expect(problems(prodWith({}, { clientSecretTo: { kubernetesSecret: target } }))).to.deep.equal([
            "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.name: the Secret monitoring/grafana-oauth is already written by homelab-sso:grafana; allowed: a Secret name no other service or deployment uses in that namespace",
        ]);
        const raw = prodWith({}, { clientSecretTo: { kubernetesSecret: { namespace: "media", name: "oauth" } } });
        (raw["homelab-sso:services"] as { [k: string]: object }).photos = {
            name: "Photos",
            group: "Media",
            publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8451",
            callbackPath: "/auth/login",
            clientSecretTo: { kubernetesSecret: { namespace: "media", name: "oauth" } },
        };
        expect(problems(raw)).to.deep.equal([
            "homelab-sso:services.photos.clientSecretTo.kubernetesSecret.name: the Secret media/oauth is already written by homelab-sso:services.immich.clientSecretTo.kubernetesSecret.name; allowed: a Secret name no other service or deployment uses in that namespace",
        ]);
    });

    it("knows the names of the Secrets the components write for deployed services", () => {
        expect(DEPLOYMENT_CLIENT_SECRETS).to.deep.equal({ argocd: ARGOCD_OIDC_SECRET.name, grafana: GRAFANA_OAUTH_SECRET.name });
    });

    it("derives the consumer's restart annotation from the source and rotation number only", () => {
        expect(secretGeneration("generated", 0)).to.equal("generated-0");
        expect(secretGeneration("config", 3)).to.equal("config-3");
    });
});

describe("turning a deployment off needs acknowledgeDataLoss (stacks/deployments.ts)", () => {
    it("refuses grafana.enabled: false without it, saying what would be deleted and how to go ahead", () => {
        const found = problems(prodWith({ "homelab-sso:grafana": { ...(readStackFile("prod")["homelab-sso:grafana"] as object), enabled: false } }));
        expect(found).to.have.length(1);
        expect(found[0]).to.match(/^homelab-sso:grafana\.enabled: turns grafana off, which deletes the namespace "monitoring" and everything in it/);
        expect(found[0]).to.include('kube-prometheus-stack objects of release "monitoring"');
        expect(found[0]).to.include("PersistentVolumeClaims of Prometheus, Alertmanager and Grafana");
        expect(found[0]).to.include('set homelab-sso:grafana.acknowledgeDataLoss to "monitoring" with grafana still on');
    });

    it("refuses switching the service entry off too, naming that key", () => {
        const raw = prodWith();
        const services = raw["homelab-sso:services"] as { [k: string]: object };
        services.argocd = { ...services.argocd, enabled: false };
        raw["homelab-sso:bootstrap"] = undefined;
        delete raw["homelab-sso:bootstrap"];
        const found = problems(raw);
        expect(found).to.have.length(1);
        expect(found[0]).to.match(/^homelab-sso:services\.argocd\.enabled: turns argocd off, which deletes the namespace "argocd"/);
        expect(found[0]).to.include('the Helm release "argocd"');
    });

    it("accepts it with the namespace named, and refuses another name", () => {
        const grafana = readStackFile("prod")["homelab-sso:grafana"] as object;
        const config = parseStackConfig(prodWith({ "homelab-sso:grafana": { ...grafana, enabled: false, acknowledgeDataLoss: "monitoring" } }));
        expect(config.deployments.grafana?.dataLossAcknowledged).to.equal(true);
        expect(problems(prodWith({ "homelab-sso:grafana": { ...grafana, acknowledgeDataLoss: "yes" } }))).to.deep.equal([
            'homelab-sso:grafana.acknowledgeDataLoss: "yes" does not name this deployment\'s namespace; allowed: "monitoring" (the namespace whose deletion you accept), or leave it out',
        ]);
        const authentik = readStackFile("prod")["homelab-sso:authentik"] as object;
        expect(parseStackConfig(prodWith({ "homelab-sso:authentik": { ...authentik, acknowledgeDataLoss: "authentik" } })).authentik.dataLossAcknowledged).to.equal(true);
    });

    it("lets a stack without the section deploy nothing, with no acknowledgement", () => {
        const config = parseStackConfig(prodWith({ "homelab-sso:grafana": undefined }));
        expect(config.deployments.grafana).to.equal(undefined);
    });

    describe("clientSecretTo of the wrong shape", () => {
        const readDelivery = readClientSecretTo;
        const at = "homelab-sso:services.immich.clientSecretTo";

        it("reads stackOutput alone as a delivery with no Kubernetes Secret", () => {
            expect(readDelivery({ stackOutput: true })).to.deep.equal({ result: { stackOutput: true }, problems: [] });
        });

        it("refuses clientSecretTo that is not an object, naming it", () => {
            expect(readDelivery("stackOutput")).to.deep.equal({ result: undefined, problems: [{ key: at, message: 'must be an object, got "stackOutput"' }] });
        });

        it("refuses a kubernetesSecret that is not an object, without also saying it names no destination", () => {
            expect(readDelivery({ kubernetesSecret: "immich-oidc" })).to.deep.equal({
                result: undefined,
                problems: [{ key: `${at}.kubernetesSecret`, message: 'must be an object, got "immich-oidc"' }],
            });
        });

        it("refuses labels that are not an object, and a label value that is not a string, naming the label", () => {
            const target = { namespace: "immich", name: "immich-oidc" };
            expect(readDelivery({ kubernetesSecret: { ...target, labels: ["app=immich"] } })).to.deep.equal({
                result: undefined,
                problems: [{ key: `${at}.kubernetesSecret.labels`, message: "must be an object of label key to value" }],
            });
            expect(readDelivery({ kubernetesSecret: { ...target, labels: { tier: 1, app: "immich" } } })).to.deep.equal({
                result: undefined,
                problems: [{ key: `${at}.kubernetesSecret.labels.tier`, message: "must be a string" }],
            });
            expect(readDelivery({ kubernetesSecret: { ...target, labels: { app: "immich" } } })).to.deep.equal({
                result: { kubernetesSecret: { ...target, key: "client-secret", labels: { app: "immich" } }, stackOutput: false },
                problems: [],
            });
        });
    });
});

/** Label values and keys of a delivered Secret. (ArgoCD's CLI callback is Dex's since ADR 0003: test/components/argocd/dex.test.ts.) */
describe("Secret labels and the ArgoCD CLI callback", () => {
    it("accepts an empty and a one-character label value", () => {
        expect(checkLabelValue("")).to.equal(undefined);
        expect(checkLabelValue("a")).to.equal(undefined);
        expect(checkLabelValue("-a")).to.not.equal(undefined);
    });

    it("refuses each reserved JavaScript name as a label key", () => {
        for (const key of ["__proto__", "constructor", "prototype"]) {
            expect(checkLabelKey(key), key).to.equal(`${JSON.stringify(key)} is not allowed as a key`);
        }
    });
});

/** clientSecretTo.kubernetesSecret.labels: a label key is `[<dns-prefix>/]<name>`, split at its last '/'. */
const refusal = (key: string) => `${JSON.stringify(key)} is not a label key; allowed: [<dns-prefix>/]<name>, the name at most 63 letters, digits, '-', '_' or '.'`;

describe("label keys (checkLabelKey)", () => {
    it("accepts a name alone, upper case included, and a name under a DNS prefix", () => {
        for (const key of ["App", "a", "team_name.v1", "example.com/App", "app.kubernetes.io/part-of"]) {
            expect(checkLabelKey(key), key).to.equal(undefined);
        }
    });

    it("refuses a bad prefix, an empty prefix or name, and a bad name, with the same words", () => {
        for (const key of ["Example.com/app", "/app", "example.com/", "exa_mple.com/app", "a/b/c", "-app", "app-", `${"a".repeat(64)}`]) {
            expect(checkLabelKey(key), key).to.equal(refusal(key));
        }
    });
});

/** services.<name>.rotation: what an out-of-range rotation is told. */
describe("rotation numbers (ROTATION_SCHEMA)", () => {
    it("names a negative rotation as outside the rotation number range", () => {
        const problems = new ProblemList();
        expect(readValid("homelab-sso:services.immich.rotation", -1, ROTATION_SCHEMA, problems)).to.equal(undefined);
        expect(problems.problems).to.have.length(1);
        expect(problems.problems[0]).to.include({ key: "homelab-sso:services.immich.rotation" });
        expect(problems.problems[0].message).to.match(/^-1 is outside the rotation number range; allowed: 0-\d+$/);
    });
});

/** A delivered Secret's namespace is one whole RFC 1123 label, one character long at the least. */
describe("clientSecretTo.kubernetesSecret.namespace", () => {
    it("accepts a one-character label and refuses a trailing '-'", () => {
        expect(readClientSecretTo({ kubernetesSecret: { namespace: "a", name: "immich-oidc" } }).problems).to.deep.equal([]);
        expect(readClientSecretTo({ kubernetesSecret: { namespace: "immich-", name: "immich-oidc" } }).problems).to.deep.equal([
            { key: "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.namespace", message: '"immich-" is not a namespace name; allowed: an existing namespace (RFC 1123 label)' },
        ]);
    });
});

/** services.<name>.clientSecretTo.kubernetesSecret: what each refused field is told, and a bad label key refuses the target. */
const at = "homelab-sso:services.immich.clientSecretTo.kubernetesSecret";

const readTarget = (kubernetesSecret: object) => readClientSecretTo({ kubernetesSecret });

describe("client secret targets: refusals word for word", () => {
    it("names what a namespace, a Secret name and a data key may be", () => {
        expect(readTarget({ namespace: "Immich", name: "immich_oidc", key: "client secret" }).problems).to.deep.equal([
            { key: `${at}.namespace`, message: '"Immich" is not a namespace name; allowed: an existing namespace (RFC 1123 label)' },
            { key: `${at}.name`, message: "\"immich_oidc\" is not a Secret name; allowed: lower-case letters, digits, '-' and '.', at most 253 characters" },
            { key: `${at}.key`, message: "\"client secret\" is not a Secret data key; allowed: letters, digits, '-', '_' and '.'" },
        ]);
    });

    it("refuses the whole target for a bad label key, keeping the good labels out of any result", () => {
        const { result, problems } = readTarget({ namespace: "immich", name: "immich-oidc", labels: { "bad key": "x", app: "immich" } });
        expect(result).to.equal(undefined);
        expect(problems.map((p) => p.key)).to.deep.equal([`${at}.labels.bad key`]);
    });

    it("requires the namespace and the Secret name, and refuses the target for any bad field", () => {
        expect(readTarget({})).to.deep.equal({
            result: undefined,
            problems: [
                { key: `${at}.namespace`, message: "is required" },
                { key: `${at}.name`, message: "is required" },
            ],
        });
        expect(readTarget({ namespace: "immich", name: "immich-oidc", key: "bad key" }).result).to.equal(undefined);
        expect(readTarget({ namespace: "immich", name: "immich-oidc" }).result).to.deep.equal({
            kubernetesSecret: { namespace: "immich", name: "immich-oidc", key: "client-secret", labels: {} },
            stackOutput: false,
        });
    });
});
