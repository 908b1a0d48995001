// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as outputs from "./types/output";
import * as utilities from "./utilities";

/**
 * Terraform data source `authentik_group`. The result `id` is the group UUID.
 */
export function getGroup(args?: GetGroupArgs, opts?: pulumi.InvokeOptions): Promise<GetGroupResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invoke("authentik:index/getGroup:getGroup", {
        "id": args.id,
        "includeUsers": args.includeUsers,
        "name": args.name,
        "pk": args.pk,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getGroup.
 */
export interface GetGroupArgs {
    id?: string;
    includeUsers?: boolean;
    name?: string;
    pk?: string;
}

/**
 * A collection of values returned by getGroup.
 */
export interface GetGroupResult {
    readonly attributes: string;
    readonly id: string;
    readonly includeUsers?: boolean;
    readonly isSuperuser: boolean;
    readonly name?: string;
    readonly numPk: number;
    readonly parentName: string;
    readonly parents: string[];
    readonly pk?: string;
    readonly users: number[];
    readonly usersObjs: outputs.GetGroupUsersObj[];
}
/**
 * Terraform data source `authentik_group`, as an Output. Unlike the Promise form it accepts Input arguments
 * and `dependsOn`.
 */
export function getGroupOutput(args?: GetGroupOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetGroupResult> {
    args = args || {};
    opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {});
    return pulumi.runtime.invokeOutput("authentik:index/getGroup:getGroup", {
        "id": args.id,
        "includeUsers": args.includeUsers,
        "name": args.name,
        "pk": args.pk,
    }, opts, utilities.getPackage());
}

/**
 * A collection of arguments for invoking getGroup.
 */
export interface GetGroupOutputArgs {
    id?: pulumi.Input<string | undefined>;
    includeUsers?: pulumi.Input<boolean | undefined>;
    name?: pulumi.Input<string | undefined>;
    pk?: pulumi.Input<string | undefined>;
}
