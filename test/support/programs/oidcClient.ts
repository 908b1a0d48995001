/**
 * Test program: one `OidcClient` on its own, with literal lookup ids, so tests can read the
 * component's outputs (including the client secret, which the real stack never exports).
 * Config (namespace `test`): `clientSecret` (optional; read as a plain value on purpose, so the
 * component itself must make it secret), `accessGroupId` (optional), `issuerMode` (optional: `global`; left out otherwise),
 * `variant` (optional: `publicWithSecret`, the argument shape the component refuses; `oneRedirect`, a
 * single redirect URI).
 */
import * as authentik from "@pulumi/authentik";
import * as pulumi from "@pulumi/pulumi";
import { OidcClient, OidcClientArgs } from "../../../components/authentik/oidcClient";

const config = new pulumi.Config("test");
const provider = new authentik.Provider("test-api", { url: "https://authentik.example.ts.net", token: config.requireSecret("token") });

const args: OidcClientArgs = {
    provider,
    authentikPublicUrl: "https://authentik.example.ts.net",
    slug: "demo",
    name: "Demo",
    group: "Testing",
    publicUrl: "https://demo.example.ts.net:8450",
    redirectUris: ["https://demo.example.ts.net:8450/auth/callback", "https://demo.example.ts.net:8450/pkce/verify"],
    // Left out unless `global`, so the component's default issuer mode is what the tests see.
    ...(config.get("issuerMode") === "global" ? { issuerMode: "global" as const } : {}),
    nativeClient: { slug: "demo-cli", clientId: "demo-cli", name: "Demo CLI", redirectUris: ["http://localhost:8085/auth/callback", "app.example.demo:/oauth-callback"] },
    clientSecret: config.get("clientSecret"),
    authorizationFlowId: "flow-authorization-uuid",
    invalidationFlowId: "flow-invalidation-uuid",
    signingKeyId: "signing-key-uuid",
    scopeMappingIds: ["scope-openid-uuid", "scope-email-uuid", "scope-profile-uuid"],
    accessGroupId: config.get("accessGroupId"),
};
const variant = config.get("variant");
if (variant === "publicWithSecret") {
    Object.assign(args, { clientType: "public", clientSecret: "a-secret-a-public-client-cannot-keep" });
} else if (variant === "oneRedirect") {
    args.redirectUris = ["https://demo.example.ts.net:8450/auth/callback"];
}
const client = new OidcClient("oidc-demo", args);

export const clientId = client.clientId;
export const clientSecret = client.clientSecret;
export const redirectUris = client.redirectUris;
export const issuer = client.issuer;
export const discoveryUrl = client.discoveryUrl;
export const native = {
    clientId: client.nativeClient!.clientId,
    clientType: client.nativeClient!.clientType,
    hasSecret: client.nativeClient!.clientSecret !== undefined,
    redirectUris: client.nativeClient!.redirectUris,
    issuer: client.nativeClient!.issuer,
};
export const endpoints = {
    authorize: client.authorizeUrl,
    token: client.tokenUrl,
    userinfo: client.userinfoUrl,
    endSession: client.endSessionUrl,
    jwks: client.jwksUrl,
};
