/**
 * Test helpers: load a stack file, apply overrides, and evaluate the real program under the recording
 * mock runtime.
 *
 * Parity tests (what today's homelab must look like) use the FROZEN copies
 * `test/fixtures/Pulumi.<stack>.yaml`, never the live `Pulumi.<stack>.yaml` the owner edits: adding a
 * service to the live prod stack must not break a test. The live files get the whole-stack
 * invariants only (`liveStackFiles`, `evaluateStackFile`, used by test/stack.test.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { configFromStackFile, evaluateProgram, Evaluation, RecordedResource, SecretValue, isSecretEnvelope } from "../../scripts/lib/mockRuntime";
import { availableStacks, loadRenderConfig, parseStackFileText, stackFilePath } from "../../scripts/lib/renderConfig";
import { parseStackConfig, rawConfigFromPulumi } from "../../stacks/config";
import { ConfigError, ConfigProblem } from "../../stacks/validation";

export const ROOT = path.resolve(__dirname, "..", "..");
/** Where the frozen stack files live. */
export const FIXTURES = path.join(ROOT, "test", "fixtures");

/** The frozen copy of `Pulumi.<stack>.yaml` the parity tests read. */
export function frozenStackFile(stack: string): string {
    return path.join(FIXTURES, `Pulumi.${stack}.yaml`);
}

/** Every live stack file of the project, `Pulumi.<stack>.yaml`, whatever it contains. */
export function liveStackFiles(): { stack: string; file: string }[] {
    return availableStacks(ROOT).map((stack) => ({ stack, file: stackFilePath(ROOT, stack) }));
}

/** Known plaintext values given to secret config in tests; none may appear outside a secret. */
export const KNOWN_SECRETS = {
    "authentik:token": "known-authentik-api-token-5f1c",
    "homelab-sso:infisicalClientId": "known-infisical-client-id-77d2",
    "homelab-sso:infisicalClientSecret": "known-infisical-client-secret-0b6e",
} as const;

export interface StackOverrides {
    /** Replace (or add) structured/plain config values. `undefined` removes the key. */
    set?: { [key: string]: unknown };
    /** Secret config values. */
    secrets?: { [key: string]: string };
    /** Evaluate as a preview; with `pendingCreates`, as the first preview on an empty cluster. */
    preview?: boolean;
    pendingCreates?: boolean;
}

/** The `config:` block of the frozen `test/fixtures/Pulumi.<stack>.yaml`. */
export function readStackFile(stack: string): { [key: string]: unknown } {
    const file = frozenStackFile(stack);
    // Read as the render reads it: a fixture with an alias or a number spelled two ways is refused.
    const { document, problems } = parseStackFileText(fs.readFileSync(file, "utf8"), file);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return (document as { config?: { [key: string]: unknown } }).config ?? {};
}

/**
 * `set` overrides that add `acknowledgeDataLoss` (the section's namespace) to a deployment section of a
 * frozen stack file, as the owner does before turning that deployment off.
 */
export function acknowledgeDataLoss(stack: string, section: "argocd" | "grafana"): { [key: string]: unknown } {
    const key = `homelab-sso:${section}`;
    const current = (readStackFile(stack)[key] ?? {}) as { namespace?: string; [field: string]: unknown };
    const defaults = { argocd: "argocd", grafana: "monitoring" };
    return { [key]: { ...current, acknowledgeDataLoss: current.namespace ?? defaults[section] } };
}

/** The stack's config with overrides, as Pulumi's string map plus its secret keys. */
export function stackConfig(stack: string, overrides: StackOverrides = {}): { config: { [key: string]: string }; secretKeys: string[] } {
    const fileConfig: { [key: string]: unknown } = { ...readStackFile(stack) };
    for (const [key, value] of Object.entries(overrides.set ?? {})) {
        if (value === undefined) {
            delete fileConfig[key];
        } else {
            fileConfig[key] = value;
        }
    }
    const { config, secretKeys } = configFromStackFile(fileConfig);
    for (const [key, value] of Object.entries(overrides.secrets ?? {})) {
        config[key] = value;
        secretKeys.push(key);
    }
    return { config, secretKeys };
}

/** The problems `parseStackConfig` reports for raw config (Pulumi's keys, parsed values), or none when it parses. */
export function configProblems(raw: { [key: string]: unknown }): ConfigProblem[] {
    try {
        parseStackConfig(raw);
    } catch (error) {
        if (error instanceof ConfigError) {
            return error.problems;
        }
        throw error;
    }
    return [];
}

/** The problems of a frozen stack's config with overrides, read as the program reads Pulumi's config. */
export function stackConfigProblems(stack: string, overrides: StackOverrides = {}): ConfigProblem[] {
    return configProblems(rawConfigFromPulumi(stackConfig(stack, overrides).config));
}

/** Secrets each frozen stack needs set outside its file (as a user does with `pulumi config set --secret`). */
export const STACK_SECRETS: { [stack: string]: { [key: string]: string } } = {
    prod: { ...KNOWN_SECRETS },
    dev: {},
};

export function evaluateStack(stack: string, overrides: StackOverrides = {}): Promise<Evaluation> {
    const secrets = { ...(STACK_SECRETS[stack] ?? {}), ...(overrides.secrets ?? {}) };
    return evaluateProgram({
        stack,
        ...stackConfig(stack, { ...overrides, secrets }),
        preview: overrides.preview,
        pendingCreates: overrides.pendingCreates,
    });
}

const committedEvaluations = new Map<string, Promise<Evaluation>>();

/**
 * A frozen stack file (`test/fixtures/Pulumi.<stack>.yaml`) evaluated once per test run and shared by every test file that only reads
 * it (nothing may modify the returned evaluation). Use `evaluateStack` for a fresh evaluation.
 */
export function committedStack(stack: string): Promise<Evaluation> {
    // Under Stryker the process runs the suite once per mutant: a cached evaluation would hide the
    // mutant, and would charge its coverage to whichever suite evaluated first.
    if ("__stryker__" in globalThis) {
        return evaluateStack(stack);
    }
    let evaluation = committedEvaluations.get(stack);
    if (!evaluation) {
        evaluation = evaluateStack(stack);
        committedEvaluations.set(stack, evaluation);
    }
    return evaluation;
}

/**
 * Any stack file evaluated as the offline render does (secure values and secret keys it does not set
 * become secret placeholders), with the known test secrets for the keys the program may read.
 */
export function evaluateStackFile(stack: string, file: string): Promise<Evaluation> {
    const { config, secretKeys, problems } = loadRenderConfig({ root: ROOT, stack, stackFile: file, secrets: { ...KNOWN_SECRETS } });
    if (problems.length > 0) {
        return Promise.reject(new ConfigError(problems));
    }
    return evaluateProgram({ stack, config, secretKeys });
}

export function resourcesOfType(evaluation: Evaluation, type: string): RecordedResource[] {
    return evaluation.resources.filter((r) => r.type === type);
}

export function onlyResource(evaluation: Evaluation, type: string, name?: string): RecordedResource {
    const matches = resourcesOfType(evaluation, type).filter((r) => name === undefined || r.name === name);
    if (matches.length !== 1) {
        throw new Error(`expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}`);
    }
    return matches[0];
}

/** Inputs of the `ProviderOauth2` that the `OidcClient` of `service` (component `oidc-<service>`) created. */
export function oidcProviderInputs(evaluation: Evaluation, service: string): { [key: string]: any } {
    const component = onlyResource(evaluation, "homelab:authentik:OidcClient", `oidc-${service}`);
    const provider = evaluation.resources.find((r) => r.parent === component.urn && r.type === "authentik:index/providerOauth2:ProviderOauth2");
    if (!provider) {
        throw new Error(`oidc-${service} created no ProviderOauth2`);
    }
    return provider.inputs;
}

/** Every string found in `value` outside secret envelopes (inputs) and `SecretValue`s (outputs), with its path. */
export function plainStrings(value: unknown, at = "$"): { path: string; value: string }[] {
    if (isSecretEnvelope(value) || value instanceof SecretValue) {
        return [];
    }
    if (typeof value === "string") {
        return [{ path: at, value }];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => plainStrings(v, `${at}[${i}]`));
    }
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => plainStrings(v, `${at}.${k}`));
    }
    return [];
}
