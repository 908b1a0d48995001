/** services.<name>.clientSecretTo.kubernetesSecret: what each refused field is told, and a bad label key refuses the target. */
import { expect } from "chai";
import { readClientSecretTo } from "../support/services";

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
