/**
 * Test program: another stack reading one client secret of a homelab-sso stack (the secret output
 * `oidcClientSecrets`) with `readHomelabSsoClientSecret`. Config (namespace `test`): `ssoStack`, `service`.
 */
import * as pulumi from "@pulumi/pulumi";
import { readHomelabSsoClientSecret } from "../../../stacks/outputs";

const config = new pulumi.Config("test");
export const clientSecret = readHomelabSsoClientSecret(new pulumi.StackReference("sso", { name: config.require("ssoStack") }), config.require("service"));
