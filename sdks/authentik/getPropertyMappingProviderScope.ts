// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform data source `authentik_property_mapping_provider_scope`. The result `id` is the mapping UUID (`"-1"` when `managedLists` is used; read `ids` then).
 */
export function getPropertyMappingProviderScope(args?: GetPropertyMappingProviderScopeArgs, opts?: pulumi.InvokeOptions): Promise<GetPropertyMappingProviderScopeResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invoke("authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope", {
        "id": args.id,
        "ids": args.ids,
        "managed": args.managed,
        "managedLists": args.managedLists,
        "name": args.name,
        "scopeName": args.scopeName,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getPropertyMappingProviderScope.
 */
export interface GetPropertyMappingProviderScopeArgs {
    id?: string;
    ids?: string[];
    managed?: string;
    managedLists?: string[];
    name?: string;
    scopeName?: string;
}

/**
 * A collection of values returned by getPropertyMappingProviderScope.
 */
export interface GetPropertyMappingProviderScopeResult {
    readonly description: string;
    readonly expression: string;
    readonly id: string;
    readonly ids: string[];
    readonly managed?: string;
    readonly managedLists?: string[];
    readonly name?: string;
    readonly scopeName: string;
}
/**
 * Terraform data source `authentik_property_mapping_provider_scope`, as an Output. Unlike the Promise form it accepts Input arguments
 * and `dependsOn`.
 */
export function getPropertyMappingProviderScopeOutput(args?: GetPropertyMappingProviderScopeOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetPropertyMappingProviderScopeResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invokeOutput("authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope", {
        "id": args.id,
        "ids": args.ids,
        "managed": args.managed,
        "managedLists": args.managedLists,
        "name": args.name,
        "scopeName": args.scopeName,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getPropertyMappingProviderScope.
 */
export interface GetPropertyMappingProviderScopeOutputArgs {
    id?: pulumi.Input<string | undefined>;
    ids?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    managed?: pulumi.Input<string | undefined>;
    managedLists?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    name?: pulumi.Input<string | undefined>;
    scopeName?: pulumi.Input<string | undefined>;
}
