import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `npm run dev -w server` listens here; the console talks to it on the same origin through the proxy.
const server = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': server,
      '/docs': server,
      '/socket.io': { target: server, ws: true },
    },
  },
});
