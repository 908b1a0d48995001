/**
 * homelab-sso: the homelab's single-sign-on stack in one Pulumi program.
 *
 * Reads and validates the stack configuration (stacks/config.ts) before any resource exists, then
 * composes the components. Exports are the stable interface other stacks read (stacks/outputs.ts).
 */
import { Provider as AuthentikProvider } from "@pulumi/authentik";
import * as pulumi from "@pulumi/pulumi";
import { ArgoCd } from "./components/argocd/argocd";
import { PortalBookmarks } from "./components/authentik/bookmarks";
import { lookupAuthentikObjects } from "./components/authentik/lookups";
import { OidcClient } from "./components/authentik/oidcClient";
import { AuthentikPlatform } from "./components/authentik/platform";
import { GitOpsBootstrap } from "./components/bootstrap/gitops";
import { ClientSecretDelivery } from "./components/secrets/clientSecretDelivery";
import { Grafana } from "./components/monitoring/grafana";
import { loadStackConfig } from "./stacks/config";
import { activeDeployment } from "./stacks/deployments";
import { redirectUris } from "./stacks/redirects";
import { secretGeneration } from "./stacks/secretDelivery";
import { HomelabSsoOutputs, OidcClientOutputs, SecretRef } from "./stacks/outputs";

const { config, secrets } = loadStackConfig();

// Where ExternalSecrets read from in infisical mode; in pulumi mode the components generate instead.
const externalSecretStore =
    config.secrets.source === "infisical" ? { storeName: config.secrets.clusterSecretStore, refreshInterval: config.secrets.refreshInterval } : undefined;

const platform = new AuthentikPlatform("authentik", {
    namespace: config.authentik.namespace,
    chartVersion: config.authentik.chartVersion,
    publicUrl: config.authentik.publicUrl,
    nodePorts: config.authentik.nodePorts,
    postgresqlVolumeSize: config.authentik.postgresqlVolumeSize,
    dataLossAcknowledged: config.authentik.dataLossAcknowledged,
    credentialsFrom: externalSecretStore,
    bootstrapTokenIsApiToken: config.authentik.apiTokenSource === "generated",
});

// The Authentik API, configured only from stack config (no ambient AUTHENTIK_* environment). It
// depends on the chart so that on an empty cluster Authentik is up before anything talks to it.
const authentikApiToken = config.authentik.apiTokenSource === "config" ? secrets.authentikToken : platform.bootstrapToken;
if (authentikApiToken === undefined) {
    // Stryker disable next-line StringLiteral: an invariant the config check establishes (it refuses such a stack first), so this throw is unreachable and only its wording could change
    throw new Error(`no Authentik API token for apiTokenSource ${config.authentik.apiTokenSource}`);
}
const authentikApi = new AuthentikProvider(
    "authentik-api",
    { url: config.authentik.apiUrl, token: authentikApiToken, insecure: config.authentik.apiInsecure },
    { dependsOn: [platform.chart] },
);

const services = config.services.filter((service) => service.enabled);
// The lookups also wait for the provider: the chart is a remote component, whose objects an engine
// without invoke dependsOn support (and the mock runtime) cannot gate an invoke on; the provider is a
// custom resource that itself waits for the chart, so on a fresh cluster the first preview sends none.
const lookups = lookupAuthentikObjects(
    {
        authorizationFlow: config.oidc.authorizationFlow,
        invalidationFlow: config.oidc.invalidationFlow,
        signingKeyName: config.oidc.signingKeyName,
        scopes: config.oidc.scopes,
        accessGroups: services.flatMap((service) => (service.accessGroup ? [service.accessGroup] : [])),
    },
    { provider: authentikApi, dependsOn: [platform.chart, authentikApi] },
);

const clients = services.map((service) => {
    const client = new OidcClient(`oidc-${service.key}`, {
        provider: authentikApi,
        authentikPublicUrl: platform.publicUrl,
        slug: service.slug,
        name: service.name,
        group: service.group,
        icon: service.icon,
        description: service.description,
        publisher: service.publisher,
        publicUrl: service.publicUrl,
        redirectUris: redirectUris(service),
        clientId: service.clientId,
        issuerMode: service.issuerMode,
        nativeClient: service.nativeClient,
        clientSecret: secrets.clientSecrets[service.key],
        rotation: service.rotation,
        authorizationFlowId: lookups.authorizationFlowId,
        invalidationFlowId: lookups.invalidationFlowId,
        signingKeyId: lookups.signingKeyId,
        scopeMappingIds: lookups.scopeMappingIds,
        accessGroupId: service.accessGroup ? lookups.groupIds[service.accessGroup] : undefined,
    });
    return { service, client, clientSecret: webClientSecret(service.key, client) };
});

/** A service's web client is confidential (OidcClient's default), so OidcClient always gives it a secret. */
function webClientSecret(serviceKey: string, client: OidcClient): pulumi.Output<string> {
    if (client.clientSecret === undefined) {
        // Stryker disable next-line StringLiteral: an invariant the config check establishes (it refuses such a stack first), so this throw is unreachable and only its wording could change
        throw new Error(`the web client of service ${serviceKey} has no secret`);
    }
    return client.clientSecret;
}

// Where else each client secret goes (`services.<name>.clientSecretTo`): a Kubernetes Secret in the
// service's own namespace and/or the secret stack output `oidcClientSecrets`.
const deliveries = clients.flatMap(({ service, clientSecret }) => {
    const target = service.clientSecretTo?.kubernetesSecret;
    if (!target) {
        return [];
    }
    return [{ service, delivery: new ClientSecretDelivery(`oidc-${service.key}-delivery`, { clientSecret, kubernetesSecret: target }) }];
});

const portal = new PortalBookmarks("bookmarks", { provider: authentikApi, bookmarks: config.bookmarks });

// The services that log in through these clients, deployed with SSO-only login. Validation has
// checked that each active deployment has an enabled service entry with the right callback path.
const clientOf = (serviceKey: string) => {
    const entry = clients.find(({ service }) => service.key === serviceKey);
    if (!entry) {
        // Stryker disable next-line StringLiteral: an invariant the config check establishes (it refuses such a stack first), so this throw is unreachable and only its wording could change
        throw new Error(`no OIDC client for service ${serviceKey}`);
    }
    return { ...entry, endpoints: { ...pick(entry.client), clientSecret: entry.clientSecret } };
};
function pick(client: OidcClient) {
    return {
        clientId: client.clientId,
        issuer: client.issuer,
        authorizeUrl: client.authorizeUrl,
        tokenUrl: client.tokenUrl,
        userinfoUrl: client.userinfoUrl,
        endSessionUrl: client.endSessionUrl,
    };
}
const authentikHostAlias = config.deployments.authentikHostAliasIp
    ? { ip: config.deployments.authentikHostAliasIp, hostname: new URL(config.authentik.publicUrl).hostname }
    : undefined;
const consumerSecretRefs: { [service: string]: pulumi.Output<SecretRef> } = {};

const argocdConfig = activeDeployment(config.deployments.argocd, config.services);
const argocd = argocdConfig
    ? new ArgoCd("argocd", {
          namespace: argocdConfig.namespace,
          releaseName: argocdConfig.releaseName,
          chartVersion: argocdConfig.chartVersion,
          nodePorts: argocdConfig.nodePorts,
          rbacDefaultPolicy: argocdConfig.rbacDefaultPolicy,
          adminGroups: argocdConfig.adminGroups,
          readonlyGroups: argocdConfig.readonlyGroups,
          extraValues: argocdConfig.extraValues,
          dataLossAcknowledged: argocdConfig.dataLossAcknowledged,
          publicUrl: clientOf(argocdConfig.service).service.publicUrl,
          client: clientOf(argocdConfig.service).endpoints,
          issuerCaCertificate: config.deployments.issuerCaCertificate,
          authentikHostAlias,
          releaseDependsOn: [clientOf(argocdConfig.service).client],
      })
    : undefined;
if (argocdConfig && argocd) {
    consumerSecretRefs[argocdConfig.service] = argocd.clientSecretRef;
}

const grafanaConfig = activeDeployment(config.deployments.grafana, config.services);
if (grafanaConfig) {
    const grafana = new Grafana("grafana", {
        namespace: grafanaConfig.namespace,
        releaseName: grafanaConfig.releaseName,
        chartVersion: grafanaConfig.chartVersion,
        adminGroups: grafanaConfig.adminGroups,
        editorGroups: grafanaConfig.editorGroups,
        extraValues: grafanaConfig.extraValues,
        dataLossAcknowledged: grafanaConfig.dataLossAcknowledged,
        adminCredentialsFrom: externalSecretStore,
        publicUrl: clientOf(grafanaConfig.service).service.publicUrl,
        client: clientOf(grafanaConfig.service).endpoints,
        issuerCaCertificate: config.deployments.issuerCaCertificate,
        authentikHostAlias,
        clientSecretGeneration: secretGeneration(clientOf(grafanaConfig.service).service.clientSecretSource, clientOf(grafanaConfig.service).service.rotation),
        releaseDependsOn: [clientOf(grafanaConfig.service).client],
    });
    consumerSecretRefs[grafanaConfig.service] = grafana.clientSecretRef;
}

for (const { service, delivery } of deliveries) {
    // A deployed consumer's own Secret stays its secretRef; otherwise the delivered one is.
    consumerSecretRefs[service.key] ??= delivery.secretRef;
}

const { bootstrap } = config.deployments;
if (bootstrap.esoMachineIdentity || bootstrap.clusterSecretStore || bootstrap.appOfApps) {
    new GitOpsBootstrap("bootstrap", {
        esoMachineIdentity: bootstrap.esoMachineIdentity,
        clusterSecretStore: bootstrap.clusterSecretStore ? { name: config.secrets.clusterSecretStore, ...bootstrap.clusterSecretStore } : undefined,
        appOfApps: bootstrap.appOfApps,
        machineIdentity: secrets.infisicalMachineIdentity,
        argocd: argocd ? { namespace: argocd.namespace, release: argocd.release } : undefined,
    });
}

export const authentik = {
    namespace: platform.namespace,
    releaseName: platform.releaseName,
    serverServiceName: platform.serverServiceName,
    inClusterUrl: platform.inClusterUrl,
    publicUrl: platform.publicUrl,
    nodePorts: platform.nodePorts,
};
export const authentikPublicUrl: pulumi.Output<HomelabSsoOutputs["authentikPublicUrl"]> = platform.publicUrl;
/** A client's stack output; a public client never has a `secretRef`. */
function clientOutputs(client: OidcClient, secretRef?: pulumi.Output<SecretRef>): pulumi.Output<OidcClientOutputs> {
    return pulumi.output({
        slug: client.slug,
        clientId: client.clientId,
        clientType: client.clientType,
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
        // Only a web client (confidential) is handed a secretRef; an undefined one is no output.
        secretRef,
        ...(client.nativeClient ? { nativeClient: clientOutputs(client.nativeClient) } : {}),
    });
}
export const oidcClients: pulumi.Output<HomelabSsoOutputs["oidcClients"]> = pulumi.output(
    Object.fromEntries(
        clients.map(({ service, client }): [string, pulumi.Output<OidcClientOutputs>] => [service.key, clientOutputs(client, consumerSecretRefs[service.key])]),
    ),
);
export const bookmarks: pulumi.Output<HomelabSsoOutputs["bookmarks"]> = portal.slugs;
/**
 * Client secrets of the services with `clientSecretTo.stackOutput: true`, by service name: one secret
 * output, absent when no service asks for it (`pulumi stack output oidcClientSecrets --show-secrets`).
 */
const outputSecrets = clients.filter(({ service }) => service.clientSecretTo?.stackOutput);
export const oidcClientSecrets: pulumi.Output<NonNullable<HomelabSsoOutputs["oidcClientSecrets"]>> | undefined =
    outputSecrets.length > 0
        ? pulumi.secret(
              pulumi.output(
                  Object.fromEntries(
                      outputSecrets.map(({ service, clientSecret }): [string, pulumi.Output<string>] => [service.key, clientSecret]),
                  ),
              ),
          )
        : undefined;
