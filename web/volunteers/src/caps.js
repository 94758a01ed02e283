// The legal caps of the expense allowance per calendar year: everyone sees them and which year
// is missing; an administrator for all centres enters them.
import { h } from "@buurtwerk/kit/dom.js";
import { euro, todayInBrussels } from "@buurtwerk/kit/i18n.js";
import { api, cents, cityWideAdmin, field, heading, saving, statusLine } from "./context.js";
import { t } from "./texts.js";

/** The caps screen. */
export async function capsScreen() {
  const caps = await api("/allowance-caps");
  const year = Number(todayInBrussels().slice(0, 4));
  const missing = [year, year + 1].filter((y) => !caps.some((c) => c.year === y));
  return h("div", { class: "stack" }, heading(t("capsTitle")),
    missing.includes(year) ? h("p", { class: "banner", id: "caps-missing", text: t("capsMissing", { year }) }) : null,
    caps.length
      ? h("div", { class: "table-scroll" }, h("table", { id: "caps-table" },
        h("thead", {}, h("tr", {}, [t("year"), t("perDay"), t("perYear")].map((x) => h("th", { scope: "col", text: x })))),
        h("tbody", {}, caps.map((c) => h("tr", {}, h("td", { text: String(c.year) }),
          h("td", { class: "number", text: euro(c.per_day_cents) }), h("td", { class: "number", text: euro(c.per_year_cents) }))))))
      : h("p", { text: t("noCapsYet") }),
    h("p", { class: "note", text: t("capsNote") }),
    cityWideAdmin() ? capsForm(missing[0] ?? year) : null);
}

function capsForm(suggested) {
  const year = h("input", { id: "caps-year", type: "number", min: "2000", max: "2100", required: true, value: String(suggested) });
  const day = h("input", { id: "caps-day", inputmode: "decimal", required: true, size: "8" });
  const perYear = h("input", { id: "caps-per-year", inputmode: "decimal", required: true, size: "10" });
  const line = statusLine();
  const form = h("form", { class: "panel", "aria-labelledby": "caps-form-title" },
    h("h3", { id: "caps-form-title", text: t("setCaps") }),
    h("div", { class: "toolbar" }, field(t("year"), year), field(t("perDay"), day), field(t("perYear"), perYear),
      h("button", { type: "submit", class: "primary", text: t("setCaps") })), line);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await saving(line, () => api(`/allowance-caps/${year.value}`, { method: "PUT", body: {
      per_day_cents: cents(day.value), per_year_cents: cents(perYear.value),
    } }))) dispatchEvent(new HashChangeEvent("hashchange"));
  });
  return form;
}
