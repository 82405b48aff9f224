// Once per `jest` run: each test app on the embedded database loads the build's template, an
// initialised, empty data folder (~0.6 s), instead of running initdb again (~2–3 s). `npm test`
// builds first; the template is made here when it is missing. Tests on a server skip it.
import { makeEmbeddedTemplate } from '../dist/database/embedded-template.js';

export default async function globalSetup() {
  // Test apps on a server (TEST_DATABASE_URL) make their own databases there and need no template.
  if (!process.env.TEST_DATABASE_URL) process.env.PGLITE_TEMPLATE = (await makeEmbeddedTemplate()).tarball;
}
