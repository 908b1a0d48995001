// The parts of oidc-provider (9.x, an ES module without bundled types) that the verify and Dex tests use.
declare module "oidc-provider" {
    import type { IncomingMessage, ServerResponse } from "http";

    export interface ClientMetadata {
        client_id: string;
        client_secret?: string;
        redirect_uris: string[];
        grant_types?: string[];
        response_types?: string[];
        token_endpoint_auth_method?: string;
        id_token_signed_response_alg?: string;
        application_type?: "web" | "native";
        [key: string]: unknown;
    }

    export interface ProviderClient {
        clientId: string;
        redirectUriAllowed(uri: string): boolean;
        compareClientSecret(actual: string): Promise<boolean>;
    }

    export interface ProviderGrant {
        addOIDCScope(scope: string): void;
        save(): Promise<string>;
    }

    export class Provider {
        constructor(issuer: string, configuration: { [key: string]: unknown });
        proxy: boolean;
        Client: { prototype: ProviderClient };
        Grant: new (properties: { accountId: string; clientId: string }) => ProviderGrant;
        interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ uid: string; params: { [key: string]: unknown } }>;
        interactionFinished(req: IncomingMessage, res: ServerResponse, result: { [key: string]: unknown }, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
        callback(): (req: IncomingMessage, res: ServerResponse) => void;
        on(event: string, listener: (...args: unknown[]) => void): this;
    }
}
