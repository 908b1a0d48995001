// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform data source `authentik_flow`. The result `id` is the flow UUID.
 */
export function getFlow(args?: GetFlowArgs, opts?: pulumi.InvokeOptions): Promise<GetFlowResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invoke("authentik:index/getFlow:getFlow", {
        "authentication": args.authentication,
        "designation": args.designation,
        "id": args.id,
        "slug": args.slug,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getFlow.
 */
export interface GetFlowArgs {
    authentication?: string;
    designation?: string;
    id?: string;
    slug?: string;
}

/**
 * A collection of values returned by getFlow.
 */
export interface GetFlowResult {
    readonly authentication: string;
    readonly designation: string;
    readonly id: string;
    readonly name: string;
    readonly slug: string;
    readonly title: string;
}
/**
 * Terraform data source `authentik_flow`, as an Output. Unlike the Promise form it accepts Input arguments
 * and `dependsOn`.
 */
export function getFlowOutput(args?: GetFlowOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetFlowResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invokeOutput("authentik:index/getFlow:getFlow", {
        "authentication": args.authentication,
        "designation": args.designation,
        "id": args.id,
        "slug": args.slug,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getFlow.
 */
export interface GetFlowOutputArgs {
    authentication?: pulumi.Input<string | undefined>;
    designation?: pulumi.Input<string | undefined>;
    id?: pulumi.Input<string | undefined>;
    slug?: pulumi.Input<string | undefined>;
}
