// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform resource `authentik_flow`. Its Pulumi ID is the flow slug (provider flow fields need the `uuid` output).
 */
export class Flow extends pulumi.CustomResource {
    /**
     * Get an existing Flow resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: FlowState, opts?: pulumi.CustomResourceOptions): Flow {
        return new Flow(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'authentik:index/flow:Flow';

    /**
     * Returns true if the given object is an instance of Flow.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is Flow {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === Flow.__pulumiType;
    }

    declare public readonly authentication: pulumi.Output<string | undefined>;
    declare public readonly background: pulumi.Output<string | undefined>;
    declare public readonly compatibilityMode: pulumi.Output<boolean | undefined>;
    declare public readonly deniedAction: pulumi.Output<string | undefined>;
    declare public readonly designation: pulumi.Output<string>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    declare public readonly flowId: pulumi.Output<string>;
    declare public readonly layout: pulumi.Output<string | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    declare public readonly name: pulumi.Output<string>;
    declare public readonly policyEngineMode: pulumi.Output<string | undefined>;
    declare public readonly slug: pulumi.Output<string>;
    declare public readonly title: pulumi.Output<string>;
    /**
     * Flow UUID; `Flow.id` is the slug.
     */
    declare public /*out*/ readonly uuid: pulumi.Output<string>;

    /**
     * Create a Flow resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: FlowArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: FlowArgs | FlowState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as FlowState | undefined;
            resourceInputs["authentication"] = state?.authentication;
            resourceInputs["background"] = state?.background;
            resourceInputs["compatibilityMode"] = state?.compatibilityMode;
            resourceInputs["deniedAction"] = state?.deniedAction;
            resourceInputs["designation"] = state?.designation;
            resourceInputs["flowId"] = state?.flowId;
            resourceInputs["layout"] = state?.layout;
            resourceInputs["name"] = state?.name;
            resourceInputs["policyEngineMode"] = state?.policyEngineMode;
            resourceInputs["slug"] = state?.slug;
            resourceInputs["title"] = state?.title;
            resourceInputs["uuid"] = state?.uuid;
        } else {
            const args = argsOrState as FlowArgs | undefined;
            if (args?.designation === undefined && !opts.urn) {
                throw new Error("Missing required property 'designation'");
            }
            if (args?.slug === undefined && !opts.urn) {
                throw new Error("Missing required property 'slug'");
            }
            if (args?.title === undefined && !opts.urn) {
                throw new Error("Missing required property 'title'");
            }
            resourceInputs["authentication"] = args?.authentication;
            resourceInputs["background"] = args?.background;
            resourceInputs["compatibilityMode"] = args?.compatibilityMode;
            resourceInputs["deniedAction"] = args?.deniedAction;
            resourceInputs["designation"] = args?.designation;
            resourceInputs["flowId"] = args?.flowId;
            resourceInputs["layout"] = args?.layout;
            resourceInputs["name"] = args?.name;
            resourceInputs["policyEngineMode"] = args?.policyEngineMode;
            resourceInputs["slug"] = args?.slug;
            resourceInputs["title"] = args?.title;
            resourceInputs["uuid"] = undefined /*out*/;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(Flow.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering Flow resources.
 */
export interface FlowState {
    authentication?: pulumi.Input<string | undefined>;
    background?: pulumi.Input<string | undefined>;
    compatibilityMode?: pulumi.Input<boolean | undefined>;
    deniedAction?: pulumi.Input<string | undefined>;
    designation?: pulumi.Input<string | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    flowId?: pulumi.Input<string | undefined>;
    layout?: pulumi.Input<string | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    policyEngineMode?: pulumi.Input<string | undefined>;
    slug?: pulumi.Input<string | undefined>;
    title?: pulumi.Input<string | undefined>;
    /**
     * Flow UUID; `Flow.id` is the slug.
     */
    uuid?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a Flow resource.
 */
export interface FlowArgs {
    authentication?: pulumi.Input<string | undefined>;
    background?: pulumi.Input<string | undefined>;
    compatibilityMode?: pulumi.Input<boolean | undefined>;
    deniedAction?: pulumi.Input<string | undefined>;
    designation: pulumi.Input<string>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    flowId?: pulumi.Input<string | undefined>;
    layout?: pulumi.Input<string | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    policyEngineMode?: pulumi.Input<string | undefined>;
    slug: pulumi.Input<string>;
    title: pulumi.Input<string>;
}
