/** A delivered Secret's namespace is one whole RFC 1123 label, one character long at the least. */
import { expect } from "chai";
import { readClientSecretTo } from "../support/services";

describe("clientSecretTo.kubernetesSecret.namespace", () => {
    it("accepts a one-character label and refuses a trailing '-'", () => {
        expect(readClientSecretTo({ kubernetesSecret: { namespace: "a", name: "immich-oidc" } }).problems).to.deep.equal([]);
        expect(readClientSecretTo({ kubernetesSecret: { namespace: "immich-", name: "immich-oidc" } }).problems).to.deep.equal([
            { key: "homelab-sso:services.immich.clientSecretTo.kubernetesSecret.namespace", message: '"immich-" is not a namespace name; allowed: an existing namespace (RFC 1123 label)' },
        ]);
    });
});
