// Volunteer groups recruited as one (a class, a company team, a neighbourhood group), and the
// members of Buren voor Wijken: a group moves along the pipeline as a whole.
import { h } from "@buurtwerk/kit/dom.js";
import { NEXT, all, api, centreName, centreSelect, centres, field, fullName, heading, saving, statusLine } from "./context.js";
import { t } from "./texts.js";

const KINDS = ["neighbourhood_group", "school_class", "company_team", "other"];
const redraw = () => dispatchEvent(new HashChangeEvent("hashchange"));

/** The groups screen. */
export async function groupsScreen() {
  const [groups, volunteers, bvw] = await Promise.all([
    all("/groups"), all("/volunteers"), all("/volunteers", { buren_voor_wijken_member: true }),
  ]);
  const names = Object.fromEntries(volunteers.map((v) => [v.volunteer_id, fullName(v)]));
  return h("div", { class: "stack" }, heading(t("groupsTitle")),
    h("div", { class: "columns" },
      h("div", { class: "stack" }, groups.map((g) => group(g, names, volunteers)), newGroupForm()),
      h("section", { class: "panel", "aria-labelledby": "bvw-title" },
        h("h3", { id: "bvw-title", text: t("bvwMembers") }),
        bvw.length
          ? h("ul", {}, bvw.map((v) => h("li", {}, h("a", { href: `#/volunteer/${v.volunteer_id}`, text: fullName(v) }),
            ` – ${t("bvwSince", { date: v.buren_voor_wijken_member_since })}`)))
          : h("p", { text: t("none") }))));
}

function group(g, names, volunteers) {
  const line = statusLine();
  const id = `group-${g.group_id}`;
  const outside = volunteers.filter((v) => !v.erased && !g.member_ids.includes(v.volunteer_id));
  const who = h("select", { id: `${id}-add`, required: true },
    h("option", { value: "", text: t("chooseVolunteer") }),
    outside.map((v) => h("option", { value: v.volunteer_id, text: fullName(v) })));
  const add = h("form", { class: "toolbar" }, field(t("addMember"), who), h("button", { type: "submit", text: t("addMember") }));
  add.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api(`/groups/${g.group_id}/members`, { method: "POST", body: { volunteer_id: who.value } }))) redraw();
  });
  return h("section", { class: "panel", "aria-labelledby": id },
    h("h3", { id, text: `${g.name} (${t(g.kind)})` }),
    h("p", { text: `${t(g.status)} · ${g.centre_ids.map(centreName).join(", ")} · ${t("members", { n: g.member_ids.length })}` }),
    h("ul", {}, g.member_ids.map((m) => h("li", { text: names[m] ?? "…" }))),
    h("div", { class: "row" }, (NEXT[g.status] ?? []).map((next) => h("button", {
      type: "button", "aria-label": `${g.name}: ${t("moveGroup", { status: t(next) })}`, text: t("moveGroup", { status: t(next) }),
      onclick: async () => {
        if (await saving(line, () => api(`/groups/${g.group_id}/status`, { method: "POST", body: { status: next } }))) redraw();
      },
    }))),
    add, line);
}

function newGroupForm() {
  const name = h("input", { id: "group-name", required: true, maxlength: "200" });
  const kind = h("select", { id: "group-kind" }, KINDS.map((k) => h("option", { value: k, text: t(k) })));
  const centre = centreSelect("group-centre", centres()[0]?.id);
  const line = statusLine();
  const form = h("form", { class: "panel", "aria-labelledby": "new-group-title" },
    h("h3", { id: "new-group-title", text: t("newGroup") }),
    h("div", { class: "toolbar" }, field(t("groupName"), name), field(t("kind"), kind), field(t("centre"), centre),
      h("button", { type: "submit", class: "primary", text: t("newGroup") })), line);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api("/groups", { method: "POST", body: { name: name.value.trim(), kind: kind.value, centre_ids: [centre.value] } }))) redraw();
  });
  return form;
}
