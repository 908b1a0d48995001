/**
 * homelab-sso: the homelab's single-sign-on stack in one Pulumi program.
 *
 * Reads and validates the stack configuration (stacks/config.ts) before any resource exists, then
 * composes the components. Exports are the stable interface other stacks read (stacks/outputs.ts).
 */
import { AuthentikPlatform } from "./components/authentik/platform";
import { loadStackConfig } from "./stacks/config";

const { config } = loadStackConfig();

const platform = new AuthentikPlatform("authentik", {
    authentik: config.authentik,
    secrets: config.secrets,
});

export const authentik = {
    namespace: platform.namespace,
    releaseName: platform.releaseName,
    serverServiceName: platform.serverServiceName,
    inClusterUrl: platform.inClusterUrl,
    publicUrl: platform.publicUrl,
    nodePorts: platform.nodePorts,
};
