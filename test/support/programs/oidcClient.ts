/**
 * Test program: one `OidcClient` on its own, with literal lookup ids, so tests can read the
 * component's outputs (including the client secret, which the real stack never exports).
 * Config (namespace `test`): `clientSecret` (optional; read as a plain value on purpose, so the
 * component itself must make it secret), `accessGroupId` (optional).
 */
import * as authentik from "@pulumi/authentik";
import * as pulumi from "@pulumi/pulumi";
import { OidcClient } from "../../../components/authentik/oidcClient";

const config = new pulumi.Config("test");
const provider = new authentik.Provider("test-api", { url: "https://authentik.example.ts.net", token: config.requireSecret("token") });

const client = new OidcClient("oidc-demo", {
    provider,
    authentikPublicUrl: "https://authentik.example.ts.net",
    slug: "demo",
    name: "Demo",
    group: "Testing",
    publicUrl: "https://demo.example.ts.net:8450",
    callbackPath: "/auth/callback",
    extraRedirectUris: ["http://localhost:8085/auth/callback"],
    clientSecret: config.get("clientSecret"),
    authorizationFlowId: "flow-authorization-uuid",
    invalidationFlowId: "flow-invalidation-uuid",
    signingKeyId: "signing-key-uuid",
    scopeMappingIds: ["scope-openid-uuid", "scope-email-uuid", "scope-profile-uuid"],
    accessGroupId: config.get("accessGroupId"),
});

export const clientId = client.clientId;
export const clientSecret = client.clientSecret;
export const redirectUris = client.redirectUris;
export const issuer = client.issuer;
export const discoveryUrl = client.discoveryUrl;
export const endpoints = {
    authorize: client.authorizeUrl,
    token: client.tokenUrl,
    userinfo: client.userinfoUrl,
    endSession: client.endSessionUrl,
    jwks: client.jwksUrl,
};
