/**
 * homelab-sso: the homelab's single-sign-on stack in one Pulumi program.
 *
 * Reads and validates the stack configuration (stacks/config.ts) before any resource exists, then
 * composes the components. Exports are the stable interface other stacks read (stacks/outputs.ts).
 */
import { Provider as AuthentikProvider } from "@pulumi/authentik";
import * as pulumi from "@pulumi/pulumi";
import { PortalBookmarks } from "./components/authentik/bookmarks";
import { lookupAuthentikObjects } from "./components/authentik/lookups";
import { OidcClient } from "./components/authentik/oidcClient";
import { AuthentikPlatform } from "./components/authentik/platform";
import { loadStackConfig } from "./stacks/config";
import { CONSUMER_SECRET_REFS, HomelabSsoOutputs, OidcClientOutputs } from "./stacks/outputs";

const { config, secrets } = loadStackConfig();

const platform = new AuthentikPlatform("authentik", {
    authentik: config.authentik,
    secrets: config.secrets,
});

// The Authentik API, configured only from stack config (no ambient AUTHENTIK_* environment). It
// depends on the release so that on an empty cluster Authentik is up before anything talks to it.
const authentikApiToken = config.authentik.apiTokenSource === "config" ? secrets.authentikToken : platform.bootstrapToken;
if (authentikApiToken === undefined) {
    throw new Error(`no Authentik API token for apiTokenSource ${config.authentik.apiTokenSource}`);
}
const authentikApi = new AuthentikProvider(
    "authentik-api",
    { url: config.authentik.apiUrl, token: authentikApiToken, insecure: config.authentik.apiInsecure },
    { dependsOn: [platform.release] },
);

const services = config.services.filter((service) => service.enabled);
const lookups = lookupAuthentikObjects(
    { oidc: config.oidc, accessGroups: services.flatMap((service) => (service.accessGroup ? [service.accessGroup] : [])) },
    { provider: authentikApi, dependsOn: [platform.release] },
);

const clients = services.map((service) => ({
    service,
    client: new OidcClient(`oidc-${service.key}`, {
        provider: authentikApi,
        authentikPublicUrl: platform.publicUrl,
        slug: service.slug,
        name: service.name,
        group: service.group,
        icon: service.icon,
        description: service.description,
        publisher: service.publisher,
        publicUrl: service.publicUrl,
        callbackPath: service.callbackPath,
        extraRedirectUris: service.extraRedirectUris,
        clientId: service.clientId,
        clientSecret: secrets.clientSecrets[service.key],
        authorizationFlowId: lookups.authorizationFlowId,
        invalidationFlowId: lookups.invalidationFlowId,
        signingKeyId: lookups.signingKeyId,
        scopeMappingIds: lookups.scopeMappingIds,
        accessGroupId: service.accessGroup ? lookups.groupIds[service.accessGroup] : undefined,
    }),
}));

const portal = new PortalBookmarks("bookmarks", { provider: authentikApi, bookmarks: config.bookmarks });

export const authentik = {
    namespace: platform.namespace,
    releaseName: platform.releaseName,
    serverServiceName: platform.serverServiceName,
    inClusterUrl: platform.inClusterUrl,
    publicUrl: platform.publicUrl,
    nodePorts: platform.nodePorts,
};
export const authentikPublicUrl: pulumi.Output<HomelabSsoOutputs["authentikPublicUrl"]> = platform.publicUrl;
export const oidcClients: pulumi.Output<HomelabSsoOutputs["oidcClients"]> = pulumi.output(
    Object.fromEntries(
        clients.map(({ service, client }): [string, pulumi.Output<OidcClientOutputs>] => [
            service.key,
            pulumi.output({
                slug: client.slug,
                clientId: client.clientId,
                issuer: client.issuer,
                discoveryUrl: client.discoveryUrl,
                redirectUris: client.redirectUris,
                endpoints: {
                    authorize: client.authorizeUrl,
                    token: client.tokenUrl,
                    userinfo: client.userinfoUrl,
                    endSession: client.endSessionUrl,
                    jwks: client.jwksUrl,
                },
                ...(CONSUMER_SECRET_REFS[service.key] ? { secretRef: { ...CONSUMER_SECRET_REFS[service.key] } } : {}),
            }),
        ]),
    ),
);
export const bookmarks: pulumi.Output<HomelabSsoOutputs["bookmarks"]> = portal.slugs;
