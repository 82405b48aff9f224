// Folder rules from ../shared/ARCHITECTURE.md, checked by `npm run lint` (depcruise).
// Type-only imports count (tsPreCompilationDeps): a type shared the wrong way round is a wrong
// dependency too, even though the compiled JavaScript drops it.

// The folders every feature may use; anything else directly under src/ is a feature (or boot code).
const base = 'src/(common|config|contracts|database)/';
// A feature: any folder under src/ that is neither base, realtime/, nor outside the app (cli/, seed/).
const feature = '^src/(?!(common|config|contracts|database|realtime|cli|seed)/)[^/]+/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No file imports itself through others, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment:
        'Folders under src/ depend on each other one way: if facilities/ imports supplies/, nothing in ' +
        'supplies/ imports facilities/ (no matter through how many folders).',
      scope: 'folder',
      from: { path: '^src/' },
      to: { path: '^src/', circular: true },
    },
    {
      name: 'features-not-realtime',
      severity: 'error',
      comment:
        'Features never import the gateway or anything else in realtime/: they append events and the ' +
        'relay delivers them.',
      from: { path: feature },
      to: { path: '^src/realtime/' },
    },
    {
      name: 'common-config-no-feature',
      severity: 'error',
      comment: 'common/ and config/ sit below every feature: they import each other and contracts/ only.',
      from: { path: '^src/(common|config)/' },
      to: { path: '^src/', pathNot: '^src/(common|config|contracts)/' },
    },
    {
      name: 'database-no-feature',
      severity: 'error',
      comment:
        'database/ (data source, migrations) sits below every feature; the demo seed, which uses them ' +
        'all, lives in seed/.',
      from: { path: '^src/database/' },
      to: { path: '^src/', pathNot: `^${base}` },
    },
    {
      name: 'contracts-self-contained',
      severity: 'error',
      comment: 'contracts/ is what the client compiles against: it imports nothing else from src/.',
      from: { path: '^src/contracts/' },
      to: { path: '^src/', pathNot: '^src/contracts/' },
    },
    {
      name: 'client-only-contracts',
      severity: 'error',
      comment: 'The browser app compiles against the server only through src/contracts/.',
      from: { path: '^client/' },
      to: { path: '^src/', pathNot: '^src/contracts/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import the cruiser cannot resolve would slip past every rule above: fix the path (or the config).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|client/dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
