// The HACCP log of the centre's kitchen: today's due and overdue checks (kept up to date without
// a reload), a reading per piece of equipment with the thermometer's correction shown, the
// corrective action asked for at once when a reading is out of limits, cooling and reheating with
// a running timer, goods receipt, the open deviations and the refurbishment milestones.
//
// Recording works like the till: every entry goes to the outbox first. A corrective action for
// a reading recorded offline waits in the outbox for the reading's answer (its record id).
import { cachedJson, NetworkError, serviceNow } from "@buurtwerk/kit/api.js";
import { ask } from "@buurtwerk/kit/dialog.js";
import { h, show } from "@buurtwerk/kit/dom.js";
import { clock, number, parseDecimal } from "@buurtwerk/kit/i18n.js";
import { refusedSection } from "./refusals.js";
import { t } from "./texts.js";

const REFRESH_MS = 30000;
const PROBE_KINDS = new Set(["cooking", "cooling", "reheating", "hot_holding"]);

/** Whether a reading (already corrected) lies outside the limits, as the service judges it. */
export function outOfLimits(limits, value) {
  if (!limits) return false;
  if (limits.type === "range") {
    return (limits.min != null && value < limits.min) || (limits.max != null && value > limits.max);
  }
  if (limits.type === "target") {
    return limits.direction === "min" ? value < limits.critical : value > limits.critical;
  }
  return false;
}

/** The limits in words: "hoogstens 4 °C". */
export function limitText(limits) {
  if (!limits) return "";
  const unit = limits.unit ?? "";
  const n = (v) => number(v);
  switch (limits.type) {
    case "range":
      if (limits.min != null && limits.max != null) return t("limitRange", { min: n(limits.min), max: n(limits.max), unit });
      return limits.max != null ? t("limitMax", { max: n(limits.max), unit }) : t("limitMin", { min: n(limits.min), unit });
    case "target":
      return t(limits.direction === "min" ? "limitTargetMin" : "limitTargetMax",
        { critical: n(limits.critical), target: n(limits.target), unit });
    case "timed":
      return t("limitTimed", { from: n(limits.from), to: n(limits.to), unit, minutes: limits.within_minutes });
    case "calibration":
      return t("limitCalibration", { points: limits.points.map(n).join(", "), tolerance: n(limits.tolerance), unit });
    default:
      return "";
  }
}

function latest(now, after) {
  return after && Date.parse(after) > now.getTime() ? new Date(after) : now;
}

function duration(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

export class Haccp {
  constructor(app) {
    this.app = app;
    this.root = h("section", { class: "haccp", "aria-labelledby": "haccp-title" });
    this.entries = [];
    this.due = null;
    this.open = null;
    app.outbox.subscribe(() => this.entriesChanged());
  }

  async mount(container) {
    show(container, this.root);
    show(this.root, h("h2", { id: "haccp-title", text: t("haccpTitle") }), h("p", { text: t("loading") }));
    this.entries = await this.app.outbox.entries();
    this.kitchen = this.app.place.kitchen();
    if (!this.kitchen) {
      const centre = this.app.place.centre();
      show(this.root, h("h2", { id: "haccp-title", text: t("haccpTitle") }),
        h("p", { class: "banner", text: t("noKitchen", { centre: centre ? this.app.place.centreName(centre.centre_id) : "" }) }));
      return;
    }
    await this.load();
    this.draw();
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (document.visibilityState === "visible" && this.root.isConnected) this.refresh();
    }, REFRESH_MS);
    clearInterval(this.ticker);
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  unmount() {
    clearInterval(this.timer);
    clearInterval(this.ticker);
  }

  async load() {
    const base = `/haccp/kitchens/${this.kitchen.kitchen_id}`;
    const session = this.app.login.session;
    const read = (path) => cachedJson(path, session);
    // Answers may arrive out of order: only the latest reading counts.
    const reading = (this.reading ?? 0) + 1;
    this.reading = reading;
    try {
      const [due, equipment, checks, deviations, refurbishment] = await Promise.all([
        read(`${base}/due`), read(`${base}/equipment?limit=200`), read(`${base}/checks?limit=200`),
        read(`${base}/deviations?limit=200`), read(`${base}/refurbishment?limit=200`)]);
      if (reading !== this.reading) return;
      this.due = due;
      this.thermometers = equipment.data.items.filter((e) => e.kind === "thermometer" && e.active);
      this.checks = checks.data.items.filter((c) => c.active);
      this.deviations = deviations.data.items;
      this.refurbishment = refurbishment.data.items;
      this.error = null;
    } catch (error) {
      this.error = error;
    }
  }

  async refresh() {
    await this.load();
    if (!this.typing()) this.draw();
  }

  /** Whether the cook is filling in a form here: it is not redrawn under their fingers. */
  typing() {
    const form = document.activeElement?.closest("form");
    return Boolean(form && this.root.contains(form)
      && [...form.querySelectorAll("input, textarea")].some((field) => field.type !== "checkbox" && field.value));
  }

  entriesChanged() {
    this.app.outbox.entries().then((entries) => {
      const answered = entries.filter((e) => e.meta.kind?.startsWith("haccp") && e.state === "sent"
        && e.ackedAt >= (this.due?.startedAt ?? 0));
      this.entries = entries;
      if (answered.length) {
        clearTimeout(this.soon);
        this.soon = setTimeout(() => this.refresh(), 200);
      } else if (this.root.isConnected && this.due && !this.typing()) {
        this.draw();
      }
    });
  }

  waiting(kind) {
    return this.entries.filter((e) => e.meta.kind === kind && e.meta.kitchen === this.kitchen.kitchen_id
      && (e.state === "waiting" || e.state === "sending" || (e.state === "sent" && e.ackedAt >= (this.due?.startedAt ?? 0))));
  }

  draw() {
    const heading = h("h2", { id: "haccp-title", text: t("haccpTitle") });
    if (!this.due) {
      show(this.root, heading, h("p", { class: "banner error",
        text: this.error instanceof NetworkError ? t("noData") : t("error", { reason: this.error?.message ?? "" }) }));
      return;
    }
    this.live = h("p", { class: "live", id: "haccp-live", role: "status", "aria-live": "polite" });
    show(this.root,
      heading,
      this.due.stale ? h("p", { class: "banner", text: t("staleData", { time: clock(this.due.fetchedAt) }) }) : null,
      this.live,
      refusedSection({
        outbox: this.app.outbox,
        entries: this.entries.filter((e) => e.state === "refused" && e.meta.kind?.startsWith("haccp")
          && e.meta.kitchen === this.kitchen.kitchen_id),
        label: (entry) => ({ "haccp-action": t("whatAction", { label: entry.meta.label }),
          "haccp-reading": t("whatReading", { label: entry.meta.label }) })[entry.meta.kind] ?? entry.meta.label,
        id: "haccp-refused",
      }),
      h("div", { class: "haccp-grid" },
        h("div", { class: "stack" }, this.dueSection(), this.processSection()),
        h("div", { class: "stack" }, this.deviationSection(), this.deliverySection(), this.refurbishmentSection())));
  }

  // Today's occurrences; one recorded on this device and not yet answered counts as done.
  dueSection() {
    const recorded = new Set(this.waiting("haccp-record").map((e) => `${e.meta.check}|${e.meta.dueAt}`));
    const checks = this.due.data.checks.filter((c) => c.input !== "process" && c.input !== "delivery");
    const items = checks.map((check) => {
      const id = `${check.check_id}|${check.due_at}`;
      const waiting = check.status !== "done" && recorded.has(id);
      const status = waiting ? "done" : check.status;
      const badge = h("span", {
        class: `badge ${status === "overdue" ? "error" : status === "due" ? "warn" : status === "done" ? "ok" : "muted"}`,
        text: waiting ? t("doneWaiting") : t(`status_${status}`),
      });
      const item = h("li", { class: `due-check ${status}`, "data-check": check.check_id },
        h("div", { class: "spread" },
          h("h4", {}, check.label),
          h("span", { class: "row" }, h("span", { class: "note", text: t("dueAt", { time: clock(check.due_at) }) }), badge)),
        check.equipment_label ? h("p", { class: "note", text: t("equipment", { label: check.equipment_label }) }) : null,
        limitText(check.limits) ? h("p", { class: "note", text: t("limits", { text: limitText(check.limits) }) }) : null);
      if (status !== "done") {
        const form = this.recordForm(check);
        const button = h("button", { type: "button", class: "primary", "aria-expanded": String(this.open === id),
          "aria-controls": `form-${check.check_id}`, text: t("record") });
        button.addEventListener("click", () => {
          this.open = this.open === id ? null : id;
          form.hidden = this.open !== id;
          button.setAttribute("aria-expanded", String(this.open === id));
          if (!form.hidden) form.querySelector("input, button")?.focus();
        });
        form.hidden = this.open !== id;
        item.append(button, form);
      }
      return item;
    });
    // What is done folds away: what is still to do comes first.
    const todo = items.filter((item) => !item.classList.contains("done"));
    const done = items.filter((item) => item.classList.contains("done"));
    return h("section", { class: "panel", "aria-labelledby": "due-title" },
      h("h3", { id: "due-title", text: t("due") }),
      todo.length ? h("ul", { class: "plain due-list" }, todo) : h("p", { class: "note", text: t("nothingDue") }),
      done.length
        ? h("details", { class: "done-checks" }, h("summary", { text: t("doneToday", { n: done.length }) }),
          h("ul", { class: "plain due-list" }, done))
        : null);
  }

  thermometerSelect(id, kind) {
    if (!this.thermometers.length) return null;
    const select = h("select", { id, name: "thermometer" },
      h("option", { value: "", text: t("noThermometer") }),
      this.thermometers.map((th, i) => h("option", {
        value: th.equipment_id,
        selected: PROBE_KINDS.has(kind) && i === 0,
        text: t("offset", { label: th.label, offset: `${th.calibration_offset >= 0 ? "+" : ""}${number(th.calibration_offset)}` }),
      })));
    return h("div", { class: "field" }, h("label", { for: id, text: t("thermometer") }), select);
  }

  offsetOf(thermometerId) {
    return this.thermometers.find((th) => th.equipment_id === thermometerId)?.calibration_offset ?? 0;
  }

  recordForm(check) {
    const id = check.check_id;
    const error = h("p", { class: "error", role: "alert" });
    const form = h("form", { class: "record-form", id: `form-${id}`, novalidate: true });
    const fields = [];
    if (check.input === "value") {
      const unit = check.limits?.unit ?? "°C";
      fields.push(h("div", { class: "field" },
        h("label", { for: `value-${id}`, text: t("readingOf", { label: check.label, unit }) }),
        h("input", { id: `value-${id}`, name: "value", type: "text", inputmode: "decimal", autocomplete: "off", required: true })));
      fields.push(this.thermometerSelect(`thermometer-${id}`, check.kind));
    } else if (check.input === "checklist") {
      fields.push(h("fieldset", {}, h("legend", { text: t("checkItems") }),
        check.limits.items.map((item, i) => h("label", { class: "check" },
          h("input", { type: "checkbox", name: "item", value: item, id: `item-${id}-${i}` }), item))));
    } else if (check.input === "calibration") {
      fields.push(...check.limits.points.map((point, i) => h("div", { class: "field" },
        h("label", { for: `point-${id}-${i}`, text: t("calibrationPoint", { point: number(point) }) }),
        h("input", { id: `point-${id}-${i}`, name: "point", "data-point": point, type: "text", inputmode: "decimal", required: true }))));
    }
    form.append(...fields.filter(Boolean), error,
      h("button", { type: "submit", class: "primary", text: check.input === "done" ? t("done") : t("save") }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.record(check, form, error);
    });
    return form;
  }

  async record(check, form, error) {
    error.textContent = "";
    const body = { due_at: check.due_at, taken_at: serviceNow().toISOString() };
    let deviation = false;
    let shown = "";
    if (check.input === "value") {
      const value = parseDecimal(form.elements.value.value);
      if (Number.isNaN(value)) {
        error.textContent = t("invalidNumber");
        form.elements.value.focus();
        return;
      }
      body.value = value;
      if (check.limits?.unit) body.unit = check.limits.unit;
      const thermometer = form.elements.thermometer?.value;
      if (thermometer) body.thermometer_id = thermometer;
      const corrected = value + this.offsetOf(thermometer);
      deviation = outOfLimits(check.limits, corrected);
      shown = number(corrected);
    } else if (check.input === "checklist") {
      body.items = Object.fromEntries([...form.querySelectorAll("input[name=item]")].map((box) => [box.value, box.checked]));
      deviation = Object.values(body.items).some((done) => !done);
    } else if (check.input === "calibration") {
      body.readings = [];
      for (const input of form.querySelectorAll("input[name=point]")) {
        const value = parseDecimal(input.value);
        if (Number.isNaN(value)) {
          error.textContent = t("invalidNumber");
          input.focus();
          return;
        }
        body.readings.push({ point: Number(input.dataset.point), value });
      }
    } else {
      body.done = true;
    }
    const meta = { kind: "haccp-record", kitchen: this.kitchen.kitchen_id, check: check.check_id, dueAt: check.due_at,
      label: check.label, deviation };
    const entry = await this.app.outbox.add({ path: `/haccp/checks/${check.check_id}/records`, body, meta });
    this.entries = [...this.entries, entry];
    this.open = null;
    if (deviation) {
      const text = check.input === "checklist"
        ? t("deviationChecklist", { label: check.label })
        : t("deviationText", { label: check.label, value: shown, unit: check.limits.unit ?? "", limit: limitText(check.limits) });
      await this.askAction(entry.key, check.label, text, null, body.taken_at);
    }
    this.draw();
    this.live.textContent = t(navigator.onLine ? "recorded" : "recordedWaiting", { label: check.label });
  }

  /**
   * Ask at once what was done about a deviation; the action waits in the outbox for the answer
   * to the reading (`dependsOn`), or names a record the service already has (`recordId`).
   */
  async askAction(dependsOn, label, text, recordId = null, after = null) {
    const action = h("textarea", { id: "corrective-action", name: "action", required: true, maxlength: "2000" });
    const answer = await ask({
      title: t("deviationTitle"),
      form: true,
      content: [h("p", { text }), h("div", { class: "field" }, h("label", { for: "corrective-action", text: t("action") }), action)],
      actions: [{ label: t("later"), value: "" }, { label: t("save"), value: "yes", primary: true }],
    });
    if (answer !== "yes" || !action.value.trim()) return;
    const entry = await this.app.outbox.add({
      path: recordId ? `/haccp/records/${recordId}/corrective-actions` : "/haccp/records/{record_id}/corrective-actions",
      dependsOn: recordId ? undefined : dependsOn,
      // Never before the reading it answers, whatever the device's clock did meanwhile.
      body: { action: action.value.trim(), taken_at: latest(serviceNow(), after).toISOString() },
      meta: { kind: "haccp-action", kitchen: this.kitchen.kitchen_id, record: recordId, after: dependsOn, label },
    });
    this.entries = [...this.entries, entry];
  }

  deviationSection() {
    const actions = this.waiting("haccp-action");
    const actedOn = new Set(actions.map((e) => e.meta.record ?? e.meta.after));
    const local = this.waiting("haccp-record").filter((e) => e.meta.deviation && e.state !== "sent");
    const deliveries = this.waiting("haccp-delivery").filter((e) => e.meta.deviation && e.state !== "sent");
    const items = [
      ...this.deviations.map((record) => {
        const value = record.value != null ? `${number(record.value)} ${record.unit ?? ""}` : t("status_done");
        const pendingAction = actedOn.has(record.record_id);
        const button = h("button", { type: "button", class: "secondary", text: t("addAction"), disabled: pendingAction,
          "aria-label": `${t("addAction")}: ${record.label}` });
        button.addEventListener("click", async () => {
          await this.askAction(null, record.label, t("deviationOf", { label: record.label, value, time: clock(record.recorded_at) }),
            record.record_id, record.recorded_at);
          this.draw();
        });
        return h("li", { class: "spread deviation", "data-record": record.record_id },
          h("span", {}, t("deviationOf", { label: record.label, value, time: clock(record.recorded_at) }),
            pendingAction ? h("span", { class: "badge warn", text: t("actionWaiting") }) : null),
          button);
      }),
      ...[...local, ...deliveries].map((entry) => {
        const pendingAction = actedOn.has(entry.key);
        const button = h("button", { type: "button", class: "secondary", text: t("addAction"), disabled: pendingAction,
          "aria-label": `${t("addAction")}: ${entry.meta.label}` });
        button.addEventListener("click", async () => {
          await this.askAction(entry.key, entry.meta.label, entry.meta.label, null, entry.body?.taken_at ?? entry.body?.received_at);
          this.draw();
        });
        return h("li", { class: "spread deviation" },
          h("span", {}, `${entry.meta.label} (${clock(entry.createdAt)})`,
            h("span", { class: "badge warn", text: pendingAction ? t("actionWaiting") : t("state_waiting") })),
          button);
      }),
    ];
    return h("section", { class: "panel", "aria-labelledby": "deviations-title", id: "deviations" },
      h("h3", { id: "deviations-title", text: `${t("deviations")} (${items.length})` }),
      items.length ? h("ul", { class: "plain" }, items) : h("p", { class: "note", text: t("noDeviations") }));
  }

  processSection() {
    const timed = this.checks.filter((c) => c.kind === "cooling" || c.kind === "reheating");
    const started = this.waiting("haccp-process").filter((e) => e.state !== "sent");
    const processes = [
      ...this.due.data.processes.map((p) => ({ ...p, key: null })),
      ...started.map((e) => ({ process_id: null, key: e.key, label: e.meta.label, product: e.meta.product,
        deadline_at: e.meta.deadline, status: "running", local: true })),
    ];
    const list = processes.map((process) => {
      const timer = h("span", { class: "timer", "data-deadline": process.deadline_at });
      const value = h("input", { id: `reading-${process.process_id ?? process.key}`, type: "text", inputmode: "decimal", required: true });
      const error = h("p", { class: "error", role: "alert" });
      const form = h("form", { class: "row", novalidate: true },
        h("div", { class: "field" }, h("label", { for: value.id, text: t("processReading") }), value),
        h("button", { type: "submit", class: "primary", text: t("addReading") }), error);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const reading = parseDecimal(value.value);
        if (Number.isNaN(reading)) {
          error.textContent = t("invalidNumber");
          return;
        }
        await this.app.outbox.add({
          path: process.process_id ? `/haccp/processes/${process.process_id}/readings` : "/haccp/processes/{process_id}/readings",
          dependsOn: process.process_id ? undefined : process.key,
          body: { value: reading, taken_at: serviceNow().toISOString() },
          meta: { kind: "haccp-reading", kitchen: this.kitchen.kitchen_id, label: process.label },
        });
        value.value = "";
        this.live.textContent = t(navigator.onLine ? "recorded" : "recordedWaiting", { label: process.product });
      });
      return h("li", { class: "process" },
        h("div", { class: "spread" }, h("h4", { text: `${process.label}: ${process.product}` }),
          h("span", { class: `badge ${process.status === "overdue" ? "error" : "warn"}`, text: process.local ? t("startedWaiting") : t(`process_${process.status}`) })),
        h("p", {}, t("deadline", { time: clock(process.deadline_at) }), " · ", timer),
        form);
    });
    const starts = timed.map((check) => this.startForm(check));
    const section = h("section", { class: "panel", "aria-labelledby": "processes-title" },
      h("h3", { id: "processes-title", text: t("processes") }),
      list.length ? h("ul", { class: "plain" }, list) : h("p", { class: "note", text: t("noProcesses") }),
      starts);
    requestAnimationFrame(() => this.tick());
    return section;
  }

  startForm(check) {
    const product = h("input", { id: `product-${check.check_id}`, name: "product", required: true, maxlength: "200" });
    const start = h("input", { id: `start-${check.check_id}`, name: "start", type: "text", inputmode: "decimal", required: true });
    const error = h("p", { class: "error", role: "alert" });
    const form = h("form", { class: "start-form", novalidate: true },
      h("h4", { text: t("startProcess", { label: check.label }) }),
      h("div", { class: "row" },
        h("div", { class: "field" }, h("label", { for: product.id, text: t("product") }), product),
        h("div", { class: "field" }, h("label", { for: start.id, text: t("startValue") }), start)),
      this.thermometerSelect(`process-thermometer-${check.check_id}`, check.kind),
      error,
      h("button", { type: "submit", class: "primary", text: t("start") }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = parseDecimal(start.value);
      if (!product.value.trim() || Number.isNaN(value)) {
        error.textContent = Number.isNaN(value) ? t("invalidNumber") : "";
        (product.value.trim() ? start : product).focus();
        return;
      }
      const startedAt = serviceNow();
      const body = { product: product.value.trim(), start_value: value, started_at: startedAt.toISOString() };
      const thermometer = form.elements[`process-thermometer-${check.check_id}`]?.value;
      if (thermometer) body.thermometer_id = thermometer;
      const minutes = check.limits?.within_minutes ?? 0;
      await this.app.outbox.add({
        path: `/haccp/checks/${check.check_id}/processes`,
        body,
        meta: { kind: "haccp-process", kitchen: this.kitchen.kitchen_id, label: check.label, product: body.product,
          deadline: new Date(startedAt.getTime() + minutes * 60000).toISOString() },
      });
      this.entries = await this.app.outbox.entries();
      this.draw();
    });
    return form;
  }

  /** The timers of the processes: time left until the deadline, or how late. */
  tick() {
    const now = serviceNow().getTime();
    for (const timer of this.root.querySelectorAll(".timer")) {
      const left = Date.parse(timer.dataset.deadline) - now;
      timer.textContent = left >= 0 ? t("timeLeft", { time: duration(left) }) : t("overdueBy", { time: duration(-left) });
      timer.classList.toggle("late", left < 0);
    }
  }

  deliverySection() {
    const receipt = this.checks.find((c) => c.kind === "goods_receipt");
    const field = (name, label, attributes = {}) => h("div", { class: "field" },
      h("label", { for: `delivery-${name}`, text: label }),
      h("input", { id: `delivery-${name}`, name, autocomplete: "off", ...attributes }));
    const error = h("p", { class: "error", role: "alert" });
    const form = h("form", { class: "delivery-form", novalidate: true },
      h("div", { class: "row" },
        field("supplier", t("supplier"), { required: true, maxlength: "200" }),
        field("product", t("product"), { required: true, maxlength: "200" })),
      h("div", { class: "row" },
        field("lot", t("lot"), { maxlength: "200" }),
        field("best_before", t("bestBefore"), { type: "date" })),
      receipt ? field("temperature", t("temperature"), { inputmode: "decimal" }) : null,
      receipt ? this.thermometerSelect("delivery-thermometer", "goods_receipt") : null,
      receipt?.limits ? h("p", { class: "note", text: t("limits", { text: limitText(receipt.limits) }) }) : null,
      error,
      h("button", { type: "submit", class: "primary", text: t("receive") }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const get = (name) => form.elements[name]?.value.trim() ?? "";
      if (!get("supplier") || !get("product")) {
        (get("supplier") ? form.elements.product : form.elements.supplier).focus();
        return;
      }
      if (!get("lot") && !get("best_before")) {
        error.textContent = t("lotOrDate");
        form.elements.lot.focus();
        return;
      }
      const body = { supplier: get("supplier"), product: get("product"), received_at: serviceNow().toISOString() };
      if (get("lot")) body.lot = get("lot");
      if (get("best_before")) body.best_before = get("best_before");
      let deviation = false;
      let shown = "";
      if (get("temperature")) {
        const value = parseDecimal(get("temperature"));
        if (Number.isNaN(value)) {
          error.textContent = t("invalidNumber");
          form.elements.temperature.focus();
          return;
        }
        body.temperature = value;
        body.check_id = receipt.check_id;
        const thermometer = form.elements["delivery-thermometer"]?.value;
        if (thermometer) body.thermometer_id = thermometer;
        const corrected = value + this.offsetOf(thermometer);
        deviation = outOfLimits(receipt.limits, corrected);
        shown = number(corrected);
      }
      const label = `${body.supplier}: ${body.product}`;
      const entry = await this.app.outbox.add({
        path: `/haccp/kitchens/${this.kitchen.kitchen_id}/deliveries`,
        body,
        meta: { kind: "haccp-delivery", kitchen: this.kitchen.kitchen_id, label, deviation },
      });
      this.entries = [...this.entries, entry];
      form.reset();
      if (deviation) {
        await this.askAction(entry.key, label, t("deviationText", { label, value: shown, unit: receipt.limits.unit ?? "", limit: limitText(receipt.limits) }),
          null, body.received_at);
      }
      this.draw();
      this.live.textContent = t("received", { supplier: body.supplier });
    });
    return h("section", { class: "panel", "aria-labelledby": "delivery-title" },
      h("h3", { id: "delivery-title", text: t("deliveries") }), form);
  }

  refurbishmentSection() {
    const items = this.refurbishment.map((m) => h("li", { class: "spread" },
      h("span", {}, m.milestone, h("span", { class: "note", text: ` · ${m.date}` })),
      h("span", { class: `badge ${m.status === "done" ? "ok" : m.status === "in_progress" ? "warn" : "muted"}`, text: t(`milestone_${m.status}`) })));
    return h("section", { class: "panel", "aria-labelledby": "refurbishment-title" },
      h("h3", { id: "refurbishment-title", text: t("refurbishment") }),
      items.length ? h("ul", { class: "plain" }, items) : h("p", { class: "note", text: t("noRefurbishment") }));
  }
}
