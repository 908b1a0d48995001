// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform data source `authentik_certificate_key_pair`. The result `id` is the key pair UUID.
 */
export function getCertificateKeyPair(args: GetCertificateKeyPairArgs, opts?: pulumi.InvokeOptions): Promise<GetCertificateKeyPairResult> {
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invoke("authentik:index/getCertificateKeyPair:getCertificateKeyPair", {
        "fetchCertificate": args.fetchCertificate,
        "fetchKey": args.fetchKey,
        "keyData": args.keyData,
        "name": args.name,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getCertificateKeyPair.
 */
export interface GetCertificateKeyPairArgs {
    fetchCertificate?: boolean;
    fetchKey?: boolean;
    keyData?: string;
    name: string;
}

/**
 * A collection of values returned by getCertificateKeyPair.
 */
export interface GetCertificateKeyPairResult {
    readonly certificateData: string;
    readonly expiry: string;
    readonly fetchCertificate?: boolean;
    readonly fetchKey?: boolean;
    readonly fingerprint1: string;
    readonly fingerprint256: string;
    readonly id: string;
    readonly keyData: string;
    readonly name: string;
    readonly subject: string;
}
/**
 * Terraform data source `authentik_certificate_key_pair`, as an Output. Unlike the Promise form it accepts Input arguments
 * and `dependsOn`.
 */
export function getCertificateKeyPairOutput(args: GetCertificateKeyPairOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetCertificateKeyPairResult> {
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invokeOutput("authentik:index/getCertificateKeyPair:getCertificateKeyPair", {
        "fetchCertificate": args.fetchCertificate,
        "fetchKey": args.fetchKey,
        "keyData": args.keyData,
        "name": args.name,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getCertificateKeyPair.
 */
export interface GetCertificateKeyPairOutputArgs {
    fetchCertificate?: pulumi.Input<boolean | undefined>;
    fetchKey?: pulumi.Input<boolean | undefined>;
    keyData?: pulumi.Input<string | undefined>;
    name: pulumi.Input<string>;
}
