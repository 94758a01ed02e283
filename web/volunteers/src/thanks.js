// Appreciation: who reached a milestone (people to thank), the moments recorded, and a form to
// record one (an event, a gift, a thank-you) for some volunteers.
import { h } from "@buurtwerk/kit/dom.js";
import { todayInBrussels } from "@buurtwerk/kit/i18n.js";
import {
  all, api, centreName, centreSelect, centres, field, fullName, heading, login, saving, statusLine,
} from "./context.js";
import { t } from "./texts.js";

/** The appreciation screen. */
export async function thanksScreen() {
  const [milestones, moments, active] = await Promise.all([
    all("/milestones"), all("/appreciations"), all("/volunteers", { status: "active" }),
  ]);
  const names = Object.fromEntries(active.map((v) => [v.volunteer_id, fullName(v)]));
  return h("div", { class: "stack" }, heading(t("thanks")),
    h("div", { class: "columns" },
      h("section", { class: "panel", "aria-labelledby": "milestones-title" },
        h("h3", { id: "milestones-title", text: t("milestonesTitle") }),
        milestones.length
          ? h("ul", { id: "milestone-list" }, milestones.map((m) => h("li", {},
            h("a", { href: `#/volunteer/${m.volunteer_id}`, text: fullName(m) }),
            `: ${t(m.milestone)}, ${t("reachedOn", { date: m.reached_at.slice(0, 10) })}`)))
          : h("p", { text: t("noMilestones") })),
      h("div", { class: "stack" },
        appreciationForm(active),
        h("section", { class: "panel", "aria-labelledby": "moments-title" },
          h("h3", { id: "moments-title", text: t("appreciations") }),
          moments.length
            ? h("ul", {}, moments.map((m) => h("li", {},
              h("strong", { text: m.title }),
              ` – ${t(m.kind)}, ${m.date}, ${centreName(m.centre_id)}: `,
              m.volunteer_ids.map((id) => names[id] ?? "…").join(", "))))
            : h("p", { text: t("noAppreciations") })))));
}

function appreciationForm(active) {
  const kind = h("select", { id: "moment-kind" }, ["event", "gift", "thank_you"].map((k) => h("option", { value: k, text: t(k) })));
  const title = h("input", { id: "moment-title", required: true, maxlength: "200" });
  const date = h("input", { id: "moment-date", type: "date", required: true, value: todayInBrussels() });
  // A city-wide moment is for a token of every centre; anyone else records one of their centres.
  const cityWide = login.session?.centres.includes("all");
  const centre = centreSelect("moment-centre", cityWide ? "" : centres()[0]?.id, cityWide);
  if (cityWide) centre.firstChild.textContent = t("cityWide");
  const people = h("fieldset", {}, h("legend", { text: t("forWhom") }),
    active.map((v, i) => h("label", { class: "check", for: `moment-v-${i}` },
      h("input", { type: "checkbox", id: `moment-v-${i}`, value: v.volunteer_id }), fullName(v))));
  const line = statusLine();
  const form = h("form", { class: "panel stack", "aria-labelledby": "moment-form-title" },
    h("h3", { id: "moment-form-title", text: t("newAppreciation") }),
    h("div", { class: "toolbar" }, field(t("kind"), kind), field(t("title"), title), field(t("date"), date), field(t("centre"), centre)),
    people, h("button", { type: "submit", class: "primary", text: t("record") }), line);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ids = [...people.querySelectorAll("input:checked")].map((x) => x.value);
    if (await saving(line, () => api("/appreciations", { method: "POST", body: {
      kind: kind.value, title: title.value.trim(), date: date.value, centre_id: centre.value || null, volunteer_ids: ids,
    } }))) dispatchEvent(new HashChangeEvent("hashchange"));
  });
  return form;
}
