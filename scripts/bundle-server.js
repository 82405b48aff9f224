// Bundles the compiled server (tsc's dist/main.js and everything it imports) into dist/main.js and its
// chunks dist/bundle-*.js: a start then reads a few files instead of resolving and compiling some two
// thousand modules one by one, which was most of a cold start's main-thread time before /health.
// Runs after tsc (npm run build:server); the rest of dist/ (the CLI, the migrations) stays as tsc wrote it.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

// Left to Node at run time, each for a reason:
//  - @electric-sql/pglite finds its .wasm and .data files next to its own module;
//  - argon2 is a native addon;
//  - typeorm, class-validator, class-transformer and pg are also loaded by name at run time (by
//    @nestjs/typeorm, @nestjs/mapped-types and typeorm's driver loader): bundled, they would be two
//    copies, each with its own metadata.
const EXTERNAL = /^(@electric-sql\/pglite|argon2|typeorm|class-validator|class-transformer|pg)(\/|$)/;

for (const name of readdirSync(DIST)) {
  if (name.startsWith('bundle-') || name === 'main.js.map') rmSync(path.join(DIST, name));
}
const bundle = await rolldown({
  input: path.join(DIST, 'main.js'),
  platform: 'node',
  external: (id) => id.startsWith('node:') || EXTERNAL.test(id),
  // Optional packages (pg-native, bufferutil, …) stay `require`s inside their libraries' try/catch.
  onLog: (level, log) => {
    if (log.code !== 'UNRESOLVED_IMPORT') console.warn(`bundle-server: ${log.message}`);
  },
});
// Chunks next to main.js, so that paths taken from import.meta.url (the client's dist/) stay right.
await bundle.write({ dir: DIST, format: 'esm', entryFileNames: 'main.js', chunkFileNames: 'bundle-[name]-[hash].js', keepNames: true });
await bundle.close();
