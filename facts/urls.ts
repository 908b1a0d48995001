/**
 * Drops a trailing slash so `${base}/path` never produces `//`. The config checks (stacks/) store base
 * URLs this way; the endpoint builders (components/) apply it to whatever URL they are given.
 */
export function normaliseBaseUrl(value: string): string {
    return value.endsWith("/") ? value.slice(0, -1) : value;
}
