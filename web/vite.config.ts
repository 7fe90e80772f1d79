// The web app's build (Vite 8 + Preact). `npm run build`/`npm start` build it into web/dist/
// (scripts/build-web.mjs), which the service serves at `/`; `npm run dev` runs Vite's dev
// server with hot reload, proxying /api and /documentation to the API (scripts/dev.mjs).
import { defineConfig } from 'vite'

const API = process.env.API_URL ?? 'http://127.0.0.1:3001'

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  // Preact's automatic JSX runtime (no React, no preset plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // No inline data: scripts or styles; the CSP allows only files from the service itself.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: API },
      '/documentation': { target: API }
    }
  }
})
