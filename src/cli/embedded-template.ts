// Run by `npm run build:server`: makes the embedded database's template (an initialised, empty data
// folder) for the installed PGlite, unless it is there already. See database/embedded-template.ts.
import { makeEmbeddedTemplate } from '../database/embedded-template.js';

console.log(`Embedded database template: ${(await makeEmbeddedTemplate()).folder}`);
