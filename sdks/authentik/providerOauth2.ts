// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

/**
 * Terraform resource `authentik_provider_oauth2`. Its Pulumi ID is the provider's numeric pk as a string (e.g. `"12"`).
 */
export class ProviderOauth2 extends pulumi.CustomResource {
    /**
     * Get an existing ProviderOauth2 resource's state with the given name, ID, and optional extra
     * properties used to qualify the lookup.
     *
     * @param name The _unique_ name of the resulting resource.
     * @param id The _unique_ provider ID of the resource to lookup.
     * @param state Any extra arguments used during the lookup.
     * @param opts Optional settings to control the behavior of the CustomResource.
     */
    public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ProviderOauth2State, opts?: pulumi.CustomResourceOptions): ProviderOauth2 {
        return new ProviderOauth2(name, <any>state, { ...opts, id: id });
    }

    /** @internal */
    public static readonly __pulumiType = 'authentik:index/providerOauth2:ProviderOauth2';

    /**
     * Returns true if the given object is an instance of ProviderOauth2.  This is designed to work even
     * when multiple copies of the Pulumi SDK have been loaded into the same process.
     */
    public static isInstance(obj: any): obj is ProviderOauth2 {
        if (obj === undefined || obj === null) {
            return false;
        }
        return obj['__pulumiType'] === ProviderOauth2.__pulumiType;
    }

    declare public readonly accessCodeValidity: pulumi.Output<string | undefined>;
    declare public readonly accessTokenValidity: pulumi.Output<string | undefined>;
    /**
     * List of string maps with snake_case keys, e.g. `[{matching_mode: "strict", url: "https://..."}]`.
     */
    declare public readonly allowedRedirectUris: pulumi.Output<{[key: string]: string}[] | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    declare public readonly authenticationFlow: pulumi.Output<string | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    declare public readonly authorizationFlow: pulumi.Output<string>;
    declare public readonly clientId: pulumi.Output<string>;
    declare public readonly clientSecret: pulumi.Output<string>;
    declare public readonly clientType: pulumi.Output<string | undefined>;
    declare public readonly encryptionKey: pulumi.Output<string | undefined>;
    declare public readonly includeClaimsInIdToken: pulumi.Output<boolean | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    declare public readonly invalidationFlow: pulumi.Output<string>;
    declare public readonly issuerMode: pulumi.Output<string | undefined>;
    declare public readonly jwksSources: pulumi.Output<string[] | undefined>;
    declare public readonly jwtFederationProviders: pulumi.Output<number[] | undefined>;
    declare public readonly jwtFederationSources: pulumi.Output<string[] | undefined>;
    declare public readonly logoutMethod: pulumi.Output<string | undefined>;
    declare public readonly logoutUri: pulumi.Output<string | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    declare public readonly name: pulumi.Output<string>;
    /**
     * Scope mapping UUIDs, e.g. `getPropertyMappingProviderScope({managedLists: [...]}).ids`.
     */
    declare public readonly propertyMappings: pulumi.Output<string[] | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    declare public readonly providerOauth2Id: pulumi.Output<string>;
    declare public readonly refreshTokenThreshold: pulumi.Output<string | undefined>;
    declare public readonly refreshTokenValidity: pulumi.Output<string | undefined>;
    /**
     * Certificate key pair UUID.
     */
    declare public readonly signingKey: pulumi.Output<string | undefined>;
    declare public readonly subMode: pulumi.Output<string | undefined>;

    /**
     * Create a ProviderOauth2 resource with the given unique name, arguments, and options.
     *
     * @param name The _unique_ name of the resource.
     * @param args The arguments to use to populate this resource's properties.
     * @param opts A bag of options that control this resource's behavior.
     */
    constructor(name: string, args: ProviderOauth2Args, opts?: pulumi.CustomResourceOptions)
    constructor(name: string, argsOrState?: ProviderOauth2Args | ProviderOauth2State, opts?: pulumi.CustomResourceOptions) {
        let resourceInputs: pulumi.Inputs = {};
        opts = opts || {};
        if (opts.id) {
            const state = argsOrState as ProviderOauth2State | undefined;
            resourceInputs["accessCodeValidity"] = state?.accessCodeValidity;
            resourceInputs["accessTokenValidity"] = state?.accessTokenValidity;
            resourceInputs["allowedRedirectUris"] = state?.allowedRedirectUris;
            resourceInputs["authenticationFlow"] = state?.authenticationFlow;
            resourceInputs["authorizationFlow"] = state?.authorizationFlow;
            resourceInputs["clientId"] = state?.clientId;
            resourceInputs["clientSecret"] = state?.clientSecret;
            resourceInputs["clientType"] = state?.clientType;
            resourceInputs["encryptionKey"] = state?.encryptionKey;
            resourceInputs["includeClaimsInIdToken"] = state?.includeClaimsInIdToken;
            resourceInputs["invalidationFlow"] = state?.invalidationFlow;
            resourceInputs["issuerMode"] = state?.issuerMode;
            resourceInputs["jwksSources"] = state?.jwksSources;
            resourceInputs["jwtFederationProviders"] = state?.jwtFederationProviders;
            resourceInputs["jwtFederationSources"] = state?.jwtFederationSources;
            resourceInputs["logoutMethod"] = state?.logoutMethod;
            resourceInputs["logoutUri"] = state?.logoutUri;
            resourceInputs["name"] = state?.name;
            resourceInputs["propertyMappings"] = state?.propertyMappings;
            resourceInputs["providerOauth2Id"] = state?.providerOauth2Id;
            resourceInputs["refreshTokenThreshold"] = state?.refreshTokenThreshold;
            resourceInputs["refreshTokenValidity"] = state?.refreshTokenValidity;
            resourceInputs["signingKey"] = state?.signingKey;
            resourceInputs["subMode"] = state?.subMode;
        } else {
            const args = argsOrState as ProviderOauth2Args | undefined;
            if (args?.authorizationFlow === undefined && !opts.urn) {
                throw new Error("Missing required property 'authorizationFlow'");
            }
            if (args?.clientId === undefined && !opts.urn) {
                throw new Error("Missing required property 'clientId'");
            }
            if (args?.invalidationFlow === undefined && !opts.urn) {
                throw new Error("Missing required property 'invalidationFlow'");
            }
            resourceInputs["accessCodeValidity"] = args?.accessCodeValidity;
            resourceInputs["accessTokenValidity"] = args?.accessTokenValidity;
            resourceInputs["allowedRedirectUris"] = args?.allowedRedirectUris;
            resourceInputs["authenticationFlow"] = args?.authenticationFlow;
            resourceInputs["authorizationFlow"] = args?.authorizationFlow;
            resourceInputs["clientId"] = args?.clientId;
            resourceInputs["clientSecret"] = args?.clientSecret ? pulumi.secret(args.clientSecret) : undefined;
            resourceInputs["clientType"] = args?.clientType;
            resourceInputs["encryptionKey"] = args?.encryptionKey;
            resourceInputs["includeClaimsInIdToken"] = args?.includeClaimsInIdToken;
            resourceInputs["invalidationFlow"] = args?.invalidationFlow;
            resourceInputs["issuerMode"] = args?.issuerMode;
            resourceInputs["jwksSources"] = args?.jwksSources;
            resourceInputs["jwtFederationProviders"] = args?.jwtFederationProviders;
            resourceInputs["jwtFederationSources"] = args?.jwtFederationSources;
            resourceInputs["logoutMethod"] = args?.logoutMethod;
            resourceInputs["logoutUri"] = args?.logoutUri;
            resourceInputs["name"] = args?.name;
            resourceInputs["propertyMappings"] = args?.propertyMappings;
            resourceInputs["providerOauth2Id"] = args?.providerOauth2Id;
            resourceInputs["refreshTokenThreshold"] = args?.refreshTokenThreshold;
            resourceInputs["refreshTokenValidity"] = args?.refreshTokenValidity;
            resourceInputs["signingKey"] = args?.signingKey;
            resourceInputs["subMode"] = args?.subMode;
        }
        opts = pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts);
        const secretOpts = { additionalSecretOutputs: ["clientSecret"] };
        opts = pulumi.mergeOptions(opts, secretOpts);
        super(ProviderOauth2.__pulumiType, name, resourceInputs, opts, false /*dependency*/, utilities.getPackage());
    }
}

/**
 * Input properties used for looking up and filtering ProviderOauth2 resources.
 */
export interface ProviderOauth2State {
    accessCodeValidity?: pulumi.Input<string | undefined>;
    accessTokenValidity?: pulumi.Input<string | undefined>;
    /**
     * List of string maps with snake_case keys, e.g. `[{matching_mode: "strict", url: "https://..."}]`.
     */
    allowedRedirectUris?: pulumi.Input<pulumi.Input<{[key: string]: pulumi.Input<string>}>[] | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    authenticationFlow?: pulumi.Input<string | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    authorizationFlow?: pulumi.Input<string | undefined>;
    clientId?: pulumi.Input<string | undefined>;
    clientSecret?: pulumi.Input<string | undefined>;
    clientType?: pulumi.Input<string | undefined>;
    encryptionKey?: pulumi.Input<string | undefined>;
    includeClaimsInIdToken?: pulumi.Input<boolean | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    invalidationFlow?: pulumi.Input<string | undefined>;
    issuerMode?: pulumi.Input<string | undefined>;
    jwksSources?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    jwtFederationProviders?: pulumi.Input<pulumi.Input<number>[] | undefined>;
    jwtFederationSources?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    logoutMethod?: pulumi.Input<string | undefined>;
    logoutUri?: pulumi.Input<string | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Scope mapping UUIDs, e.g. `getPropertyMappingProviderScope({managedLists: [...]}).ids`.
     */
    propertyMappings?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    providerOauth2Id?: pulumi.Input<string | undefined>;
    refreshTokenThreshold?: pulumi.Input<string | undefined>;
    refreshTokenValidity?: pulumi.Input<string | undefined>;
    /**
     * Certificate key pair UUID.
     */
    signingKey?: pulumi.Input<string | undefined>;
    subMode?: pulumi.Input<string | undefined>;
}

/**
 * The set of arguments for constructing a ProviderOauth2 resource.
 */
export interface ProviderOauth2Args {
    accessCodeValidity?: pulumi.Input<string | undefined>;
    accessTokenValidity?: pulumi.Input<string | undefined>;
    /**
     * List of string maps with snake_case keys, e.g. `[{matching_mode: "strict", url: "https://..."}]`.
     */
    allowedRedirectUris?: pulumi.Input<pulumi.Input<{[key: string]: pulumi.Input<string>}>[] | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    authenticationFlow?: pulumi.Input<string | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    authorizationFlow: pulumi.Input<string>;
    clientId: pulumi.Input<string>;
    clientSecret?: pulumi.Input<string | undefined>;
    clientType?: pulumi.Input<string | undefined>;
    encryptionKey?: pulumi.Input<string | undefined>;
    includeClaimsInIdToken?: pulumi.Input<boolean | undefined>;
    /**
     * Flow UUID (`getFlow(...).id` or `Flow.uuid`; `Flow.id` is the slug).
     */
    invalidationFlow: pulumi.Input<string>;
    issuerMode?: pulumi.Input<string | undefined>;
    jwksSources?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    jwtFederationProviders?: pulumi.Input<pulumi.Input<number>[] | undefined>;
    jwtFederationSources?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    logoutMethod?: pulumi.Input<string | undefined>;
    logoutUri?: pulumi.Input<string | undefined>;
    /**
     * Optional because of Pulumi autonaming: when omitted the provider generates `<resource name>-<7 hex>`.
     */
    name?: pulumi.Input<string | undefined>;
    /**
     * Scope mapping UUIDs, e.g. `getPropertyMappingProviderScope({managedLists: [...]}).ids`.
     */
    propertyMappings?: pulumi.Input<pulumi.Input<string>[] | undefined>;
    /**
     * Same value as the resource `id` (the bridge's name for Terraform's implicit `id`). Do not set it.
     */
    providerOauth2Id?: pulumi.Input<string | undefined>;
    refreshTokenThreshold?: pulumi.Input<string | undefined>;
    refreshTokenValidity?: pulumi.Input<string | undefined>;
    /**
     * Certificate key pair UUID.
     */
    signingKey?: pulumi.Input<string | undefined>;
    subMode?: pulumi.Input<string | undefined>;
}
