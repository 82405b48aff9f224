import { defineConfig, type Plugin, type Rolldown } from 'vite';

type OutputChunk = Rolldown.OutputChunk;
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Writes squad/sw.js, the phone view's service worker (client/squad-sw.js), with the list of files
 * its page needs — the HTML plus the hashed JS and CSS of the squad entry and everything it imports —
 * so the worker keeps them all when it installs and /squad/ opens without network.
 */
function squadServiceWorker(): Plugin {
  return {
    name: 'pingji-squad-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((f): f is OutputChunk => f.type === 'chunk');
      const entry = chunks.find((c) => c.isEntry && c.facadeModuleId?.replace(/\\/g, '/').endsWith('/squad/index.html'));
      if (!entry) throw new Error('squad service worker: no squad entry in the bundle');
      const files = new Set<string>();
      // A chunk of nothing but CSS (phone.css, shared by /squad/ and /site/) is dropped by Vite once its
      // CSS is out: keep its CSS, never its JS file (one missing file fails the worker's whole install).
      const pureCss = (chunk: OutputChunk) =>
        !chunk.isEntry && chunk.moduleIds.length > 0 && chunk.moduleIds.every((id) => /\.(css|less|sass|scss|styl|stylus|pcss|postcss|sss)(\?|$)/.test(id));
      const seen = new Set<string>();
      const visit = (chunk: OutputChunk) => {
        if (seen.has(chunk.fileName)) return;
        seen.add(chunk.fileName);
        if (!pureCss(chunk)) files.add(chunk.fileName);
        const meta = (chunk as OutputChunk & { viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } }).viteMetadata;
        meta?.importedCss.forEach((f: string) => files.add(f));
        meta?.importedAssets.forEach((f: string) => files.add(f));
        for (const name of chunk.imports) {
          const next = bundle[name];
          if (next?.type === 'chunk') visit(next);
        }
      };
      visit(entry);
      const shell = ['/squad/', ...[...files].sort().map((f) => `/${f}`)];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(`${root}squad-sw.js`, 'utf8')
        .replace(/\/\* SHELL \*\/ \[[^\]]*\]/, JSON.stringify(shell))
        .replace("const VERSION = 'dev'", `const VERSION = '${version}'`);
      this.emitFile({ type: 'asset', fileName: 'squad/sw.js', source });
    },
  };
}

// The dashboard (/), the squad leader's phone view (/squad/), the site manager's (/site/), the drills (/drills/) and import/export (/imports/) pages, built into client/dist and served by Nest.
export default defineConfig({
  root,
  base: '/',
  plugins: [squadServiceWorker()],
  build: {
    outDir: 'dist',
    target: 'es2022',
    emptyOutDir: true,
    rollupOptions: { input: { main: `${root}index.html`, squad: `${root}squad/index.html`, drills: `${root}drills/index.html`, imports: `${root}imports/index.html`, site: `${root}site/index.html` } },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'ws://localhost:3000', ws: true } } },
});
