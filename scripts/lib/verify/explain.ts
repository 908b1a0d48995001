/**
 * For each way a check can fail: the likely cause and the fix, in this program's words. These are the
 * troubleshooting rows of the homelab's Authentik runbook, tied to the config keys and commands of
 * this program. `{...}` placeholders are filled from the client being checked.
 */
import type { VerifyClient } from "./outputs";

export type FailureReason =
    | "tls"
    | "dns"
    | "refused"
    | "timeout"
    | "network"
    | "url"
    | "not-https"
    | "discovery-url"
    | "discovery-status"
    | "discovery-json"
    | "issuer-mismatch"
    | "no-rs256"
    | "jwks-no-rsa"
    | "jwks-unreadable"
    | "scopes-missing"
    | "endpoints-mismatch"
    | "redirect-refused"
    | "client-unknown"
    | "authorize-error"
    | "authorize-unexpected"
    | "redirect-not-strict"
    | "secret-not-checked"
    | "public-needs-secret"
    | "token-unexpected"
    | "userinfo-open"
    | "userinfo-unexpected"
    | "end-session-missing"
    | "end-session-unexpected"
    | "in-cluster-unreachable"
    | "in-cluster-issuer"
    | "in-cluster-pod"
    | "dex-discovery";

export interface Explanation {
    cause: string;
    fix: string;
}

const EXPLANATIONS: { [reason in FailureReason]: Explanation } = {
    tls: {
        cause: "The TLS certificate of the Authentik host is not trusted here (self-signed, private CA, expired, or issued for another host name). Services that check certificates fail the same way.",
        fix: "Serve Authentik with a certificate for its public host name (Tailscale Serve gives one). For a private CA, run verify with `--ca <ca.pem>` and give the services the same CA.",
    },
    dns: {
        cause: "The host name of the issuer does not resolve from here.",
        fix: "Check `homelab-sso:authentik.publicUrl` in Pulumi.<stack>.yaml and the DNS or tailnet that serves the name (run verify from a machine on the tailnet).",
    },
    refused: {
        cause: "Nothing accepts connections at the issuer's host and port: Authentik or the proxy in front of it is down.",
        fix: "`kubectl get pods -n authentik` (server pod ready?), check the NodePort and `tailscale serve status`, then run verify again.",
    },
    timeout: {
        cause: "Authentik did not answer in time (server pod starting or overloaded, or a firewall drops the traffic).",
        fix: "`kubectl get pods -n authentik` and `kubectl logs -n authentik -l app.kubernetes.io/component=server --tail=50`; raise `--timeout` only if Authentik is just slow.",
    },
    network: {
        cause: "The connection to Authentik broke off (proxy reset, or a 502 from a server pod that is not ready).",
        fix: "`kubectl get pods -n authentik`; check the proxy in front of Authentik (Tailscale Serve) and run verify again.",
    },
    url: {
        cause: "The stack output holds a URL that cannot be requested.",
        fix: "Check `homelab-sso:authentik.publicUrl` and run `pulumi up`; the outputs are rebuilt from it.",
    },
    "not-https": {
        cause: "The discovery document is not served over https, so services fetch their signing keys over an unprotected connection (ArgoCD refuses a non-https issuer outright).",
        fix: "Set `homelab-sso:authentik.publicUrl` to the https URL Authentik is served at, then `pulumi up`.",
    },
    "discovery-url": {
        cause: "The stack's discovery URL is not `<issuer>.well-known/openid-configuration`, so services that derive it from the issuer read a different document.",
        fix: "Run `pulumi up` with the current program; the outputs are derived from the issuer.",
    },
    "discovery-status": {
        cause: "Authentik has no provider behind this application slug: the provider was not created, or is not linked to the application `{slug}`. For a client on Authentik's global issuer (`https://<host>/`, ArgoCD's web and CLI clients), the discovery document at the host's root is not published.",
        fix: "Run `pulumi up` (it creates the provider and links it to the application); check that no one renamed the application slug in Authentik's UI. For the global issuer, publish the document at the root as docs/oidc-clients.md (\"Native clients\") shows (`tailscale serve --bg --set-path /.well-known/openid-configuration http://localhost:30500/application/o/argocd/.well-known/openid-configuration`).",
    },
    "discovery-json": {
        cause: "The discovery URL answers with something that is not an OpenID discovery document (a login page or a proxy's error page).",
        fix: "Open the discovery URL in a browser; check the proxy in front of Authentik and `homelab-sso:authentik.publicUrl`.",
    },
    "issuer-mismatch": {
        cause: "Authentik's issuer differs from the issuer the services are configured with. Every login then fails on token validation (\"id token issued by a different provider\"); the usual difference is one trailing slash, or the host Authentik sees.",
        fix: "The issuer is `https://<public host>/application/o/<slug>/` with the trailing slash, or `https://<public host>/` for a service whose clients share Authentik's global issuer (`issuerMode: global`). Keep the issuer mode the program sets (never change it in Authentik's UI), make `homelab-sso:authentik.publicUrl` the exact host users reach Authentik at (the proxy must pass the Host header through), then `pulumi up`.",
    },
    "no-rs256": {
        cause: "The provider has no signing key, so Authentik signs tokens with HS256. ArgoCD fails with \"malformed jwt: unexpected algorithm HS256\"; Grafana and other go-oidc clients fail the same way.",
        fix: "Set the provider's signing key to an RSA key pair (`homelab-sso:oidc.signingKeyName`, default \"authentik Self-signed Certificate\") and run `pulumi up`; a hand edit in Authentik's UI removed it if the config is right.",
    },
    "jwks-no-rsa": {
        cause: "The JWKS holds no RSA signing key, so services cannot verify RS256 tokens.",
        fix: "Set the provider's signing key to an RSA key pair with a private key (`homelab-sso:oidc.signingKeyName`) and run `pulumi up`.",
    },
    "jwks-unreadable": {
        cause: "The JWKS endpoint does not answer with a key set, so services cannot verify any token.",
        fix: "Open the `jwks_uri` from the discovery document; check that the provider is linked to the application and has a signing key, then `pulumi up`.",
    },
    "scopes-missing": {
        cause: "The provider lacks scope mappings: userinfo answers 403 insufficient_scope, and logins get no email or name.",
        fix: "Assign the openid, email and profile scope mappings (`homelab-sso:oidc.scopes`, default all three) and run `pulumi up`.",
    },
    "endpoints-mismatch": {
        cause: "The discovery document names other endpoints than the stack outputs, and services configured with explicit URLs (Grafana's auth_url/token_url/api_url) call the wrong ones.",
        fix: "Make `homelab-sso:authentik.publicUrl` the host Authentik serves itself as (the proxy must keep the Host header), then `pulumi up`.",
    },
    "redirect-refused": {
        cause: "Authentik does not hold this redirect URI for the client, so login fails after the password with \"Redirect URI Error\". Matching is exact: scheme, host, port and path.",
        fix: "Check the service's `publicUrl`, `callbackPath` and `extraRedirectUris` under `homelab-sso:services` and run `pulumi up`; it restores the provider's list if someone edited it in the UI.",
    },
    "client-unknown": {
        cause: "Authentik has no provider with this client id (deleted, or its client id edited by hand).",
        fix: "Run `pulumi up` to re-create the provider with the client id the services use.",
    },
    "authorize-error": {
        cause: "Authentik accepted the redirect URI but refused the request itself (for example the client may not use the authorization code flow, or the requested scope).",
        fix: "Compare the provider with the program's settings (`pulumi preview --refresh` shows hand edits) and run `pulumi up`.",
    },
    "authorize-unexpected": {
        cause: "The authorize endpoint did not answer like Authentik (a server error, or a status such as 404 from a wrong URL or a proxy).",
        fix: "`kubectl logs -n authentik -l app.kubernetes.io/component=server --tail=50`; check the provider's authorization flow (`homelab-sso:oidc.authorizationFlow`).",
    },
    "redirect-not-strict": {
        cause: "Authentik accepted a redirect URI that is not registered: the provider matches redirect URIs by regular expression or wildcard, so a crafted link can send authorization codes to another address.",
        fix: "Use strict matching with the exact URIs (this program always does): run `pulumi up` to restore them, and remove regex entries added in Authentik's UI.",
    },
    "secret-not-checked": {
        cause: "The token endpoint did not refuse a wrong client secret: the provider is public (client type changed by hand), so anyone who knows the client id can redeem codes. (Recent Authentik answers the same invalid_grant when the provider does not allow the authorization_code grant at all; logins then fail too.)",
        fix: "Set the provider's client type to confidential (and its grant types to include authorization_code) and run `pulumi up`; then check that the secret in the service's Kubernetes Secret matches.",
    },
    "public-needs-secret": {
        cause: "The token endpoint refused the native client without a secret: its provider is confidential, so `argocd login --sso` (PKCE, no secret) fails with invalid_client.",
        fix: "Set the native client's provider to client type public and run `pulumi up`.",
    },
    "token-unexpected": {
        cause: "The token endpoint answered in a way Authentik does not (wrong URL, a proxy in between, or a server error).",
        fix: "Open the token endpoint of the discovery document; check the endpoint outputs and the proxy in front of Authentik.",
    },
    "userinfo-open": {
        cause: "The userinfo endpoint answered without an access token, so something in front of Authentik serves it unprotected.",
        fix: "Check the proxy in front of Authentik and the userinfo URL in the stack outputs.",
    },
    "userinfo-unexpected": {
        cause: "The userinfo endpoint is not where the services look for it (wrong URL, or a proxy error).",
        fix: "Compare `endpoints.userinfo` with the discovery document's `userinfo_endpoint` and run `pulumi up`.",
    },
    "end-session-missing": {
        cause: "Authentik has no end-session endpoint for this application: the provider has no invalidation flow, or is not linked to the application `{slug}`. Logout from the service leaves the Authentik session open.",
        fix: "Set the provider's invalidation flow (`homelab-sso:oidc.invalidationFlow`, default default-provider-invalidation-flow) and run `pulumi up`.",
    },
    "end-session-unexpected": {
        cause: "The end-session endpoint answered with a server error.",
        fix: "`kubectl logs -n authentik -l app.kubernetes.io/component=server --tail=50`; check the invalidation flow in Authentik.",
    },
    "in-cluster-unreachable": {
        cause: "Pods cannot fetch the discovery document through the issuer's host name (it does not resolve inside the cluster, or routes to nothing), so ArgoCD and Grafana cannot validate logins even though browsers can.",
        fix: "Make the issuer host resolvable and reachable from pods (CoreDNS rewrite or split DNS to the Authentik Service, or a tailnet route), keep the issuer unchanged, then run `npm run verify -- --in-cluster` again.",
    },
    "in-cluster-issuer": {
        cause: "Inside the cluster the discovery document names another issuer than outside, so the host name reaches a different Authentik or a proxy rewrites the host.",
        fix: "Route the issuer host to the same Authentik from pods and pass the Host header through; the issuer must be identical everywhere.",
    },
    "dex-discovery": {
        cause: "ArgoCD's URL answers, but not with Dex's discovery document for issuer <ArgoCD URL>/api/dex: Dex is off or not running, argocd-server does not know Dex's address (configs.params server.dex.server), or the release still runs oidc.config. The web UI and `argocd login --sso` log in through Dex.",
        fix: "`kubectl -n argocd rollout status deploy/argocd-dex-server deploy/argocd-server`, `kubectl -n argocd logs deploy/argocd-dex-server --tail=50`; run `pulumi up` so the release has dex.config (docs/migration.md, \"ArgoCD moves to Dex\").",
    },
    "in-cluster-pod": {
        cause: "The check pod did not run to completion (image pull, Pod Security admission, quota, or no permission to create pods).",
        fix: "`kubectl get events -n <namespace>`; verify needs permission to create, read logs of and delete one pod, and the image must be pullable.",
    },
};

export function explain(reason: FailureReason, client?: VerifyClient): Explanation {
    const { cause, fix } = EXPLANATIONS[reason];
    const fill = (text: string) => text.replace(/\{slug\}/g, client?.slug ?? "<slug>");
    return { cause: fill(cause), fix: fill(fix) };
}
