// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform data source `authentik_provider_oauth2_config`. OIDC endpoint URLs of an OAuth2 provider.
 */
export function getProviderOauth2Config(args?: GetProviderOauth2ConfigArgs, opts?: pulumi.InvokeOptions): Promise<GetProviderOauth2ConfigResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invoke("authentik:index/getProviderOauth2Config:getProviderOauth2Config", {
        "id": args.id,
        "name": args.name,
        "providerId": args.providerId,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getProviderOauth2Config.
 */
export interface GetProviderOauth2ConfigArgs {
    id?: string;
    name?: string;
    providerId?: number;
}

/**
 * A collection of values returned by getProviderOauth2Config.
 */
export interface GetProviderOauth2ConfigResult {
    readonly authorizeUrl: string;
    readonly id: string;
    readonly issuerUrl: string;
    readonly jwksUrl: string;
    readonly logoutUrl: string;
    readonly name?: string;
    readonly providerId?: number;
    readonly providerInfoUrl: string;
    readonly tokenUrl: string;
    readonly userInfoUrl: string;
}
/**
 * Terraform data source `authentik_provider_oauth2_config`, as an Output. Unlike the Promise form it accepts Input arguments
 * and `dependsOn`.
 */
export function getProviderOauth2ConfigOutput(args?: GetProviderOauth2ConfigOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetProviderOauth2ConfigResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invokeOutput("authentik:index/getProviderOauth2Config:getProviderOauth2Config", {
        "id": args.id,
        "name": args.name,
        "providerId": args.providerId,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getProviderOauth2Config.
 */
export interface GetProviderOauth2ConfigOutputArgs {
    id?: pulumi.Input<string | undefined>;
    name?: pulumi.Input<string | undefined>;
    providerId?: pulumi.Input<number | undefined>;
}
