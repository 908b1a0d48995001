/**
 * What verify reads from a stack's outputs: `oidcClients`, as `pulumi stack output --json` prints it.
 *
 * The shape matches `stacks/outputs.ts` (`OidcClientOutputs`) plus two fields verify understands:
 * `clientType` ("confidential" | "public"; missing means confidential, as every client was before it
 * existed) and `nativeClient` (a second, public client of the same service, e.g. ArgoCD's CLI). It is
 * declared here rather than imported so that verify keeps working against stacks deployed by older
 * or newer versions of the program: it reads only what it checks, and reports every problem at once.
 */
import { FORBIDDEN_KEYS } from "../../../stacks/boundary";

export type ClientType = "confidential" | "public";

export interface VerifyEndpoints {
    authorize: string;
    token: string;
    userinfo: string;
    endSession: string;
    jwks: string;
}

/** One OIDC client as verify checks it. */
export interface VerifyClient {
    /** Table label: the service name, or `<service>/nativeClient`. */
    label: string;
    service: string;
    clientId: string;
    slug: string;
    issuer: string;
    discoveryUrl: string;
    redirectUris: string[];
    endpoints: VerifyEndpoints;
    clientType: ClientType;
}

const ENDPOINT_KEYS: (keyof VerifyEndpoints)[] = ["authorize", "token", "userinfo", "endSession", "jwks"];

function isObject(value: unknown): value is { [key: string]: unknown } {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readClient(path: string, service: string, label: string, raw: unknown, defaultType: ClientType, problems: string[]): VerifyClient | undefined {
    if (!isObject(raw)) {
        problems.push(`${path}: expected an object, got ${raw === null ? "null" : typeof raw}`);
        return undefined;
    }
    const before = problems.length;
    const str = (key: string): string => {
        const value = raw[key];
        if (typeof value !== "string" || value.length === 0) {
            problems.push(`${path}.${key}: expected a non-empty string, got ${value === undefined ? "nothing" : JSON.stringify(value)}`);
            return "";
        }
        if (/[\u0000-\u001f\u007f]/.test(value)) {
            problems.push(`${path}.${key}: contains a control character`);
            return "";
        }
        return value;
    };
    const clientId = str("clientId");
    const slug = str("slug");
    const issuer = str("issuer");
    const discoveryUrl = str("discoveryUrl");
    let redirectUris: string[] = [];
    if (!Array.isArray(raw.redirectUris) || raw.redirectUris.length === 0 || !raw.redirectUris.every((u) => typeof u === "string" && u.length > 0)) {
        problems.push(`${path}.redirectUris: expected a non-empty list of strings`);
    } else {
        redirectUris = raw.redirectUris as string[];
    }
    const endpoints = {} as VerifyEndpoints;
    if (!isObject(raw.endpoints)) {
        problems.push(`${path}.endpoints: expected an object with ${ENDPOINT_KEYS.join(", ")}`);
    } else {
        for (const key of ENDPOINT_KEYS) {
            const value = raw.endpoints[key];
            if (typeof value !== "string" || value.length === 0) {
                problems.push(`${path}.endpoints.${key}: expected a non-empty string`);
            } else {
                endpoints[key] = value;
            }
        }
    }
    let clientType = defaultType;
    if (raw.clientType !== undefined) {
        if (raw.clientType !== "confidential" && raw.clientType !== "public") {
            problems.push(`${path}.clientType: expected "confidential" or "public", got ${JSON.stringify(raw.clientType)}`);
        } else {
            clientType = raw.clientType;
        }
    }
    if (problems.length > before) {
        return undefined;
    }
    return { label, service, clientId, slug, issuer, discoveryUrl, redirectUris, endpoints, clientType };
}

/**
 * The clients to check, from the JSON of `pulumi stack output --json` (or a file holding it). Each
 * service gives its client, then its `nativeClient` if it has one. Problems name the output path.
 */
export function readVerifyClients(outputs: unknown): { clients: VerifyClient[]; problems: string[] } {
    const problems: string[] = [];
    const clients: VerifyClient[] = [];
    if (!isObject(outputs)) {
        return { clients, problems: ["the stack outputs: expected a JSON object (the output of `pulumi stack output --json`)"] };
    }
    const oidcClients = outputs.oidcClients;
    if (!isObject(oidcClients)) {
        problems.push("oidcClients: missing; expected an object of OIDC clients by service name (is this a homelab-sso stack, deployed with `pulumi up`?)");
        return { clients, problems };
    }
    for (const service of Object.keys(oidcClients).sort()) {
        if (FORBIDDEN_KEYS.includes(service)) {
            problems.push(`oidcClients: the service name ${JSON.stringify(service)} is not allowed`);
            continue;
        }
        const raw = oidcClients[service];
        const client = readClient(`oidcClients.${service}`, service, service, raw, "confidential", problems);
        if (client) {
            clients.push(client);
        }
        if (isObject(raw) && raw.nativeClient !== undefined) {
            const native = readClient(`oidcClients.${service}.nativeClient`, service, `${service}/nativeClient`, raw.nativeClient, "public", problems);
            if (native) {
                clients.push(native);
            }
        }
    }
    return { clients, problems };
}
