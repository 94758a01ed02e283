// The volunteer coordinator's app: the volunteers and their pipeline, the week's shifts with
// their gaps, hours, appreciation and groups. It logs in with the kit's login, like every app;
// the screen is chosen by the address's fragment (`#/shifts`), which never holds a name.
import "@buurtwerk/kit/styles.css";
import "./volunteers.css";
import { appBar } from "@buurtwerk/kit/bar.js";
import { byId as $, focusSoon, h, show } from "@buurtwerk/kit/dom.js";
import { onLanguage } from "@buurtwerk/kit/i18n.js";
import { centreName, login, reason } from "./context.js";
import { t } from "./texts.js";
import { peopleScreen, volunteerScreen } from "./people.js";
import { pipelineScreen } from "./pipeline.js";
import { shiftsScreen } from "./shifts.js";
import { thanksScreen } from "./thanks.js";
import { groupsScreen } from "./groups.js";
import { capsScreen } from "./caps.js";

const SCREENS = {
  people: peopleScreen,
  pipeline: pipelineScreen,
  shifts: shiftsScreen,
  thanks: thanksScreen,
  groups: groupsScreen,
  caps: capsScreen,
};

function route() {
  const [name = "people", id = null] = location.hash.replace(/^#\/?/, "").split("/");
  return { name: name === "volunteer" || SCREENS[name] ? name : "people", id };
}

function tabs(current) {
  show($("tabs"), Object.keys(SCREENS).map((name) =>
    h("a", {
      href: `#/${name}`,
      id: `tab-${name}`,
      "aria-current": name === current || (name === "people" && current === "volunteer") ? "page" : null,
      text: t(name),
    })));
  $("tabs").setAttribute("aria-label", t("tabs"));
  $("tabs").hidden = false;
}

let drawn = null;

async function draw(moveFocus = false) {
  document.title = t("app");
  $("skip").textContent = t("skip");
  const main = $("main");
  if (!login.session) {
    $("tabs").hidden = true;
    login.render(main);
    return;
  }
  const { name, id } = route();
  tabs(name);
  const key = `${name}/${id}`;
  if (drawn !== key) moveFocus = true;
  drawn = key;
  show(main, h("p", { text: t("loading") }));
  try {
    const screen = name === "volunteer" ? volunteerScreen(id) : SCREENS[name]();
    show(main, await screen);
  } catch (error) {
    show(main, h("p", { class: "banner error", role: "alert", text: reason(error) }));
  }
  if (moveFocus) focusSoon(main.querySelector("h2") ?? main);
}

async function start() {
  $("bar").replaceWith(Object.assign(appBar({ title: () => t("app"), login, centreName }), { id: "bar" }));
  try {
    await login.start();
  } catch (error) {
    show($("main"), h("p", { class: "banner error", text: reason(error) }));
    return;
  }
  $("bar").dispatchEvent(new Event("refresh"));
  login.onChange(() => {
    drawn = null;
    draw(true);
  });
  onLanguage(() => draw());
  addEventListener("hashchange", () => draw(true));
  draw(true);
}

start();
