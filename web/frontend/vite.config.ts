import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The console and the demo storefront: two HTML pages whose assets are served by the aiohttp app
// under /static/dist/. The widget is built separately (vite.widget.config.ts) as one classic
// script, because a storefront embeds it with a plain <script> tag.
export default defineConfig({
  base: "/static/dist/",
  build: {
    outDir: here("./../static/dist"),
    emptyOutDir: true,
    target: "es2020",
    sourcemap: true,
    rollupOptions: {
      input: {
        console: here("./console.html"),
        shop: here("./shop.html"),
      },
    },
  },
});
