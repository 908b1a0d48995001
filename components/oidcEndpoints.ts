import * as pulumi from "@pulumi/pulumi";

/**
 * What a service needs from its OIDC client in Authentik. `OidcClient` outputs satisfy it; the
 * values flow as Outputs so nothing is typed twice.
 */
export interface OidcClientEndpoints {
    clientId: pulumi.Input<string>;
    /** A Pulumi secret. Delivered to the service through a Kubernetes Secret, never through Helm values. */
    clientSecret: pulumi.Input<string>;
    /** `https://<host>/application/o/<slug>/`, trailing slash included. */
    issuer: pulumi.Input<string>;
    authorizeUrl: pulumi.Input<string>;
    tokenUrl: pulumi.Input<string>;
    userinfoUrl: pulumi.Input<string>;
    endSessionUrl: pulumi.Input<string>;
}
