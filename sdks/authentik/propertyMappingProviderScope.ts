// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform resource `authentik_property_mapping_provider_scope`. Its Pulumi ID is the property mapping pk (UUID).
 */
export class PropertyMappingProviderScope extends pulumi.CustomResource {
    /**
     * Get an existing PropertyMappingProviderScope resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: PropertyMappingProviderScopeState, opts?: pulumi.CustomResourceOptions): PropertyMappingProviderScope {
        return new PropertyMappingProviderScope(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'authentik:index/propertyMappingProviderScope:PropertyMappingProviderScope';

    /**
     * Returns true if the given object is an instance of PropertyMappingProviderScope.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is PropertyMappingProviderScope {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === PropertyMappingProviderScope.__pulumiType;
    }

    declare public readonly description: pulumi.Output<string | undefined>;
    declare public readonly expression: pulumi.Output<string>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    declare public readonly name: pulumi.Output<string>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    declare public readonly propertyMappingProviderScopeId: pulumi.Output<string>;
    declare public readonly scopeName: pulumi.Output<string>;

    /**
     * Create a PropertyMappingProviderScope resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: PropertyMappingProviderScopeArgs, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: PropertyMappingProviderScopeArgs | PropertyMappingProviderScopeState, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as PropertyMappingProviderScopeState | undefined;
            resourceInputs["description"] = state?.description;
            resourceInputs["expression"] = state?.expression;
            resourceInputs["name"] = state?.name;
            resourceInputs["propertyMappingProviderScopeId"] = state?.propertyMappingProviderScopeId;
            resourceInputs["scopeName"] = state?.scopeName;
        } else {
            const args = argsOrState as PropertyMappingProviderScopeArgs | undefined;
            if (args?.expression === undefined && !opts.urn) {
                throw new Error("Missing required property 'expression'");
            }
            if (args?.scopeName === undefined && !opts.urn) {
                throw new Error("Missing required property 'scopeName'");
            }
            resourceInputs["description"] = args?.description;
            resourceInputs["expression"] = args?.expression;
            resourceInputs["name"] = args?.name;
            resourceInputs["propertyMappingProviderScopeId"] = args?.propertyMappingProviderScopeId;
            resourceInputs["scopeName"] = args?.scopeName;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        super(PropertyMappingProviderScope.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering PropertyMappingProviderScope resources.
 */
export interface PropertyMappingProviderScopeState {
    description?: pulumi.Input<string | undefined>;
    expression?: pulumi.Input<string | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    propertyMappingProviderScopeId?: pulumi.Input<string | undefined>;
    scopeName?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a PropertyMappingProviderScope resource.
 */
export interface PropertyMappingProviderScopeArgs {
    description?: pulumi.Input<string | undefined>;
    expression: pulumi.Input<string>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    propertyMappingProviderScopeId?: pulumi.Input<string | undefined>;
    scopeName: pulumi.Input<string>;
}
