// Hand-written, API-compatible stand-in for the SDK that
// `pulumi package add terraform-provider goauthentik/authentik 2025.12.1` generates.
// `pulumi install` replaces this folder with the generated SDK, so names, tokens and types here must stay
// identical to the generated ones. Do not add behaviour here.

// None of the resources or functions in this subset take an object-typed input, so the generated module has no
// members either (only the namespace imports every generated module carries).
export {};
