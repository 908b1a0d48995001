// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform resource `authentik_group`. Its Pulumi ID is the group pk (UUID).
 */
export class Group extends pulumi.CustomResource {
    /**
     * Get an existing Group resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: GroupState, opts?: pulumi.CustomResourceOptions): Group {
        return new Group(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'authentik:index/group:Group';

    /**
     * Returns true if the given object is an instance of Group.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is Group {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === Group.__pulumiType;
    }

    /**
     * JSON string.
     */
    declare public readonly attributes: pulumi.Output<string | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    declare public readonly groupId: pulumi.Output<string>;
    declare public readonly isSuperuser: pulumi.Output<boolean | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    declare public readonly name: pulumi.Output<string>;
    /**
     * Parent group UUIDs.
     */
    declare public readonly parents: pulumi.Output<string[] | undefined>;
    declare public readonly roles: pulumi.Output<string[] | undefined>;
    declare public readonly users: pulumi.Output<number[]>;

    /**
     * Create a Group resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: GroupArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: GroupArgs | GroupState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as GroupState | undefined;
            resourceInputs["attributes"] = state?.attributes;
            resourceInputs["groupId"] = state?.groupId;
            resourceInputs["isSuperuser"] = state?.isSuperuser;
            resourceInputs["name"] = state?.name;
            resourceInputs["parents"] = state?.parents;
            resourceInputs["roles"] = state?.roles;
            resourceInputs["users"] = state?.users;
        } else {
            const args = argsOrState as GroupArgs | undefined;
            resourceInputs["attributes"] = args?.attributes;
            resourceInputs["groupId"] = args?.groupId;
            resourceInputs["isSuperuser"] = args?.isSuperuser;
            resourceInputs["name"] = args?.name;
            resourceInputs["parents"] = args?.parents;
            resourceInputs["roles"] = args?.roles;
            resourceInputs["users"] = args?.users;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(Group.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering Group resources.
 */
export interface GroupState {
    /**
     * JSON string.
     */
    attributes?: pulumi.Input<string | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    groupId?: pulumi.Input<string | undefined>;
    isSuperuser?: pulumi.Input<boolean | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Parent group UUIDs.
     */
    parents?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    roles?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    users?: pulumi.Input<pulumi.Input<number>[] | undefined>;
}

/**
 * The set of arguments for constructing a Group resource.
 */
export interface GroupArgs {
    /**
     * JSON string.
     */
    attributes?: pulumi.Input<string | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    groupId?: pulumi.Input<string | undefined>;
    isSuperuser?: pulumi.Input<boolean | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Parent group UUIDs.
     */
    parents?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    roles?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    users?: pulumi.Input<pulumi.Input<number>[] | undefined>;
}
