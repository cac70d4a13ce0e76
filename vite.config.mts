import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built to dist/renderer and loaded from file:// in Electron and from the
// loopback server in browser mode, so asset URLs are relative.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // The budget that matters is gzip size, measured by `npm run bench` (≤ 350 KB).
    chunkSizeWarningLimit: 1024,
  },
});
