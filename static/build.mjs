/**
 * Builds the front-end assets that Django serves from `build/`.
 *
 * 1. Compiles `static/scss/app.scss` (our council-branded GOV.UK Frontend
 *    styles) to `build/css/app.css`, compressed and without a source map.
 * 2. Copies GOV.UK Frontend's images and its ES module JavaScript into
 *    `build/govuk/`, where `static/js/app.mjs` and the compiled CSS expect them.
 *
 * Run with `npm run build`. The output is never committed.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const build = join(root, "build");

// Start from a clean folder so files removed upstream do not linger.
rmSync(build, { recursive: true, force: true });

// Styles. `quietDeps` silences deprecation warnings raised inside
// govuk-frontend itself; warnings from our own Sass still show.
const result = sass.compile(join(root, "static", "scss", "app.scss"), {
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  loadPaths: [join(root, "node_modules")],
});
mkdirSync(join(build, "css"), { recursive: true });
writeFileSync(join(build, "css", "app.css"), result.css);

// GOV.UK Frontend's assets (images, web manifest) and its JavaScript. The
// GDS Transport fonts are left out: their licence covers GOV.UK only, and our
// styles use Arial, so nothing refers to them.
const assets = join(govuk, "assets");
const isFont = (path) => relative(assets, path).split(sep)[0] === "fonts";
mkdirSync(join(build, "govuk"), { recursive: true });
cpSync(assets, join(build, "govuk", "assets"), {
  recursive: true,
  filter: (path) => !isFont(path),
});
cpSync(join(govuk, "govuk-frontend.min.js"), join(build, "govuk", "govuk-frontend.min.js"));

console.log("Built build/css/app.css and copied GOV.UK Frontend into build/govuk/.");
