/** The config boundary walk (stacks/boundary.ts) on a raw stack config, for tests. */
import { checkConfigBoundary } from "../../stacks/boundary";
import { ConfigProblem, ProblemList } from "../../stacks/validation";

/** Whether `raw` is safe to read, and every problem the walk found, for project `homelab-sso`. */
export function boundary(raw: { [key: string]: unknown }): { safe: boolean; problems: ConfigProblem[] } {
    const problems = new ProblemList();
    const safe = checkConfigBoundary(raw, "homelab-sso", problems);
    return { safe, problems: problems.problems };
}
