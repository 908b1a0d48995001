// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

import * as outputs from "../types/output";

// Nested function-result objects. terraform-provider 1.1.3 lists every field of these objects as required
// (`x: T`); bridge builds after pulumi-terraform-bridge#3466 list them as optional (`x?: T`). They are declared
// optional here: code that reads them compiles against either generated SDK.

export interface GetGroupUsersObj {
    attributes?: string;
    email?: string;
    isActive?: boolean;
    lastLogin?: string;
    name?: string;
    pk?: number;
    uid?: string;
    username?: string;
}

export interface GetGroupsGroup {
    attributes?: string;
    isSuperuser?: boolean;
    name?: string;
    numPk?: number;
    parentName?: string;
    parents?: string[];
    pk?: string;
    users?: number[];
    usersObjs?: outputs.GetGroupsGroupUsersObj[];
}

export interface GetGroupsGroupUsersObj {
    attributes?: string;
    email?: string;
    isActive?: boolean;
    lastLogin?: string;
    name?: string;
    pk?: number;
    uid?: string;
    username?: string;
}
