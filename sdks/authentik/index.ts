// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as pulumi from "@pulumi/pulumi";
import * as utilities from "./utilities";

// Export members. (The generator writes `export { XArgs, XState } from "./x"`; `export type` is the same for tsc,
// which compiles this package, and stays lazy under a transpile-only compiler too.)
export type { ApplicationArgs, ApplicationState } from "./application";
export type Application = import("./application").Application;
export const Application: typeof import("./application").Application = null as any;
utilities.lazyLoad(exports, ["Application"], () => require("./application"));

export type { BlueprintArgs, BlueprintState } from "./blueprint";
export type Blueprint = import("./blueprint").Blueprint;
export const Blueprint: typeof import("./blueprint").Blueprint = null as any;
utilities.lazyLoad(exports, ["Blueprint"], () => require("./blueprint"));

export type { CertificateKeyPairArgs, CertificateKeyPairState } from "./certificateKeyPair";
export type CertificateKeyPair = import("./certificateKeyPair").CertificateKeyPair;
export const CertificateKeyPair: typeof import("./certificateKeyPair").CertificateKeyPair = null as any;
utilities.lazyLoad(exports, ["CertificateKeyPair"], () => require("./certificateKeyPair"));

export type { FlowArgs, FlowState } from "./flow";
export type Flow = import("./flow").Flow;
export const Flow: typeof import("./flow").Flow = null as any;
utilities.lazyLoad(exports, ["Flow"], () => require("./flow"));

export type { GetCertificateKeyPairArgs, GetCertificateKeyPairResult, GetCertificateKeyPairOutputArgs } from "./getCertificateKeyPair";
export const getCertificateKeyPair: typeof import("./getCertificateKeyPair").getCertificateKeyPair = null as any;
export const getCertificateKeyPairOutput: typeof import("./getCertificateKeyPair").getCertificateKeyPairOutput = null as any;
utilities.lazyLoad(exports, ["getCertificateKeyPair","getCertificateKeyPairOutput"], () => require("./getCertificateKeyPair"));

export type { GetFlowArgs, GetFlowResult, GetFlowOutputArgs } from "./getFlow";
export const getFlow: typeof import("./getFlow").getFlow = null as any;
export const getFlowOutput: typeof import("./getFlow").getFlowOutput = null as any;
utilities.lazyLoad(exports, ["getFlow","getFlowOutput"], () => require("./getFlow"));

export type { GetGroupArgs, GetGroupResult, GetGroupOutputArgs } from "./getGroup";
export const getGroup: typeof import("./getGroup").getGroup = null as any;
export const getGroupOutput: typeof import("./getGroup").getGroupOutput = null as any;
utilities.lazyLoad(exports, ["getGroup","getGroupOutput"], () => require("./getGroup"));

export type { GetGroupsArgs, GetGroupsResult, GetGroupsOutputArgs } from "./getGroups";
export const getGroups: typeof import("./getGroups").getGroups = null as any;
export const getGroupsOutput: typeof import("./getGroups").getGroupsOutput = null as any;
utilities.lazyLoad(exports, ["getGroups","getGroupsOutput"], () => require("./getGroups"));

export type { GetPropertyMappingProviderScopeArgs, GetPropertyMappingProviderScopeResult, GetPropertyMappingProviderScopeOutputArgs } from "./getPropertyMappingProviderScope";
export const getPropertyMappingProviderScope: typeof import("./getPropertyMappingProviderScope").getPropertyMappingProviderScope = null as any;
export const getPropertyMappingProviderScopeOutput: typeof import("./getPropertyMappingProviderScope").getPropertyMappingProviderScopeOutput = null as any;
utilities.lazyLoad(exports, ["getPropertyMappingProviderScope","getPropertyMappingProviderScopeOutput"], () => require("./getPropertyMappingProviderScope"));

export type { GetProviderOauth2ConfigArgs, GetProviderOauth2ConfigResult, GetProviderOauth2ConfigOutputArgs } from "./getProviderOauth2Config";
export const getProviderOauth2Config: typeof import("./getProviderOauth2Config").getProviderOauth2Config = null as any;
export const getProviderOauth2ConfigOutput: typeof import("./getProviderOauth2Config").getProviderOauth2ConfigOutput = null as any;
utilities.lazyLoad(exports, ["getProviderOauth2Config","getProviderOauth2ConfigOutput"], () => require("./getProviderOauth2Config"));

export type { GroupArgs, GroupState } from "./group";
export type Group = import("./group").Group;
export const Group: typeof import("./group").Group = null as any;
utilities.lazyLoad(exports, ["Group"], () => require("./group"));

export type { PolicyBindingArgs, PolicyBindingState } from "./policyBinding";
export type PolicyBinding = import("./policyBinding").PolicyBinding;
export const PolicyBinding: typeof import("./policyBinding").PolicyBinding = null as any;
utilities.lazyLoad(exports, ["PolicyBinding"], () => require("./policyBinding"));

export type { PropertyMappingProviderScopeArgs, PropertyMappingProviderScopeState } from "./propertyMappingProviderScope";
export type PropertyMappingProviderScope = import("./propertyMappingProviderScope").PropertyMappingProviderScope;
export const PropertyMappingProviderScope: typeof import("./propertyMappingProviderScope").PropertyMappingProviderScope = null as any;
utilities.lazyLoad(exports, ["PropertyMappingProviderScope"], () => require("./propertyMappingProviderScope"));

export * from "./provider";
import { Provider } from "./provider";

export type { ProviderOauth2Args, ProviderOauth2State } from "./providerOauth2";
export type ProviderOauth2 = import("./providerOauth2").ProviderOauth2;
export const ProviderOauth2: typeof import("./providerOauth2").ProviderOauth2 = null as any;
utilities.lazyLoad(exports, ["ProviderOauth2"], () => require("./providerOauth2"));

// Export sub-modules:
import * as config from "./config";
import * as types from "./types";

export {
    config,
    types,
};

const _module = {
    version: utilities.getVersion(),
    construct: (name: string, type: string, urn: string): pulumi.Resource => {
        switch (type) {
            case "authentik:index/application:Application":
                return new Application(name, <any>undefined, { urn })
            case "authentik:index/blueprint:Blueprint":
                return new Blueprint(name, <any>undefined, { urn })
            case "authentik:index/certificateKeyPair:CertificateKeyPair":
                return new CertificateKeyPair(name, <any>undefined, { urn })
            case "authentik:index/flow:Flow":
                return new Flow(name, <any>undefined, { urn })
            case "authentik:index/group:Group":
                return new Group(name, <any>undefined, { urn })
            case "authentik:index/policyBinding:PolicyBinding":
                return new PolicyBinding(name, <any>undefined, { urn })
            case "authentik:index/propertyMappingProviderScope:PropertyMappingProviderScope":
                return new PropertyMappingProviderScope(name, <any>undefined, { urn })
            case "authentik:index/providerOauth2:ProviderOauth2":
                return new ProviderOauth2(name, <any>undefined, { urn })
            default:
                throw new Error(`unknown resource type ${type}`);
        }
    },
};
pulumi.runtime.registerResourceModule("authentik", "index/application", _module)
pulumi.runtime.registerResourceModule("authentik", "index/blueprint", _module)
pulumi.runtime.registerResourceModule("authentik", "index/certificateKeyPair", _module)
pulumi.runtime.registerResourceModule("authentik", "index/flow", _module)
pulumi.runtime.registerResourceModule("authentik", "index/group", _module)
pulumi.runtime.registerResourceModule("authentik", "index/policyBinding", _module)
pulumi.runtime.registerResourceModule("authentik", "index/propertyMappingProviderScope", _module)
pulumi.runtime.registerResourceModule("authentik", "index/providerOauth2", _module)
pulumi.runtime.registerResourcePackage("authentik", {
    version: utilities.getVersion(),
    constructProvider: (name: string, type: string, urn: string): pulumi.ProviderResource => {
        if (type !== "pulumi:providers:authentik") {
            throw new Error(`unknown provider type ${type}`);
        }
        return new Provider(name, <any>undefined, { urn });
    },
});
