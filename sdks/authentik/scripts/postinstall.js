// Postinstall of the hand-written @pulumi/authentik stand-in. It does what the postinstall that
// `pulumi package add` writes for a local SDK does (pulumi/pulumi pkg/codegen/nodejs/gen.go, genPostInstallScript):
// compile the SDK with its own `tsc` into bin/, limited to the @types packages the SDK depends on, then copy
// package.json into bin/ so that utilities.getVersion() can read it there.
const fs = require("node:fs");
const path = require("node:path");
const { execSync } = require("node:child_process");

const root = path.join(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const dependencyNames = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})];
const typePackages = dependencyNames.filter(name => name.startsWith("@types/")).map(name => name.slice("@types/".length));
const command = typePackages.length > 0 ? `tsc --types ${typePackages.join(",")}` : "tsc";
try {
    // npm puts the SDK's own node_modules/.bin first on PATH, so this is the SDK's typescript.
    execSync(command, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
} catch (error) {
    console.error(`@pulumi/authentik: '${command}' failed`, {
        stdout: String(error.stdout ?? ""),
        stderr: String(error.stderr ?? ""),
    });
    process.exit(1);
}
fs.copyFileSync(path.join(root, "package.json"), path.join(root, "bin", "package.json"));
