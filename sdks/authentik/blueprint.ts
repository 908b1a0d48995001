// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform resource `authentik_blueprint`. Its Pulumi ID is the blueprint instance pk (UUID).
 */
export class Blueprint extends pulumi.CustomResource {
    /**
     * Get an existing Blueprint resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: BlueprintState, opts?: pulumi.CustomResourceOptions): Blueprint {
        return new Blueprint(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'authentik:index/blueprint:Blueprint';

    /**
     * Returns true if the given object is an instance of Blueprint.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is Blueprint {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === Blueprint.__pulumiType;
    }

    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    declare public readonly blueprintId: pulumi.Output<string>;
    declare public readonly content: pulumi.Output<string | undefined>;
    /**
     * JSON string.
     */
    declare public readonly context: pulumi.Output<string | undefined>;
    declare public readonly enabled: pulumi.Output<boolean | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    declare public readonly name: pulumi.Output<string>;
    declare public readonly path: pulumi.Output<string | undefined>;

    /**
     * Create a Blueprint resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args?: BlueprintArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: BlueprintArgs | BlueprintState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as BlueprintState | undefined;
            resourceInputs["blueprintId"] = state?.blueprintId;
            resourceInputs["content"] = state?.content;
            resourceInputs["context"] = state?.context;
            resourceInputs["enabled"] = state?.enabled;
            resourceInputs["name"] = state?.name;
            resourceInputs["path"] = state?.path;
        } else {
            const args = argsOrState as BlueprintArgs | undefined;
            resourceInputs["blueprintId"] = args?.blueprintId;
            resourceInputs["content"] = args?.content;
            resourceInputs["context"] = args?.context;
            resourceInputs["enabled"] = args?.enabled;
            resourceInputs["name"] = args?.name;
            resourceInputs["path"] = args?.path;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(Blueprint.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering Blueprint resources.
 */
export interface BlueprintState {
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    blueprintId?: pulumi.Input<string | undefined>;
    content?: pulumi.Input<string | undefined>;
    /**
     * JSON string.
     */
    context?: pulumi.Input<string | undefined>;
    enabled?: pulumi.Input<boolean | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    path?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a Blueprint resource.
 */
export interface BlueprintArgs {
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    blueprintId?: pulumi.Input<string | undefined>;
    content?: pulumi.Input<string | undefined>;
    /**
     * JSON string.
     */
    context?: pulumi.Input<string | undefined>;
    enabled?: pulumi.Input<boolean | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    path?: pulumi.Input<string | undefined>;
}
