/**
 * Authentik returns the scope mappings' UUIDs in its own order; every provider lists them sorted, so a
 * different answer order never shows as a diff in `pulumi preview`.
 */
import { expect } from "chai";
import { committedStack } from "../../support/stacks";

describe("OAuth2 providers' scope mappings", () => {
    for (const stack of ["prod", "dev"]) {
        it(`${stack}: lists the openid, email and profile mappings sorted, whatever order the lookup answers in`, async () => {
            const providers = (await committedStack(stack)).resources.filter((r) => r.type === "authentik:index/providerOauth2:ProviderOauth2");
            expect(providers).to.not.be.empty;
            for (const provider of providers) {
                // The mock answers in the order asked (openid, email, profile): sorted differs from it.
                expect(provider.inputs.propertyMappings, provider.name).to.deep.equal([
                    "<scope-mapping goauthentik.io/providers/oauth2/scope-email>",
                    "<scope-mapping goauthentik.io/providers/oauth2/scope-openid>",
                    "<scope-mapping goauthentik.io/providers/oauth2/scope-profile>",
                ]);
            }
        });
    }
});
