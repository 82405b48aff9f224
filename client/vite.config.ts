import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// The dashboard (/), the squad leader's phone view (/squad/), the drills (/drills/) and import/export (/imports/) pages, built into client/dist and served by Nest.
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    target: 'es2022',
    emptyOutDir: true,
    rollupOptions: { input: { main: `${root}index.html`, squad: `${root}squad/index.html`, drills: `${root}drills/index.html`, imports: `${root}imports/index.html` } },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/socket.io': { target: 'ws://localhost:3000', ws: true } } },
});
