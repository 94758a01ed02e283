// What every screen of the app uses: the service's API with the user's token, the code lists
// with their labels, the centre being planned, participants' names, and messages on the page.
import { ApiError, getJson, problemOf, send } from "@buurtwerk/kit/api.js";
import { byId, h } from "@buurtwerk/kit/dom.js";
import { language } from "@buurtwerk/kit/i18n.js";
import { t } from "./texts.js";

const CENTRE_KEY = "buurtwerk.courses.centre";

export class Context {
  constructor(login, base) {
    this.login = login;
    this.base = base;
    this.codes = null;
  }

  /** The code lists (partners, target groups, age bands, desk categories, neighbourhoods). */
  async load() {
    this.codes = await getJson(`${this.base}reference.json`);
  }

  /** JSON read from the service. */
  async get(path) {
    return this.answer(await send(path, { token: this.login.token(), timeout: 15000 }));
  }

  /** A write, sent once (the key makes a resend count once); its JSON answer. */
  async write(method, path, body) {
    const response = await send(path, {
      method,
      body,
      token: this.login.token(),
      timeout: 15000,
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    return this.answer(response);
  }

  async answer(response) {
    if (response.status === 401) this.login.renew();
    if (!response.ok) throw new ApiError(response.status, await problemOf(response));
    return response.json();
  }

  /** The centres the user may plan: {id, nl, en}. */
  centres() {
    const all = this.login.config?.centres ?? [];
    const mine = this.login.session?.centres ?? [];
    return mine.includes("all") ? all : all.filter((c) => mine.includes(c.id));
  }

  /** The centre being planned (remembered on this device). */
  centre() {
    const centres = this.centres();
    const kept = localStorage.getItem(CENTRE_KEY);
    return centres.find((c) => c.id === kept)?.id ?? centres[0]?.id ?? null;
  }

  choose(id) {
    localStorage.setItem(CENTRE_KEY, id);
  }

  /** The label of a code in the chosen language. */
  label(list, id) {
    const entry = (list === "centres" ? this.login.config?.centres : this.codes?.[list])?.find((e) => e.id === id);
    if (!entry) return id ?? t("none");
    return language() === "en" ? entry.en : entry.nl;
  }

  /**
   * Participants' names by id, from the service that keeps them: the centre's list first, one
   * (audited) read each for anyone registered elsewhere.
   */
  async names(ids, centre = this.centre()) {
    const wanted = new Set(ids);
    const names = new Map();
    const add = (p) => names.set(p.participant_id, p.given_name
      ? [p.given_name, p.family_name].filter(Boolean).join(" ")
      : t("erased"));
    if (!wanted.size) return names;
    const listed = await this.get(`/participants?centre_id=${centre}&limit=200`);
    listed.items.filter((p) => wanted.has(p.participant_id)).forEach(add);
    const missing = [...wanted].filter((id) => !names.has(id));
    (await Promise.all(missing.map((id) => this.get(`/participants/${id}`)))).forEach(add);
    return names;
  }

  /** Say something on the page (a status the screen reader reads). */
  say(text, kind = "ok") {
    byId("banners").replaceChildren(h("p", { class: `banner ${kind}`, id: "message", text }));
  }

  /** Say why something failed, in the words of the service. */
  fail(error) {
    const fields = error.problem?.errors?.map((e) => e.reason).join("; ");
    this.say(error instanceof ApiError ? t("error", { reason: fields || error.message }) : t("offline"), "error");
  }

  clear() {
    byId("banners").replaceChildren();
  }
}

/** A labelled form field: the label, then the control (given its id). */
export function field(id, label, control, note = null) {
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id, text: label }), control,
    note ? h("p", { class: "note", text: note }) : null);
}

/** A <select> of codes with labels, one chosen. */
export function choice(options, chosen, { empty = null } = {}) {
  return h("select", {},
    empty === null ? null : h("option", { value: "", text: empty, selected: !chosen }),
    options.map(([value, text]) => h("option", { value, text, selected: value === chosen })));
}
