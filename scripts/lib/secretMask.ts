/**
 * Secret masking for everything the offline render prints or writes.
 *
 * Two layers, so one mistake does not leak a credential:
 * 1. structural: Pulumi secret envelopes (and `SecretValue`s in resolved outputs) become `[secret]`;
 * 2. by value: every plaintext ever seen inside a secret (envelopes, secret config, secret outputs) is
 *    remembered, and any string equal to one, or text containing one, is masked as well. That catches a
 *    secret that reached a plain input through an `apply` that dropped its secret flag.
 */
import { SECRET_SIG_KEY, SECRET_SIG_VALUE, SecretValue } from "./mockRuntime";

export const SECRET_MASK = "[secret]";
export const UNKNOWN_MASK = "[unknown]";

/** Pulumi's placeholder for a value not known yet (preview), as serialized in resource inputs. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Pulumi's signatures for other special values in serialized property maps. */
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/**
 * Plaintexts shorter than this are masked only where a whole string equals them, never inside longer
 * text: masking every "on" in a document because some secret is "on" would make the render useless.
 * Real credentials are far longer.
 */
export const MIN_SUBSTRING_SECRET_LENGTH = 6;

type Json = { [key: string]: unknown };

function signature(value: unknown): string | undefined {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const sig = (value as Json)[SECRET_SIG_KEY];
        return typeof sig === "string" ? sig : undefined;
    }
    return undefined;
}

export class SecretScrubber {
    private readonly plaintexts = new Set<string>();
    /** Substring patterns, longest first, rebuilt lazily when a secret is added. */
    private patterns: string[] | undefined;

    /** Remembers one secret plaintext. */
    add(plaintext: string): void {
        if (plaintext.length > 0 && !this.plaintexts.has(plaintext)) {
            this.plaintexts.add(plaintext);
            this.patterns = undefined;
        }
    }

    /** Number of distinct secret plaintexts known. */
    get size(): number {
        return this.plaintexts.size;
    }

    /**
     * Walks a value (resource inputs, invoke inputs or results, resolved outputs) and remembers every
     * string found inside a secret: a secret envelope, a secret output value or a `SecretValue`.
     */
    collect(value: unknown, insideSecret = false): void {
        if (value instanceof SecretValue) {
            this.collect(value.value, true);
            return;
        }
        if (typeof value === "string") {
            if (insideSecret) {
                this.add(value);
            }
            return;
        }
        if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
            if (insideSecret) {
                this.add(String(value));
            }
            return;
        }
        if (Array.isArray(value)) {
            value.forEach((v) => this.collect(v, insideSecret));
            return;
        }
        if (typeof value === "object" && value !== null) {
            const sig = signature(value);
            if (sig === SECRET_SIG_VALUE) {
                this.collect((value as Json).value, true);
                return;
            }
            if (sig === OUTPUT_VALUE_SIG) {
                this.collect((value as Json).value, insideSecret || (value as Json).secret === true);
                return;
            }
            for (const inner of Object.values(value)) {
                this.collect(inner, insideSecret);
            }
        }
    }

    /** True when `text` is exactly a known secret. */
    isSecret(text: string): boolean {
        return this.plaintexts.has(text);
    }

    /** Replaces every occurrence of a known secret (long enough to search for) in free text. */
    scrubText(text: string): string {
        let result = text;
        for (const pattern of this.searchPatterns()) {
            if (result.includes(pattern)) {
                result = result.split(pattern).join(SECRET_MASK);
            }
        }
        return result;
    }

    /**
     * A deep copy of `value` that is safe to print: secrets become `[secret]`, unknowns `[unknown]`,
     * resource references `[resource <urn>]`, and known plaintexts are masked wherever they appear.
     */
    mask(value: unknown): unknown {
        if (value instanceof SecretValue) {
            return this.maskSecret(value.value);
        }
        if (typeof value === "string") {
            if (value === UNKNOWN_SENTINEL) {
                return UNKNOWN_MASK;
            }
            return this.isSecret(value) ? SECRET_MASK : this.scrubText(value);
        }
        if (typeof value === "number" || typeof value === "boolean") {
            return this.isSecret(String(value)) ? SECRET_MASK : value;
        }
        if (Array.isArray(value)) {
            return value.map((v) => this.mask(v));
        }
        if (typeof value === "object" && value !== null) {
            const sig = signature(value);
            const object = value as Json;
            switch (sig) {
                case SECRET_SIG_VALUE:
                    return this.maskSecret(object.value);
                case OUTPUT_VALUE_SIG:
                    if (object.secret === true) {
                        return "value" in object ? this.maskSecret(object.value) : SECRET_MASK;
                    }
                    return "value" in object ? this.mask(object.value) : UNKNOWN_MASK;
                case RESOURCE_SIG:
                    return `[resource ${this.scrubText(String(object.urn ?? ""))}]`;
                case ASSET_SIG:
                    return "[asset]";
                case ARCHIVE_SIG:
                    return "[archive]";
                default: {
                    const result: Json = {};
                    for (const [key, inner] of Object.entries(object)) {
                        result[this.scrubText(key)] = this.mask(inner);
                    }
                    return result;
                }
            }
        }
        return value;
    }

    /**
     * A secret's masked form: `[secret]`, except that a secret map (a Secret's `stringData`) keeps its
     * key names, which are not secret and say what the object holds: `{clientSecret: "[secret]"}`.
     */
    private maskSecret(value: unknown): unknown {
        if (typeof value === "object" && value !== null && !Array.isArray(value) && signature(value) === undefined && !(value instanceof SecretValue)) {
            const result: Json = {};
            for (const [key, inner] of Object.entries(value)) {
                result[this.scrubText(key)] = this.maskSecret(inner);
            }
            return result;
        }
        return SECRET_MASK;
    }

    private searchPatterns(): string[] {
        if (!this.patterns) {
            const patterns = new Set<string>();
            for (const plaintext of this.plaintexts) {
                if (plaintext.length >= MIN_SUBSTRING_SECRET_LENGTH) {
                    patterns.add(plaintext);
                    // The same secret as it appears inside JSON text (quotes, backslashes, newlines escaped).
                    const escaped = JSON.stringify(plaintext).slice(1, -1);
                    if (escaped.length >= MIN_SUBSTRING_SECRET_LENGTH) {
                        patterns.add(escaped);
                    }
                }
            }
            this.patterns = [...patterns].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
        }
        return this.patterns;
    }
}

/** Recursively sorts object keys so serialized documents are stable and diffable. */
export function sortKeysDeep(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeysDeep);
    }
    if (typeof value === "object" && value !== null && !(value instanceof SecretValue)) {
        const result: Json = {};
        for (const key of Object.keys(value).sort()) {
            result[key] = sortKeysDeep((value as Json)[key]);
        }
        return result;
    }
    return value;
}

