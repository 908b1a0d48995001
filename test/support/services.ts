/**
 * Test fixtures for the OIDC clients: a generated `homelab-sso:services` table of any size, and the
 * known plaintexts no plain input or output may contain.
 */
import { CLIENT_SECRET_TO_SCHEMA } from "../../stacks/secretDelivery";
import { ProblemList, readValid } from "../../stacks/validation";
import { readStackFile } from "./stacks";

/** Reads `clientSecretTo` of a service `immich`: the result and every problem. */
export function readClientSecretTo(clientSecretTo: unknown) {
    const problems = new ProblemList();
    const result = readValid("homelab-sso:services.immich.clientSecretTo", clientSecretTo, CLIENT_SECRET_TO_SCHEMA, problems);
    return { result, problems: problems.problems };
}

/** A client secret given in `homelab-sso:clientSecrets` by the tests; it must only ever travel as a secret. */
export const KNOWN_CLIENT_SECRET = "known-given-client-secret-3a9c";

/** What the mock `RandomPassword` returns for the client secret of service `key` (component `oidc-<key>`). */
export function mockClientSecret(key: string): string {
    return `mock-secret:oidc-${key}-client-secret`;
}

/**
 * Overrides that switch off the service deployments (ArgoCD, Grafana) and the GitOps bootstrap, for
 * tests that replace the service table: a deployment must name an existing service entry.
 */
export const WITHOUT_DEPLOYMENTS = {
    "homelab-sso:argocd": undefined,
    "homelab-sso:grafana": undefined,
    "homelab-sso:bootstrap": undefined,
} as const;

/** Overrides that replace the service table with `count` generated services (and no deployments). */
export function withGeneratedServices(count: number): { [key: string]: unknown } {
    return { ...WITHOUT_DEPLOYMENTS, "homelab-sso:services": generatedServices(count) };
}

const CALLBACK_PATHS = ["/auth/callback", "/login/generic_oauth", "/oauth2/callback", "/oidc/callback"];

/**
 * `count` valid services with varied shapes: every third has a public native client with a loopback
 * CLI redirect, every fourth an extra https redirect on its own host (listed in redirectHosts), every fifth its own slug, every seventh its own
 * client id. Keys are `svc-01`, `svc-02`, ...; each listens on its own port of one host.
 */
export function generatedServices(count: number): { [key: string]: { [field: string]: unknown } } {
    const services: { [key: string]: { [field: string]: unknown } } = {};
    for (let i = 1; i <= count; i++) {
        const key = `svc-${String(i).padStart(2, "0")}`;
        const publicUrl = `https://holdens-mac-mini.story-larch.ts.net:${9000 + i}`;
        const extraRedirectUris: string[] = [];
        if (i % 4 === 0) {
            extraRedirectUris.push(`https://${key}.example.ts.net/pkce/verify`);
        }
        services[key] = {
            name: `Service ${i}`,
            group: ["Monitoring", "Infrastructure", "Development"][i % 3],
            publicUrl,
            callbackPath: CALLBACK_PATHS[i % CALLBACK_PATHS.length],
            ...(extraRedirectUris.length > 0 ? { extraRedirectUris, redirectHosts: [`${key}.example.ts.net`] } : {}),
            ...(i % 3 === 0 ? { nativeClient: { redirectUris: [`http://localhost:${18000 + i}/auth/callback`] } } : {}),
            ...(i % 5 === 0 ? { slug: `app-${i}` } : {}),
            ...(i % 7 === 0 ? { clientId: `client-${i}.homelab` } : {}),
            description: `Generated service ${i}`,
        };
    }
    return services;
}

/** The frozen prod services plus Immich, configured as docs/operations.md shows. */
export function withImmich(immich: { [key: string]: unknown } = {}): { [key: string]: unknown } {
    return {
        "homelab-sso:services": {
            ...(readStackFile("prod")["homelab-sso:services"] as object),
            immich: {
                name: "Immich",
                group: "Media",
                publicUrl: "https://holdens-mac-mini.story-larch.ts.net:8450",
                callbackPath: "/auth/login",
                extraRedirectUris: ["https://holdens-mac-mini.story-larch.ts.net:8450/user-settings", "app.immich:///oauth-callback"],
                clientSecretTo: { kubernetesSecret: { namespace: "immich", name: "immich-oauth" }, stackOutput: true },
                ...immich,
            },
        },
    };
}
