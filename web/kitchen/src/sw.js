// The kitchen tablet's service worker (Workbox): the app's files are precached at install, so
// the app opens without a network; a navigation inside /kitchen/ gets the app's page (also the
// return from the identity provider, whatever its query). Data is not cached here: the app keeps
// its own copy per user (kit/api.js), and its writes wait in the outbox (kit/queue.js).
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";

self.skipWaiting();
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL("/kitchen/index.html"), {
  allowlist: [/^\/kitchen\/(index\.html)?(\?.*)?$/],
}));
