// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * Terraform data source `authentik_groups`. Lists groups matching the filters.
 */
export function getGroups(args?: GetGroupsArgs, opts?: pulumi.InvokeOptions): Promise<GetGroupsResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invoke("authentik:index/getGroups:getGroups", {
        "attributes": args.attributes,
        "id": args.id,
        "includeUsers": args.includeUsers,
        "isSuperuser": args.isSuperuser,
        "membersByPks": args.membersByPks,
        "membersByUsernames": args.membersByUsernames,
        "name": args.name,
        "ordering": args.ordering,
        "search": args.search,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getGroups.
 */
export interface GetGroupsArgs {
    attributes?: string;
    id?: string;
    includeUsers?: boolean;
    isSuperuser?: boolean;
    membersByPks?: number[];
    membersByUsernames?: string[];
    name?: string;
    ordering?: string;
    search?: string;
}

/**
 * A collection of values returned by getGroups.
 */
export interface GetGroupsResult {
    readonly attributes?: string;
    readonly groups: outputs.GetGroupsGroup[];
    readonly id: string;
    readonly includeUsers?: boolean;
    readonly isSuperuser?: boolean;
    readonly membersByPks?: number[];
    readonly membersByUsernames?: string[];
    readonly name?: string;
    readonly ordering?: string;
    readonly search?: string;
}
/**
 * Terraform data source `authentik_groups`, as an Output. Unlike the Promise form it accepts Input arguments
 * and `dependsOn`.
 */
export function getGroupsOutput(args?: GetGroupsOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetGroupsResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invokeOutput("authentik:index/getGroups:getGroups", {
        "attributes": args.attributes,
        "id": args.id,
        "includeUsers": args.includeUsers,
        "isSuperuser": args.isSuperuser,
        "membersByPks": args.membersByPks,
        "membersByUsernames": args.membersByUsernames,
        "name": args.name,
        "ordering": args.ordering,
        "search": args.search,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getGroups.
 */
export interface GetGroupsOutputArgs {
    attributes?: pulumi.Input<string | undefined>;
    id?: pulumi.Input<string | undefined>;
    includeUsers?: pulumi.Input<boolean | undefined>;
    isSuperuser?: pulumi.Input<boolean | undefined>;
    membersByPks?: pulumi.Input<pulumi.Input<number>[] | undefined>;
    membersByUsernames?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    name?: pulumi.Input<string | undefined>;
    ordering?: pulumi.Input<string | undefined>;
    search?: pulumi.Input<string | undefined>;
}
