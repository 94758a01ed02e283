// The attendance register of one session, made for a tablet: tap the names of those present,
// count the drop-ins without a name, save and close the session. A held session reopens here for
// a correction within 7 days of its date.
import { focusSoon, h, show } from "@buurtwerk/kit/dom.js";
import { clock, day, todayInBrussels } from "@buurtwerk/kit/i18n.js";
import { t } from "./texts.js";

const CORRECTION_DAYS = 7;

function daysSince(isoDate) {
  return Math.round((Date.parse(`${todayInBrussels()}T00:00:00Z`) - Date.parse(`${isoDate}T00:00:00Z`)) / 86400000);
}

/** The register of a session. */
export async function registerPage(app, main, sessionId) {
  const session = await app.get(`/sessions/${sessionId}`);
  const activity = await app.get(`/activities/${session.activity_id}`);
  const recorded = (await app.get(`/sessions/${sessionId}/attendance?limit=200`)).items;
  const seated = activity.mode === "enrolment"
    ? (await app.get(`/enrolments?activity_id=${activity.activity_id}&limit=200`)).items
      .filter((e) => e.status === "enrolled" || e.status === "completed")
    : [];
  const known = recorded.filter((r) => r.participant_id);
  const ids = [...new Set([...seated.map((e) => e.participant_id), ...known.map((r) => r.participant_id)])];
  const names = await app.names(ids, activity.centre_id);
  const reload = () => registerPage(app, main, sessionId);

  const heading = h("h2", { id: "register-title", tabindex: "-1", text: t("registerTitle", { title: activity.title }) });
  const when = h("p", { class: "when", text: `${day(session.date)} ${clock(session.starts_at)}–${clock(session.ends_at)} · ${t(session.status)}` });
  const back = h("p", {}, h("a", { href: `#activiteit/${activity.activity_id}`, text: `← ${activity.title}` }));
  const since = daysSince(session.date);
  let state = null;
  if (activity.status !== "published") state = t("notPublished");
  else if (session.status === "cancelled") state = t("cancelledSession", { reason: session.cancel_reason });
  else if (since < 0) state = t("notYet");
  else if (session.status === "held" && since > CORRECTION_DAYS) state = t("tooLate");
  const editable = state === null;

  // Each person: present or not, and a no-show when absent; what the service has, to start with.
  const byPerson = new Map(known.map((r) => [r.participant_id, r]));
  const people = ids.map((id) => ({
    id,
    name: names.get(id),
    present: byPerson.get(id)?.present ?? false,
    noShow: byPerson.get(id)?.no_show ?? false,
    recorded: byPerson.has(id),
  })).sort((a, b) => a.name.localeCompare(b.name));
  const initial = new Map(people.map((p) => [p.id, { present: p.present, noShow: p.noShow }]));
  const anonymousBefore = recorded.filter((r) => !r.participant_id && r.present).reduce((n, r) => n + r.count, 0);
  let anonymous = anonymousBefore;

  const total = h("p", { class: "register-total", id: "present-count", role: "status", "aria-live": "polite" });
  const count = () => people.filter((p) => p.present).length + anonymous;
  const renderTotal = () => { total.textContent = t("countPresent", { n: count() }); };

  const tiles = people.map((person) => {
    const tap = h("button", { type: "button", class: "person", "aria-pressed": String(person.present), disabled: !editable });
    const noShowBox = h("input", { type: "checkbox", id: `no-show-${person.id}`, checked: person.noShow, disabled: !editable });
    const noShowLabel = activity.mode === "enrolment"
      ? h("label", { class: "check small-check", for: noShowBox.id }, noShowBox, t("noShow"))
      : null;
    const render = () => {
      tap.setAttribute("aria-pressed", String(person.present));
      show(tap, h("span", { class: "person-name", text: person.name }), h("span", { class: "person-state", text: t(person.present ? "present" : "absent") }));
      // Only someone absent can be a no-show.
      if (noShowLabel) noShowLabel.hidden = person.present;
      noShowBox.checked = person.noShow;
      renderTotal();
    };
    tap.addEventListener("click", () => {
      person.present = !person.present;
      if (person.present) person.noShow = false;
      render();
    });
    noShowBox.addEventListener("change", () => { person.noShow = noShowBox.checked; });
    render();
    return h("li", { class: "person-tile" }, tap, noShowLabel);
  });

  let counter = null;
  if (activity.mode === "drop_in") {
    const value = h("output", { class: "counter-value", id: "drop-in-count", for: "drop-in-less drop-in-more" });
    const less = h("button", { type: "button", class: "step", id: "drop-in-less", "aria-label": `${t("dropIns")}: ${t("less")}`, text: "−", disabled: !editable });
    const more = h("button", { type: "button", class: "step", id: "drop-in-more", "aria-label": `${t("dropIns")}: ${t("more")}`, text: "+", disabled: !editable });
    const render = () => { value.textContent = String(anonymous); renderTotal(); };
    less.addEventListener("click", () => { anonymous = Math.max(0, anonymous - 1); render(); });
    more.addEventListener("click", () => { anonymous += 1; render(); });
    render();
    counter = h("div", { class: "panel counter", role: "group", "aria-labelledby": "drop-ins-label" },
      h("span", { id: "drop-ins-label", class: "counter-label", text: t("dropIns") }), h("div", { class: "row" }, less, value, more));
  }

  const held = session.status === "held";
  // Saved, but the session not closed yet (the network went on the second request): saving
  // again only closes it.
  let attendanceSaved = false;
  const save = h("button", { type: "button", class: "primary", id: "save-register", text: t(held ? "correct" : "saveAndHold"), disabled: !editable });
  save.addEventListener("click", async () => {
    save.disabled = true;
    try {
      if (held) await correct(app, session, people, initial, anonymous, anonymousBefore);
      else {
        if (!attendanceSaved) await recordAttendance(app, session, activity, people, anonymous - anonymousBefore);
        attendanceSaved = true;
        const closed = await app.write("POST", `/sessions/${session.session_id}/hold`);
        app.say(t("heldNow", { n: closed.attendees }));
      }
      await reload();
    } catch (error) {
      app.fail(error);
      save.disabled = false;
    }
  });
  show(main, back, heading, when,
    state ? h("p", { class: "banner", id: "register-state", text: state }) : null,
    editable ? h("p", { class: "note", text: held ? t("correctNote") : t("tapPresent") }) : null,
    total,
    people.length ? h("ul", { class: "plain register" }, tiles) : activity.mode === "enrolment" ? h("p", { text: t("seatedNone") }) : null,
    counter,
    h("div", { class: "row register-actions" }, save));
  renderTotal();
  focusSoon(heading);
}

// The register as the service does not have it yet: those not recorded, and the drop-ins added.
async function recordAttendance(app, session, activity, people, extraAnonymous) {
  const entries = people.filter((p) => !p.recorded && (activity.mode === "enrolment" || p.present))
    .map((p) => ({ participant_id: p.id, present: p.present, no_show: !p.present && p.noShow }));
  if (extraAnonymous > 0) entries.push({ count: extraAnonymous });
  if (entries.length) await app.write("POST", `/sessions/${session.session_id}/attendance`, { entries });
}

async function correct(app, session, people, initial, anonymous, anonymousBefore) {
  const participants = people
    .filter((p) => initial.get(p.id).present !== p.present || initial.get(p.id).noShow !== (!p.present && p.noShow))
    .map((p) => ({ participant_id: p.id, present: p.present, no_show: !p.present && p.noShow }));
  const body = { participants };
  if (anonymous !== anonymousBefore) body.anonymous = anonymous;
  if (!participants.length && body.anonymous === undefined) {
    app.say(t("nothingChanged"));
    return;
  }
  const corrected = await app.write("POST", `/sessions/${session.session_id}/attendance/correction`, body);
  app.say(t("corrected", { n: corrected.session.attendees }));
}
