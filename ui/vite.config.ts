import { cpSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

/** pdf.js's CJK character maps, standard fonts, image decoders and colour profiles, served from the app
 * itself (`/pdfjs/…`): a Chinese PDF with non-embedded fonts renders without fetching anything. */
function pdfjsAssets(): Plugin {
  const from = (dir: string) => fileURLToPath(new URL(`./node_modules/pdfjs-dist/${dir}`, import.meta.url))
  let outDir = 'dist'
  return {
    name: 'pingshen-pdfjs-assets',
    // Only a build writes them (vitest runs this config too, and closes its bundle into a dummy folder).
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir
    },
    closeBundle() {
      for (const dir of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
        cpSync(from(dir), fileURLToPath(new URL(`./${outDir}/pdfjs/${dir}`, import.meta.url)), { recursive: true })
      }
    },
  }
}

// The UI is served from the binary (Tauri's custom protocol); nothing is loaded from the network.
export default defineConfig({
  plugins: [vue(), pdfjsAssets()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    // WebKitGTK 2.4x and later (Debian 12 ships 2.50); pdf.js needs ES2022.
    target: 'safari16',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
})
