// The program `npm run bench` evaluates for its registration floor (scripts/lib/registrationFloor.ts).
import { registerFloor } from "./registrationFloor";

registerFloor();
