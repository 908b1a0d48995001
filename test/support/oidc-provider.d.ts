// The parts of oidc-provider (9.x, an ES module without bundled types) that the verify tests use.
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

    export class Provider {
        constructor(issuer: string, configuration: { [key: string]: unknown });
        proxy: boolean;
        Client: { prototype: ProviderClient };
        callback(): (req: IncomingMessage, res: ServerResponse) => void;
        on(event: string, listener: (...args: unknown[]) => void): this;
    }
}
