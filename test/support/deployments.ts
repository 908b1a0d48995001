/** ArgoCD and Grafana sections as the config reader returns them, for tests of the values builders. */
import { ArgoCdConfig, GrafanaConfig } from "../../stacks/deployments";
import { readStackFile } from "./stacks";

/** The committed dev stack's CA certificate (an example CA, its key thrown away), with one trailing newline. */
export const DEV_CA_PEM = `${(readStackFile("dev")["homelab-sso:issuerCaCertificate"] as string).trim()}\n`;

/** An enabled ArgoCD section with the chart defaults of the frozen stacks; `overrides` replace fields. */
export function argoCdTestConfig(overrides: Partial<ArgoCdConfig> = {}): ArgoCdConfig {
    return {
        enabled: true,
        service: "argocd",
        namespace: "argocd",
        releaseName: "argocd",
        chartVersion: "7.8.0",
        nodePorts: { http: 30080, https: 30443 },
        rbacDefaultPolicy: "role:readonly",
        adminGroups: [],
        readonlyGroups: [],
        extraValues: {},
        ...overrides,
    };
}

/** An enabled Grafana section (kube-prometheus-stack) with the frozen stacks' admin group; `overrides` replace fields. */
export function grafanaTestConfig(overrides: Partial<GrafanaConfig> = {}): GrafanaConfig {
    return {
        enabled: true,
        service: "grafana",
        namespace: "monitoring",
        releaseName: "monitoring",
        chartVersion: "82.1.0",
        adminGroups: ["authentik Admins"],
        editorGroups: [],
        extraValues: {},
        ...overrides,
    };
}
