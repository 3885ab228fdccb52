import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The UI is served from the app binary (Tauri's custom protocol): relative asset paths,
// no CDN, nothing fetched at run time.
export default defineConfig({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  build: { target: 'safari15', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 600 },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
