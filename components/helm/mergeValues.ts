/**
 * Layered Helm values: program defaults < the stack's `extraValues` < the SSO values the program owns.
 * Objects merge key by key; arrays and every other value (including Pulumi Outputs) replace.
 */
export type Values = { [key: string]: unknown };

function isMergeable(value: unknown): value is Values {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return false;
    }
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}

/** Deep-merges `layers` left to right: later layers win. Inputs are not modified. */
export function mergeValues(...layers: Values[]): Values {
    const result: Values = {};
    for (const layer of layers) {
        for (const [key, value] of Object.entries(layer)) {
            const current = Object.prototype.hasOwnProperty.call(result, key) ? result[key] : undefined;
            // defineProperty, not assignment: a `__proto__` key would otherwise replace the prototype
            // and vanish, with every value below it (the config boundary refuses such keys as well).
            Object.defineProperty(result, key, {
                value: isMergeable(current) && isMergeable(value) ? mergeValues(current, value) : cloneValue(value),
                enumerable: true,
                writable: true,
                configurable: true,
            });
        }
    }
    return result;
}

function cloneValue(value: unknown): unknown {
    if (isMergeable(value)) {
        return mergeValues(value);
    }
    if (Array.isArray(value)) {
        return value.map(cloneValue);
    }
    return value;
}
