/**
 * The e2e's entry program (its own Pulumi.yaml `main`): it registers the e2e's stack transforms
 * (transforms.ts), then loads the project's own program unchanged. Nothing in the stacks users run changes.
 */
import * as path from "path";
import { registerE2eTransforms } from "./transforms";

registerE2eTransforms();

// Loaded only now, so that every resource it registers passes through the transforms above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require(path.join(__dirname, "..", "..", "index"));
