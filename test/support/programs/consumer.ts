/**
 * Test program: another stack reading a homelab-sso stack's outputs with a typed StackReference,
 * as docs/oidc-clients.md shows. Config (namespace `test`): `ssoStack`, the referenced stack name.
 */
import * as pulumi from "@pulumi/pulumi";
import { readHomelabSsoOutputs } from "../../../stacks/outputs";

const sso = readHomelabSsoOutputs(new pulumi.StackReference("sso", { name: new pulumi.Config("test").require("ssoStack") }));

const argocd = sso.oidcClients.apply((clients) => clients.argocd);
export const argocdIssuer = argocd.apply((client) => client.issuer);
export const argocdClientId = argocd.apply((client) => client.clientId);
export const argocdSecretRef = argocd.apply((client) => client.secretRef);
export const grafanaAuthUrl = sso.oidcClients.apply((clients) => clients.grafana.endpoints.authorize);
export const authentikPublicUrl = sso.authentikPublicUrl;
export const bookmarkCount = sso.bookmarks.apply((slugs) => slugs.length);
