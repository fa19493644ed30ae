import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The widget: a single self-contained classic script (IIFE), styles included, so that one
// <script src=".../widget.js"> tag on any storefront is all it takes.
export default defineConfig({
  build: {
    outDir: here("./../static/dist"),
    emptyOutDir: false,
    target: "es2019",
    sourcemap: true,
    lib: {
      entry: here("./src/widget/main.ts"),
      name: "CarelineWidget",
      formats: ["iife"],
      fileName: () => "widget.js",
    },
  },
});
