// Bundles the compiled server (tsc's dist/main.js and everything it imports) into dist/main.js and its
// chunks dist/bundle-*.js: a start then reads a few files instead of resolving and compiling some two
// thousand modules one by one, which was most of a cold start's main-thread time before /health.
// Runs after tsc (npm run build:server); the rest of dist/ (the CLI, the migrations) stays as tsc wrote it.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

// Left to Node at run time: @electric-sql/pglite finds its .wasm and .data files next to its own
// module, and argon2 is a native addon.
const EXTERNAL = /^(@electric-sql\/pglite|argon2)(\/|$)/;

// Files that load a package by name at run time, through createRequire: the bundler cannot see those
// loads, and Node would load a second copy from node_modules, with metadata of its own (class-validator's
// rules, TypeORM's entities). Their `require` is replaced by one that hands out the bundle's copies.
// (TypeORM's own driver loader is not among them: the data-source options pass it `pg`.)
const LOADED_BY_NAME = {
  '@nestjs/typeorm/dist/common/typeorm-compat.js': ['typeorm'],
  '@nestjs/mapped-types/dist/type-helpers.utils.js': ['class-validator', 'class-transformer', 'class-transformer/cjs/storage'],
};
const CREATE_REQUIRE = 'const require = createRequire(import.meta.url);';

/** The rolldown plugin for LOADED_BY_NAME; the build fails if a listed file no longer has its createRequire. */
const bundledRequire = {
  name: 'bundled-require',
  transform(code, id) {
    const file = Object.keys(LOADED_BY_NAME).find((f) => id.replaceAll('\\', '/').endsWith(`/node_modules/${f}`));
    if (!file) return null;
    if (!code.includes(CREATE_REQUIRE)) throw new Error(`bundle-server: ${file} no longer has "${CREATE_REQUIRE}"`);
    const names = LOADED_BY_NAME[file];
    const imports = names.map((n, i) => `import * as byName${i} from '${n}';`).join('\n');
    const table = names.map((n, i) => `'${n}': byName${i}`).join(', ');
    const lookup = `const require = (name) => { const m = ({ ${table} })[name]; if (!m) throw new Error('not in the bundle: ' + name); return m; };`;
    return { code: `${imports}\n${code.replace(CREATE_REQUIRE, lookup)}`, map: null };
  },
};

for (const name of readdirSync(DIST)) {
  if (name.startsWith('bundle-') || name === 'main.js.map') rmSync(path.join(DIST, name));
}
const bundle = await rolldown({
  input: path.join(DIST, 'main.js'),
  platform: 'node',
  external: (id) => id.startsWith('node:') || EXTERNAL.test(id),
  plugins: [bundledRequire],
  // Optional packages (pg-native, bufferutil, …) stay `require`s inside their libraries' try/catch.
  onLog: (level, log) => {
    if (log.code !== 'UNRESOLVED_IMPORT') console.warn(`bundle-server: ${log.message}`);
  },
});
// Chunks next to main.js, so that paths taken from import.meta.url (the client's dist/) stay right.
await bundle.write({ dir: DIST, format: 'esm', entryFileNames: 'main.js', chunkFileNames: 'bundle-[name]-[hash].js', keepNames: true });
await bundle.close();
