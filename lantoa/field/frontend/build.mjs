// Builds the field app (npm run build; `make setup` runs it): esbuild bundles src/app.js with idb into one
// script, and the QR decoder (jsQR) into a chunk loaded only when needed; src/background.js (the service worker's
// sending) into a classic script of its own. Output: static/field/dist/ (git-ignored),
// with build.json telling lantoa/field/views.py which files the service worker precaches.
import { build } from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "..", "static", "field", "dist");
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
  entryPoints: [join(here, "src", "app.js")],
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: "es2020",
  outdir,
  entryNames: "[name]",
  chunkNames: "[name]-[hash]",
  metafile: true,
  legalComments: "eof",
  logLevel: "warning",
});

// The service worker's half of sending (src/background.js): one classic script, for importScripts in sw.js.
await build({
  entryPoints: [join(here, "src", "background.js")],
  bundle: true,
  format: "iife",
  minify: true,
  target: "es2020",
  outdir,
  entryNames: "[name]",
  legalComments: "eof",
  logLevel: "warning",
});

// The entry, the chunks it imports statically (precached) and those only imported dynamically (fetched on use).
const outputs = result.metafile.outputs;
const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint);
const eager = new Set();
const walk = (file) => {
  for (const imp of outputs[file].imports) {
    if (imp.kind === "import-statement" && !eager.has(imp.path)) {
      eager.add(imp.path);
      walk(imp.path);
    }
  }
};
walk(entry);
const all = Object.keys(outputs).filter((file) => file.endsWith(".js"));
const info = {
  entry: basename(entry),
  chunks: [...eager].map((file) => basename(file)),
  lazy: all.filter((file) => file !== entry && !eager.has(file)).map((file) => basename(file)),
  worker: "background.js",
};
writeFileSync(join(outdir, "build.json"), JSON.stringify(info, null, 1));
console.log(`field app built: ${JSON.stringify(info)}`);
