// The till: today's meal services of the centre; for the chosen one a large button per tariff,
// the count, take-away, the diner card, the reservations to honour, live totals, undo, the
// refused taps with their reason, and at the end the close and the cash report.
//
// Every tap goes to the outbox (stored on the device, its own Idempotency-Key) and shows in the
// totals at once: the totals are the service's last answer plus the taps it cannot have counted
// yet (waiting, or answered after that answer was asked for).
import { cachedJson, NetworkError } from "@buurtwerk/kit/api.js";
import { ask } from "@buurtwerk/kit/dialog.js";
import { h, show } from "@buurtwerk/kit/dom.js";
import { clock, day, euro, todayInBrussels } from "@buurtwerk/kit/i18n.js";
import { refusalCode, refusedSection } from "./refusals.js";
import { t } from "./texts.js";

const SERVICE_KEY = "buurtwerk.kitchen.service";
const REFRESH_MS = 10000;
const RECENT = 8;
const CARD = /^[A-Za-z0-9]{4,32}$/;

/** The taps and undos of one service the last answer cannot hold yet: their effect on it. */
export function pending(entries, serviceId, answeredFrom) {
  const delta = { onSite: 0, takeaway: 0, waiting: 0 };
  for (const entry of entries) {
    const { kind, service, count, takeaway } = entry.meta;
    if (service !== serviceId || (kind !== "tap" && kind !== "undo")) continue;
    const unsent = entry.state === "waiting" || entry.state === "sending";
    if (!unsent && !(entry.state === "sent" && entry.ackedAt >= answeredFrom)) continue;
    const meals = kind === "tap" ? count : -count;
    if (takeaway) delta.takeaway += meals;
    else delta.onSite += meals;
    if (unsent) delta.waiting += meals;
  }
  return delta;
}

export class Till {
  constructor(app) {
    this.app = app;
    this.root = h("section", { class: "till", "aria-labelledby": "till-title" });
    this.services = [];
    this.snapshot = null;
    this.reservations = [];
    this.entries = [];
    this.form = { count: 1, takeaway: false, card: "", reservation: null };
    this.timer = null;
    app.outbox.subscribe(() => this.entriesChanged());
  }

  /** Show the till in `container` and keep it up to date while it is shown. */
  async mount(container) {
    show(container, this.root);
    show(this.root, h("h2", { id: "till-title", text: t("tillTitle") }), h("p", { text: t("loading") }));
    this.entries = await this.app.outbox.entries();
    await this.loadServices();
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (document.visibilityState !== "visible" || !this.root.isConnected) return;
      // A tablet left on overnight: the next day's services.
      if (todayInBrussels() !== this.day) this.loadServices();
      else this.refresh();
    }, REFRESH_MS);
  }

  unmount() {
    clearInterval(this.timer);
  }

  service() {
    return this.snapshot?.data ?? null;
  }

  async loadServices() {
    const centre = this.app.place.centre();
    if (!centre) return this.draw();
    const today = todayInBrussels();
    this.day = today;
    const query = new URLSearchParams({ centre_id: centre.centre_id, date_from: today, date_to: today });
    try {
      const found = await cachedJson(`/services?${query}`, this.app.login.session);
      this.services = found.data.items;
      this.servicesStale = found.stale ? found.fetchedAt : null;
    } catch (error) {
      return this.failed(error);
    }
    const chosen = sessionStorage.getItem(SERVICE_KEY);
    const open = this.services.find((s) => s.status === "planned");
    this.serviceId = (this.services.find((s) => s.service_id === chosen) ?? open ?? this.services[0])?.service_id;
    await this.loadService();
  }

  async loadService() {
    this.snapshot = null;
    this.reservations = [];
    if (this.serviceId) await this.refresh(false);
    this.draw();
  }

  /** Ask the service for the chosen service's totals and reservations again. */
  async refresh(redraw = true) {
    if (!this.serviceId) return;
    const session = this.app.login.session;
    // Answers may arrive out of order: only the latest reading counts.
    const reading = (this.reading ?? 0) + 1;
    this.reading = reading;
    try {
      const query = new URLSearchParams({ service_id: this.serviceId, status: "active", limit: "200" });
      const [snapshot, reservations] = await Promise.all([
        cachedJson(`/services/${this.serviceId}`, session),
        cachedJson(`/reservations?${query}`, session),
      ]);
      if (reading !== this.reading) return;
      this.snapshot = snapshot;
      this.reservations = reservations.data.items;
    } catch (error) {
      if (!(error instanceof NetworkError)) this.app.report(error);
    }
    if (redraw && this.parts) this.update();
  }

  failed(error) {
    show(this.root, h("h2", { id: "till-title", text: t("tillTitle") }),
      h("p", { class: "banner error", text: error instanceof NetworkError ? t("noData") : t("error", { reason: error.message }) }));
  }

  entriesChanged() {
    this.app.outbox.entries().then((entries) => {
      const before = new Map(this.entries.map((e) => [e.key, e.state]));
      const answered = entries.some((e) => e.meta.service === this.serviceId
        && ((e.state === "sent" && e.ackedAt >= (this.snapshot?.startedAt ?? 0))
          || (e.state === "refused" && before.get(e.key) !== "refused")));
      this.entries = entries;
      if (this.parts) this.update();
      // Taps the service just counted or refused: ask for its totals and state again.
      if (answered) this.refreshSoon();
    });
  }

  refreshSoon() {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => this.refresh(), 150);
  }

  /** Whether the till may register for the service now, and if not, why not. */
  closedBecause() {
    const service = this.service();
    if (!service) return "";
    if (service.status === "closed") return t("closedNote");
    if (service.status === "cancelled") return t("cancelledNote");
    if (Date.now() >= Date.parse(service.closes_at)) return t("dayOver", { time: clock(service.closes_at) });
    if (todayInBrussels() < service.date) return t("notYet", { day: day(service.date) });
    if (this.entries.some((e) => e.meta.kind === "close" && e.meta.service === service.service_id && e.state !== "refused")) {
      return t("closeWaiting");
    }
    return "";
  }

  // The screen: drawn once per service, then updated in place (the focus stays where it was).
  draw() {
    const centre = this.app.place.centre();
    const heading = h("h2", { id: "till-title", text: t("tillTitle") });
    if (!centre) return show(this.root, heading);
    if (!this.services.length) {
      this.parts = null;
      return show(this.root, heading, this.staleNote(this.servicesStale),
        h("p", { class: "banner", text: t("noService", { centre: this.app.place.centreName(centre.centre_id) }) }));
    }
    const service = this.service();
    this.parts = {
      state: h("div", { class: "service-state" }),
      choice: h("div", { class: "service-choice" }),
      stale: h("div"),
      tariffs: h("div", { class: "tariffs", role: "group", "aria-labelledby": "tariffs-label" }),
      count: h("input", { id: "count", type: "number", min: "1", max: "500", inputmode: "numeric", value: "1" }),
      takeaway: h("button", { type: "button", id: "takeaway", "aria-pressed": "false", text: t("takeaway") }),
      card: h("input", { id: "diner-card", type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false", maxlength: "64" }),
      cardNote: h("p", { class: "note", id: "card-note", "aria-live": "polite" }),
      reservations: h("div"),
      live: h("p", { class: "live", id: "till-live", role: "status", "aria-live": "polite" }),
      totals: h("dl", { class: "totals", id: "totals" }),
      refused: h("section", { id: "refused", hidden: true }),
      recent: h("section", { class: "recent", "aria-labelledby": "recent-title" }),
      end: h("div", { class: "row no-print" }),
      report: h("section", { class: "cash-report", id: "cash-report", "aria-labelledby": "cash-title", hidden: true }),
    };
    const p = this.parts;
    const less = h("button", { type: "button", class: "secondary step", "aria-label": t("less"), text: "−" });
    const more = h("button", { type: "button", class: "secondary step", "aria-label": t("more"), text: "+" });
    less.addEventListener("click", () => this.setCount(this.form.count - 1));
    more.addEventListener("click", () => this.setCount(this.form.count + 1));
    p.count.addEventListener("change", () => this.setCount(Number(p.count.value)));
    p.takeaway.addEventListener("click", () => this.setTakeaway(!this.form.takeaway));
    p.card.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      this.readCard();
    });
    show(this.root,
      h("div", { class: "spread no-print" }, heading, p.choice),
      p.stale,
      h("div", { class: "till-grid" },
        h("section", { class: "till-input no-print", "aria-label": t("register") },
          p.state,
          h("p", { id: "tariffs-label", class: "group-label", text: t("tariffs") }),
          p.tariffs,
          h("div", { class: "options" },
            h("div", { class: "field" }, h("label", { for: "count", text: t("count") }),
              h("div", { class: "stepper" }, less, p.count, more)),
            h("div", { class: "field" }, h("span", { class: "group-label", "aria-hidden": "true", text: " " }), p.takeaway),
            h("div", { class: "field card" }, h("label", { for: "diner-card", text: t("card") }), p.card, p.cardNote)),
          p.reservations,
          p.live),
        h("div", { class: "till-side" },
          h("section", { class: "totals-panel panel", "aria-labelledby": "totals-title" },
            h("h3", { id: "totals-title", text: t("totals") }), p.totals),
          p.refused,
          p.recent,
          p.end)),
      p.report);
    this.drawTariffs(service);
    this.update();
  }

  staleNote(fetchedAt) {
    return fetchedAt ? h("p", { class: "banner", text: t("staleData", { time: clock(fetchedAt) }) }) : null;
  }

  serviceChoice() {
    if (this.services.length < 2) {
      const only = this.services[0];
      return h("p", { class: "service-name" }, this.serviceLabel(only));
    }
    const select = h("select", { id: "service-choice", "aria-label": t("services") },
      this.services.map((s) => h("option", { value: s.service_id, selected: s.service_id === this.serviceId, text: this.serviceLabel(s) })));
    select.addEventListener("change", async () => {
      this.serviceId = select.value;
      sessionStorage.setItem(SERVICE_KEY, this.serviceId);
      await this.loadService();
    });
    return select;
  }

  serviceLabel(listed) {
    // The service as last read (its state may have changed since the list was read).
    const service = listed.service_id === this.serviceId && this.service() ? this.service() : listed;
    const dish = service.dishes?.[1]?.name ?? service.dishes?.[0]?.name ?? "";
    return `${t("serviceAt", { day: day(service.date), time: service.start_time.slice(0, 5) })} · ${t(`status_${service.status}`)}${dish ? ` · ${dish}` : ""}`;
  }

  drawTariffs(service) {
    const buttons = this.app.place.tariffOrder(Object.keys(service?.prices ?? {})).map((code) => {
      const button = h("button", { type: "button", class: "tariff primary", "data-tariff": code },
        h("span", { class: "tariff-name", text: this.app.place.tariffName(code) }),
        " ",
        h("span", { class: "tariff-price", text: euro(service.prices[code]) }));
      button.addEventListener("click", () => this.tap(code));
      return button;
    });
    show(this.parts.tariffs, buttons);
  }

  setCount(value) {
    this.form.count = Math.min(500, Math.max(1, Number.isFinite(value) ? Math.round(value) : 1));
    this.parts.count.value = String(this.form.count);
  }

  setTakeaway(on) {
    this.form.takeaway = on;
    this.parts.takeaway.setAttribute("aria-pressed", String(on));
  }

  readCard() {
    const value = this.parts.card.value.replace(/[\s.\-/]/g, "");
    if (!value) return;
    if (!CARD.test(value)) {
      this.parts.cardNote.textContent = t("cardInvalid");
      return;
    }
    this.form.card = value;
    this.parts.cardNote.textContent = t("cardReady");
    this.parts.tariffs.querySelector("button")?.focus();
  }

  /** A keyboard-wedge scanner types digits wherever the focus is: they go to the card field. */
  takeScannedDigit(event) {
    if (!this.parts || !this.root.isConnected || !/^\d$/.test(event.key)) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return;
    if (document.querySelector("dialog[open]")) return;
    event.preventDefault();
    this.parts.card.focus();
    this.parts.card.value += event.key;
  }

  /** Numbers shown: the service's last answer, plus the taps it cannot hold yet. */
  totals() {
    const service = this.service();
    const totals = service.totals;
    const delta = pending(this.entries, service.service_id, this.snapshot.startedAt ?? 0);
    const onSite = totals.on_site + delta.onSite;
    const takeaway = totals.takeaway + delta.takeaway;
    return {
      served: onSite + takeaway,
      onSite,
      takeaway,
      free: Math.max(0, totals.free_seats - delta.onSite),
      noShows: totals.no_shows,
      reserved: totals.reserved,
      capacity: service.capacity,
      waiting: delta.waiting,
    };
  }

  update() {
    const p = this.parts;
    const service = this.service();
    show(p.stale, this.staleNote(this.snapshot?.stale ? this.snapshot.fetchedAt : null));
    if (!service) return;
    const closed = this.closedBecause();
    show(p.state, closed
      ? h("p", { class: "banner", text: closed })
      : h("p", { class: "note", text: t("closesAt", { time: clock(service.closes_at) }) }));
    if (!p.choice.contains(document.activeElement)) show(p.choice, this.serviceChoice());
    for (const button of p.tariffs.querySelectorAll("button")) button.disabled = Boolean(closed);
    const n = this.totals();
    const item = (id, label, value, extra = null) =>
      h("div", { class: "total" }, h("dt", { text: label }), h("dd", { id, text: String(value) }, extra));
    show(p.totals,
      item("total-served", t("served"), n.served,
        n.waiting ? h("span", { class: "badge warn waiting", id: "total-waiting", text: t("waitingMeals", { n: n.waiting }) }) : null),
      item("total-on-site", t("onSite"), n.onSite),
      item("total-takeaway", t("takeawayTotal"), n.takeaway),
      item("total-free", t("freeSeats"), `${n.free} / ${n.capacity}`),
      // Until the service closes, a reservation nobody has come for yet is still expected.
      item("total-no-shows", t(closed ? "noShows" : "expected"), n.noShows),
      item("total-reserved", t("reserved"), n.reserved));
    this.drawReservations(closed);
    this.drawRefused();
    this.drawRecent();
    this.drawEnd(closed);
  }

  drawReservations(closed) {
    const open = this.reservations.filter((r) => r.status === "active" && r.honoured < r.seats);
    const chosen = this.form.reservation;
    const list = open.length
      ? h("ul", { class: "plain reservation-list" }, open.map((r) => {
        const honour = h("button", { type: "button", class: "secondary", disabled: Boolean(closed), text: t("honour"),
          "aria-label": `${t("honour")}: ${t("reservationSeats", { seats: r.seats, honoured: r.honoured })}` });
        honour.addEventListener("click", () => {
          this.form.reservation = r;
          this.setCount(Math.max(1, r.seats - r.honoured));
          this.update();
          this.parts.tariffs.querySelector("button")?.focus();
        });
        return h("li", { class: "spread" },
          h("span", {}, t("reservationSeats", { seats: r.seats, honoured: r.honoured }),
            r.diner_key ? h("span", { class: "note", text: ` · ${t("reservationCard")}` }) : null),
          honour);
      }))
      : h("p", { class: "note", text: t("noReservations") });
    const honouring = chosen
      ? h("p", { class: "banner ok spread" }, t("honouring", { seats: chosen.seats }),
        h("button", { type: "button", class: "secondary", text: t("cancelHonour"), onclick: () => { this.form.reservation = null; this.update(); } }))
      : null;
    show(this.parts.reservations,
      h("details", { class: "reservations", open: open.length > 0 && open.length < 6 },
        h("summary", { text: `${t("reservations")} (${open.length})` }), list),
      honouring);
  }

  label(meta) {
    const tariff = this.app.place.tariffName(meta.tariff ?? "");
    if (meta.kind === "close") return t("whatClose");
    if (meta.kind === "undo") return t("whatUndo", { tariff, count: meta.count });
    return t(meta.takeaway ? "whatTakeaway" : "what", { tariff, count: meta.count });
  }

  drawRefused() {
    const section = refusedSection({
      outbox: this.app.outbox,
      entries: this.entries.filter((e) => e.state === "refused" && e.meta.service === this.serviceId),
      label: (entry) => this.label(entry.meta),
      id: "refused",
      resend: (entry) => this.retryWithReason(entry),
      canResend: (entry) => entry.meta.kind === "tap" && refusalCode(entry.refusal) === "over-capacity",
    });
    this.parts.refused.replaceWith(section);
    this.parts.refused = section;
  }

  drawRecent() {
    const mine = this.entries.filter((e) => e.meta.service === this.serviceId && e.meta.kind === "tap" && e.state !== "refused");
    const undone = new Set(this.entries.filter((e) => e.meta.kind === "undo" && e.state !== "refused").map((e) => e.meta.undoes));
    const recent = mine.slice(-RECENT).reverse();
    show(this.parts.recent,
      h("h3", { id: "recent-title", text: t("recent") }),
      recent.length
        ? h("ol", { class: "plain recent-list" }, recent.map((entry) => {
          const what = this.label(entry.meta);
          const isUndone = undone.has(entry.key);
          const state = isUndone ? t("undone") : t(`state_${entry.state}`);
          const undo = h("button", { type: "button", class: "secondary small", text: t("undo"),
            "aria-label": t("undoLabel", { what: `${what} (${clock(entry.createdAt)})` }),
            disabled: isUndone || Boolean(this.closedBecause()) });
          undo.addEventListener("click", () => this.undo(entry));
          return h("li", { class: "spread" },
            h("span", {}, h("span", { class: "time", text: clock(entry.createdAt) }), ` ${what} `,
              h("span", { class: `badge ${entry.state === "sent" && !isUndone ? "ok" : isUndone ? "muted" : "warn"}`, text: state })),
            undo);
        }))
        : h("p", { class: "note", text: t("noRecent") }));
  }

  drawEnd(closed) {
    const service = this.service();
    const close = h("button", { type: "button", class: "danger", id: "close-service", text: t("close"),
      disabled: Boolean(closed) });
    close.addEventListener("click", () => this.close());
    const report = h("button", { type: "button", class: "secondary", id: "show-cash-report", text: t("showCashReport") });
    report.addEventListener("click", () => this.showCashReport());
    show(this.parts.end, service.status === "planned" ? close : null, report);
  }

  /** One tap on a tariff: stored on the device, shown in the totals, sent when it can be. */
  async tap(tariff) {
    const service = this.service();
    if (this.closedBecause()) return;
    const { count, takeaway, reservation } = this.form;
    const card = this.parts.card.value.replace(/[\s.\-/]/g, "") || this.form.card;
    if (card && !CARD.test(card)) {
      this.parts.cardNote.textContent = t("cardInvalid");
      this.parts.card.focus();
      return;
    }
    const body = { tariff, count, takeaway, tapped_at: new Date().toISOString() };
    if (card) body.diner_card = card;
    if (reservation) body.reservation_id = reservation.reservation_id;
    const n = this.totals();
    if (!takeaway && !reservation && count > n.free) {
      const reason = await this.askReason(n.free, count);
      if (reason === null) return;
      body.over_capacity_reason = reason;
    }
    const meta = { kind: "tap", service: service.service_id, tariff, count, takeaway, card: Boolean(card) };
    const entry = await this.app.outbox.add({ path: `/services/${service.service_id}/registrations`, body, meta });
    this.entries = [...this.entries, entry];
    this.form = { count: 1, takeaway: false, card: "", reservation: null };
    this.setCount(1);
    this.setTakeaway(false);
    this.parts.card.value = "";
    this.parts.cardNote.textContent = "";
    this.update();
    const name = this.app.place.tariffName(tariff);
    this.parts.live.textContent = t(navigator.onLine ? "registered" : "registeredWaiting", { tariff: name, count });
  }

  async askReason(free, count) {
    const reason = h("textarea", { id: "over-reason", required: true, maxlength: "2000" });
    const answer = await ask({
      title: t("overTitle"),
      form: true,
      content: [h("p", { text: t("overText", { free, count }) }),
        h("div", { class: "field" }, h("label", { for: "over-reason", text: t("overReason") }), reason)],
      actions: [{ label: t("cancel"), value: "" }, { label: t("overConfirm"), value: "yes", primary: true }],
    });
    return answer === "yes" ? reason.value.trim() : null;
  }

  async retryWithReason(entry) {
    const free = this.totals().free;
    const reason = await this.askReason(free, entry.meta.count);
    if (reason !== null) await this.app.outbox.retry(entry.key, { over_capacity_reason: reason });
  }

  /** Undo a tap: taken back from the device if it was not sent, else corrected to 0. */
  async undo(entry) {
    const current = await this.app.outbox.entry(entry.key);
    if (current?.state === "waiting" && (await this.app.outbox.drop(entry.key))) return;
    if (current?.state !== "sent") {
      this.parts.live.textContent = t("undoBusy");
      return;
    }
    await this.app.outbox.add({
      path: `/registrations/${current.response.registration_id}/corrections`,
      body: { count: 0, reason: t("undoReason"), tapped_at: new Date().toISOString() },
      meta: { kind: "undo", service: entry.meta.service, tariff: entry.meta.tariff, count: entry.meta.count, takeaway: entry.meta.takeaway, undoes: entry.key },
    });
  }

  async close() {
    const service = this.service();
    const answer = await ask({
      title: t("closeTitle"),
      content: [h("p", { text: t("closeText") })],
      actions: [{ label: t("cancel"), value: "" }, { label: t("close"), value: "yes", primary: true }],
    });
    if (answer !== "yes") return;
    const entry = await this.app.outbox.add({ path: `/services/${service.service_id}/close`, meta: { kind: "close", service: service.service_id } });
    this.entries = [...this.entries, entry];
    this.update();
    // The close goes after every tap before it; once it is answered, the report is final.
    const until = Date.now() + 15000;
    while (Date.now() < until) {
      const sent = await this.app.outbox.entry(entry.key);
      if (!sent || sent.state === "refused") return;
      if (sent.state === "sent") {
        await this.refresh();
        await this.showCashReport();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async showCashReport() {
    const p = this.parts;
    p.report.hidden = false;
    let report;
    try {
      report = (await cachedJson(`/services/${this.serviceId}/cash-report`, this.app.login.session)).data;
    } catch (error) {
      show(p.report, h("h2", { id: "cash-title", text: t("cashReport") }),
        h("p", { class: "banner", text: error instanceof NetworkError ? t("cashOffline") : error.message }));
      return;
    }
    const place = this.app.place;
    const print = h("button", { type: "button", class: "primary no-print", id: "print-cash-report", text: t("print") });
    print.addEventListener("click", () => print.ownerDocument.defaultView.print());
    show(p.report,
      h("div", { class: "spread" },
        h("h2", { id: "cash-title", tabindex: "-1", text: t("cashReportOf", {
          centre: place.centreName(report.centre_id), day: day(report.date),
          time: clock(report.starts_at), status: t(`status_${report.status}`) }) }),
        print),
      // On a phone the table scrolls inside its own box, never the page.
      h("div", { class: "table-scroll", role: "region", "aria-label": t("cashTable"), tabindex: "0" },
      h("table", { class: "cash-table" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col", text: t("tariff") }),
          h("th", { scope: "col", class: "number", text: t("unitPrice") }),
          h("th", { scope: "col", class: "number", text: t("onSite") }),
          h("th", { scope: "col", class: "number", text: t("takeawayTotal") }),
          h("th", { scope: "col", class: "number", text: t("meals") }),
          h("th", { scope: "col", class: "number", text: t("revenue") }))),
        h("tbody", {}, report.lines.map((line) => h("tr", {},
          h("th", { scope: "row", text: place.tariffName(line.tariff) }),
          h("td", { class: "number", text: euro(line.unit_price) }),
          h("td", { class: "number", text: String(line.on_site) }),
          h("td", { class: "number", text: String(line.takeaway) }),
          h("td", { class: "number", text: String(line.meals) }),
          h("td", { class: "number", text: euro(line.revenue) })))),
        h("tfoot", {}, h("tr", {},
          h("th", { scope: "row", colspan: "2", text: t("total") }),
          h("td", { class: "number", id: "cash-total-on-site", text: String(report.total.on_site) }),
          h("td", { class: "number", text: String(report.total.takeaway) }),
          h("td", { class: "number", id: "cash-total-meals", text: String(report.total.meals) }),
          h("td", { class: "number", id: "cash-total-revenue", text: euro(report.total.revenue) }))))));
    p.report.querySelector("h2").focus();
  }
}
