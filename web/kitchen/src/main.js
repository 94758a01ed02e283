// The kitchen tablet: log in, then the till (#kassa) or the HACCP log (#haccp). The service
// worker keeps the app on the device; the outbox keeps what was registered until it is sent.
import "@buurtwerk/kit/styles.css";
import "./kitchen.css";
import { Workbox } from "workbox-window";
import { Login } from "@buurtwerk/kit/auth.js";
import { appBar } from "@buurtwerk/kit/bar.js";
import { byId, h, show } from "@buurtwerk/kit/dom.js";
import { onLanguage } from "@buurtwerk/kit/i18n.js";
import { Outbox } from "@buurtwerk/kit/queue.js";
import { Haccp } from "./haccp.js";
import { Place } from "./place.js";
import { t } from "./texts.js";
import { Till } from "./till.js";

const BASE = "/kitchen/";

if ("serviceWorker" in navigator) {
  const worker = new Workbox(`${BASE}sw.js`, { scope: BASE });
  worker.addEventListener("installed", (event) => {
    if (event.isUpdate) banner("update", t("update"), "ok");
  });
  worker.register();
}

const login = new Login({ app: "kitchen", base: BASE });
const outbox = new Outbox({
  app: "kitchen",
  session: () => login.session,
  onUnauthorized: () => login.renew(),
});
const place = new Place(login);
const app = {
  login,
  outbox,
  place,
  // A refused token is renewed (the outbox waits meanwhile); anything else is said.
  report: (error) => (error.status === 401
    ? login.renew()
    : banner("error", t("error", { reason: error.message }), "error")),
};
const screens = { till: new Till(app), haccp: new Haccp(app) };
let current = null;

function banner(id, text, kind = "") {
  const existing = byId(`banner-${id}`);
  const node = h("p", { class: `banner ${kind}`, id: `banner-${id}`, role: "status" }, text);
  if (existing) existing.replaceWith(node);
  else byId("banners").append(node);
  return node;
}

function clearBanner(id) {
  byId(`banner-${id}`)?.remove();
}

// An expired login does not stop the tablet: what is registered waits on the device.
function showExpired() {
  if (!login.expired) {
    clearBanner("expired");
    return;
  }
  const again = h("button", { type: "button", class: "secondary", text: t("loginAgain") });
  again.addEventListener("click", () => login.relogin());
  banner("expired", [t("expired"), " ", again], "error");
}

function chrome() {
  document.title = t("app");
  byId("skip").textContent = t("skip");
  byId("tabs").setAttribute("aria-label", t("tabs"));
  byId("tab-till").textContent = t("till");
  byId("tab-haccp").textContent = t("haccp");
}

function centreChoice() {
  const allowed = place.allowed();
  if (allowed.length < 2) return null;
  const select = h("select", { id: "centre-choice", "aria-label": t("centre") },
    allowed.map((c) => h("option", { value: c.centre_id, selected: c.centre_id === place.centre()?.centre_id,
      text: place.centreName(c.centre_id) })));
  select.addEventListener("change", () => {
    place.choose(select.value);
    route();
  });
  return h("div", { class: "centre-choice no-print" }, select);
}

async function route() {
  const name = location.hash === "#haccp" ? "haccp" : "till";
  current?.unmount();
  current = screens[name];
  for (const [tab, id] of [["till", "tab-till"], ["haccp", "tab-haccp"]]) {
    if (tab === name) byId(id).setAttribute("aria-current", "page");
    else byId(id).removeAttribute("aria-current");
  }
  const main = byId("main");
  const holder = h("div");
  show(main, centreChoice(), holder);
  await current.mount(holder);
}

async function started(session) {
  if (!session) {
    byId("tabs").hidden = true;
    current?.unmount();
    current = null;
    login.render(byId("main"));
    return;
  }
  byId("tabs").hidden = false;
  try {
    await place.load();
    document.querySelector(".app-bar")?.dispatchEvent(new Event("refresh"));
  } catch (error) {
    show(byId("main"), h("p", { class: "banner error", text: t("noData") }));
    return;
  }
  await route();
  outbox.kick();
}

async function start() {
  chrome();
  byId("bar").replaceWith(appBar({ title: () => t("app"), login, outbox, centreName: (id) => place.centreName(id) }));
  onLanguage(() => {
    chrome();
    if (current) route();
  });
  addEventListener("hashchange", () => login.session && route());
  // A keyboard-wedge scanner at the till types wherever the focus is.
  document.addEventListener("keydown", (event) => screens.till.takeScannedDigit(event));
  login.onPerson(
    (session) => {
      showExpired();
      started(session);
    },
    () => {
      // The same person's renewed (or expired) token: send what waits, if it can be.
      showExpired();
      outbox.kick();
    },
  );
  try {
    const session = await login.start();
    if (!session) started(null);
  } catch (error) {
    show(byId("main"), h("p", { class: "banner error", text: t("error", { reason: error.message }) }));
  }
}

start();
