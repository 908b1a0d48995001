/**
 * Config sections for the services this program deploys with SSO (ArgoCD, Grafana in
 * kube-prometheus-stack), the in-cluster host alias for the issuer, and the optional GitOps
 * bootstrap that replaces today's Terraform. Pure: parsed from the raw config map.
 */
import { X509Certificate } from "crypto";
import { PINNED_CHARTS, hasChartIndex, indexedVersions, nearestReadKey, unreadKeys } from "./chartKeys";
import { LITERAL_SECRET_MESSAGE, literalSecretPaths, refusedPaths, standing, valuesLeaves } from "./passThrough";
import { z } from "zod";
import { CHART_VERSION, DNS_LABEL, IssuerMode, baseUrlProblem, checkChartVersion, checkDnsLabel, isClusterServiceHost } from "./rules";
import { ConfigObject, ProblemList, describe, flag, isPlainObject, nodePort, readSchema, readValid, section, text } from "./validation";

/** A Helm values tree (plain JSON). */
export type HelmValues = { [key: string]: unknown };

/** The config of a deployed service: its section without `acknowledgeDataLoss`, which becomes `dataLossAcknowledged`. */
type DeploymentConfig<S extends z.ZodType> = Omit<z.output<S>, "acknowledgeDataLoss"> & {
    /**
     * `acknowledgeDataLoss`, set to the namespace name: the namespace (and ArgoCD's release) lose their
     * `protect`, so that the next run may delete them. Absent or false: protected.
     */
    dataLossAcknowledged?: boolean;
};

export type ServiceDeploymentConfig = DeploymentConfig<z.ZodObject<ReturnType<typeof deploymentSection>>>;
export type ArgoCdConfig = DeploymentConfig<typeof ARGOCD_SCHEMA>;
export type GrafanaConfig = Omit<DeploymentConfig<typeof GRAFANA_SCHEMA>, "adminGroup" | "adminGroups"> & {
    /** Authentik groups whose members become Grafana Admins: `adminGroup` and `adminGroups`, or by default `authentik Admins`. */
    adminGroups: string[];
};

/**
 * An Authentik group name as it may land in ArgoCD's `policy.csv`, a JMESPath string literal and an
 * INI value: letters, digits, space and `. _ - @`, not starting or ending with a space.
 */
const GROUP_NAME = /^[A-Za-z0-9._@-]([A-Za-z0-9 ._@-]{0,126}[A-Za-z0-9._@-])?$/;

export function checkGroupName(value: string): string | undefined {
    return GROUP_NAME.test(value)
        ? undefined
        : `${JSON.stringify(value)} is not a group name this program can write into policy.csv, JMESPath and INI safely; allowed: letters, digits, space and . _ - @ (no quotes, commas, backslashes or newlines; no leading or trailing space), at most 128 characters`;
}

/** A list of Authentik group names (each once: `checkGroupsOnce`). */
function groups(description: string) {
    return z
        .array(text({ pattern: GROUP_NAME, check: checkGroupName }), { error: (issue) => `must be a list of strings, got ${describe(issue.input)}` })
        .meta({ description, uniqueItems: true });
}

/** Records a problem for each group `list` (the config key `key`) names twice. */
function checkGroupsOnce(key: string, list: readonly string[], problems: ProblemList): void {
    const seen = new Set<string>();
    for (const group of list) {
        if (seen.has(group)) {
            problems.add(key, `lists ${JSON.stringify(group)} twice; allowed: each group once`);
        }
        seen.add(group);
    }
}

/** Each deployment's defaults, written once (the schemas below read them). */
export const DEPLOYMENT_DEFAULTS = {
    argocd: { chart: PINNED_CHARTS.argocd.name, service: "argocd", namespace: "argocd", releaseName: "argocd", chartVersion: PINNED_CHARTS.argocd.version },
    grafana: { chart: PINNED_CHARTS.grafana.name, service: "grafana", namespace: "monitoring", releaseName: "monitoring", chartVersion: PINNED_CHARTS.grafana.version },
} as const;

/** Grafana's admin groups when neither `adminGroup` nor `adminGroups` is set (today's). */
const GRAFANA_ADMIN_GROUPS = ["authentik Admins"];

/** The keys both deployment sections have. */
function deploymentSection(kind: "argocd" | "grafana") {
    const d = DEPLOYMENT_DEFAULTS[kind];
    const label = (description: string) => text({ pattern: DNS_LABEL, check: checkDnsLabel }).meta({ description });
    return {
        enabled: flag(true).meta({
            description:
                "`false` keeps the OIDC client but deploys nothing: it deletes the namespace with its volumes and the release, so it needs `acknowledgeDataLoss` first (docs/operations.md, \"Turn off a deployment\"). A deployment is active when enabled and its service entry is enabled.",
        }),
        // Checked against `namespace` after parsing; the pattern tells editors what a namespace looks like.
        acknowledgeDataLoss: text().optional().meta({
            description: `The namespace's name (\`${d.namespace}\` by default): ${kind === "argocd" ? "the namespace and the release lose their" : "the namespace loses its"} \`protect\` in this run, so that the next run may delete or replace them.`,
            "x-default": "none (protected)",
            pattern: DNS_LABEL.source,
        }),
        service: label("The entry under `homelab-sso:services` whose OIDC client the service uses.").default(d.service),
        namespace: label("Namespace of the release.").default(d.namespace),
        releaseName: label("Helm release name.").default(d.releaseName),
        chartVersion: text({ pattern: CHART_VERSION, check: (v) => checkChartVersion(v) ?? chartIndexProblem(d.chart, v) })
            .default(d.chartVersion)
            .meta({ description: `Exact version of \`${d.chart}\`; it needs a committed key index (charts/index/).` }),
        // Checked key by key after parsing (`readExtraValues`): the pass-through allowlist and the chart's keys.
        extraValues: z
            .record(z.string(), z.unknown(), { error: () => "must be an object of Helm values" })
            .default({})
            .meta({
                description:
                    `Helm values passed through to \`${d.chart}\`, deep-merged under the SSO values. Only paths on the chart's pass-through allowlist (stacks/passThrough.ts: storage size, resources, replicas, retention, scheduling, Grafana's Service type and NodePort, security-context fields with values the restricted Pod Security level allows) and only keys the pinned chart reads; ` +
                    "keys the program owns for SSO (login sections and keys, RBAC, env/args/volume/container routes, extraObjects) and keys that shape a pod (containers, volumes, host namespaces, privileged mode, added capabilities, existing claims, LoadBalancer Services, node-exporter) are refused with the reason, and so are literal secrets (use existingSecret, secretName or secretKeyRef) and NodePorts that are not integers 30000-32767.",
            }),
    };
}

/** `homelab-sso:argocd`. */
export const ARGOCD_SCHEMA = section({
    ...deploymentSection("argocd"),
    nodePorts: section({ http: nodePort("HTTP NodePort.", 30080), https: nodePort("HTTPS NodePort.", 30443) })
        .default({ http: 30080, https: 30443 })
        .meta({ description: "NodePorts of `argocd-server`." }),
    rbacDefaultPolicy: text({
        pattern: /^role:[A-Za-z0-9_-]+$/,
        check: (v) => (/^role:[A-Za-z0-9_-]+$/.test(v) ? undefined : `${JSON.stringify(v)} is not an ArgoCD role; allowed: role:<name>, e.g. role:admin or role:readonly`),
    })
        .default("role:readonly")
        .meta({ description: "`configs.rbac.\"policy.default\"`: the role every SSO user gets (`role:<name>`)." }),
    adminGroups: groups("Authentik groups mapped to `role:admin` in `policy.csv`.").default([]),
    readonlyGroups: groups("Authentik groups mapped to `role:readonly` in `policy.csv`.").default([]),
}).meta({ description: "ArgoCD with SSO-only login (argo-cd chart)." });

/** `homelab-sso:grafana`. */
export const GRAFANA_SCHEMA = section({
    ...deploymentSection("grafana"),
    adminGroup: text({ pattern: GROUP_NAME, check: checkGroupName })
        .optional()
        .meta({ description: "One admin group (the earlier spelling of `adminGroups`; added to it)." }),
    // Without adminGroup and adminGroups, GRAFANA_ADMIN_GROUPS (`parseGrafana`).
    adminGroups: groups("Authentik groups whose members become Grafana Admins (`role_attribute_path`).").optional().meta({ default: GRAFANA_ADMIN_GROUPS }),
    editorGroups: groups("Authentik groups whose members become Editors; everyone else is a Viewer.").default([]),
}).meta({ description: "Grafana with SSO-only login, in kube-prometheus-stack." });

/** `homelab-sso:bootstrap`: the rest of today's GitOps bootstrap (off unless set). */
export const BOOTSTRAP_SCHEMA = section({
    esoMachineIdentity: flag(false).meta({
        description: "Create `external-secrets/infisical-machine-identity` from the secret `homelab-sso:infisicalClientId`/`infisicalClientSecret`.",
    }),
    clusterSecretStore: section({
        hostApi: text({ check: checkInfisicalHostApi })
            .default("http://infisical-infisical-standalone-infisical.infisical.svc.cluster.local:8080")
            .meta({ description: "Infisical API base URL: https, or http only to a `*.svc.cluster.local` host; never credentials." }),
        projectSlug: text({ pattern: DNS_LABEL, check: checkDnsLabel }).default("homelab").meta({ description: "Infisical project slug." }),
        environmentSlug: text({ pattern: DNS_LABEL, check: checkDnsLabel }).default("prod").meta({ description: "Infisical environment slug." }),
        secretsPath: text({ check: checkSecretsPath }).default("/").meta({ description: "Infisical folder (`/` or an absolute path)." }),
    })
        .optional()
        .meta({ description: "Create the ESO `ClusterSecretStore` for Infisical (name from `secrets.clusterSecretStore`)." }),
    appOfApps: section({
        name: text({ pattern: DNS_LABEL, check: checkDnsLabel }).default("argocd-apps").meta({ description: "Application name." }),
        repoUrl: text({ check: checkGitRepoUrl }).meta({ description: "Git repository: https or `git@host:owner/repo.git`.", "x-default": "required" }),
        path: text({ check: checkRepoPath }).default("k8s/apps/argocd").meta({ description: "Relative path in the repository (letters, digits, `. _ - /`, no `..`)." }),
        revision: text({ check: checkRevision }).default("HEAD").meta({ description: "Branch, tag, commit or `HEAD` (git-safe characters)." }),
        project: text({ pattern: DNS_LABEL, check: checkDnsLabel }).default("default").meta({ description: "ArgoCD project." }),
    })
        .optional()
        .meta({ description: "Create ArgoCD's root Application (automated sync); needs the argocd deployment." }),
}).meta({ description: "The rest of today's GitOps bootstrap (off unless set)." });

export type BootstrapConfig = z.output<typeof BOOTSTRAP_SCHEMA>;

/** `homelab-sso:authentikHostAlias`. */
export const HOST_ALIAS_SCHEMA = section({
    ip: text({
        pattern: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/,
        check: (v) =>
            /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v)
                ? undefined
                : `${JSON.stringify(v)} is not an IPv4 address; allowed: the address pods should reach the Authentik host at, e.g. the node's Tailscale IP 100.x.y.z or, on a local cluster, your TLS proxy's (${HOST_ADDRESS_COMMANDS})`,
    }).meta({ description: "IPv4 address, not loopback.", "x-default": "required" }),
}).meta({ description: "The address pods reach the Authentik host at (`hostAliases`), when cluster DNS cannot resolve it; required with a loopback issuer host." });

/** `homelab-sso:issuerCaCertificate`. */
export const ISSUER_CA_SCHEMA = text({ check: checkCaCertificate }).meta({
    description: "PEM CA certificate(s) ArgoCD and Grafana trust for the issuer's TLS (e.g. mkcert's rootCA.pem); CA certificates only, never a private key.",
    "x-default": "none; required with a loopback issuer host",
});

export interface DeploymentsConfig {
    argocd?: ArgoCdConfig;
    grafana?: GrafanaConfig;
    /** IP the Authentik public host resolves to inside pods (hostAliases), when cluster DNS cannot resolve it. */
    authentikHostAliasIp?: string;
    /** PEM CA certificate(s) ArgoCD and Grafana trust for the issuer's TLS (a local CA such as mkcert's). */
    issuerCaCertificate?: string;
    bootstrap: BootstrapConfig;
}

/** A pinned chart version with no committed key index: its keys cannot be checked, so it is refused. */
export function chartIndexProblem(chart: string, version: string): string | undefined {
    if (hasChartIndex(chart, version)) {
        return undefined;
    }
    return missingChartIndexMessage(chart, version, indexedVersions(chart));
}

/** Why `chart` `version` cannot be used, given the versions of it that have a committed key index. */
export function missingChartIndexMessage(chart: string, version: string, indexed: readonly string[]): string {
    return (
        `${chart} ${version} has no committed key index (charts/index/${chart}-${version}.json), so its Helm values cannot be checked; ` +
        `allowed: ${indexed.length > 0 ? indexed.join(", ") : "(none)"}, or add the chart's default values and template keys under charts/upstream/ and run \`npm run chart-index\` (charts/README.md)`
    );
}

export interface NodePortClaimSink {
    push(claim: { key: string; port: number }): void;
}

/** Formats a values path as the dotted key users write, quoting segments that contain dots. */
export function valuesPath(segments: readonly string[]): string {
    return segments.map((s) => (s.includes(".") ? `"${s}"` : s)).join(".");
}

/** A NodePort leaf of pass-through values: `nodePort*` keys and entries of a `nodePorts` map. */
export function isNodePortLeaf(path: readonly string[]): boolean {
    // A top-level leaf has no parent: undefined is no "nodePorts".
    const last = path[path.length - 1];
    const parent = path[path.length - 2];
    return /^nodePort/.test(last) || parent === "nodePorts";
}

/**
 * Reads a section's `extraValues`: only allowlisted paths (stacks/passThrough.ts), no literal
 * secrets anywhere, only keys the pinned chart reads, NodePorts as integers in range (each claimed).
 */
function readExtraValues(key: string, raw: unknown, chart: { name: string; version?: string }, nodePorts: NodePortClaimSink, problems: ProblemList): HelmValues {
    if (!isPlainObject(raw)) {
        // Absent, or not an object (reported by the schema).
        return {};
    }
    const at = (segments: readonly string[]) => `${key}.${valuesPath(segments)}`;
    const indexed = chart.version !== undefined && hasChartIndex(chart.name, chart.version);
    // A refused key near one the chart reads and the allowlist holds is most likely a typo of it.
    const suggest = (segments: string[]) => {
        const nearest = indexed ? nearestReadKey(chart.name, chart.version!, segments) : undefined;
        return nearest !== undefined && standing(chart.name, nearest.split(".")).kind === "allowed" ? nearest : undefined;
    };
    const refused = refusedPaths(chart.name, raw, suggest);
    for (const entry of refused) {
        problems.add(at(entry.path), entry.reason.replace("of this chart", `of ${chart.name}${chart.version !== undefined ? ` ${chart.version}` : ""}`));
    }
    // A refused key is reported once, with the allowlist's reason (not again as unread or as a NodePort).
    // A longer `a` is never a prefix: `b[i]` past b's end is undefined, which no segment equals.
    const prefixOf = (a: readonly string[], b: readonly string[]) => a.every((s, i) => s === b[i]);
    const isRefused = (segments: readonly string[]) => refused.some((r) => prefixOf(r.path, segments) || prefixOf(segments, r.path));
    // Helm ignores a key no template reads: every allowed pass-through key must be one the pinned chart reads.
    if (indexed) {
        for (const unread of unreadKeys(chart.name, chart.version!, raw)) {
            if (isRefused(unread.path)) {
                continue;
            }
            problems.add(
                at(unread.path),
                `is read by no template of ${chart.name} ${chart.version}, so Helm would ignore it silently; ` +
                    (unread.suggestion !== undefined ? `did you mean \`${unread.suggestion}\`? ` : "") +
                    "allowed: a key the chart's default values have or a template reads (charts/index/)",
            );
        }
    }
    for (const secretPath of literalSecretPaths(raw)) {
        problems.add(at(secretPath), LITERAL_SECRET_MESSAGE);
    }
    for (const leaf of valuesLeaves(raw)) {
        if (!isNodePortLeaf(leaf.path) || isRefused(leaf.path)) {
            continue;
        }
        const port = leaf.value;
        if (typeof port !== "number" || !Number.isInteger(port) || port < 30000 || port > 32767) {
            problems.add(at(leaf.path), `${JSON.stringify(port)} is not a NodePort; allowed: an integer 30000-32767 (a number, not a string)`);
        } else {
            nodePorts.push({ key: at(leaf.path), port });
        }
    }
    return raw as ConfigObject;
}

/**
 * Reads a deployment section: the schema, then what it cannot state (the acknowledgement names the
 * namespace, the pass-through values). A switched-off service claims no NodePorts.
 */
function readDeployment<S extends typeof ARGOCD_SCHEMA | typeof GRAFANA_SCHEMA>(key: string, value: ConfigObject, schema: S, nodePorts: NodePortClaimSink, problems: ProblemList): DeploymentConfig<S> {
    const read = readSchema(key, value, schema, problems);
    const { acknowledgeDataLoss, ...rest } = read as z.output<S> & { acknowledgeDataLoss?: string; namespace: string; enabled: boolean; chartVersion: string };
    if (acknowledgeDataLoss !== undefined && acknowledgeDataLoss !== rest.namespace) {
        problems.add(`${key}.acknowledgeDataLoss`, dataLossAcknowledgementProblem(acknowledgeDataLoss, rest.namespace));
    }
    const chart = schema === ARGOCD_SCHEMA ? DEPLOYMENT_DEFAULTS.argocd.chart : DEPLOYMENT_DEFAULTS.grafana.chart;
    // A refused chart version has no index to check the values against.
    const version = problems.hasAt(`${key}.chartVersion`) ? undefined : rest.chartVersion;
    const claims: NodePortClaimSink = rest.enabled ? nodePorts : { push: () => undefined };
    const extraValues = readExtraValues(`${key}.extraValues`, Object.prototype.hasOwnProperty.call(value, "extraValues") ? value.extraValues : undefined, { name: chart, version }, claims, problems);
    return { ...rest, extraValues, dataLossAcknowledged: acknowledgeDataLoss !== undefined && acknowledgeDataLoss === rest.namespace } as DeploymentConfig<S>;
}

/**
 * The callback path of each service a deployment section names (its `service`, or the default), read
 * from the raw config before the service table is parsed: the program derives these services'
 * callbacks, so their entries need no `callbackPath` (one written must still be this one).
 */
export function derivedCallbackPaths(raw: { [key: string]: unknown }, projectKey: (name: string) => string): Map<string, string> {
    const paths = new Map<string, string>();
    for (const kind of ["argocd", "grafana"] as const) {
        const section = raw[projectKey(kind)];
        if (typeof section !== "object" || section === null || Array.isArray(section)) {
            continue;
        }
        const service = (section as { service?: unknown }).service ?? DEPLOYMENT_DEFAULTS[kind].service;
        if (typeof service === "string") {
            paths.set(service, SERVICE_CALLBACK_PATHS[kind]);
        }
    }
    return paths;
}

export function parseArgoCd(key: string, value: unknown, nodePorts: NodePortClaimSink, problems: ProblemList): ArgoCdConfig | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (!isPlainObject(value)) {
        readSchema(key, value, ARGOCD_SCHEMA, problems);
        return undefined;
    }
    const config = readDeployment(key, value, ARGOCD_SCHEMA, nodePorts, problems);
    if (config.enabled) {
        nodePorts.push({ key: `${key}.nodePorts.http`, port: config.nodePorts.http });
        nodePorts.push({ key: `${key}.nodePorts.https`, port: config.nodePorts.https });
    }
    checkGroupsOnce(`${key}.adminGroups`, config.adminGroups, problems);
    checkGroupsOnce(`${key}.readonlyGroups`, config.readonlyGroups, problems);
    for (const group of config.readonlyGroups.filter((g) => config.adminGroups.includes(g))) {
        problems.add(`${key}.readonlyGroups`, `lists ${JSON.stringify(group)}, which adminGroups also lists; allowed: each group in one list`);
    }
    return config;
}

export function parseGrafana(key: string, value: unknown, nodePorts: NodePortClaimSink, problems: ProblemList): GrafanaConfig | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (!isPlainObject(value)) {
        readSchema(key, value, GRAFANA_SCHEMA, problems);
        return undefined;
    }
    const { adminGroup, adminGroups, ...config } = readDeployment(key, value, GRAFANA_SCHEMA, nodePorts, problems);
    // `adminGroup` (one name) is the earlier spelling of `adminGroups`; both may be given.
    checkGroupsOnce(`${key}.adminGroups`, adminGroups ?? [], problems);
    if (adminGroup !== undefined && adminGroups?.includes(adminGroup)) {
        problems.add(`${key}.adminGroups`, `lists ${JSON.stringify(adminGroup)}, which adminGroup already names; allowed: each group once`);
    }
    checkGroupsOnce(`${key}.editorGroups`, config.editorGroups, problems);
    const admins = adminGroup === undefined && adminGroups === undefined ? GRAFANA_ADMIN_GROUPS : [...(adminGroup !== undefined ? [adminGroup] : []), ...(adminGroups ?? [])];
    for (const group of config.editorGroups.filter((g) => admins.includes(g))) {
        problems.add(`${key}.editorGroups`, `lists ${JSON.stringify(group)}, which is also an admin group; allowed: each group in one list`);
    }
    return { ...config, adminGroups: admins } as GrafanaConfig;
}

export function parseHostAlias(key: string, value: unknown, problems: ProblemList): string | undefined {
    return value === undefined ? undefined : readSchema(key, value, HOST_ALIAS_SCHEMA, problems).ip;
}

/** Host names that resolve to the loopback address everywhere, including inside every pod. */
export function resolvesToLoopback(host: string): boolean {
    return (
        ["localhost", "localtest.me", "lvh.me"].some((domain) => host === domain || host.endsWith(`.${domain}`)) ||
        /^127\.\d+\.\d+\.\d+$/.test(host) ||
        host === "[::1]"
    );
}

/** The commands that print the address pods reach the host (and its TLS proxy) at, per local cluster. */
export const HOST_ADDRESS_COMMANDS =
    "kind: `docker exec kind-control-plane getent ahostsv4 host.docker.internal` (Docker Desktop), else `docker network inspect kind -f '{{(index .IPAM.Config 0).Gateway}}'`; " +
    "k3d: `kubectl run host-ip --rm -i --restart=Never --image=busybox:1.36 -- nslookup host.k3d.internal`; " +
    "OrbStack: `kubectl run host-ip --rm -i --restart=Never --image=busybox:1.36 -- nslookup host.orb.internal`";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END \1-----/g;

/**
 * A CA certificate in PEM form (one or more `CERTIFICATE` blocks, each a CA certificate that parses),
 * nothing else: no private key, no text around the blocks, no control characters besides line breaks.
 */
export function checkCaCertificate(value: string): string | undefined {
    const allowed = 'allowed: PEM "-----BEGIN CERTIFICATE-----" blocks of CA certificates only, e.g. "$(cat "$(mkcert -CAROOT)/rootCA.pem")"';
    if (/PRIVATE KEY/.test(value)) {
        return `contains a private key, which must never be in config (only the CA certificate is public); ${allowed}`;
    }
    if (/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/.test(value)) {
        return `contains a control character; ${allowed}`;
    }
    const blocks = [...value.matchAll(PEM_BLOCK)];
    const rest = value.replace(PEM_BLOCK, "").trim();
    if (blocks.length === 0 || rest !== "") {
        return `is not PEM (${blocks.length === 0 ? "no PEM block found" : "text outside the PEM blocks"}); ${allowed}`;
    }
    for (const [index, block] of blocks.entries()) {
        if (block[1] !== "CERTIFICATE") {
            return `block ${index + 1} is a ${block[1]}, not a CERTIFICATE; ${allowed}`;
        }
        let certificate: X509Certificate;
        try {
            certificate = new X509Certificate(block[0]);
        } catch {
            return `block ${index + 1} is not a valid X.509 certificate; ${allowed}`;
        }
        if (!certificate.ca) {
            return `block ${index + 1} (${certificate.subject.replace(/\n/g, ", ")}) is not a CA certificate (basicConstraints CA:FALSE); ${allowed}`;
        }
    }
    return undefined;
}

export function parseIssuerCa(key: string, value: unknown, problems: ProblemList): string | undefined {
    const pem = readValid(key, value, ISSUER_CA_SCHEMA.optional(), problems);
    // One trailing newline, whatever the input had: the same PEM always renders the same values.
    return pem === undefined ? undefined : `${pem.trim()}\n`;
}

/**
 * A local cluster whose issuer host resolves to loopback (`*.localtest.me`, `localhost`) needs a host
 * alias to the address of the local TLS proxy, and the proxy's CA, before ArgoCD or Grafana can reach
 * and trust their issuer. Checked only when one of them is deployed.
 */
export function checkLocalIssuer(deployments: DeploymentsConfig, issuerHost: string | undefined, deployed: boolean, projectKey: (name: string) => string, problems: ProblemList): void {
    if (issuerHost === undefined || !deployed) {
        return;
    }
    const ip = deployments.authentikHostAliasIp;
    if (ip !== undefined && /^127\./.test(ip)) {
        problems.add(
            `${projectKey("authentikHostAlias")}.ip`,
            `${ip} is a loopback address: inside a pod it is the pod itself; allowed: the address pods reach your TLS proxy at (${HOST_ADDRESS_COMMANDS})`,
        );
    }
    if (!resolvesToLoopback(issuerHost)) {
        return;
    }
    // A value that was refused is already reported; "is required" would only repeat it.
    if (ip === undefined && !problems.hasAt(projectKey("authentikHostAlias"))) {
        problems.add(
            `${projectKey("authentikHostAlias")}.ip`,
            `is required: the issuer host ${issuerHost} resolves to 127.0.0.1 inside every pod, so ArgoCD's discovery and Grafana's token calls would reach the pod itself; ` +
                `set the address pods reach your local TLS proxy at (${HOST_ADDRESS_COMMANDS}) with \`pulumi config set --path ${projectKey("authentikHostAlias")}.ip <address>\``,
        );
    }
    if (deployments.issuerCaCertificate === undefined && !problems.hasAt(projectKey("issuerCaCertificate"))) {
        problems.add(
            projectKey("issuerCaCertificate"),
            `is required: no public CA issues certificates for ${issuerHost}, so ArgoCD and Grafana must trust your local proxy's CA; ` +
                `with mkcert: \`mkcert -install && pulumi config set ${projectKey("issuerCaCertificate")} -- "$(cat "$(mkcert -CAROOT)/rootCA.pem")"\` (see docs/first-run.md, "A local dev stack")`,
        );
    }
}

export function parseBootstrap(key: string, value: unknown, problems: ProblemList): BootstrapConfig {
    return readSchema(key, value ?? {}, BOOTSTRAP_SCHEMA, problems);
}

/**
 * Names of the Secrets the program writes for the services it deploys (the components' own constants,
 * `ARGOCD_OIDC_SECRET` and `GRAFANA_OAUTH_SECRET`, a test keeps them equal): a service's
 * `clientSecretTo` must not name them.
 */
export const DEPLOYMENT_CLIENT_SECRETS = { argocd: "argocd-oidc-authentik", grafana: "grafana-oauth" } as const;

/**
 * Infisical's API base URL for the ClusterSecretStore (`hostApi`): https, or plain http only to an
 * in-cluster Service (`*.svc.cluster.local`, a suffix match: `x.svc.cluster.local.evil.com` is not
 * one), since ESO sends the machine identity's credentials to it; never credentials in the URL.
 */
export function checkInfisicalHostApi(value: string): string | undefined {
    const allowed = "allowed: https://<host>[:<port>], or http://<service>.<namespace>.svc.cluster.local[:<port>] (plain http only inside the cluster)";
    const problem = baseUrlProblem(value, ["https:", "http:"]);
    if (problem !== undefined) {
        return `${problem} (${allowed.slice("allowed: ".length)})`;
    }
    const url = new URL(value);
    if (url.protocol === "http:" && !isClusterServiceHost(url.hostname)) {
        return `${JSON.stringify(value)} uses plain http to a host outside the cluster, which would send the machine identity's token unencrypted; ${allowed}`;
    }
    return undefined;
}

/** A git repository URL ArgoCD can clone: https (no credentials, no query or fragment) or scp-like `git@host:owner/repo.git`. */
export function checkGitRepoUrl(value: string): string | undefined {
    const allowed = "allowed: https://<host>/<owner>/<repo>[.git] or git@<host>:<owner>/<repo>.git (credentials belong in an ArgoCD repository Secret, never in the URL)";
    if (/^git@[a-z0-9]([a-z0-9.-]*[a-z0-9])?:[A-Za-z0-9._~-][A-Za-z0-9._~\/-]*$/.test(value) && !value.includes("..")) {
        return undefined;
    }
    if (value.startsWith("https://")) {
        try {
            const url = new URL(value);
            // The raw characters, not the parsed parts: `…/repo?` and `…/repo#` have an empty search and
            // hash. No `@` anywhere: that refuses credentials (`user:pass@`), whichever part is given.
            if (!/[?#@]/.test(value) && url.href === value && /^\/[A-Za-z0-9._~\/-]+$/.test(url.pathname)) {
                return undefined;
            }
        } catch {
            // reported below
        }
    }
    return `${JSON.stringify(value)} is not a git repository URL this program accepts; ${allowed}`;
}

/** A path inside a git repository: relative, letters, digits and `. _ - /`, no `..` segment. */
export function checkRepoPath(value: string): string | undefined {
    const segments = value.split("/");
    if (/^[A-Za-z0-9._-][A-Za-z0-9._\/-]{0,254}$/.test(value) && !segments.some((s) => s === ".." || s === "") ) {
        return undefined;
    }
    return `${JSON.stringify(value)} is not a safe repository path; allowed: a relative path of letters, digits, '.', '_', '-' and '/' (no leading or double '/', no '..'), e.g. k8s/apps/argocd`;
}

/** A git revision (branch, tag, commit or HEAD) as `git check-ref-format` allows it, in a safe character set. */
export function checkRevision(value: string): string | undefined {
    const ok =
        /^[A-Za-z0-9._\/-]{1,255}$/.test(value) &&
        !value.startsWith("-") &&
        !value.startsWith("/") &&
        !value.endsWith("/") &&
        !value.endsWith(".") &&
        !value.endsWith(".lock") &&
        !value.includes("..") &&
        !value.includes("//") &&
        !value.split("/").some((s) => s.startsWith("."));
    return ok
        ? undefined
        : `${JSON.stringify(value)} is not a safe git revision; allowed: HEAD, a branch or tag name of letters, digits, '.', '_', '-' and '/' (as git check-ref-format allows), or a commit SHA`;
}

/** The Infisical folder the secrets are read from: absolute, safe characters. */
export function checkSecretsPath(value: string): string | undefined {
    return /^\/([A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*)?$/.test(value) && !value.split("/").includes("..")
        ? undefined
        : `${JSON.stringify(value)} is not an Infisical secrets path; allowed: "/" or an absolute path of letters, digits, '.', '_' and '-' such as "/authentik"`;
}

/**
 * The callback each deployed service's OIDC login uses, relative to its public URL. ArgoCD's is its
 * bundled Dex's (argo-cd v2.14 `util/settings/settings.go` `DexRedirectURL`): Dex is the one client
 * Authentik sees, for the web UI and `argocd login --sso` alike (docs/decisions/0003-argocd-sso-through-dex.md).
 */
export const SERVICE_CALLBACK_PATHS = { argocd: "/api/dex/callback", grafana: "/login/generic_oauth" } as const;

/** ArgoCD's callback before Dex (`oidc.config`): the cut-over's first run keeps it (docs/migration.md, "ArgoCD moves to Dex"). */
export const ARGOCD_DIRECT_CALLBACK_PATH = "/auth/callback";

/** What the deployment check needs to know of a `homelab-sso:services` entry. */
export interface DeployedServiceEntry {
    key: string;
    enabled: boolean;
    publicUrl?: string;
    callbackPath: string;
    extraRedirectUris?: readonly string[];
    issuerMode?: IssuerMode;
    nativeClient?: { redirectUris: readonly string[] };
}

/**
 * A deployment is active when it is enabled and its service entry exists and is enabled: switching a
 * service off in `homelab-sso:services` removes its client and its deployment together.
 */
export function activeDeployment<T extends ServiceDeploymentConfig>(deployment: T | undefined, services: DeployedServiceEntry[]): T | undefined {
    if (!deployment?.enabled) {
        return undefined;
    }
    const service = services.find((s) => s.key === deployment.service);
    return service?.enabled ? deployment : undefined;
}

/**
 * Cross-checks the deployments against the service table: each deployed service has an entry, and
 * the entry's callback path is the one the service really uses, so the redirect URI registered in
 * Authentik and the service's own URL derive from the same public URL.
 */
export function checkDeploymentServices(
    deployments: DeploymentsConfig,
    services: DeployedServiceEntry[],
    projectKey: (name: string) => string,
    problems: ProblemList,
): void {
    for (const kind of ["argocd", "grafana"] as const) {
        const deployment = deployments[kind];
        if (!deployment?.enabled) {
            continue;
        }
        const service = services.find((s) => s.key === deployment.service);
        if (!service) {
            problems.add(
                `${projectKey(kind)}.service`,
                `names ${JSON.stringify(deployment.service)}, which is not under ${projectKey("services")}; allowed: ${services.map((s) => s.key).join(", ") || "(no services configured)"}, or set ${projectKey(kind)}.enabled to false`,
            );
            continue;
        }
        const expected = SERVICE_CALLBACK_PATHS[kind];
        if (service.enabled && service.callbackPath !== expected) {
            problems.add(
                `${projectKey("services")}.${service.key}.callbackPath`,
                `${JSON.stringify(service.callbackPath)} is not the callback ${kind} uses; allowed: ${JSON.stringify(expected)}`,
            );
        }
        if (kind === "argocd" && service.enabled) {
            checkArgoCdService(service, `${projectKey("services")}.${service.key}`, problems);
        }
    }
}

/**
 * ArgoCD's service entry under Dex: Authentik sees one confidential client (Dex's connector) on the
 * per-provider issuer, whose only redirect URI is Dex's callback. A native client or the global issuer
 * would serve nothing (the CLI logs in through Dex's public `argo-cd-cli` client, and Dex's connector
 * discovers the per-provider issuer), and the extra redirect URIs allow only the pre-Dex callback, which
 * the cut-over's first run keeps and its clean-up run drops.
 */
function checkArgoCdService(service: DeployedServiceEntry, serviceKey: string, problems: ProblemList): void {
    const throughDex = "ArgoCD logs in through its bundled Dex (docs/decisions/0003-argocd-sso-through-dex.md)";
    if (service.nativeClient) {
        problems.add(
            `${serviceKey}.nativeClient`,
            `is not used by ArgoCD: ${throughDex}, and \`argocd login --sso\` uses Dex's own public client argo-cd-cli (PKCE, http://localhost:8085/auth/callback), not an Authentik client; allowed: leave nativeClient out for ArgoCD's service`,
        );
    }
    if (service.issuerMode === "global") {
        problems.add(
            `${serviceKey}.issuerMode`,
            `"global" does not fit ArgoCD: ${throughDex}, whose connector discovers the provider at <issuer>/.well-known/openid-configuration, which Authentik serves only for the per-provider issuer; allowed: per_provider (the default)`,
        );
    }
    const directCallback = service.publicUrl === undefined ? undefined : `${service.publicUrl}${ARGOCD_DIRECT_CALLBACK_PATH}`;
    (service.extraRedirectUris ?? []).forEach((uri, index) => {
        if (uri !== directCallback) {
            problems.add(
                `${serviceKey}.extraRedirectUris[${index}]`,
                `${JSON.stringify(uri)} is not a callback ArgoCD uses: ${throughDex}, so its provider lists only ${service.publicUrl ?? "<publicUrl>"}${SERVICE_CALLBACK_PATHS.argocd}; ` +
                    `allowed: only ${JSON.stringify(directCallback ?? `<publicUrl>${ARGOCD_DIRECT_CALLBACK_PATH}`)}, ArgoCD's callback before Dex, for the cut-over's first run (docs/migration.md, "ArgoCD moves to Dex"), or no extraRedirectUris`,
            );
        }
    });
}

/** Why `acknowledgeDataLoss: value` acknowledges nothing: it must name the namespace. */
export function dataLossAcknowledgementProblem(value: string, namespace: string): string {
    return `${JSON.stringify(value)} does not name this deployment's namespace; allowed: ${JSON.stringify(namespace)} (the namespace whose deletion you accept), or leave it out`;
}

/** What turning a deployment off deletes, in the words of the error and the guide. */
export const DEPLOYMENT_DATA: { [kind in "argocd" | "grafana"]: (config: ServiceDeploymentConfig) => string } = {
    argocd: (c) =>
        `the namespace ${JSON.stringify(c.namespace)} and everything in it: the Helm release ${JSON.stringify(c.releaseName)} ` +
        "(ArgoCD, and argocd-secret with the key that signs every session), and every Application, AppProject and repository Secret in that namespace",
    grafana: (c) =>
        `the namespace ${JSON.stringify(c.namespace)} and everything in it: the kube-prometheus-stack objects of release ${JSON.stringify(c.releaseName)} ` +
        "(Prometheus, Alertmanager, Grafana) and their volumes (the PersistentVolumeClaims of Prometheus, Alertmanager and Grafana: metrics, alert state, dashboards)",
};

/**
 * A deployment section that is present but turned off (`enabled: false`, or its service entry
 * disabled) deletes data. It needs `acknowledgeDataLoss`, which unprotects in one run; the deletion
 * happens in the next. A section that is absent deploys nothing (for a stack that never had it).
 */
export function checkDataLossAcknowledgements(
    deployments: DeploymentsConfig,
    services: DeployedServiceEntry[],
    projectKey: (name: string) => string,
    problems: ProblemList,
): void {
    for (const kind of ["argocd", "grafana"] as const) {
        const deployment = deployments[kind];
        if (!deployment || deployment.dataLossAcknowledged) {
            continue;
        }
        const service = services.find((s) => s.key === deployment.service);
        let key: string;
        if (!deployment.enabled) {
            key = `${projectKey(kind)}.enabled`;
        } else if (service && !service.enabled) {
            key = `${projectKey("services")}.${service.key}.enabled`;
        } else {
            continue;
        }
        problems.add(
            key,
            `turns ${kind} off, which deletes ${DEPLOYMENT_DATA[kind](deployment)}; these are protected. To go ahead, first set ` +
                `${projectKey(kind)}.acknowledgeDataLoss to ${JSON.stringify(deployment.namespace)} with ${kind} still on and run \`pulumi up\` ` +
                "(it removes the protection), then turn it off and run `pulumi up` again (it deletes them); docs/operations.md, " +
                `"Turn off a deployment". If this stack never deployed it, remove the ${projectKey(kind)} section instead.`,
        );
    }
}
