/** clientSecretTo.kubernetesSecret.labels: a label key is `[<dns-prefix>/]<name>`, split at its last '/'. */
import { expect } from "chai";
import { checkLabelKey } from "../../stacks/secretDelivery";

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
