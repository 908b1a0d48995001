/**
 * The only way verify talks to a server: one HTTP(S) request with a timeout, a size cap on the answer,
 * no redirects followed, and a bounded retry for transient failures. Failures come back as values
 * (`HttpFailure`), classified so that a check can name the likely cause.
 */
import * as http from "http";
import * as https from "https";
import * as tls from "tls";

export interface HttpOptions {
    /** Per attempt, in milliseconds. */
    timeoutMs: number;
    /** Extra attempts after the first for transient failures (network errors, timeouts, 502/503/504). */
    retries: number;
    /** Wait before retry n (1-based) is `retryDelayMs * 2^(n-1)`. */
    retryDelayMs: number;
    /** Extra trusted CA certificates (PEM), added to Node's public roots. */
    ca?: string;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = { timeoutMs: 10_000, retries: 2, retryDelayMs: 500 };

/** Answers bigger than this are cut off: discovery documents and error pages are a few kB. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpRequest {
    method: "GET" | "POST";
    url: string;
    headers?: { [name: string]: string };
    /** `application/x-www-form-urlencoded` body. */
    form?: { [name: string]: string };
}

export interface HttpResponse {
    ok: true;
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
    attempts: number;
}

export type HttpFailureKind = "tls" | "dns" | "refused" | "timeout" | "network" | "url";

export interface HttpFailure {
    ok: false;
    kind: HttpFailureKind;
    /** Node's error code, e.g. ECONNREFUSED or UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
    code: string;
    message: string;
    attempts: number;
}

export type HttpResult = HttpResponse | HttpFailure;

const TLS_CODES = new Set([
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_UNTRUSTED",
    "CERT_REVOKED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "EPROTO",
    "ERR_SSL_WRONG_VERSION_NUMBER",
]);

export function classifyError(err: NodeJS.ErrnoException): { kind: HttpFailureKind; code: string } {
    const code = err.code ?? err.name ?? "ERROR";
    if (TLS_CODES.has(code) || code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS")) {
        return { kind: "tls", code };
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
        return { kind: "dns", code };
    }
    if (code === "ECONNREFUSED") {
        return { kind: "refused", code };
    }
    if (code === "ETIMEDOUT" || code === "TIMEOUT") {
        return { kind: "timeout", code };
    }
    return { kind: "network", code };
}

/** Failures worth another attempt: the same request may succeed a moment later. TLS and DNS answers are final. */
function isTransient(result: HttpResult): boolean {
    if (result.ok) {
        return result.status === 502 || result.status === 503 || result.status === 504;
    }
    return result.kind === "refused" || result.kind === "timeout" || result.kind === "network";
}

function once(request: HttpRequest, options: HttpOptions): Promise<HttpResult> {
    let url: URL;
    try {
        url = new URL(request.url);
    } catch {
        return Promise.resolve({ ok: false, kind: "url", code: "ERR_INVALID_URL", message: `not a URL: ${JSON.stringify(request.url)}`, attempts: 1 });
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        return Promise.resolve({ ok: false, kind: "url", code: "ERR_UNSUPPORTED_PROTOCOL", message: `not an http(s) URL: ${request.url}`, attempts: 1 });
    }
    const body = request.form ? new URLSearchParams(request.form).toString() : undefined;
    const headers: { [name: string]: string } = { accept: "application/json, text/html;q=0.5", "user-agent": "homelab-sso-verify", ...request.headers };
    if (body !== undefined) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        headers["content-length"] = String(Buffer.byteLength(body));
    }
    const transport = url.protocol === "https:" ? https : http;
    const tlsOptions: https.RequestOptions = url.protocol === "https:" && options.ca ? { ca: [...tls.rootCertificates, options.ca] } : {};
    return new Promise((resolve) => {
        let settled = false;
        const finish = (result: HttpResult) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                resolve(result);
            }
        };
        const req = transport.request(url, { method: request.method, headers, agent: false, ...tlsOptions }, (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (chunk: Buffer) => {
                if (size < MAX_BODY_BYTES) {
                    chunks.push(chunk);
                    size += chunk.length;
                }
            });
            res.on("end", () =>
                finish({ ok: true, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString("utf8"), attempts: 1 }),
            );
            res.on("error", (err) => finish({ ok: false, ...classifyError(err), message: err.message, attempts: 1 }));
        });
        const timer = setTimeout(() => {
            finish({ ok: false, kind: "timeout", code: "TIMEOUT", message: `no answer within ${options.timeoutMs} ms`, attempts: 1 });
            req.destroy();
        }, options.timeoutMs);
        req.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, ...classifyError(err), message: err.message, attempts: 1 }));
        req.end(body);
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request, retried at most `options.retries` times on transient failures. Never throws. */
export async function httpRequest(request: HttpRequest, options: HttpOptions): Promise<HttpResult> {
    const attempts = 1 + Math.max(0, Math.floor(options.retries));
    let result: HttpResult = await once(request, options);
    for (let attempt = 2; attempt <= attempts && isTransient(result); attempt++) {
        await sleep(options.retryDelayMs * 2 ** (attempt - 2));
        result = await once(request, options);
        result.attempts = attempt;
    }
    return result;
}

/** A short description of a failure for the table: what happened, not the request's secrets. */
export function describeFailure(failure: HttpFailure): string {
    const tries = failure.attempts > 1 ? ` (after ${failure.attempts} attempts)` : "";
    return `${failure.code}: ${failure.message}${tries}`;
}
