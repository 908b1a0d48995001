/** A repository URL with an empty query or fragment is not the canonical URL ArgoCD compares. */
import { expect } from "chai";
import { checkGitRepoUrl } from "../../stacks/deployments";

describe("git repository URLs: empty query and fragment", () => {
    it("refuses a trailing ? or # as it refuses a filled one, and accepts the URL without it", () => {
        for (const value of ["https://github.com/holdennguyen/homelab?", "https://github.com/holdennguyen/homelab#", "https://github.com/holdennguyen/homelab?a=b", "https://github.com/holdennguyen/homelab#main"]) {
            expect(checkGitRepoUrl(value), value).to.match(/is not a git repository URL this program accepts/);
        }
        expect(checkGitRepoUrl("https://github.com/holdennguyen/homelab")).to.equal(undefined);
        expect(checkGitRepoUrl("https://github.com/holdennguyen/homelab.git")).to.equal(undefined);
    });
});
