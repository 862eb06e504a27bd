// Vite config for the dyad dashboard. `npm run build` writes dist/ (crates/dyad-serve's build
// script passes --outDir into Cargo's OUT_DIR and embeds the result in the binary).
// `npm run dev` serves the sources with live reload and proxies /api to a running `dyad serve`.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  build: {
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/api': process.env.DYAD_API || 'http://127.0.0.1:8080' },
  },
});
