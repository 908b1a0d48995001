/**
 * The charts the program installs: name, repository, and the pinned version a stack file gets when
 * it sets no `chartVersion` (each pinned version has a committed key index under `charts/index/`).
 * Read by the config checks (stacks/) and by the components that install them (components/).
 */
export const PINNED_CHARTS = {
    authentik: { name: "authentik", repo: "https://charts.goauthentik.io", version: "2025.12.4" },
    argocd: { name: "argo-cd", repo: "https://argoproj.github.io/argo-helm", version: "7.8.0" },
    grafana: { name: "kube-prometheus-stack", repo: "https://prometheus-community.github.io/helm-charts", version: "82.1.0" },
} as const;
