// The volunteers: the list with its filters and a name search sent in the body of a POST (never
// in an address), a new application, and a volunteer's page with everything kept about them.
import { ask } from "@buurtwerk/kit/dialog.js";
import { h, show } from "@buurtwerk/kit/dom.js";
import { euro, todayInBrussels, number } from "@buurtwerk/kit/i18n.js";
import {
  STATUSES, NEXT, all, api, centreName, centreSelect, centres, cents, field, fullName,
  heading, saving, statusLine,
} from "./context.js";
import { t } from "./texts.js";

const PURPOSES = ["reminders_sms", "reminders_email", "photos", "newsletter"];
// What the list shows, kept while the app is open (a name typed stays out of the address).
const filters = { status: "", centre: "", name: "" };

function table(volunteers) {
  if (!volunteers.length) return h("p", { text: t("none") });
  return h("div", { class: "table-scroll" }, h("table", {},
    h("thead", {}, h("tr", {},
      h("th", { scope: "col", text: t("name") }),
      h("th", { scope: "col", text: t("status") }),
      h("th", { scope: "col", text: t("centre") }),
      h("th", { scope: "col", text: t("languages") }),
      h("th", { scope: "col", text: t("bvw") }))),
    h("tbody", {}, volunteers.map((v) => h("tr", {},
      h("td", {}, h("a", { href: `#/volunteer/${v.volunteer_id}`, text: fullName(v) })),
      h("td", { text: t(v.status) }),
      h("td", { text: v.centre_ids.map(centreName).join(", ") }),
      h("td", { text: v.languages.join(", ") }),
      h("td", { text: v.buren_voor_wijken_member_since ? t("bvwSince", { date: v.buren_voor_wijken_member_since }) : "" }))))));
}

/** The list of volunteers, filtered and searched. */
export async function peopleScreen() {
  const status = h("select", { id: "filter-status" },
    h("option", { value: "", text: t("anyStatus") }),
    STATUSES.map((s) => h("option", { value: s, selected: s === filters.status, text: t(s) })));
  const centre = centreSelect("filter-centre", filters.centre, true);
  const name = h("input", { id: "search-name", type: "search", value: filters.name, autocomplete: "off", minlength: "2" });
  const results = h("div", { id: "results", "aria-live": "polite" });
  const form = h("form", { class: "toolbar", role: "search" },
    field(t("status"), status), field(t("centre"), centre),
    h("div", { class: "field" }, h("label", { for: "search-name", text: t("searchName") }), name),
    h("button", { type: "submit", class: "primary", text: t("search") }),
    h("button", { type: "button", id: "clear-search", text: t("clear"), onclick: () => {
      name.value = "";
      status.value = "";
      form.requestSubmit();
    } }));
  const load = async () => {
    Object.assign(filters, { status: status.value, centre: centre.value, name: name.value.trim() });
    const query = { status: filters.status, centre_id: filters.centre };
    const list = filters.name.length >= 2
      ? await all("/volunteers/search", query, "POST", { name: filters.name })
      : await all("/volunteers", query);
    show(results, h("p", { class: "note", text: t("results", { n: list.length }) }), table(list));
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  await load();
  return h("div", { class: "stack" }, heading(t("people")), form,
    h("p", { class: "note", text: t("searchNote") }), results, newVolunteerForm());
}

function newVolunteerForm() {
  const given = h("input", { id: "new-given", required: true, autocomplete: "off" });
  const family = h("input", { id: "new-family", required: true, autocomplete: "off" });
  const email = h("input", { id: "new-email", type: "email", autocomplete: "off" });
  const phone = h("input", { id: "new-phone", type: "tel", autocomplete: "off" });
  const centre = centreSelect("new-centre", centres()[0]?.id);
  const line = statusLine();
  const form = h("form", { class: "panel" },
    h("h3", { text: t("newVolunteer") }),
    h("div", { class: "toolbar" }, field(t("givenName"), given), field(t("familyName"), family),
      field(t("email"), email), field(t("phone"), phone), field(t("centre"), centre),
      h("button", { type: "submit", class: "primary", text: t("register") })),
    line);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const created = await saving(line, () => api("/volunteers", { method: "POST", body: {
      given_name: given.value.trim(),
      family_name: family.value.trim(),
      email: email.value.trim() || null,
      phone: phone.value.trim() || null,
      centre_ids: [centre.value],
    } }));
    if (created) location.hash = `#/volunteer/${created.volunteer_id}`;
  });
  return form;
}

const facts = (pairs) => h("dl", { class: "facts" },
  pairs.filter(([, value]) => value).map(([term, value]) => [h("dt", { text: term }), h("dd", { text: value })]));

/** A volunteer's page. */
export async function volunteerScreen(id) {
  const year = Number(todayInBrussels().slice(0, 4));
  const [v, groups, statement] = await Promise.all([
    api(`/volunteers/${id}`),
    all("/groups"),
    api(`/volunteers/${id}/allowances/statement?year=${year}`),
  ]);
  const name = fullName(v);
  const redraw = () => dispatchEvent(new HashChangeEvent("hashchange"));
  const line = statusLine();
  const moves = v.erased ? [] : NEXT[v.status].map((next) => h("button", {
    type: "button", class: next === "left" ? "secondary" : "primary", id: `move-${next}`,
    text: t("moveTo", { status: t(next) }),
    onclick: async () => {
      if (await saving(line, () => api(`/volunteers/${id}/status`, { method: "POST", body: { status: next } }))) redraw();
    },
  }));
  return h("div", { class: "stack" },
    h("p", {}, h("a", { href: "#/people", text: t("back") })),
    heading(name),
    h("div", { class: "row" }, h("span", { class: "badge ok", id: "volunteer-status", text: t(v.status) }), moves),
    line,
    h("div", { class: "columns" },
      h("div", { class: "stack" },
        h("section", { class: "panel", id: "details", "aria-labelledby": "data-title" },
          h("h3", { id: "data-title", text: t("data") }),
          facts([
            [t("email"), v.email], [t("phone"), v.phone], [t("address"), v.address],
            [t("centre"), v.centre_ids.map(centreName).join(", ")],
            [t("languages"), v.languages.join(", ")], [t("skills"), v.skills.join(", ")],
            [t("bvw"), v.buren_voor_wijken_member_since && t("bvwSince", { date: v.buren_voor_wijken_member_since })],
          ]),
          v.erased ? null : editForm(v, redraw)),
        consents(v, redraw),
        qualifications(v, redraw),
        h("section", { class: "panel", "aria-labelledby": "groups-title" },
          h("h3", { id: "groups-title", text: t("inGroups") }),
          v.group_ids.length
            ? h("ul", {}, v.group_ids.map((g) => h("li", { text: groups.find((x) => x.group_id === g)?.name ?? g })))
            : h("p", { text: t("noGroups") }))),
      h("div", { class: "stack" },
        h("section", { class: "panel", "aria-labelledby": "hours-title" },
          h("h3", { id: "hours-title", text: t("hours") }),
          h("p", { id: "total-hours", text: t("totalHours", { hours: number(v.total_hours, 2) }) }),
          h("h4", { text: t("milestones") }),
          v.milestones.length
            ? h("ul", { id: "milestones" }, v.milestones.map((m) => h("li", { text: t(m) })))
            : h("p", { text: t("noMilestones") })),
        allowances(v, statement, year, redraw),
        privacy(v, name))));
}

const list = (text) => text.split(",").map((x) => x.trim()).filter(Boolean);

function editForm(v, redraw) {
  const input = (id, value, attributes = {}) => h("input", { id, value: value ?? "", autocomplete: "off", ...attributes });
  const given = input("edit-given", v.given_name, { required: true });
  const family = input("edit-family", v.family_name, { required: true });
  const email = input("edit-email", v.email, { type: "email" });
  const phone = input("edit-phone", v.phone, { type: "tel" });
  const address = input("edit-address", v.address);
  const languages = input("edit-languages", v.languages.join(", "));
  const skills = input("edit-skills", v.skills.join(", "));
  const bvw = input("edit-bvw", v.buren_voor_wijken_member_since, { type: "date", max: todayInBrussels() });
  const line = statusLine();
  const form = h("form", { class: "stack" },
    h("div", { class: "toolbar" }, field(t("givenName"), given), field(t("familyName"), family),
      field(t("email"), email), field(t("phone"), phone), field(t("address"), address),
      field(t("commaList", { label: t("languages") }), languages), field(t("commaList", { label: t("skills") }), skills),
      field(t("bvwSinceLabel"), bvw)),
    h("button", { type: "submit", class: "primary", id: "save-details", text: t("saveDetails") }), line);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api(`/volunteers/${v.volunteer_id}`, { method: "PATCH", body: {
      given_name: given.value.trim(), family_name: family.value.trim(),
      email: email.value.trim() || null, phone: phone.value.trim() || null, address: address.value.trim() || null,
      languages: list(languages.value.toLowerCase()), skills: list(skills.value),
      buren_voor_wijken_member_since: bvw.value || null,
    } }))) redraw();
  });
  return h("details", { id: "edit-details" }, h("summary", { text: t("edit") }), form);
}

function consents(v, redraw) {
  const line = statusLine();
  const latest = Object.fromEntries(v.consents.map((c) => [c.purpose, c]));
  return h("section", { class: "panel", "aria-labelledby": "consents-title" },
    h("h3", { id: "consents-title", text: t("consents") }),
    h("ul", { class: "plain stack" }, PURPOSES.map((purpose) => {
      const c = latest[purpose];
      const state = !c ? t("notAsked") : t(c.given ? "given" : "withdrawn", { date: c.given_at.slice(0, 10) });
      const give = !c?.given;
      return h("li", { class: "spread" },
        h("span", {}, h("strong", { text: t(purpose) }), ` – ${state}`),
        v.erased ? null : h("button", {
          type: "button", class: give ? "secondary" : "danger",
          "aria-label": `${t(give ? "give" : "withdraw")}: ${t(purpose)}`,
          text: t(give ? "give" : "withdraw"),
          onclick: async () => {
            if (await saving(line, () => api(`/volunteers/${v.volunteer_id}/consents`, { method: "POST", body: { purpose, given: give } }))) redraw();
          },
        }));
    })), line);
}

function qualifications(v, redraw) {
  const code = h("input", { id: "q-code", required: true, pattern: "[a-z][a-z0-9_]{1,49}", value: "food_hygiene" });
  const obtained = h("input", { id: "q-obtained", type: "date", required: true, max: todayInBrussels() });
  const expires = h("input", { id: "q-expires", type: "date" });
  const line = statusLine();
  const form = h("form", { class: "toolbar" }, field(t("qualification"), code), field(t("obtainedOn"), obtained),
    field(t("expiresOn"), expires), h("button", { type: "submit", text: t("addQualification") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api(`/volunteers/${v.volunteer_id}/qualifications`, { method: "POST", body: {
      qualification: code.value, obtained_on: obtained.value, expires_on: expires.value || null,
    } }))) redraw();
  });
  return h("section", { class: "panel", "aria-labelledby": "q-title" },
    h("h3", { id: "q-title", text: t("qualifications") }),
    v.qualifications.length
      ? h("ul", {}, v.qualifications.map((q) => h("li", {},
        `${q.qualification} (${q.obtained_on}${q.expires_on ? ` – ${q.expires_on}` : ""}) `,
        h("span", { class: `badge ${q.valid_today ? "ok" : "warn"}`, text: t(q.valid_today ? "validToday" : "expiredQ") }))))
      : h("p", { text: t("noQualifications") }),
    v.erased ? null : form, line);
}

function allowances(v, statement, year, redraw) {
  const caps = statement.caps;
  const date = h("input", { id: "allowance-date", type: "date", required: true, value: todayInBrussels() });
  const amount = h("input", { id: "allowance-amount", inputmode: "decimal", required: true, size: "8" });
  const line = statusLine();
  const form = h("form", { class: "toolbar" }, field(t("date"), date), field(t("amount"), amount),
    h("button", { type: "submit", text: t("recordAllowance") }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api(`/volunteers/${v.volunteer_id}/allowances`, { method: "POST", body: {
      date: date.value, amount_cents: cents(amount.value),
    } }))) redraw();
  });
  return h("section", { class: "panel", "aria-labelledby": "allowances-title" },
    h("h3", { id: "allowances-title", text: t("allowances", { year }) }),
    caps
      ? h("p", { id: "caps-line", text: t("capsLine", {
        day: euro(caps.per_day_cents), year: euro(caps.per_year_cents), total: euro(statement.total_cents),
        days: statement.days, remaining: euro(statement.remaining_cents ?? 0),
      }) })
      : h("p", { class: "banner", id: "caps-missing", text: t("capsMissing", { year }) }),
    statement.lines.length
      ? h("ul", {}, statement.lines.map((l) => h("li", { text: `${l.date}: ${euro(l.amount_cents)}` })))
      : null,
    v.erased ? null : form, line);
}

function privacy(v, name) {
  const line = statusLine();
  const download = h("button", { type: "button", id: "export", text: t("exportData"), onclick: async () => {
    const data = await saving(line, () => api(`/volunteers/${v.volunteer_id}/export`), "");
    if (!data) return;
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const link = h("a", { href: URL.createObjectURL(blob), download: `vrijwilliger-${v.volunteer_id}.json` });
    link.click();
    URL.revokeObjectURL(link.href);
  } });
  const erase = h("button", { type: "button", class: "danger", id: "erase", text: t("erase"), onclick: async () => {
    const word = h("input", { id: "erase-word", autocomplete: "off", required: true, pattern: t("eraseWord") });
    const answer = await ask({
      title: t("eraseTitle", { name }),
      content: [h("p", { text: t("eraseText") }), field(t("eraseConfirm"), word)],
      actions: [{ label: t("cancel"), value: "" }, { label: t("erase"), value: "yes", primary: true }],
      form: true,
    });
    if (answer !== "yes" || word.value.trim() !== t("eraseWord")) return;
    if (await saving(line, () => api(`/volunteers/${v.volunteer_id}/erasure`, { method: "POST" }))) {
      dispatchEvent(new HashChangeEvent("hashchange"));
    }
  } });
  return h("section", { class: "panel", "aria-labelledby": "privacy-title" },
    h("h3", { id: "privacy-title", text: t("privacy") }),
    h("div", { class: "row" }, download, v.erased ? null : erase), line);
}
