/**
 * What Pulumi's Node.js code generator writes around a local, parameterized SDK such as the one
 * `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` puts in `sdks/authentik`, kept as
 * data. `pulumi install` deletes that folder and writes the generator's files, so the hand-written stand-in
 * must already have exactly these files: test/sdk/generatorShape.test.ts compares them, and
 * `npm run sdk:regenerate-check` (scripts/sdkRegenerateCheck.ts) replays a regeneration in a scratch copy.
 *
 * Facts only, read from (by function name):
 * - pulumi/pulumi pkg/codegen/nodejs/gen.go: genPackageMetadata, genNPMPackageMetadata (and its `npmPackage`
 *   struct, whose field order is the key order), the constants MinimumValidParameterizationSDKVersion,
 *   MinimumTypescriptVersion and MinimumNodeTypesVersion, genPostInstallScript, genTypeScriptProjectFile,
 *   genGitignoreFile, genHeader and sdkImports;
 * - pulumi/pulumi pkg/codegen/utilities.go: GenGitAttributesFile;
 * - pulumi/pulumi sdk/go/common/resource/plugin/plugin.go: PulumiPluginJSON, PulumiParameterizationJSON
 *   (the `pulumi` field, in field order; `value` is bytes, so JSON carries it base64-encoded);
 * - pulumi/pulumi-terraform-bridge dynamic/info.go: providerInfo (the package description, and the
 *   repository inferred from the registry address; no keywords, homepage or license);
 * - the generated test SDK pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/testdata/published/tsc/sdks/byepackage-2.0.0/.
 */

/** The Go encoder's field order of `npmPackage` in genNPMPackageMetadata; empty fields are omitted. */
export const PACKAGE_JSON_KEY_ORDER = [
    "name",
    "version",
    "type",
    "description",
    "keywords",
    "homepage",
    "repository",
    "license",
    "main",
    "scripts",
    "dependencies",
    "devDependencies",
    "peerDependencies",
    "resolutions",
    "pulumi",
] as const;

/** PulumiPluginJSON's field order (`resource` is always written; the others are omitted when empty). */
export const PULUMI_FIELD_KEY_ORDER = ["resource", "name", "version", "server", "parameterization", "extensionParameterization"] as const;
/** PulumiParameterizationJSON's field order. */
export const PARAMETERIZATION_KEY_ORDER = ["name", "version", "value"] as const;

export const GENERATOR_RULES = {
    packageJson: {
        file: "package.json",
        /** json.MarshalIndent(npminfo, "", "    ") plus a newline; Go sorts map keys (scripts, dependencies). */
        indent: 4,
        trailingNewline: true,
        /** For a local SDK (`pulumi package add`): compiled on install, so `main` is the compiled index. */
        main: "bin/index.js",
        scripts: { build: "tsc", postinstall: "node ./scripts/postinstall.js" },
        /**
         * A local SDK keeps typescript and @types/node in `dependencies` (not devDependencies) so that its
         * postinstall can compile it; @pulumi/pulumi is MinimumValidParameterizationSDKVersion for a
         * parameterized package.
         */
        dependencies: { "@pulumi/pulumi": "^3.238.0", "@types/node": "^20", typescript: "^4.7.0" },
        /** pulumi-terraform-bridge dynamic/info.go providerInfo. */
        description: (packageName: string) => `A Pulumi provider dynamically bridged from ${packageName}.`,
    },
    tsconfig: {
        file: "tsconfig.json",
        /** genTypeScriptProjectFile writes this text (comments included), then every `.ts` file, sorted, under `files`. */
        compilerOptionsText: [
            "{",
            '    "compilerOptions": {',
            "        // Output",
            '        "outDir": "bin",',
            '        "declaration": true,',
            '        "declarationMap": true,',
            '        "sourceMap": true,',
            '        "stripInternal": true,',
            "        // Environment",
            '        "target": "ES2022",',
            '        "module": "nodenext",',
            '        "moduleResolution": "nodenext",',
            '        "moduleDetection": "force",',
            '        "types": ["node"],',
            "        // Type Checking",
            '        "strict": true,',
            '        "noFallthroughCasesInSwitch": true,',
            '        "noImplicitReturns": true,',
            '        "skipLibCheck": true',
            "    },",
        ],
        outDir: "bin",
    },
    gitignore: { file: ".gitignore", text: "node_modules/\nbin/\n" },
    gitattributes: { file: ".gitattributes", text: "* linguist-generated\n" },
    postinstall: {
        file: "scripts/postinstall.js",
        /**
         * genPostInstallScript: in the package root, run `tsc` (the SDK's own, first on npm's PATH) with
         * `--types` listing the package's @types dependencies (comma-separated), exit 1 when it fails, then
         * copy package.json to bin/package.json (utilities.getVersion() reads it from there).
         */
        command: (typePackages: string[]) => (typePackages.length > 0 ? ["tsc", "--types", typePackages.join(",")] : ["tsc"]),
        copies: { from: "package.json", to: "bin/package.json" },
    },
    modules: {
        /** genHeader, as the language host's generator names itself (mod.tool). */
        header: [
            "// *** WARNING: this file was generated by pulumi-language-nodejs. ***",
            "// *** Do not edit by hand unless you're certain you know what you are doing! ***",
        ],
        /**
         * sdkImports(nested, utilities): the namespace imports a generated module may carry whether or not it
         * uses them, relative to the package root.
         */
        namespaceImports: (relRoot: string) => [
            'import * as pulumi from "@pulumi/pulumi";',
            `import * as inputs from "${relRoot}/types/input";`,
            `import * as outputs from "${relRoot}/types/output";`,
            `import * as utilities from "${relRoot}/utilities";`,
        ],
    },
} as const;

/** The package identity the generator takes from the parameterized schema (see the SDK fixture's `package`). */
export interface SdkIdentity {
    /** npm name, e.g. `@pulumi/authentik`. */
    npmName: string;
    /** Pulumi package name, e.g. `authentik`. */
    name: string;
    /** Package version (the Terraform provider's), e.g. `2025.12.1`. */
    version: string;
    parameterization: {
        baseProvider: { name: string; version: string };
        /** `{"remote": {"url": "registry.opentofu.org/<org>/<name>", "version": ...}}` for a registry provider. */
        parameterJSON: unknown;
        parameterBase64: string;
    };
}

/** dynamic/info.go: for a registry provider, `https://github.com/<namespace>/terraform-provider-<name>`. */
export function inferredRepository(identity: SdkIdentity): string | undefined {
    const remote = (identity.parameterization.parameterJSON as { remote?: { url?: unknown } } | null)?.remote;
    if (typeof remote?.url !== "string") {
        return undefined;
    }
    const fields = remote.url.split("/");
    return `https://github.com/${fields[fields.length - 2]}/terraform-provider-${fields[fields.length - 1]}`;
}

/** Go's encoding/json escapes these even inside strings (HTML-safe output). */
function goJsonEscape(text: string): string {
    return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function sortedRecord(record: { [key: string]: string }): { [key: string]: string } {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The generator's `package.json` for a local SDK of `identity`, byte for byte. */
export function generatedPackageJson(identity: SdkIdentity): string {
    const rules = GENERATOR_RULES.packageJson;
    const p = identity.parameterization;
    const fields: { [key: string]: unknown } = {
        name: identity.npmName,
        version: identity.version,
        description: rules.description(identity.name),
        repository: inferredRepository(identity),
        main: rules.main,
        scripts: sortedRecord({ ...rules.scripts }),
        dependencies: sortedRecord({ ...rules.dependencies }),
        pulumi: {
            resource: true,
            name: p.baseProvider.name,
            version: p.baseProvider.version,
            parameterization: { name: identity.name, version: identity.version, value: p.parameterBase64 },
        },
    };
    const ordered: { [key: string]: unknown } = {};
    for (const key of PACKAGE_JSON_KEY_ORDER) {
        if (fields[key] !== undefined) {
            ordered[key] = fields[key];
        }
    }
    return goJsonEscape(JSON.stringify(ordered, null, rules.indent)) + (rules.trailingNewline ? "\n" : "");
}

/** The generator's `tsconfig.json` listing `tsFiles` (paths relative to the SDK root, `/`-separated). */
export function generatedTsconfig(tsFiles: string[]): string {
    const files = [...tsFiles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const lines: string[] = [...GENERATOR_RULES.tsconfig.compilerOptionsText, '    "files": ['];
    files.forEach((file, i) => lines.push(`        "${file}"${i < files.length - 1 ? "," : ""}`));
    lines.push("    ]", "}");
    return lines.join("\n") + "\n";
}

/** The @types packages a package.json depends on, as genPostInstallScript passes them to `tsc --types`. */
export function postinstallTypePackages(packageJson: { dependencies?: object; devDependencies?: object }): string[] {
    return [...Object.keys(packageJson.dependencies ?? {}), ...Object.keys(packageJson.devDependencies ?? {})]
        .filter((name) => name.startsWith("@types/"))
        .map((name) => name.slice("@types/".length));
}

/**
 * A module as the generator could write it: its own header and the namespace imports of sdkImports, used or
 * not, in place of the stand-in's leading comments and its own imports of those namespaces. `relRoot` is the
 * module's path to the package root (`.` or `..`). Other imports (e.g. `@pulumi/pulumi/runtime`) stay.
 */
export function withGeneratorHeader(source: string, relRoot: string): string {
    const lines = source.split("\n");
    let start = 0;
    while (start < lines.length && (lines[start].startsWith("//") || lines[start].trim() === "")) {
        start++;
    }
    const namespaces = /^import \* as (pulumi|inputs|outputs|utilities) from "[^"]+";$/;
    const body = lines.slice(start).filter((line) => !namespaces.test(line));
    return [...GENERATOR_RULES.modules.header, "", ...GENERATOR_RULES.modules.namespaceImports(relRoot), "", ...body].join("\n");
}
