import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The UI is served from the binary (Tauri's custom protocol); nothing is loaded from the network.
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: 'safari13',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
})
