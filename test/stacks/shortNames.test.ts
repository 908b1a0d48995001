/** The shortest names each rule allows, and the longest Secret name. */
import { expect } from "chai";
import { checkGroupName } from "../../stacks/deployments";
import { readClientSecretTo } from "../support/services";

const secretNameProblems = (name: string) => readClientSecretTo({ kubernetesSecret: { namespace: "immich", name } }).problems;

describe("short and long names", () => {
    it("accepts a one-character group name", () => {
        expect(checkGroupName("a")).to.equal(undefined);
        expect(checkGroupName("a b")).to.equal(undefined);
        expect(checkGroupName(" a")).to.not.equal(undefined);
    });

    it("accepts Secret names of one-character labels, and refuses one longer than 253 characters", () => {
        for (const name of ["a", "a.b", "immich.a", "a.immich"]) {
            expect(secretNameProblems(name), name).to.deep.equal([]);
        }
        const longest = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;
        expect(longest).to.have.length(253);
        expect(secretNameProblems(longest)).to.deep.equal([]);
        expect(secretNameProblems(`${longest}e`).map((p) => p.key)).to.deep.equal(["homelab-sso:services.immich.clientSecretTo.kubernetesSecret.name"]);
    });
});
