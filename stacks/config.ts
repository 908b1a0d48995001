import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
    CHART_VERSION,
    DNS_LABEL,
    HOST_NAME,
    checkChartVersion,
    checkDnsLabel,
    checkDuration,
    checkHostName,
    baseUrlProblem,
    checkHttpsBaseUrl,
    checkVolumeSize,
    isClusterServiceHost,
    normaliseBaseUrl,
} from "./rules";
import { PINNED_CHARTS } from "./chartKeys";
import {
    DEPLOYMENT_CLIENT_SECRETS,
    DeploymentsConfig,
    activeDeployment,
    chartIndexProblem,
    checkDataLossAcknowledgements,
    checkDeploymentServices,
    derivedCallbackPaths,
    checkLocalIssuer,
    parseArgoCd,
    parseBootstrap,
    parseGrafana,
    parseHostAlias,
    parseIssuerCa,
    dataLossAcknowledgementProblem,
} from "./deployments";
import { checkDeliveryTargets } from "./secretDelivery";
import { BookmarkConfig, OidcConfig, SERVICE_SECTION_KEYS, ServiceConfig, checkServiceClaims, parseServices } from "./services";
import { LOOPBACK_HOSTS } from "./redirects";
import { checkNamespaces, checkOutsideKeys, checkPlaintextSecrets, secretConfigKeys } from "./hygiene";
import { checkConfigBoundary } from "./boundary";
import { ConfigObject, ProblemList, flag, unknownKeyMessage, isPlainObject, nodePort, oneOf, readSchema, readValid, section, text } from "./validation";

/** The Pulumi project name, which is also the namespace of this program's config keys. */
export const PROJECT = "homelab-sso";

export const SECRETS_SOURCES = ["infisical", "pulumi"] as const;
export type SecretsSource = (typeof SECRETS_SOURCES)[number];

/** Where the Authentik API token for the `authentik.Provider` comes from. */
export const API_TOKEN_SOURCES = ["config", "generated"] as const;
export type ApiTokenSource = (typeof API_TOKEN_SOURCES)[number];

export { NODE_PORT_RANGE } from "./validation";

/** `homelab-sso:publicHost`. */
export const PUBLIC_HOST_SCHEMA = text({ pattern: HOST_NAME, check: checkHostName }).meta({
    description: "DNS host name everything is published on, e.g. `holdens-mac-mini.story-larch.ts.net` (no trailing dot).",
    "x-default": "required",
});

/** `homelab-sso:secrets`. */
export const SECRETS_SCHEMA = section({
    source: oneOf(SECRETS_SOURCES).meta({
        description: "`infisical`: ExternalSecrets read Infisical through ESO. `pulumi`: Pulumi generates the secrets.",
        "x-default": "required",
    }),
    clusterSecretStore: text({ pattern: DNS_LABEL, check: checkDnsLabel }).default("infisical").meta({ description: "Name of the ESO `ClusterSecretStore` ExternalSecrets read." }),
    refreshInterval: text({ pattern: /^(\d+h)?(\d+m)?(\d+s)?$/, check: checkDuration }).default("1h").meta({ description: "ExternalSecret refresh interval (`1h`, `30m`, `1h30m`)." }),
}).meta({ description: "Where the program's secrets come from." });

export type SecretsConfig = z.output<typeof SECRETS_SCHEMA>;

/** `homelab-sso:authentik`; `publicUrl`, `apiUrl` and `apiTokenSource` default from other keys (`parseAuthentik`). */
export const AUTHENTIK_SCHEMA = section({
    namespace: text({ pattern: DNS_LABEL, check: checkDnsLabel }).default("authentik").meta({ description: "Namespace of the release." }),
    chartVersion: text({ pattern: CHART_VERSION, check: (v) => checkChartVersion(v) ?? chartIndexProblem(PINNED_CHARTS.authentik.name, v) })
        .default(PINNED_CHARTS.authentik.version)
        .meta({ description: `Exact version of chart \`${PINNED_CHARTS.authentik.name}\` from ${PINNED_CHARTS.authentik.repo} (no ranges).` }),
    publicUrl: text({ check: checkHttpsBaseUrl }).optional().meta({
        description: "Public https base URL of Authentik (the issuer host), canonical: lower-case host, no default port, path, query or credentials.",
        "x-default": "`https://<publicHost>`",
    }),
    apiUrl: text({ check: checkApiUrl }).optional().meta({
        description: "Authentik API URL for the provider; https, or plain http only for `localhost`, `127.0.0.1`, `*.svc.cluster.local`. Canonical like `publicUrl`.",
        "x-default": "`publicUrl`",
    }),
    apiInsecure: flag(false).meta({ description: "Skip TLS verification of `apiUrl`: only for a loopback or `*.svc.cluster.local` `apiUrl` (a local stack's self-signed proxy)." }),
    apiTokenSource: oneOf(API_TOKEN_SOURCES).optional().meta({
        description: "`config`: the secret `authentik:token`. `generated`: the bootstrap token Pulumi generates (pulumi mode only).",
        "x-default": "`config` (infisical) / `generated` (pulumi)",
    }),
    nodePorts: section({ http: nodePort("HTTP NodePort.", 30500), https: nodePort("HTTPS NodePort.", 30501) })
        .default({ http: 30500, https: 30501 })
        .meta({ description: "NodePorts of `authentik-server`; no NodePort may be used twice." }),
    postgresqlVolumeSize: text({ pattern: /^[1-9]\d*(Mi|Gi|Ti)$/, check: checkVolumeSize })
        .default("2Gi")
        .meta({ description: "Size of the embedded PostgreSQL volume (`Mi`/`Gi`/`Ti`, at least `512Mi`)." }),
    // Checked against `namespace` in parseAuthentik; the pattern tells editors what a namespace looks like.
    acknowledgeDataLoss: text().optional().meta({
        description: "The namespace's name: it loses its `protect` in this run (for example before renaming `namespace`, which replaces it and the database with it).",
        "x-default": "none (protected)",
        pattern: DNS_LABEL.source,
    }),
}).meta({ description: "The Authentik release and the provider's connection to its API." });

type AuthentikSection = z.output<typeof AUTHENTIK_SCHEMA>;

export interface AuthentikConfig extends Omit<AuthentikSection, "publicUrl" | "apiUrl" | "apiTokenSource" | "acknowledgeDataLoss"> {
    /** Public base URL users and services reach Authentik at (the issuer host). Default `https://<publicHost>`. */
    publicUrl: string;
    /** URL of the Authentik API for the `authentik.Provider`. Default: `publicUrl`. */
    apiUrl: string;
    /** `config`: the secret stack config `authentik:token`. `generated`: the bootstrap token Pulumi generates (pulumi mode only). */
    apiTokenSource: ApiTokenSource;
    /** `acknowledgeDataLoss` names the namespace: it loses its `protect` (see docs/operations.md). Default false. */
    dataLossAcknowledged: boolean;
}

export interface StackConfig {
    /** The public host every service is published on, e.g. `holdens-mac-mini.story-larch.ts.net`. */
    publicHost: string;
    secrets: SecretsConfig;
    authentik: AuthentikConfig;
    /** ArgoCD and Grafana with SSO, the in-cluster issuer host alias, and the GitOps bootstrap. */
    deployments: DeploymentsConfig;
    /** Settings every OIDC client shares (`homelab-sso:oidc`). */
    oidc: OidcConfig;
    /** One OIDC client per entry of `homelab-sso:services`, in config order (disabled ones included, flagged). */
    services: ServiceConfig[];
    /** Portal bookmarks (`homelab-sso:bookmarks`): applications without a provider. */
    bookmarks: BookmarkConfig[];
}

/**
 * A stack's raw configuration: full keys (`homelab-sso:authentik`, `authentik:token`) to values,
 * structured values already parsed from JSON. This is what `pulumi.runtime.allConfig()` holds.
 */
export type RawConfig = { [key: string]: unknown };

/** A NodePort and the config key that claims it, for the cluster-wide uniqueness check. */
export interface NodePortClaim {
    key: string;
    port: number;
}

/** Context handed to each section parser. */
export interface SectionContext {
    raw: RawConfig;
    problems: ProblemList;
    nodePorts: NodePortClaim[];
}

function projectKey(name: string): string {
    return `${PROJECT}:${name}`;
}

/** The stand-in for an invalid or missing `source`, so the other sections are still checked. */
const FALLBACK_SECRETS_SOURCE: SecretsSource = "pulumi";

function parseSecrets(ctx: SectionContext): SecretsConfig {
    const read = readSchema(projectKey("secrets"), ctx.raw[projectKey("secrets")] ?? {}, SECRETS_SCHEMA, ctx.problems);
    return { ...read, source: read.source ?? FALLBACK_SECRETS_SOURCE };
}

function parseAuthentik(ctx: SectionContext, publicHost: string | undefined, secrets: SecretsConfig): AuthentikConfig {
    const key = projectKey("authentik");
    const field = (name: keyof AuthentikSection) => `${key}.${name}`;
    const raw = ctx.raw[key];
    const read = readSchema(key, raw ?? {}, AUTHENTIK_SCHEMA, ctx.problems);
    const publicUrl = normaliseBaseUrl(read.publicUrl ?? (ctx.problems.hasAt(field("publicUrl")) || !publicHost ? "" : `https://${publicHost}`));
    const apiUrl = normaliseBaseUrl((ctx.problems.hasAt(field("apiUrl")) ? undefined : read.apiUrl) ?? publicUrl);
    const apiTokenSource: ApiTokenSource = ctx.problems.hasAt(field("apiTokenSource"))
        ? "config"
        : (read.apiTokenSource ?? (secrets.source === "pulumi" ? "generated" : "config"));
    for (const port of ["http", "https"] as const) {
        if (!ctx.problems.hasAt(`${field("nodePorts")}.${port}`) && !ctx.problems.hasAt(field("nodePorts"))) {
            ctx.nodePorts.push({ key: `${field("nodePorts")}.${port}`, port: read.nodePorts[port] });
        }
    }
    const { acknowledgeDataLoss, ...rest } = read;
    return {
        ...rest,
        publicUrl,
        apiUrl,
        apiTokenSource,
        dataLossAcknowledged: acknowledgeDataLoss !== undefined && acknowledgeDataLoss === read.namespace,
    };
}

/** Whether `url` (a valid base URL) is a loopback or in-cluster address: no one else can answer for it. */
function isLocalAddress(url: string): boolean {
    const { hostname } = new URL(url);
    return LOOPBACK_HOSTS.includes(hostname) || isClusterServiceHost(hostname);
}

/** The API URL may be plain http only for in-cluster or loopback addresses; everything public is https. */
function checkApiUrl(value: string): string | undefined {
    const problem = baseUrlProblem(value, ["https:", "http:"]);
    if (problem !== undefined) {
        return problem;
    }
    if (new URL(value).protocol === "http:" && !isLocalAddress(value)) {
        return `${JSON.stringify(value)} must use https; allowed: https://<host>[:<port>] (plain http is allowed only for localhost, 127.0.0.1 or *.svc.cluster.local)`;
    }
    return undefined;
}

function checkNodePortsUnique(claims: NodePortClaim[], problems: ProblemList): void {
    const byPort = new Map<number, string[]>();
    for (const claim of claims) {
        byPort.set(claim.port, [...(byPort.get(claim.port) ?? []), claim.key]);
    }
    for (const [port, keys] of byPort) {
        if (keys.length > 1) {
            problems.add(keys[1], `NodePort ${port} is already used by ${keys[0]}; allowed: a NodePort no other service uses`);
        }
    }
}

function parseDeployments(ctx: SectionContext): DeploymentsConfig {
    const read = (name: string) => ctx.raw[projectKey(name)];
    const deployments: DeploymentsConfig = {
        argocd: parseArgoCd(projectKey("argocd"), read("argocd"), ctx.nodePorts, ctx.problems),
        grafana: parseGrafana(projectKey("grafana"), read("grafana"), ctx.nodePorts, ctx.problems),
        authentikHostAliasIp: parseHostAlias(projectKey("authentikHostAlias"), read("authentikHostAlias"), ctx.problems),
        issuerCaCertificate: parseIssuerCa(projectKey("issuerCaCertificate"), read("issuerCaCertificate"), ctx.problems),
        bootstrap: parseBootstrap(projectKey("bootstrap"), read("bootstrap"), ctx.problems),
    };
    return deployments;
}

/** The top-level keys of this program's namespace, each read by one section parser. */
const TOP_LEVEL_KEYS = [
    "publicHost",
    "secrets",
    "authentik",
    ...SERVICE_SECTION_KEYS,
    "argocd",
    "grafana",
    "authentikHostAlias",
    "issuerCaCertificate",
    "bootstrap",
    "infisicalClientId",
    "infisicalClientSecret",
] as const;

export interface ParseOptions {
    /**
     * Whether a config key holds a secret (`pulumi.runtime.isConfigSecret`). When given, secret keys
     * stored in plain text are errors.
     */
    isSecret?: (key: string) => boolean;
}

/**
 * Validates a stack's raw configuration and returns the typed config. Throws one `ConfigError` that
 * lists every problem (key, what is wrong, what is allowed). Pure: no Pulumi runtime needed.
 */
export function parseStackConfig(raw: RawConfig, options: ParseOptions = {}): StackConfig {
    const problems = new ProblemList();
    const ctx: SectionContext = { raw, problems, nodePorts: [] };

    checkNamespaces(Object.keys(raw), PROJECT, problems);
    checkOutsideKeys(Object.keys(raw), PROJECT, problems);
    // Every key and string passes the boundary first; a structure unsafe to read stops here.
    if (!checkConfigBoundary(raw, PROJECT, problems)) {
        problems.throwIfAny();
    }
    const boundaryKeys = new Set(problems.problems.map((p) => p.key));
    if (options.isSecret) {
        checkPlaintextSecrets(raw, PROJECT, options.isSecret, problems);
    }

    for (const key of Object.keys(raw)) {
        if (key.startsWith(`${PROJECT}:`) && !(TOP_LEVEL_KEYS as readonly string[]).includes(key.slice(PROJECT.length + 1))) {
            problems.add(key, unknownKeyMessage(key, TOP_LEVEL_KEYS.map(projectKey), `unknown key; allowed keys: ${TOP_LEVEL_KEYS.map(projectKey).join(", ")}`));
        }
    }

    const publicHost = readValid(projectKey("publicHost"), raw[projectKey("publicHost")], PUBLIC_HOST_SCHEMA, problems);
    const secrets = parseSecrets(ctx);
    const authentik = parseAuthentik(ctx, publicHost, secrets);
    const { oidc, services, bookmarks, bookmarkSlugKeys } = parseServices(ctx, PROJECT, derivedCallbackPaths(raw, projectKey));
    const deployments = parseDeployments(ctx);
    const config = { publicHost: publicHost!, secrets, authentik, oidc, services, bookmarks, deployments };
    checkAcrossKeys(config, ctx, bookmarkSlugKeys);

    // A key the boundary refused is reported once, with the boundary's reason.
    problems.dropFollowOns(boundaryKeys);
    problems.throwIfAny();
    return config;
}

/**
 * Every rule that spans keys or sections, in one place, run once on what the sections read: what must
 * be unique (slugs, client ids, redirect URIs, delivered Secrets, NodePorts), what must reference
 * something (a deployment's service, the keys a setting requires), the data-loss acknowledgements and
 * the local issuer's requirements. A value its own section refused is not checked again here (one
 * message per cause).
 */
function checkAcrossKeys(config: StackConfig, ctx: SectionContext, bookmarkSlugKeys: readonly string[]): void {
    const { raw, problems } = ctx;
    const { secrets, authentik, services, bookmarks, deployments } = config;
    const field = (name: keyof AuthentikSection) => `${projectKey("authentik")}.${name}`;

    // The Authentik API connection and its token.
    if (authentik.apiTokenSource === "generated" && secrets.source !== "pulumi") {
        problems.add(
            field("apiTokenSource"),
            `"generated" needs ${projectKey("secrets")}.source "pulumi" (in infisical mode the bootstrap token lives in Infisical); allowed here: config`,
        );
    }
    if (authentik.apiTokenSource === "config" && raw["authentik:token"] === undefined) {
        problems.add("authentik:token", `is required when ${field("apiTokenSource")} is "config"; set it with \`pulumi config set --secret authentik:token <token>\``);
    }
    if (authentik.apiInsecure && !problems.hasAt(field("apiUrl")) && baseUrlProblem(authentik.apiUrl, ["https:", "http:"]) === undefined && !isLocalAddress(authentik.apiUrl)) {
        problems.add(
            field("apiInsecure"),
            `true turns off TLS verification of the Authentik API connection, which carries the admin token, to ${JSON.stringify(authentik.apiUrl)}, a public address; ` +
                "allowed: true only when apiUrl is a loopback (localhost, 127.0.0.1) or in-cluster (*.svc.cluster.local) address of a local stack, otherwise false",
        );
    }
    const acknowledged = (raw[projectKey("authentik")] as { acknowledgeDataLoss?: unknown } | undefined)?.acknowledgeDataLoss;
    if (typeof acknowledged === "string" && acknowledged !== "" && !problems.hasAt(field("acknowledgeDataLoss")) && acknowledged !== authentik.namespace) {
        problems.add(field("acknowledgeDataLoss"), dataLossAcknowledgementProblem(acknowledged, authentik.namespace));
    }

    // The bootstrap's requirements.
    const { bootstrap } = deployments;
    if (bootstrap.esoMachineIdentity) {
        for (const key of ["infisicalClientId", "infisicalClientSecret"]) {
            if (raw[projectKey(key)] === undefined) {
                problems.add(
                    projectKey(key),
                    `is required when ${projectKey("bootstrap")}.esoMachineIdentity is true; set it with \`pulumi config set --secret ${projectKey(key)} <value>\``,
                );
            }
        }
    }
    if (bootstrap.appOfApps && !deployments.argocd?.enabled) {
        problems.add(`${projectKey("bootstrap")}.appOfApps`, `needs ArgoCD deployed by this program; allowed: set it only when ${projectKey("argocd")} is configured and enabled`);
    }

    checkServiceClaims(services, bookmarks, bookmarkSlugKeys, projectKey("services"), problems);
    checkDeploymentServices(withoutFollowOns(deployments, raw, services), services, projectKey, problems);
    checkDataLossAcknowledgements(deployments, services, projectKey, problems);
    checkDeliveryTargets(
        services,
        (["argocd", "grafana"] as const).flatMap((kind) => {
            const deployment = deployments[kind];
            return deployment?.enabled ? [{ namespace: deployment.namespace, name: DEPLOYMENT_CLIENT_SECRETS[kind], owner: projectKey(kind) }] : [];
        }),
        projectKey("services"),
        problems,
    );
    checkLocalIssuer(
        deployments,
        authentik.publicUrl ? new URL(authentik.publicUrl).hostname : undefined,
        activeDeployment(deployments.argocd, services) !== undefined || activeDeployment(deployments.grafana, services) !== undefined,
        projectKey,
        problems,
    );
    checkNodePortsUnique(ctx.nodePorts, problems);
}

/**
 * The deployments whose service entry can be checked: a deployment naming a service entry that exists
 * but is invalid (its own problems are already reported), or any entry when `services` itself is
 * invalid, would only repeat those problems as "not under homelab-sso:services", blaming a valid section.
 */
function withoutFollowOns(deployments: DeploymentsConfig, raw: RawConfig, services: ServiceConfig[]): DeploymentsConfig {
    const value = raw[projectKey("services")];
    if (value !== undefined && !isPlainObject(value)) {
        return { ...deployments, argocd: undefined, grafana: undefined };
    }
    const checkable = <T extends { service: string }>(deployment: T | undefined): T | undefined =>
        deployment !== undefined &&
        value !== undefined &&
        Object.prototype.hasOwnProperty.call(value, deployment.service) &&
        !services.some((s) => s.key === deployment.service)
            ? undefined
            : deployment;
    return { ...deployments, argocd: checkable(deployments.argocd), grafana: checkable(deployments.grafana) };
}

/**
 * Turns Pulumi's config map (all values are strings; structured values are JSON) into a `RawConfig`.
 * Strings that are not JSON objects or arrays stay strings.
 */
export function rawConfigFromPulumi(all: { [key: string]: string }): RawConfig {
    const raw: RawConfig = {};
    for (const [key, value] of Object.entries(all)) {
        raw[key] = parseStructured(key, value);
    }
    return raw;
}

function parseStructured(key: string, value: string): unknown {
    const trimmed = value.trim();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
        return value;
    }
    try {
        return JSON.parse(trimmed) as ConfigObject;
    } catch {
        // The value is not echoed: it may be a secret.
        throw new Error(`${key}: structured config value is not valid JSON`);
    }
}

/**
 * Secret config keys the program may require that a stack file cannot hold in plain text. The offline
 * render fills missing ones with placeholders so a fresh clone can render without credentials.
 */
export const SECRET_CONFIG_KEYS: readonly string[] = secretConfigKeys(PROJECT)
    .filter(({ perEntry }) => !perEntry)
    .map(({ key }) => key);

/** The keys of `SECRET_CONFIG_KEYS` this configuration makes the program read. */
export function requiredSecretKeys(config: StackConfig): string[] {
    const keys: string[] = [];
    if (config.authentik.apiTokenSource === "config") {
        keys.push("authentik:token");
    }
    if (config.deployments.bootstrap.esoMachineIdentity) {
        keys.push(projectKey("infisicalClientId"), projectKey("infisicalClientSecret"));
    }
    return keys;
}

/** Secret stack configuration, kept apart from `StackConfig` so it is only ever handled as Pulumi secrets. */
export interface StackSecrets {
    /** `authentik:token`, when `authentik.apiTokenSource` is `config`. */
    authentikToken?: pulumi.Output<string>;
    /** ESO's Infisical machine identity, when `bootstrap.esoMachineIdentity` is on. */
    infisicalMachineIdentity?: { clientId: pulumi.Output<string>; clientSecret: pulumi.Output<string> };
    /**
     * Client secrets kept from an earlier setup (`homelab-sso:clientSecrets`), by service name: one
     * entry per service whose `clientSecretSource` is `config`. Each is a Pulumi secret.
     */
    clientSecrets: { [service: string]: pulumi.Output<string> };
}

/**
 * `pulumi.runtime.isConfigSecret`: exported by @pulumi/pulumi's runtime (runtime/config.js) but left
 * out of its typings. Pulumi marks a key secret when its value, or any leaf of a structured value, is
 * `secure:` in the stack file (PULUMI_CONFIG_SECRET_KEYS).
 */
function isConfigSecret(key: string): boolean {
    const check = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (typeof check !== "function") {
        // Stryker disable next-line StringLiteral: unreachable with the pinned @pulumi/pulumi, and a test cannot remove the runtime's read-only export
        throw new Error("@pulumi/pulumi has no runtime.isConfigSecret: keep the version pinned in package.json");
    }
    return check(key);
}

/** Reads this stack's configuration from the Pulumi runtime, validates it, and returns it with the secrets. */
export function loadStackConfig(): { config: StackConfig; secrets: StackSecrets } {
    const config = parseStackConfig(rawConfigFromPulumi(pulumi.runtime.allConfig()), { isSecret: isConfigSecret });
    const authentikConfig = new pulumi.Config("authentik");
    const projectConfig = new pulumi.Config(PROJECT);
    const secrets: StackSecrets = {
        authentikToken: config.authentik.apiTokenSource === "config" ? authentikConfig.requireSecret("token") : undefined,
        infisicalMachineIdentity: config.deployments.bootstrap.esoMachineIdentity
            ? { clientId: projectConfig.requireSecret("infisicalClientId"), clientSecret: projectConfig.requireSecret("infisicalClientSecret") }
            : undefined,
        // Keyed by service name: no prototype, so a lookup never reaches Object.prototype.
        clientSecrets: Object.create(null) as StackSecrets["clientSecrets"],
    };
    const kept = config.services.filter((service) => service.clientSecretSource === "config");
    if (kept.length > 0) {
        const all = new pulumi.Config(PROJECT).requireSecretObject<{ [service: string]: string }>("clientSecrets");
        for (const service of kept) {
            secrets.clientSecrets[service.key] = pulumi.secret(
                // Own entries only (Object.entries); validation checked that each kept service has one.
                all.apply((values) => new Map(Object.entries(values)).get(service.key) as string),
            );
        }
    }
    return { config, secrets };
}
