/**
 * A test CA and a server certificate for 127.0.0.1 and localhost signed by it, for the loopback HTTPS
 * servers of the tests and the e2e (the OpenID provider of test/support/oidcServer.ts, the Authentik
 * double of e2e/authentik/server.ts): a client trusts them only when given `caPem`.
 */
import * as selfsigned from "selfsigned";

export interface LoopbackTls {
    /** The CA's certificate, PEM: what a client is told to trust. */
    caPem: string;
    /** The server's private key and certificate, PEM. */
    key: string;
    cert: string;
}

/** Makes a CA named `caName` and a leaf for 127.0.0.1 and localhost, valid from a minute ago for `validHours`. */
export async function loopbackTls(caName: string, validHours: number): Promise<LoopbackTls> {
    const notBeforeDate = new Date(Date.now() - 60_000);
    const notAfterDate = new Date(Date.now() + validHours * 3600_000);
    const ca = await selfsigned.generate([{ name: "commonName", value: caName }], {
        keySize: 2048,
        algorithm: "sha256",
        notBeforeDate,
        notAfterDate,
        extensions: [
            { name: "basicConstraints", cA: true, critical: true },
            { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
        ],
    });
    const leaf = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
        keySize: 2048,
        algorithm: "sha256",
        notBeforeDate,
        notAfterDate,
        ca: { key: ca.private, cert: ca.cert },
        extensions: [
            { name: "basicConstraints", cA: false },
            { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
            { name: "extKeyUsage", serverAuth: true },
            { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] },
        ],
    });
    return { caPem: ca.cert, key: leaf.private, cert: leaf.cert };
}
