// Preloaded into the built server (node --import) by test/platform.e2e-spec.ts: on SIGUSR2 it writes
// to $LOADED_PACKAGES_FILE the packages Node has loaded from node_modules by `require`, the way a package
// loaded by name at run time arrives (the bundle's own code never reaches node_modules).
import { renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';

process.on('SIGUSR2', () => {
  const packages = new Set();
  for (const file of Object.keys(Module._cache)) {
    if (!file.includes('/node_modules/')) continue;
    const parts = file.split('/node_modules/').pop().split('/');
    packages.add(parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/'));
  }
  // Written whole, then renamed: the test reads it as soon as it exists.
  const file = process.env.LOADED_PACKAGES_FILE;
  writeFileSync(`${file}.part`, JSON.stringify([...packages].sort()));
  renameSync(`${file}.part`, file);
});
