// The TypeScript declarations of the local @pulumi/authentik SDK against the fixture's exact TS types.
//
// Mocks cannot tell `Output<number>` from `Output<string>` or an optional Args field from a required one, so this
// reads the SDK sources (one file per class/function, as generated) and compares every declaration with the
// fixture's `tsOutput`, `tsArgs`, `tsPlainArg`, `tsOutputArg` and `tsResult`.

import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { fixture, functions, resources, sdkDir, sorted } from "./harness";

interface Field {
    optional: boolean;
    type: string;
}

function source(file: string): string {
    return fs.readFileSync(path.join(sdkDir, file), "utf8");
}

/** The `name?: type;` members of `export interface <name> { ... }` (comments skipped). */
function interfaceFields(src: string, name: string): Map<string, Field> {
    const match = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(src);
    expect(match, `interface ${name}`).to.not.equal(null);
    const fields = new Map<string, Field>();
    for (const line of match![1].split("\n")) {
        const m = /^ {4}(?:readonly )?(\w+)(\??): (.+);$/.exec(line);
        if (m) {
            fields.set(m[1], { optional: m[2] === "?", type: m[3] });
        }
    }
    return fields;
}

/** `declare public readonly x: T;` (and `/*out*\/` variants) of a resource class. */
function classOutputs(src: string): Map<string, string> {
    const outputs = new Map<string, string>();
    for (const m of src.matchAll(/^ {4}declare public (?:\/\*out\*\/ )?readonly (\w+): (.+);$/gm)) {
        outputs.set(m[1], m[2]);
    }
    return outputs;
}

/** Splits the fixture's `tsArgs` ("pulumi.Input<T>  (optional: `?`)") into type and optionality. */
function argsField(tsArgs: string): Field {
    const m = /^(.*?)\s+\(optional: `\?`\)$/.exec(tsArgs);
    return m ? { optional: true, type: m[1] } : { optional: false, type: tsArgs };
}

/** Splits `tsPlainArg` / `tsOutputArg` ("string  (optional)"). */
function functionArg(ts: string): Field {
    const m = /^(.*?)\s+\(optional\)$/.exec(ts);
    return m ? { optional: true, type: m[1] } : { optional: false, type: ts };
}

/** Splits `tsResult` ("readonly x?: T"). */
function resultField(ts: string): [string, Field] {
    const m = /^readonly (\w+)(\??): (.+)$/.exec(ts)!;
    return [m[1], { optional: m[2] === "?", type: m[3] }];
}

function expectFields(actual: Map<string, Field>, expected: Map<string, Field>, what: string): void {
    expect(sorted(actual.keys()), `${what} members`).to.deep.equal(sorted(expected.keys()));
    for (const [name, field] of expected) {
        expect(actual.get(name), `${what}.${name}`).to.deep.equal(field);
    }
}

describe("@pulumi/authentik TypeScript declarations (schema 2025.12.1)", () => {
    for (const r of resources) {
        describe(`${r.tsClass} (${r.file})`, () => {
            const src = source(r.file);

            it("declares every output with the schema's type", () => {
                const expected = new Map(Object.entries(r.properties).map(([n, p]) => [n, p.tsOutput]));
                const actual = classOutputs(src);
                expect(sorted(actual.keys())).to.deep.equal(sorted(expected.keys()));
                for (const [name, type] of expected) {
                    expect(actual.get(name), name).to.equal(type);
                }
            });

            it(`declares ${r.tsClass}Args with the schema's inputs, types and optionality`, () => {
                const expected = new Map<string, Field>();
                for (const [name, p] of Object.entries(r.properties)) {
                    if (p.isInput) {
                        const field = argsField(p.tsArgs!);
                        expect(field.optional, `${name} optional`).to.equal(!p.inputRequired);
                        expected.set(name, field);
                    }
                }
                expectFields(interfaceFields(src, `${r.tsClass}Args`), expected, `${r.tsClass}Args`);
            });

            it(`declares ${r.tsClass}State with every property, all optional`, () => {
                // State fields are the Args types (or, for output-only properties, the output type) made optional:
                // `x?: pulumi.Input<T | undefined>`.
                const expected = new Map<string, Field>();
                for (const [name, p] of Object.entries(r.properties)) {
                    const inner = p.tsArgs
                        ? /^pulumi\.Input<(.*?)(?: \| undefined)?>$/.exec(argsField(p.tsArgs).type)![1]
                        : /^pulumi\.Output<(.*)>$/.exec(p.tsOutput)![1];
                    expected.set(name, { optional: true, type: `pulumi.Input<${inner} | undefined>` });
                }
                expectFields(interfaceFields(src, `${r.tsClass}State`), expected, `${r.tsClass}State`);
            });

            it(`takes ${r.argsOptional ? "optional" : "required"} args in its constructor`, () => {
                const q = r.argsOptional ? "?" : "";
                expect(src).to.contain(`constructor(name: string, args${q}: ${r.tsClass}Args, opts?: pulumi.CustomResourceOptions)`);
            });
        });
    }

    for (const f of functions) {
        const [name, outputName] = f.tsFunctions;
        const P = name[0].toUpperCase() + name.slice(1);

        describe(`${name} (${f.file})`, () => {
            const src = source(f.file);

            it("has the generated signatures", () => {
                const q = f.argsOptional ? "?" : "";
                expect(src).to.contain(
                    `export function ${name}(args${q}: ${P}Args, opts?: pulumi.InvokeOptions): Promise<${P}Result>`,
                );
                expect(src).to.contain(
                    `export function ${outputName}(args${q}: ${P}OutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<${P}Result>`,
                );
            });

            it(`declares ${P}Args and ${P}OutputArgs per the schema`, () => {
                const plain = new Map(Object.entries(f.inputs).map(([n, p]) => [n, functionArg(p.tsPlainArg)]));
                const output = new Map(Object.entries(f.inputs).map(([n, p]) => [n, functionArg(p.tsOutputArg)]));
                for (const [n, p] of Object.entries(f.inputs)) {
                    expect(plain.get(n)!.optional, `${n} optional`).to.equal(!p.inputRequired);
                }
                expectFields(interfaceFields(src, `${P}Args`), plain, `${P}Args`);
                expectFields(interfaceFields(src, `${P}OutputArgs`), output, `${P}OutputArgs`);
            });

            it(`declares ${P}Result per the schema`, () => {
                const expected = new Map(Object.values(f.outputs).map(o => resultField(o.tsResult)));
                expect(sorted(expected.keys())).to.deep.equal(sorted(Object.keys(f.outputs)));
                expectFields(interfaceFields(src, `${P}Result`), expected, `${P}Result`);
            });
        });
    }

    describe("types/output.ts", () => {
        const src = source(path.join("types", "output.ts"));
        for (const t of Object.values(fixture.types)) {
            it(`declares ${t.tsName} with the schema's fields and types`, () => {
                // Optionality is deliberately not compared: see the note in types/output.ts.
                const fields = interfaceFields(src, t.tsName);
                expect(sorted(fields.keys())).to.deep.equal(sorted(Object.keys(t.properties)));
                for (const [name, p] of Object.entries(t.properties)) {
                    expect(fields.get(name)!.type, `${t.tsName}.${name}`).to.equal(p.tsOutput);
                }
            });
        }
    });

    describe("provider.ts", () => {
        const src = source("provider.ts");

        it("declares ProviderArgs per the schema", () => {
            const expected = new Map(Object.entries(fixture.provider.inputs).map(([n, p]) => [n, argsField(p.tsArgs)]));
            expectFields(interfaceFields(src, "ProviderArgs"), expected, "ProviderArgs");
        });

        it("declares its class outputs as required strings", () => {
            const outputs = classOutputs(src);
            expect(sorted(outputs.keys())).to.deep.equal(sorted(fixture.provider.outputsOnClass));
            for (const name of fixture.provider.outputsOnClass) {
                expect(outputs.get(name), name).to.equal("pulumi.Output<string>");
            }
            expect(src).to.contain("constructor(name: string, args: ProviderArgs, opts?: pulumi.ResourceOptions)");
        });
    });
});
