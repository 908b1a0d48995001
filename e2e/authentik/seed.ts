/**
 * What a fresh Authentik 2025.12 holds that this program looks up, under the names its default and
 * system blueprints give them (goauthentik/authentik `blueprints/default/flow-*.yaml`,
 * `blueprints/system/providers-oauth2.yaml`, `blueprints/system/bootstrap.yaml`) and the key pair
 * `authentik/crypto/apps.py` makes on first start. Fresh UUIDs per start, as a new install has.
 */
import { randomUUID, X509Certificate } from "crypto";
import * as selfsigned from "selfsigned";

/** One object as the API answers it (JSON). */
export type Stored = { [field: string]: unknown };

export interface SeededKeyPair {
    object: Stored;
    certificatePem: string;
    privateKeyPem: string;
}

export interface FreshAuthentik {
    flows: Stored[];
    keyPairs: SeededKeyPair[];
    scopeMappings: Stored[];
    groups: Stored[];
}

/** slug, name, title, designation, authentication of each default flow (blueprints/default). */
export const DEFAULT_FLOWS: readonly [string, string, string, string, string][] = [
    ["default-authentication-flow", "Welcome to authentik!", "Welcome to authentik!", "authentication", "none"],
    ["default-invalidation-flow", "Logout", "Default Invalidation Flow", "invalidation", "none"],
    ["default-provider-authorization-explicit-consent", "Authorize Application", "Redirecting to %(app)s", "authorization", "require_authenticated"],
    ["default-provider-authorization-implicit-consent", "Authorize Application", "Redirecting to %(app)s", "authorization", "require_authenticated"],
    ["default-provider-invalidation-flow", "Logout", "You've logged out of %(app)s.", "invalidation", "none"],
];

/** managed identifier, scope name, description of each built-in OAuth2 scope mapping (blueprints/system/providers-oauth2.yaml). */
export const SYSTEM_SCOPE_MAPPINGS: readonly [string, string, string][] = [
    ["openid", "openid", ""],
    ["email", "email", "Email address"],
    ["profile", "profile", "General Profile Information"],
    ["entitlements", "entitlements", "Application entitlements"],
    ["offline_access", "offline_access", "Access to request new tokens without interaction"],
    ["authentik_api", "goauthentik.io/api", "authentik API Access on behalf of your user"],
];

export const SELF_SIGNED_KEY_PAIR = "authentik Self-signed Certificate";
export const ADMINS_GROUP = "authentik Admins";

function flow([slug, name, title, designation, authentication]: readonly string[]): Stored {
    const pk = randomUUID();
    return {
        pk,
        policybindingmodel_ptr_id: pk,
        name,
        slug,
        title,
        designation,
        background: "",
        background_url: "/static/dist/assets/images/flow_background.jpg",
        stages: [],
        policies: [],
        cache_count: 0,
        policy_engine_mode: "any",
        compatibility_mode: false,
        export_url: `/api/v3/flows/instances/${slug}/export/`,
        layout: "stacked",
        denied_action: "message_continue",
        authentication,
    };
}

function scopeMapping([key, scopeName, description]: readonly string[]): Stored {
    return {
        pk: randomUUID(),
        managed: `goauthentik.io/providers/oauth2/scope-${key}`,
        name: key === "entitlements" ? "authentik default OAuth Mapping: Application Entitlements" : key === "authentik_api" ? "authentik default OAuth Mapping: authentik API access" : `authentik default OAuth Mapping: OpenID '${scopeName}'`,
        expression: "return {}\n",
        component: "ak-property-mapping-provider-scope-form",
        verbose_name: "Scope Mapping",
        verbose_name_plural: "Scope Mappings",
        meta_model_name: "authentik_providers_oauth2.scopemapping",
        scope_name: scopeName,
        description,
    };
}

/** The RSA key pair Authentik generates on first start (its tokens are RS256 with it). */
async function selfSignedKeyPair(): Promise<SeededKeyPair> {
    const made = await selfsigned.generate([{ name: "commonName", value: "authentik Self-signed Certificate" }], {
        keySize: 2048,
        algorithm: "sha256",
        notBeforeDate: new Date(Date.now() - 60_000),
        notAfterDate: new Date(Date.now() + 365 * 24 * 3600_000),
    });
    const certificate = new X509Certificate(made.cert);
    const pk = randomUUID();
    return {
        certificatePem: made.cert.trim(),
        privateKeyPem: made.private.trim(),
        object: {
            pk,
            name: SELF_SIGNED_KEY_PAIR,
            fingerprint_sha256: certificate.fingerprint256.replace(/:/g, "").toLowerCase(),
            fingerprint_sha1: certificate.fingerprint.replace(/:/g, "").toLowerCase(),
            cert_expiry: new Date(certificate.validTo).toISOString(),
            cert_subject: certificate.subject.replace(/\n/g, ","),
            private_key_available: true,
            key_type: "rsa",
            certificate_download_url: `/api/v3/crypto/certificatekeypairs/${pk}/view_certificate/?download`,
            private_key_download_url: `/api/v3/crypto/certificatekeypairs/${pk}/view_private_key/?download`,
            managed: null,
        },
    };
}

export async function seedFreshAuthentik(): Promise<FreshAuthentik> {
    return {
        flows: DEFAULT_FLOWS.map(flow),
        keyPairs: [await selfSignedKeyPair()],
        scopeMappings: SYSTEM_SCOPE_MAPPINGS.map(scopeMapping),
        groups: [group(ADMINS_GROUP, 1, true)],
    };
}

/** A group as the API answers it: the admins group bootstrap.yaml makes, or one an administrator added (`num_pk` from 2). */
export function group(name: string, numPk: number, isSuperuser = false): Stored {
    return {
        pk: randomUUID(),
        num_pk: numPk,
        name,
        is_superuser: isSuperuser,
        parents: [],
        parents_obj: null,
        users: [],
        attributes: {},
        roles: [],
        roles_obj: [],
        inherited_roles_obj: null,
        children: [],
        children_obj: null,
    };
}
