// The activities of a centre, and one activity: its details (editable, also once published),
// its sessions (planned also in a draft) and its enrolments with the waiting list.
import { ask } from "@buurtwerk/kit/dialog.js";
import { focusSoon, h, show } from "@buurtwerk/kit/dom.js";
import { clock, day, todayInBrussels } from "@buurtwerk/kit/i18n.js";
import { choice, field } from "./context.js";
import { KINDS, t } from "./texts.js";

/** The list of a centre's activities, and the form for a new one. */
export async function activityList(app, main) {
  const centre = app.centre();
  const page = await app.get(`/activities?centre_id=${centre}&limit=200`);
  const rows = page.items.map((a) => h("tr", {},
    h("th", { scope: "row" }, h("a", { href: `#activiteit/${a.activity_id}`, text: a.title })),
    h("td", { text: t(a.kind) }),
    h("td", { text: t(a.mode) }),
    h("td", {}, h("span", { class: `badge ${a.status === "published" ? "ok" : "muted"}`, text: t(a.status) })),
    h("td", { text: a.mode === "enrolment" ? t("seats", { taken: a.seats_taken, capacity: a.capacity }) : "–" }),
    h("td", { class: "number", text: a.mode === "enrolment" ? String(a.waitlisted) : "–" })));
  show(main,
    h("h2", { text: t("activities") }),
    page.items.length
      ? h("div", { class: "table-scroll" }, h("table", { class: "activities" },
        h("thead", {}, h("tr", {}, [t("title"), t("kind"), t("mode"), t("status"), t("capacity"), t("waitlist")]
          .map((text, i) => h("th", { scope: "col", class: i === 5 ? "number" : null, text })))),
        h("tbody", {}, rows)))
      : h("p", { text: t("noActivities") }),
    newActivityForm(app, centre));
}

function newActivityForm(app, centre) {
  const title = h("input", { name: "title", required: true, maxlength: 120 });
  const kind = choice(KINDS.map((k) => [k, t(k)]), "computer_course");
  const mode = choice([["enrolment", t("enrolment")], ["drop_in", t("drop_in")]], "enrolment");
  const capacity = h("input", { type: "number", min: 1, max: 1000, value: 12, inputmode: "numeric" });
  const partner = choice(app.codes.partners.map((p) => [p.id, app.label("partners", p.id)]), "", { empty: t("none") });
  const groups = targetGroupChecks(app, "new-tg", []);
  const form = h("form", { class: "panel stack new-activity", "aria-labelledby": "new-activity-title" },
    h("h2", { id: "new-activity-title", text: t("newActivity") }),
    h("div", { class: "form-grid" },
      field("new-title", t("title"), title),
      field("new-kind", t("kind"), kind),
      field("new-mode", t("mode"), mode),
      field("new-capacity", t("capacity"), capacity),
      field("new-partner", t("partner"), partner)),
    groups.fieldset,
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary", text: t("create") })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const created = await app.write("POST", "/activities", {
        centre_id: centre,
        kind: kind.value,
        title: title.value,
        mode: mode.value,
        capacity: mode.value === "enrolment" || capacity.value ? Number(capacity.value) : null,
        partner: partner.value || null,
        target_groups: groups.chosen(),
      });
      app.go(`#activiteit/${created.activity_id}`, t("created"));
    } catch (error) {
      app.fail(error);
    }
  });
  return form;
}

function targetGroupChecks(app, prefix, chosen) {
  const boxes = app.codes.target_groups.map((g) => {
    const box = h("input", { type: "checkbox", id: `${prefix}-${g.id}`, value: g.id, checked: chosen.includes(g.id) });
    return h("label", { class: "check", for: box.id }, box, app.label("target_groups", g.id));
  });
  const fieldset = h("fieldset", { class: "groups" }, h("legend", { text: t("targetGroups") }), boxes);
  return {
    fieldset,
    chosen: () => [...fieldset.querySelectorAll("input:checked")].map((b) => b.value),
  };
}

/** One activity: details, sessions, enrolments. */
export async function activityPage(app, main, activityId) {
  const activity = await app.get(`/activities/${activityId}`);
  const sessions = await app.get(`/sessions?activity_id=${activityId}&limit=200`);
  const enrolments = activity.mode === "enrolment"
    ? (await app.get(`/enrolments?activity_id=${activityId}&limit=200`)).items
      .filter((e) => ["enrolled", "completed", "waitlisted"].includes(e.status))
    : [];
  const names = await app.names(enrolments.map((e) => e.participant_id), activity.centre_id);
  const reload = () => activityPage(app, main, activityId);
  const heading = h("h2", { id: "activity-title", tabindex: "-1", text: activity.title });
  show(main,
    h("p", {}, h("a", { href: "#activiteiten", text: t("back") })),
    h("div", { class: "spread" }, heading,
      h("div", { class: "row" },
        h("span", { class: `badge ${activity.status === "published" ? "ok" : "muted"}`, id: "activity-status", text: t(activity.status) }),
        h("span", { class: "badge muted", text: `${t(activity.kind)} · ${t(activity.mode)}` }),
        activity.mode === "enrolment"
          ? h("span", { class: "badge muted", id: "seats", text: t("seats", { taken: activity.seats_taken, capacity: activity.capacity }) })
          : null)),
    h("div", { class: "activity-grid" },
      h("div", { class: "stack" },
        editForm(app, activity, reload),
        activity.status === "draft" ? publishButton(app, activity, reload) : null),
      h("div", { class: "stack" },
        sessionsPanel(app, activity, sessions.items, reload),
        activity.mode === "enrolment" ? enrolmentsPanel(app, activity, enrolments, names, reload) : null)));
  focusSoon(heading);
}

function editForm(app, activity, reload) {
  const published = activity.status === "published";
  const title = h("input", { value: activity.title, required: true, maxlength: 120 });
  const description = h("textarea", {});
  description.value = activity.description ?? "";
  const partner = choice(app.codes.partners.map((p) => [p.id, app.label("partners", p.id)]), activity.partner ?? "", { empty: t("none") });
  const capacity = h("input", { type: "number", min: 1, max: 1000, value: activity.capacity ?? "", inputmode: "numeric", required: activity.mode === "enrolment" });
  const groups = targetGroupChecks(app, "edit-tg", activity.target_groups);
  const form = h("form", { class: "panel stack", "aria-labelledby": "edit-title" },
    h("h3", { id: "edit-title", text: t("edit") }),
    published ? h("p", { class: "note", text: t("editNote") }) : null,
    field("edit-title-input", t("title"), title),
    field("edit-description", t("description"), description),
    field("edit-partner", t("partner"), partner),
    field("edit-capacity", t("capacity"), capacity),
    groups.fieldset,
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary", id: "save-activity", text: t("save") })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      title: title.value,
      description: description.value.trim() || null,
      partner: partner.value || null,
      target_groups: groups.chosen(),
    };
    if (capacity.value) body.capacity = Number(capacity.value);
    try {
      const changed = await app.write("PATCH", `/activities/${activity.activity_id}`, body);
      const moved = activity.waitlisted - changed.waitlisted;
      await reload();
      app.say(moved > 0 ? t("promoted", { n: moved }) : t("saved"));
    } catch (error) {
      app.fail(error);
    }
  });
  return form;
}

function publishButton(app, activity, reload) {
  const button = h("button", { type: "button", class: "primary", id: "publish", text: t("publish") });
  button.addEventListener("click", async () => {
    try {
      await app.write("POST", `/activities/${activity.activity_id}/publish`);
      await reload();
      app.say(t("publishedNow"));
    } catch (error) {
      app.fail(error);
    }
  });
  return h("div", { class: "row" }, button);
}

function sessionsPanel(app, activity, sessions, reload) {
  const rows = sessions.map((s) => {
    const cancel = s.status === "scheduled"
      ? h("button", { type: "button", class: "secondary small", text: t("cancelSession"), "aria-label": `${t("cancelSession")}: ${day(s.date)}` })
      : null;
    cancel?.addEventListener("click", () => cancelSession(app, s, reload));
    return h("tr", {},
      h("th", { scope: "row", text: `${day(s.date)} ${clock(s.starts_at)}–${clock(s.ends_at)}` }),
      h("td", {}, h("span", { class: `badge ${s.status === "held" ? "ok" : s.status === "cancelled" ? "warn" : "muted"}`, text: t(s.status) })),
      h("td", { class: "number", text: s.attendees ?? "–" }),
      h("td", {}, h("div", { class: "row" },
        s.status !== "cancelled" && activity.status === "published"
          ? h("a", { class: "button", href: `#sessie/${s.session_id}`, text: t("register"), "aria-label": `${t("register")}: ${day(s.date)}` })
          : null,
        cancel)));
  });
  const date = h("input", { type: "date", required: true, value: todayInBrussels() });
  const start = h("input", { type: "time", required: true, value: "13:30" });
  const end = h("input", { type: "time", required: true, value: "15:30" });
  const weeks = h("input", { type: "number", min: 1, max: 52, value: 1, inputmode: "numeric" });
  const form = h("form", { class: "stack plan-form" },
    h("h4", { text: t("plan") }),
    h("p", { class: "note", text: t("planNote") }),
    h("div", { class: "form-grid" },
      field("plan-date", t("date"), date),
      field("plan-start", t("start"), start),
      field("plan-end", t("end"), end),
      field("plan-weeks", t("weeks"), weeks)),
    h("div", { class: "row" }, h("button", { type: "submit", text: t("plan") })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const planned = await app.write("POST", `/activities/${activity.activity_id}/sessions`, {
        date: date.value, start_time: start.value, end_time: end.value, weeks: Number(weeks.value || 1),
      });
      await reload();
      app.say(t("planned", { n: planned.sessions.length }));
    } catch (error) {
      app.fail(error);
    }
  });
  return h("section", { class: "panel stack", "aria-labelledby": "sessions-title" },
    h("h3", { id: "sessions-title", text: t("sessions") }),
    sessions.length
      ? h("div", { class: "table-scroll" }, h("table", { class: "sessions" },
        h("thead", {}, h("tr", {}, [t("date"), t("status"), t("attendees"), t("actions")].map((text, i) =>
          h("th", { scope: "col", class: i === 2 ? "number" : null, text })))),
        h("tbody", {}, rows)))
      : h("p", { text: t("noSessions") }),
    form);
}

async function cancelSession(app, session, reload) {
  const reason = h("input", { id: "cancel-reason", required: true, maxlength: 500 });
  const answer = await ask({
    title: t("cancelTitle"),
    form: true,
    content: [h("p", { text: `${day(session.date)} ${clock(session.starts_at)}` }), field("cancel-reason", t("reason"), reason)],
    actions: [{ label: t("cancel"), value: "" }, { label: t("cancelSession"), value: "yes", primary: true }],
  });
  if (answer !== "yes") return;
  try {
    await app.write("POST", `/sessions/${session.session_id}/cancel`, { reason: reason.value });
    await reload();
  } catch (error) {
    app.fail(error);
  }
}

function enrolmentsPanel(app, activity, enrolments, names, reload) {
  const seated = enrolments.filter((e) => e.status !== "waitlisted");
  const waiting = enrolments.filter((e) => e.status === "waitlisted")
    .sort((a, b) => a.waitlist_position - b.waitlist_position);
  const item = (e) => {
    const name = names.get(e.participant_id);
    const cancel = e.status === "completed" ? null
      : h("button", { type: "button", class: "secondary small", text: t("cancelEnrolment"), "aria-label": `${t("cancelEnrolment")}: ${name}` });
    cancel?.addEventListener("click", async () => {
      try {
        await app.write("POST", `/enrolments/${e.enrolment_id}/cancel`);
        await reload();
      } catch (error) {
        app.fail(error);
      }
    });
    return h("li", { class: "spread" },
      h("span", {}, name, e.status === "waitlisted" ? h("span", { class: "note", text: ` · ${t("position", { n: e.waitlist_position })}` }) : null),
      cancel);
  };
  return h("section", { class: "panel stack", "aria-labelledby": "enrolments-title" },
    h("h3", { id: "enrolments-title", text: t("enrolments") }),
    h("h4", { text: `${t("enrolled")} (${seated.length})` }),
    seated.length ? h("ul", { class: "plain people", id: "enrolled-list" }, seated.map(item)) : h("p", { text: t("noEnrolled") }),
    h("h4", { text: `${t("waitlist")} (${waiting.length})` }),
    waiting.length ? h("ol", { class: "plain people", id: "waiting-list" }, waiting.map(item)) : h("p", { text: t("noWaiting") }),
    activity.status === "published" ? enrolForm(app, activity, reload) : null);
}

/** Find a participant by name (the name travels in a POST body, never in a URL). */
export function participantFinder(app, prefix, onChoose, chooseLabel) {
  const name = h("input", { minlength: 2, maxlength: 120, autocomplete: "off" });
  const results = h("ul", { class: "plain people", "aria-live": "polite" });
  const button = h("button", { type: "button", text: t("search") });
  const search = async () => {
    if (name.value.trim().length < 2) return;
    try {
      const found = await app.write("POST", "/participants/search?limit=20", { name: name.value });
      show(results, found.items.length ? found.items.map((p) => {
        const label = [p.given_name, p.family_name].filter(Boolean).join(" ");
        const choose = h("button", { type: "button", class: "small", text: chooseLabel, "aria-label": `${chooseLabel}: ${label}` });
        choose.addEventListener("click", () => onChoose(p.participant_id, label));
        return h("li", { class: "spread" }, h("span", { text: `${label} · ${app.label("age_bands", p.age_band)}` }), choose);
      }) : h("li", { text: t("noMatch") }));
    } catch (error) {
      app.fail(error);
    }
  };
  button.addEventListener("click", search);
  name.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      search();
    }
  });
  return h("div", { class: "stack" }, h("div", { class: "row finder" }, field(`${prefix}-name`, t("searchName"), name), button), results);
}

function enrolForm(app, activity, reload) {
  const enrol = async (participantId, name) => {
    try {
      const enrolment = await app.write("POST", `/activities/${activity.activity_id}/enrolments`, { participant_id: participantId });
      await reload();
      app.say(t(enrolment.status === "enrolled" ? "enrolledNow" : "waitlistedNow", { name }));
    } catch (error) {
      app.fail(error);
    }
  };
  const given = h("input", { required: true, maxlength: 80 });
  const family = h("input", { maxlength: 80 });
  const age = choice(app.codes.age_bands.filter((b) => b.id !== "unknown").map((b) => [b.id, b.nl === b.en ? b.nl : app.label("age_bands", b.id)]), "26-64");
  const group = choice(app.codes.target_groups.map((g) => [g.id, app.label("target_groups", g.id)]), "", { empty: t("none") });
  const area = choice(app.codes.neighbourhoods.map((n) => [n, n]), "", { empty: t("none") });
  const form = h("form", { class: "stack" },
    h("div", { class: "form-grid" },
      field("new-given", t("givenName"), given),
      field("new-family", t("familyName"), family),
      field("new-age", t("ageBand"), age),
      field("new-group", t("targetGroup"), group),
      field("new-area", t("neighbourhood"), area)),
    h("div", { class: "row" }, h("button", { type: "submit", text: t("registerAndEnrol") })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const person = await app.write("POST", "/participants", {
        centre_id: activity.centre_id,
        given_name: given.value,
        family_name: family.value || null,
        age_band: age.value,
        target_group: group.value || null,
        neighbourhood: area.value || null,
      });
      await enrol(person.participant_id, [given.value, family.value].filter(Boolean).join(" "));
    } catch (error) {
      app.fail(error);
    }
  });
  return h("div", { class: "stack" },
    h("h4", { text: t("enrolTitle") }),
    participantFinder(app, "enrol", enrol, t("enrol")),
    h("details", {}, h("summary", { text: t("newParticipant") }), form));
}
