import { expect } from "chai";
import { SECRET_SIG_KEY, SECRET_SIG_VALUE, SecretValue } from "../../scripts/lib/mockRuntime";
import { SECRET_MASK, SecretScrubber, UNKNOWN_MASK, UNKNOWN_SENTINEL, sortKeysDeep } from "../../scripts/lib/secretMask";

const envelope = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value });

describe("secret masking (scripts/lib/secretMask)", () => {
    it("masks secret envelopes and SecretValues wherever they are nested", () => {
        const scrubber = new SecretScrubber();
        const masked = scrubber.mask({
            a: envelope("hunter2-long"),
            b: [1, { c: envelope({ nested: "x" }) }],
            d: new SecretValue("output-secret"),
            e: "plain",
        });
        expect(masked).to.deep.equal({ a: SECRET_MASK, b: [1, { c: { nested: SECRET_MASK } }], d: SECRET_MASK, e: "plain" });
    });

    it("keeps the key names of a secret map (a Secret's stringData) and masks every value", () => {
        const scrubber = new SecretScrubber();
        const stringData = envelope({ clientSecret: "client-secret-value-1", "admin-password": "pw-value-22", nested: { list: ["a-secret-3"] } });
        scrubber.collect({ stringData });
        const masked = scrubber.mask({ stringData, out: new SecretValue({ token: "tok-value-4" }) });
        expect(masked).to.deep.equal({
            stringData: { clientSecret: SECRET_MASK, "admin-password": SECRET_MASK, nested: { list: SECRET_MASK } },
            out: { token: SECRET_MASK },
        });
        expect(JSON.stringify(masked)).to.not.match(/client-secret-value-1|pw-value-22|a-secret-3|tok-value-4/);
    });

    it("collects every plaintext inside secrets, including nested strings and numbers", () => {
        const scrubber = new SecretScrubber();
        scrubber.collect({ a: envelope({ token: "tok-123456", port: 5432 }), b: "not-secret", c: [new SecretValue(["out-secret-1"])] });
        expect(scrubber.isSecret("tok-123456")).to.equal(true);
        expect(scrubber.isSecret("5432")).to.equal(true);
        expect(scrubber.isSecret("out-secret-1")).to.equal(true);
        expect(scrubber.isSecret("not-secret")).to.equal(false);
    });

    it("masks a known plaintext that reached a plain value, whole or inside text (defence in depth)", () => {
        const scrubber = new SecretScrubber();
        scrubber.collect(envelope("mock-secret:db-password"));
        const masked = scrubber.mask({
            copy: "mock-secret:db-password",
            url: "postgres://app:mock-secret:db-password@db:5432/app",
            ["key-mock-secret:db-password"]: 1,
        });
        expect(JSON.stringify(masked)).to.not.include("mock-secret:db-password");
        expect(masked).to.deep.equal({ copy: SECRET_MASK, url: `postgres://app:${SECRET_MASK}@db:5432/app`, [`key-${SECRET_MASK}`]: 1 });
    });

    it("scrubs secrets from free text, also in their JSON-escaped form", () => {
        const scrubber = new SecretScrubber();
        scrubber.add('pa"ss\\word-9');
        const text = JSON.stringify({ v: 'x pa"ss\\word-9 y' }) + ' raw: pa"ss\\word-9';
        const scrubbed = scrubber.scrubText(text);
        expect(scrubbed).to.not.include("word-9");
        expect(scrubbed).to.include(SECRET_MASK);
    });

    it("masks short secrets only where a whole value equals them, never inside other text", () => {
        const scrubber = new SecretScrubber();
        scrubber.add("on");
        expect(scrubber.mask({ a: "on", b: "configuration" })).to.deep.equal({ a: SECRET_MASK, b: "configuration" });
    });

    it("shows unknown values and Pulumi output values by their meaning", () => {
        const scrubber = new SecretScrubber();
        const outputValue = (fields: object) => ({ [SECRET_SIG_KEY]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", ...fields });
        expect(
            scrubber.mask({
                u: UNKNOWN_SENTINEL,
                secretOutput: outputValue({ value: "zzz-secret", secret: true }),
                plainOutput: outputValue({ value: "visible" }),
                unknownOutput: outputValue({}),
            }),
        ).to.deep.equal({ u: UNKNOWN_MASK, secretOutput: SECRET_MASK, plainOutput: "visible", unknownOutput: UNKNOWN_MASK });
    });

    it("sorts keys at every level without touching array order", () => {
        expect(JSON.stringify(sortKeysDeep({ b: 1, a: [{ d: 1, c: 2 }, 3] }))).to.equal('{"a":[{"c":2,"d":1},3],"b":1}');
    });
});
