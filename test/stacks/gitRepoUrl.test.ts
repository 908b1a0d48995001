/** bootstrap.appOfApps.repoUrl: an scp-like `git@host:path` must be the whole value, and no https URL carries credentials. */
import { expect } from "chai";
import { checkGitRepoUrl } from "../../stacks/deployments";

describe("git repository URLs (checkGitRepoUrl)", () => {
    it("accepts git@<host>:<path> only as the whole value, with a host of one character or more", () => {
        expect(checkGitRepoUrl("git@a:owner/repo.git")).to.equal(undefined);
        expect(checkGitRepoUrl("git@github.com:owner/repo.git")).to.equal(undefined);
        for (const url of ["ssh://git@github.com:owner/repo.git", "xgit@github.com:owner/repo.git"]) {
            expect(checkGitRepoUrl(url), url).to.match(/is not a git repository URL this program accepts/);
        }
    });

    it("refuses credentials in an https URL, a user alone, a password alone, or both", () => {
        for (const url of ["https://user@github.com/owner/repo.git", "https://:secret@github.com/owner/repo.git", "https://user:secret@github.com/owner/repo.git"]) {
            expect(checkGitRepoUrl(url), url).to.match(/credentials belong in an ArgoCD repository Secret/);
        }
        expect(checkGitRepoUrl("https://github.com/owner/repo.git")).to.equal(undefined);
    });

    it("takes an https URL only in canonical form, with a path of safe characters from end to end", () => {
        for (const url of ["https://GitHub.com/owner/repo.git", "https://github.com:443/owner/repo.git", "https://github.com/own%20er/repo.git", "https://github.com/owner/repo%20x.git"]) {
            expect(checkGitRepoUrl(url), url).to.match(/is not a git repository URL this program accepts/);
        }
    });
});
