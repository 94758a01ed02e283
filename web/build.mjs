// The web build, run by `make install` (`npm ci && npm run build` in web/): each app is built
// with Vite into the package of the service that serves it (those folders are not in the
// repository), and the kitchen tablet's service worker gets Workbox's precache manifest of the
// files just built (injectManifest). Same sources, same lock file: same files.
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { injectManifest } from "workbox-build";

const WEB = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(WEB);
const WORK = join(WEB, ".build");

const APPS = [
  {
    name: "kitchen",
    base: "/kitchen/",
    out: join(ROOT, "services/meals/meals/kitchen/static"),
    serviceWorker: "src/sw.js",
  },
  {
    name: "dashboard",
    base: "/dashboard/",
    out: join(ROOT, "services/reporting/reporting/dashboard/static"),
  },
  {
    name: "courses",
    base: "/coordinator/",
    out: join(ROOT, "services/courses/courses/coordinator/static"),
  },
  {
    name: "volunteers",
    base: "/coordinator/",
    out: join(ROOT, "services/volunteers/volunteers/coordinator/static"),
  },
];

async function buildApp(app) {
  const root = join(WEB, app.name);
  await build({
    configFile: false,
    logLevel: "warn",
    root,
    base: app.base,
    build: {
      outDir: app.out,
      emptyOutDir: true,
      // No data: URLs and no inline script: the pages run under `default-src 'self'`.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      target: "es2022",
    },
  });
  if (!app.serviceWorker) return;
  const workDir = join(WORK, app.name);
  await build({
    configFile: false,
    logLevel: "warn",
    root,
    // Workbox's modules log in development builds only.
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    build: {
      outDir: workDir,
      emptyOutDir: true,
      target: "es2022",
      lib: {
        entry: join(root, app.serviceWorker),
        formats: ["iife"],
        name: "serviceWorker",
        fileName: () => "sw.js",
      },
    },
  });
  const { count, size, warnings } = await injectManifest({
    swSrc: join(workDir, "sw.js"),
    swDest: join(app.out, "sw.js"),
    globDirectory: app.out,
    globPatterns: ["**/*.{html,js,css,png,svg,webmanifest}"],
    globIgnores: ["sw.js"],
    modifyURLPrefix: { "": app.base },
  });
  for (const warning of warnings) console.warn(warning);
  console.log(`${app.name}: ${count} files precached (${Math.round(size / 1024)} KiB)`);
}

for (const app of APPS) {
  await buildApp(app);
  console.log(`${app.name}: built into ${app.out}`);
}
await rm(WORK, { recursive: true, force: true });
