/**
 * Test program for the resource-name guard: a component `app` with two children, in the variant named
 * by config `test:variant`:
 * - `before`: as deployed;
 * - `renamed`: the child `app-db` renamed to `app-database`, no alias;
 * - `renamed-aliased`: the same with `aliases: [{ name: "app-db" }]`;
 * - `parent-renamed-aliased`: the component renamed to `web` (children `web-db`, `web-cache`) with an alias on the component only;
 * - `reparented`: `app-db` moved to the top level, no alias;
 * - `added`: as deployed plus a new child `app-queue`.
 */
import * as pulumi from "@pulumi/pulumi";

const variant = new pulumi.Config("test").require("variant");

/** A plain custom resource of any type (the mocks answer for every type). */
class Thing extends pulumi.CustomResource {
    constructor(type: string, name: string, opts: pulumi.CustomResourceOptions = {}) {
        super(type, name, {}, opts);
    }
}

class App extends pulumi.ComponentResource {
    constructor(name: string, opts: pulumi.ComponentResourceOptions = {}) {
        super("test:index:App", name, {}, opts);
        const dbName = variant.startsWith("renamed") ? `${name}-database` : `${name}-db`;
        const dbAliases = variant === "renamed-aliased" ? [{ name: `${name}-db` }] : [];
        if (variant !== "reparented") {
            new Thing("test:index:Db", dbName, { parent: this, aliases: dbAliases });
        }
        new Thing("test:index:Cache", `${name}-cache`, { parent: this });
        if (variant === "added") {
            new Thing("test:index:Queue", `${name}-queue`, { parent: this });
        }
        this.registerOutputs({});
    }
}

if (variant === "parent-renamed-aliased") {
    new App("web", { aliases: [{ name: "app" }] });
} else {
    new App("app");
}
if (variant === "reparented") {
    new Thing("test:index:Db", "app-db");
}
