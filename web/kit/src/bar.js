// The bar at the top of every app: its name, who is logged in, the other apps their role uses,
// whether the network is there and what waits to be sent, the language switch and the logout.
import { reachable } from "./api.js";
import { roleName } from "./auth.js";
import { ask } from "./dialog.js";
import { h, show } from "./dom.js";
import { languageSwitch, onLanguage, translator } from "./i18n.js";
import { counts } from "./queue.js";

const t = translator({
  nl: {
    online: "Verbonden",
    offline: "Geen verbinding",
    waiting: "{n} niet verzonden",
    waitingOne: "1 niet verzonden",
    refused: "{n} geweigerd",
    logout: "Afmelden",
    logoutTitle: "Afmelden?",
    logoutWaiting: "{n} registraties zijn nog niet verzonden. Ze blijven op dit toestel en worden verzonden zodra iemand zich hier weer aanmeldt.",
    cancel: "Annuleren",
    allCentres: "alle centra",
    apps: "Andere apps",
    app_kitchen: "Keuken",
    app_dashboard: "Indicatoren",
    app_volunteers: "Vrijwilligers",
    app_courses: "Cursussen",
  },
  en: {
    online: "Connected",
    offline: "No connection",
    waiting: "{n} not sent",
    waitingOne: "1 not sent",
    refused: "{n} refused",
    logout: "Log out",
    logoutTitle: "Log out?",
    logoutWaiting: "{n} entries have not been sent yet. They stay on this device and are sent as soon as someone logs in here again.",
    cancel: "Cancel",
    allCentres: "all centres",
    apps: "Other apps",
    app_kitchen: "Kitchen",
    app_dashboard: "Indicators",
    app_volunteers: "Volunteers",
    app_courses: "Courses",
  },
});

/**
 * The bar. `title()` gives the app's name in the chosen language, `centreName(id)` a centre's;
 * `outbox` is the app's outbox, if it has one.
 */
export function appBar({ title, login, outbox = null, centreName = (id) => id }) {
  const heading = h("h1");
  const who = h("span", { class: "who" });
  const status = h("p", { class: "status row", role: "status", "aria-live": "polite" });
  const logout = h("button", { type: "button", class: "secondary", id: "logout" });
  const links = h("nav", { class: "app-links", id: "app-links" });
  const bar = h("header", { class: "app-bar" },
    h("div", { class: "title" }, heading, who),
    links,
    h("div", { class: "tools" }, status, languageSwitch(), logout));
  let entries = [];

  const render = () => {
    heading.textContent = title();
    const session = login.session;
    who.textContent = session
      ? `${roleName(session.role)} · ${session.centres.map((c) => (c === "all" ? t("allCentres") : centreName(c))).join(", ")}`
      : "";
    logout.textContent = t("logout");
    logout.hidden = !session;
    // The other apps this role uses (an admin passes every role check: every app).
    const apps = session
      ? (login.config?.apps ?? []).filter((a) => session.role === "admin" || a.roles.includes(session.role))
      : [];
    links.setAttribute("aria-label", t("apps"));
    links.hidden = apps.length === 0;
    show(links, apps.map((a) => h("a", { href: a.url, class: "button", text: t(`app_${a.name}`) })));
    const { waiting, refused } = counts(entries);
    const online = reachable && navigator.onLine;
    show(status,
      h("span", { class: `badge ${online ? "ok" : "warn"}`, id: "network-state", text: t(online ? "online" : "offline") }),
      outbox && waiting
        ? h("span", { class: "badge warn", id: "unsent-count", text: waiting === 1 ? t("waitingOne") : t("waiting", { n: waiting }) })
        : null,
      outbox && refused ? h("span", { class: "badge error", id: "refused-count", text: t("refused", { n: refused }) }) : null);
  };
  const refresh = async () => {
    if (outbox) entries = await outbox.entries();
    render();
  };
  logout.addEventListener("click", async () => {
    const { waiting } = counts(entries);
    if (waiting) {
      const answer = await ask({
        title: t("logoutTitle"),
        content: [h("p", { text: t("logoutWaiting", { n: waiting }) })],
        actions: [{ label: t("cancel"), value: "" }, { label: t("logout"), value: "yes", primary: true }],
      });
      if (answer !== "yes") return;
    }
    await login.logout();
  });
  // The app says so when the names it shows (centres) are known.
  bar.addEventListener("refresh", render);
  outbox?.subscribe(refresh);
  login.onChange(render);
  onLanguage(render);
  addEventListener("online", render);
  addEventListener("offline", render);
  addEventListener("buurtwerk:network", render);
  refresh();
  return bar;
}
