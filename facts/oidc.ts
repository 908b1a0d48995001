/**
 * How Authentik fills a provider's `iss` (`issuer_mode`): `per_provider` gives
 * `https://<authentik>/application/o/<slug>/` (each application its own issuer); `global` gives
 * `https://<authentik>/` for every provider in that mode (see docs/oidc-clients.md, "Native clients").
 * The config checks (stacks/) accept these; the OIDC client component (components/) sets them.
 */
export type IssuerMode = "per_provider" | "global";
export const ISSUER_MODES: readonly IssuerMode[] = ["per_provider", "global"];
/** Each application its own issuer, unless a service asks for `global`. */
export const DEFAULT_ISSUER_MODE: IssuerMode = "per_provider";
