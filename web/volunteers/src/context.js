// What every screen shares: the login, calls to the volunteers service with the user's token,
// the centres the user may plan for, and the names of people and centres.
import { ApiError, problemOf, send } from "@buurtwerk/kit/api.js";
import { Login } from "@buurtwerk/kit/auth.js";
import { h } from "@buurtwerk/kit/dom.js";
import { language } from "@buurtwerk/kit/i18n.js";
import { t } from "./texts.js";

export const BASE = "/coordinator/";
export const login = new Login({ app: "coordinator", base: BASE });
export const STATUSES = ["applied", "intake", "onboarding", "active", "paused", "left"];
// The pipeline's moves, as the service allows them (volunteers.domain.pipeline).
export const NEXT = {
  applied: ["intake", "left"],
  intake: ["onboarding", "left"],
  onboarding: ["active", "left"],
  active: ["paused", "left"],
  paused: ["active", "left"],
  left: ["applied"],
};

/** The service's answer as JSON; ApiError when it refused (a 401 logs out). */
export async function api(path, { method = "GET", body } = {}) {
  const response = await send(path, { method, body, token: login.token(), timeout: 20000 });
  if (response.status === 401) {
    await login.logout();
    throw new ApiError(401, { detail: t("expired") });
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.json();
}

/** Every item of a listing (at most a few pages of 200). */
export async function all(path, query = {}, method = "GET", body = undefined) {
  const items = [];
  for (let offset = 0; ; offset += 200) {
    const params = new URLSearchParams({ ...clean(query), limit: "200", offset: String(offset) });
    const page = await api(`${path}?${params}`, { method, body });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0 || offset >= 1800) return items;
  }
}

function clean(query) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== "" && v != null));
}

/** The centres the user plans for: those of the token, or every centre for "all". */
export function centres() {
  const known = login.config?.centres ?? [];
  const mine = login.session?.centres ?? [];
  return mine.includes("all") ? known : known.filter((c) => mine.includes(c.id));
}

/** A centre's name in the chosen language. */
export function centreName(id) {
  if (!id) return t("cityWide");
  const centre = login.config?.centres.find((c) => c.id === id);
  return centre ? centre[language()] ?? centre.nl : id;
}

/** Whether the user is an administrator for every centre (who enters the legal caps). */
export const cityWideAdmin = () =>
  login.session?.role === "admin" && login.session.centres.includes("all");

/** A person's name as the list shows it. */
export const fullName = (v) =>
  v.erased || !v.given_name ? `(${t("erased")})` : `${v.given_name} ${v.family_name}`;

/** A select of the user's centres; `any` adds "all centres" as the empty choice. */
export function centreSelect(id, chosen, any = false) {
  return h("select", { id, name: "centre" },
    any ? h("option", { value: "", text: t("allCentres") }) : null,
    centres().map((c) => h("option", { value: c.id, selected: c.id === chosen, text: centreName(c.id) })));
}

/** A labelled field. */
export function field(label, control) {
  return h("div", { class: "field" }, h("label", { for: control.id, text: label }), control);
}

/** The text of an error for the user: the problem's detail (it names the field and why). */
export const reason = (error) => t("error", { reason: error?.message ?? String(error) });

/** Euro typed as "12,50" to cents, or NaN. */
export function cents(text) {
  const cleaned = String(text).trim().replace(",", ".");
  return /^\d+(\.\d{1,2})?$/.test(cleaned) ? Math.round(Number(cleaned) * 100) : NaN;
}

/** A screen's heading: the focus moves to it when the screen opens. */
export const heading = (text) => h("h2", { tabindex: "-1", text });

/** A message that is read out when it appears. */
export const statusLine = () => h("p", { role: "status", "aria-live": "polite", class: "note" });

/** Run a write; the status line says it worked or why not. Resolves to the answer or null. */
export async function saving(line, write, done = t("saved")) {
  line.className = "note";
  line.textContent = "";
  try {
    const answer = await write();
    line.className = "banner ok";
    line.textContent = done;
    return answer;
  } catch (error) {
    line.className = "banner error";
    line.textContent = reason(error);
    return null;
  }
}
