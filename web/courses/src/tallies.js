// The day's tallies as quick counters: computer-corner visits and welcome-desk contacts per
// subject. Each tap is one addition sent through the kit's outbox, so a tap without a network
// waits on the device and is counted once when it is sent.
import { h, show } from "@buurtwerk/kit/dom.js";
import { todayInBrussels } from "@buurtwerk/kit/i18n.js";
import { field } from "./context.js";
import { t } from "./texts.js";

export class Tallies {
  constructor(app) {
    this.app = app;
    this.day = todayInBrussels();
    this.unsubscribe = null;
  }

  async mount(main) {
    this.main = main;
    this.unsubscribe = this.app.outbox.subscribe(() => this.render());
    await this.load();
  }

  unmount() {
    this.unsubscribe?.();
  }

  async load() {
    const centre = this.app.centre();
    const range = `centre_id=${centre}&from=${this.day}&to=${this.day}&limit=200`;
    const [visits, desk] = await Promise.all([
      this.app.get(`/computer-corner-visits?${range}`),
      this.app.get(`/desk-contacts?${range}`),
    ]);
    this.centre = centre;
    this.loadedAt = Date.now();
    this.totals = new Map([["computer", visits.items[0]?.visits ?? 0],
      ...desk.items.map((d) => [d.category, d.count])]);
    await this.render();
  }

  // Taps not yet in the totals read: those waiting, and those answered after the read left.
  async pending(key) {
    const entries = await this.app.outbox.entries();
    return entries.filter((e) => e.meta.tally === key && e.meta.day === this.day && e.meta.centre === this.centre
      && (e.state !== "sent" || e.ackedAt > this.loadedAt)).length;
  }

  async counter(key, label, path, body) {
    const value = (this.totals.get(key) ?? 0) + (await this.pending(key));
    const button = h("button", { type: "button", class: "tally", id: `tally-${key}` },
      h("span", { class: "tally-label", text: label }),
      h("span", { class: "tally-value", text: String(value) }),
      h("span", { class: "tally-add", text: "+1" }));
    button.addEventListener("click", async () => {
      await this.app.outbox.add({ path, body, meta: { tally: key, day: this.day, centre: this.centre } });
      this.app.outbox.kick();
    });
    return h("li", {}, button);
  }

  async render() {
    if (!this.totals) return;
    const base = (kind) => `/${kind}/${this.centre}/${this.day}`;
    const date = h("input", { type: "date", value: this.day, max: todayInBrussels() });
    date.addEventListener("change", () => {
      if (!date.value) return;
      this.day = date.value;
      this.load().catch((error) => this.app.fail(error));
    });
    const desk = await Promise.all(this.app.codes.desk_categories.map((c) =>
      this.counter(c.id, this.app.label("desk_categories", c.id), `${base("desk-contacts")}/${c.id}/add`, { count: 1 })));
    // The page is drawn again on every tap: the focus stays where it was.
    const focused = document.activeElement?.id;
    const waiting = (await this.app.outbox.entries()).filter((e) => e.state === "waiting" || e.state === "sending").length;
    show(this.main,
      h("h2", { text: t("talliesTitle") }),
      h("p", { class: "note", text: t("talliesNote") }),
      h("div", { class: "row" }, field("tally-day", t("today"), date),
        waiting ? h("span", { class: "badge warn", text: t("unsent", { n: waiting }) }) : null),
      h("section", { "aria-labelledby": "computer-title", class: "stack tally-section" },
        h("h3", { id: "computer-title", text: t("computerCorner") }),
        h("ul", { class: "plain tallies" }, await this.counter("computer", t("visits"), `${base("computer-corner-visits")}/add`, { visits: 1 }))),
      h("section", { "aria-labelledby": "desk-title", class: "stack tally-section" },
        h("h3", { id: "desk-title", text: t("desk") }),
        h("ul", { class: "plain tallies" }, desk)));
    if (focused) document.getElementById(focused)?.focus();
  }
}
