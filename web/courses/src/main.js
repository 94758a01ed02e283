// The course coordinator's app: log in, then the activities (#activiteiten, one activity at
// #activiteit/<id>, a session's register at #sessie/<id>), the day's tallies (#tellingen) and
// the youth referrals (#doorverwijzingen). Ids in the address, never names.
import "@buurtwerk/kit/styles.css";
import "./courses.css";
import { Login } from "@buurtwerk/kit/auth.js";
import { appBar } from "@buurtwerk/kit/bar.js";
import { byId, h, show } from "@buurtwerk/kit/dom.js";
import { onLanguage } from "@buurtwerk/kit/i18n.js";
import { Outbox } from "@buurtwerk/kit/queue.js";
import { activityList, activityPage } from "./activities.js";
import { Context } from "./context.js";
import { referralsPage } from "./referrals.js";
import { registerPage } from "./register.js";
import { Tallies } from "./tallies.js";
import { t } from "./texts.js";

const BASE = "/coordinator/";
const login = new Login({ app: "coordinator", base: BASE });
const app = new Context(login, BASE);
app.outbox = new Outbox({ app: "coordinator", session: () => login.session, onUnauthorized: () => login.renew() });
const tallies = new Tallies(app);
let pendingMessage = null;
let mounted = null;

/** Go to a screen and say something there. */
app.go = (hash, message) => {
  pendingMessage = message;
  if (location.hash === hash) route();
  else location.hash = hash;
};

const TABS = [["activities", "tab-activities"], ["tallies", "tab-tallies"], ["referrals", "tab-referrals"]];

function chrome() {
  document.title = t("app");
  byId("skip").textContent = t("skip");
  byId("tabs").setAttribute("aria-label", t("tabs"));
  for (const [key, id] of TABS) byId(id).textContent = t(key);
}

function centreChoice() {
  const centres = app.centres();
  if (centres.length < 2) return null;
  const select = h("select", { id: "centre-choice" },
    centres.map((c) => h("option", { value: c.id, selected: c.id === app.centre(), text: app.label("centres", c.id) })));
  select.addEventListener("change", () => {
    app.choose(select.value);
    if (location.hash.startsWith("#activiteit/") || location.hash.startsWith("#sessie/")) location.hash = "#activiteiten";
    else route();
  });
  return h("div", { class: "field inline centre-choice" }, h("label", { for: "centre-choice", text: t("centre") }), select);
}

async function route() {
  const [screen, id] = location.hash.slice(1).split("/");
  const tab = screen === "tellingen" ? "tallies" : screen === "doorverwijzingen" ? "referrals" : "activities";
  for (const [key, tabId] of TABS) {
    if (key === tab) byId(tabId).setAttribute("aria-current", "page");
    else byId(tabId).removeAttribute("aria-current");
  }
  mounted?.unmount();
  mounted = null;
  app.clear();
  const holder = h("div");
  show(byId("main"), centreChoice(), holder);
  try {
    if (screen === "activiteit" && id) await activityPage(app, holder, id);
    else if (screen === "sessie" && id) await registerPage(app, holder, id);
    else if (screen === "tellingen") {
      mounted = tallies;
      await tallies.mount(holder);
    } else if (screen === "doorverwijzingen") await referralsPage(app, holder);
    else await activityList(app, holder);
  } catch (error) {
    app.fail(error);
  }
  if (pendingMessage) app.say(pendingMessage);
  pendingMessage = null;
}

async function started(session) {
  if (!session) {
    byId("tabs").hidden = true;
    login.render(byId("main"));
    return;
  }
  byId("tabs").hidden = false;
  try {
    await app.load();
    document.querySelector(".app-bar")?.dispatchEvent(new Event("refresh"));
  } catch {
    show(byId("main"), h("p", { class: "banner error", text: t("noData") }));
    return;
  }
  await route();
  app.outbox.kick();
}

async function start() {
  chrome();
  byId("bar").replaceWith(appBar({ title: () => t("app"), login, outbox: app.outbox, centreName: (id) => app.label("centres", id) }));
  onLanguage(() => {
    chrome();
    if (login.session) route();
  });
  addEventListener("hashchange", () => login.session && route());
  login.onPerson(started, () => app.outbox.kick());
  try {
    const session = await login.start();
    if (!session) started(null);
  } catch (error) {
    show(byId("main"), h("p", { class: "banner error", text: t("error", { reason: error.message }) }));
  }
}

start();
