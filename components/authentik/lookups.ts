/**
 * The Authentik objects every OIDC client refers to but this program does not own: the two flows,
 * the signing key pair, the built-in scope mappings, and the groups named by `accessGroup`.
 *
 * They are looked up once per stack (one invoke each; the scope mappings in a single invoke), so the
 * number of lookups does not grow with the number of clients; only each distinct access group adds
 * one. This is a plain function, not a ComponentResource: invokes are not resources, so a component
 * would only add an empty, childless entry to the state.
 *
 * Every invoke uses the Output form with `dependsOn` on the Authentik chart and the API provider: on a
 * fresh cluster neither exists yet during preview, and Pulumi then skips the lookup (unknown result)
 * instead of failing against an Authentik that is not there.
 */
import * as authentik from "@pulumi/authentik";
import * as pulumi from "@pulumi/pulumi";

/** The `managed` identifier of Authentik's built-in mapping for a scope. */
export function managedScopeMapping(scope: string): string {
    return `goauthentik.io/providers/oauth2/scope-${scope}`;
}

export interface AuthentikLookupsArgs {
    /** Slug of the authorization flow every client uses. */
    authorizationFlow: pulumi.Input<string>;
    /** Slug of the invalidation (logout) flow. */
    invalidationFlow: pulumi.Input<string>;
    /** Name of the certificate key pair that signs tokens. */
    signingKeyName: pulumi.Input<string>;
    /** Scopes whose built-in scope mappings every client gets, e.g. `openid`. */
    scopes: readonly string[];
    /** Names of the Authentik groups that restrict applications (may be empty); duplicates are looked up once. */
    accessGroups: readonly string[];
}

export interface AuthentikLookupOptions {
    /** The explicit Authentik provider; no ambient `AUTHENTIK_*` environment is used. */
    provider: authentik.Provider;
    /** What must exist before Authentik answers: the Helm release. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

export interface AuthentikLookups {
    /** UUID of the authorization flow. */
    authorizationFlowId: pulumi.Output<string>;
    /** UUID of the invalidation flow. */
    invalidationFlowId: pulumi.Output<string>;
    /** UUID of the certificate key pair that signs tokens. */
    signingKeyId: pulumi.Output<string>;
    /** UUIDs of the built-in scope mappings, sorted so their order never shows as a diff. */
    scopeMappingIds: pulumi.Output<string[]>;
    /** UUID of each access group, by group name. */
    groupIds: { [group: string]: pulumi.Output<string> };
}

export function lookupAuthentikObjects(args: AuthentikLookupsArgs, opts: AuthentikLookupOptions): AuthentikLookups {
    const invokeOpts: pulumi.InvokeOutputOptions = { provider: opts.provider, dependsOn: opts.dependsOn };

    const authorizationFlowId = authentik.getFlowOutput({ slug: args.authorizationFlow }, invokeOpts).id;
    const invalidationFlowId = authentik.getFlowOutput({ slug: args.invalidationFlow }, invokeOpts).id;
    // Only the id is needed: leave the private key (and the certificate) out of the state.
    const signingKeyId = authentik.getCertificateKeyPairOutput(
        { name: args.signingKeyName, fetchKey: false, fetchCertificate: false },
        invokeOpts,
    ).id;
    // By `managed` identifier, not by scope name: a custom mapping can reuse a built-in scope name.
    const scopeMappingIds = authentik
        .getPropertyMappingProviderScopeOutput({ managedLists: args.scopes.map(managedScopeMapping) }, invokeOpts)
        .ids.apply((ids) => [...ids].sort());

    // In name order, so the lookups do not depend on the order the services are declared in.
    const groupIds: { [group: string]: pulumi.Output<string> } = {};
    for (const group of [...new Set(args.accessGroups)].sort()) {
        groupIds[group] = authentik.getGroupOutput({ name: group, includeUsers: false }, invokeOpts).id;
    }

    return { authorizationFlowId, invalidationFlowId, signingKeyId, scopeMappingIds, groupIds };
}
