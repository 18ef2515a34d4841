import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web apps are served by Ordo itself under /app (src/http/web-app.ts); `npm run dev:web` serves them
// with hot reload and sends API calls to an Ordo started with `npm start` on port 3000.
export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2_000 },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
