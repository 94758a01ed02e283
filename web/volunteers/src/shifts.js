// The week's shifts of a centre, a column per day, the gaps marked (red border and "n short");
// beside it the chosen shift: who is on it, putting someone on or off, the hours once it is
// over, and before it starts, cancelling it or changing how many people it needs.
import { ask } from "@buurtwerk/kit/dialog.js";
import { h, show, focusSoon } from "@buurtwerk/kit/dom.js";
import { serviceNow } from "@buurtwerk/kit/api.js";
import { clock, day, number, todayInBrussels } from "@buurtwerk/kit/i18n.js";
import { all, api, centres, centreSelect, field, fullName, heading, saving, statusLine } from "./context.js";
import { t } from "./texts.js";

const state = { centre: null, monday: null, chosen: null };
const ROLES = ["kitchen", "computer_corner", "homework_support", "conversation_group", "welcome_desk", "other"];

function addDays(isoDate, days) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function mondayOf(isoDate) {
  const weekday = (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(isoDate, -weekday);
}

const redraw = () => dispatchEvent(new HashChangeEvent("hashchange"));

/** The week of shifts and the chosen shift. */
export async function shiftsScreen() {
  state.centre ??= centres()[0]?.id;
  state.monday ??= mondayOf(todayInBrussels());
  const days = [...Array(7)].map((_, i) => addDays(state.monday, i));
  // A day either side: the service's instants are UTC, the days Brussels'.
  const shifts = (await all("/shifts", {
    centre_id: state.centre,
    from: `${addDays(state.monday, -1)}T00:00:00Z`,
    before: `${addDays(state.monday, 8)}T00:00:00Z`,
  })).filter((s) => days.includes(s.date));
  const centre = centreSelect("shifts-centre", state.centre);
  centre.addEventListener("change", () => {
    state.centre = centre.value;
    state.chosen = null;
    redraw();
  });
  const go = (id, label, monday) => h("button", { type: "button", id, text: label, onclick: () => {
    state.monday = monday;
    state.chosen = null;
    redraw();
  } });
  // People still missing this week (a cancelled shift misses no one).
  const gaps = shifts.reduce((sum, s) => sum + s.missing, 0);
  const detail = h("div", { id: "shift-detail", class: "panel" }, h("p", { text: t("chooseShift") }));
  const week = h("div", { class: "week", id: "week" }, days.map((date) => {
    const id = `day-${date}`;
    const today = shifts.filter((s) => s.date === date);
    return h("section", { "aria-labelledby": id },
      h("h3", { id, text: day(date) }),
      today.length ? today.map((s) => shiftButton(s, detail)) : h("p", { class: "note", text: t("noShifts") }));
  }));
  if (state.chosen) {
    const chosen = shifts.find((s) => s.shift_id === state.chosen);
    if (chosen) await openShift(chosen.shift_id, detail);
  }
  return h("div", { class: "stack" },
    heading(t("week", { date: day(state.monday) })),
    h("div", { class: "toolbar" }, field(t("centre"), centre),
      go("previous-week", t("previous"), addDays(state.monday, -7)),
      go("this-week", t("thisWeek"), mondayOf(todayInBrussels())),
      go("next-week", t("next"), addDays(state.monday, 7))),
    h("p", { id: "gap-count", class: gaps ? "banner" : "banner ok", text: `${t("shifts")}: ${shifts.length} · ${gaps ? t("missing", { n: gaps }) : t("noGaps")}` }),
    week, detail, planning(days));
}

/** Planning the week: its shifts from the weekly schedule (templates), and a one-off shift. */
function planning(days) {
  const line = statusLine();
  const generate = h("button", { type: "button", id: "generate", text: t("generate"), onclick: async () => {
    const done = await saving(line, () => api("/shifts/generate", { method: "POST", body: {
      centre_id: state.centre, from: days[0], until: days[6],
    } }));
    if (done) {
      line.textContent = t("generated", { created: done.created.length, existing: done.existing });
      if (done.created.length) redraw();
    }
  } });
  const role = h("select", { id: "new-shift-role" }, ROLES.map((r) => h("option", { value: r, text: t(r) })));
  const date = h("input", { id: "new-shift-date", type: "date", required: true, min: days[0], value: days.includes(todayInBrussels()) ? todayInBrussels() : days[0] });
  const start = h("input", { id: "new-shift-start", type: "time", required: true, value: "09:00" });
  const end = h("input", { id: "new-shift-end", type: "time", required: true, value: "12:00" });
  const needed = h("input", { id: "new-shift-needed", type: "number", min: "1", max: "50", required: true, value: "1" });
  const form = h("form", { class: "panel", "aria-labelledby": "new-shift-title" },
    h("h3", { id: "new-shift-title", text: t("newShift") }),
    h("div", { class: "toolbar" }, field(t("role"), role), field(t("date"), date), field(t("start"), start),
      field(t("end"), end), field(t("needed"), needed), h("button", { type: "submit", class: "primary", id: "plan-shift", text: t("plan") })),
    h("div", { class: "row" }, generate), line);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const made = await saving(line, () => api("/shifts", { method: "POST", body: {
      centre_id: state.centre, role: role.value, date: date.value, start_time: start.value,
      end_time: end.value, needed: Number(needed.value),
    } }));
    if (made) {
      state.monday = mondayOf(made.date);
      state.chosen = made.shift_id;
      redraw();
    }
  });
  return form;
}

function shiftButton(s, detail) {
  const gap = s.missing > 0 && !s.cancelled_at;
  const state_ = s.cancelled_at ? t("cancelled") : gap ? t("missing", { n: s.missing }) : t("full");
  return h("button", {
    type: "button",
    class: `shift${gap ? " gap" : ""}${s.cancelled_at ? " cancelled" : ""}`,
    "data-shift": s.shift_id,
    "aria-pressed": String(s.shift_id === state.chosen),
    onclick: async (event) => {
      state.chosen = s.shift_id;
      for (const other of document.querySelectorAll(".shift")) other.setAttribute("aria-pressed", "false");
      event.currentTarget.setAttribute("aria-pressed", "true");
      await openShift(s.shift_id, detail);
      focusSoon(detail.querySelector("h3"));
    },
  },
  h("strong", { text: t(s.role) }),
  h("span", { text: `${clock(s.starts_at)}–${clock(s.ends_at)}` }),
  h("span", { text: `${t("staffed", { assigned: s.assigned, needed: s.needed })} · ${state_}` }));
}

async function openShift(id, detail) {
  const shift = await api(`/shifts/${id}`);
  const over = new Date(shift.ends_at) <= serviceNow();
  const started = new Date(shift.starts_at) <= serviceNow();
  const line = statusLine();
  line.id = "shift-status";
  const candidates = over || shift.cancelled_at ? [] : (await all("/volunteers", { status: "active", centre_id: shift.centre_id }))
    .filter((v) => !shift.roster.some((r) => r.volunteer_id === v.volunteer_id));
  const roster = shift.roster.length
    ? h("ul", { class: "plain stack", id: "roster" }, shift.roster.map((r) => h("li", { class: "spread" },
      h("span", { text: `${fullName(r)}${r.hours !== null ? ` · ${number(r.hours, 2)} u` : ""}` }),
      r.hours !== null ? correction(shift, r, line) : null,
      over || shift.cancelled_at ? null : h("button", {
        type: "button", class: "secondary", "aria-label": `${t("unassign")}: ${fullName(r)}`, text: t("unassign"),
        onclick: async () => {
          if (await saving(line, () => api(`/shifts/${id}/assignments/${r.volunteer_id}`, { method: "DELETE" }))) redraw();
        },
      }))))
    : h("p", { text: t("nobody") });
  show(detail,
    h("h3", { tabindex: "-1", text: `${t(shift.role)}, ${day(shift.date)} ${clock(shift.starts_at)}–${clock(shift.ends_at)}` }),
    h("p", { text: shift.cancelled_at ? t("cancelled") : t("staffed", { assigned: shift.assigned, needed: shift.needed }) }),
    h("h4", { text: t("roster") }), roster,
    candidates.length && shift.missing > 0 ? assignForm(id, candidates, line) : null,
    over && shift.roster.length ? hoursForm(shift, line) : null,
    over ? null : h("p", { class: "note", text: t("notOver") }),
    !started && !shift.cancelled_at ? changeTools(shift, line) : null,
    line);
}

// Hours recorded wrongly are corrected (a milestone already announced stays announced).
function correction(shift, r, line) {
  const id = `correct-${r.volunteer_id}`;
  const hours = h("input", { id, inputmode: "decimal", size: "5", required: true, value: String(r.hours) });
  const form = h("form", { class: "row" },
    h("label", { for: id, class: "note", text: t("hoursOf", { name: fullName(r) }) }), hours,
    h("button", { type: "submit", "aria-label": `${t("correct")}: ${fullName(r)}`, text: t("correct") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api(`/shifts/${shift.shift_id}/completions/${r.volunteer_id}`, {
      method: "PUT", body: { hours: Number(hours.value.replace(",", ".")) },
    }))) redraw();
  });
  return form;
}

function assignForm(id, candidates, line) {
  const who = h("select", { id: "assign-volunteer", required: true },
    h("option", { value: "", text: t("chooseVolunteer") }),
    candidates.map((v) => h("option", { value: v.volunteer_id, text: fullName(v) })));
  const form = h("form", { class: "toolbar" }, field(t("volunteer"), who),
    h("button", { type: "submit", class: "primary", id: "assign", text: t("assign") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api(`/shifts/${id}/assignments`, { method: "POST", body: { volunteer_id: who.value } }))) redraw();
  });
  return form;
}

function hoursForm(shift, line) {
  const length = (new Date(shift.ends_at) - new Date(shift.starts_at)) / 3_600_000;
  const pending = shift.roster.filter((r) => r.hours === null);
  if (!pending.length) return null;
  const rows = pending.map((r, i) => {
    const worked = h("input", { type: "checkbox", id: `worked-${i}`, checked: true });
    const hours = h("input", { id: `hours-${i}`, inputmode: "decimal", size: "5", value: String(length) });
    return { r, worked, hours, node: h("div", { class: "row" },
      h("label", { class: "check", for: `worked-${i}` }, worked, t("worked", { name: fullName(r) })),
      h("label", { for: `hours-${i}`, class: "note", text: t("hoursOf", { name: fullName(r) }) }), hours) };
  });
  const form = h("form", { class: "stack", id: "hours-form" }, h("h4", { text: t("recordHours") }), rows.map((x) => x.node),
    h("button", { type: "submit", class: "primary", id: "save-hours", text: t("saveHours") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const volunteers = rows.filter((x) => x.worked.checked).map((x) => ({
      volunteer_id: x.r.volunteer_id, hours: Number(x.hours.value.replace(",", ".")),
    }));
    const done = await saving(line, () => api(`/shifts/${shift.shift_id}/completions`, { method: "POST", body: { volunteers } }), t("hoursRecorded"));
    if (!done) return;
    const reached = done.milestones_reached.map((m) => t("milestoneReached", {
      name: fullName(shift.roster.find((r) => r.volunteer_id === m.volunteer_id)), milestone: t(m.milestone),
    }));
    line.textContent = [t("hoursRecorded"), ...reached].join(" ");
    form.replaceWith(h("ul", { id: "hours-recorded" }, done.recorded.map((x) => h("li", {
      text: `${fullName(shift.roster.find((r) => r.volunteer_id === x.volunteer_id))}: ${number(x.hours, 2)} u`,
    }))));
  });
  return form;
}

function changeTools(shift, line) {
  const needed = h("input", { id: "shift-needed", type: "number", min: "1", max: "50", required: true, value: String(shift.needed) });
  const form = h("form", { class: "toolbar" }, field(t("needed"), needed),
    h("button", { type: "submit", id: "change-needed", text: t("changeNeeded") }),
    h("button", { type: "button", class: "danger", id: "cancel-shift", text: t("cancelShift"), onclick: async () => {
      const answer = await ask({
        title: t("cancelShiftTitle"),
        content: [h("p", { text: t("cancelShiftText") })],
        actions: [{ label: t("cancel"), value: "" }, { label: t("cancelShift"), value: "yes", primary: true }],
      });
      if (answer !== "yes") return;
      if (await saving(line, () => api(`/shifts/${shift.shift_id}/cancellation`, { method: "POST", body: {} }))) redraw();
    } }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api(`/shifts/${shift.shift_id}`, { method: "PATCH", body: { needed: Number(needed.value) } }))) redraw();
  });
  return form;
}
