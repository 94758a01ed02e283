// Youth referrals to leisure associations, and what came of them.
import { h, show } from "@buurtwerk/kit/dom.js";
import { day, todayInBrussels } from "@buurtwerk/kit/i18n.js";
import { participantFinder } from "./activities.js";
import { choice, field } from "./context.js";
import { t } from "./texts.js";

const OUTCOMES = ["joined", "not_joined", "unknown"];

/** The centre's referrals with their outcomes, and the form for a new one. */
export async function referralsPage(app, main) {
  const centre = app.centre();
  const page = await app.get(`/youth-referrals?centre_id=${centre}&limit=200`);
  const names = await app.names(page.items.map((r) => r.participant_id), centre);
  const reload = () => referralsPage(app, main);
  const rows = page.items.map((r) => {
    const name = names.get(r.participant_id);
    const outcome = choice(OUTCOMES.map((o) => [o, t(o)]), r.outcome ?? "", { empty: t("pending") });
    outcome.setAttribute("aria-label", `${t("outcome")}: ${name}`);
    const date = h("input", { type: "date", value: r.outcome_date ?? todayInBrussels(), max: todayInBrussels(), "aria-label": `${t("outcomeDate")}: ${name}` });
    const save = h("button", { type: "button", class: "small", text: t("save"), "aria-label": `${t("recordOutcome")}: ${name}` });
    save.addEventListener("click", async () => {
      if (!outcome.value) return;
      try {
        await app.write("POST", `/youth-referrals/${r.referral_id}/outcome`, { outcome: outcome.value, date: date.value });
        await reload();
        app.say(t("saved"));
      } catch (error) {
        app.fail(error);
      }
    });
    return h("tr", {},
      h("th", { scope: "row", text: name }),
      h("td", { text: day(r.date) }),
      h("td", { text: r.association }),
      h("td", { text: app.label("age_bands", r.age_band) }),
      h("td", {}, h("div", { class: "row" }, outcome, date, save)));
  });
  show(main,
    h("h2", { text: t("referralsTitle") }),
    page.items.length
      ? h("div", { class: "table-scroll" }, h("table", { class: "referrals" },
        h("thead", {}, h("tr", {}, [t("person"), t("date"), t("association"), t("ageBand"), t("outcome")].map((text) => h("th", { scope: "col", text })))),
        h("tbody", {}, rows)))
      : h("p", { text: t("noReferrals") }),
    newReferral(app, centre, reload));
}

function newReferral(app, centre, reload) {
  let chosen = null;
  const who = h("p", { class: "note", id: "referral-person", "aria-live": "polite", text: t("chooseFirst") });
  const association = h("input", { required: true, maxlength: 120 });
  const date = h("input", { type: "date", required: true, value: todayInBrussels(), max: todayInBrussels() });
  const form = h("form", { class: "stack" },
    h("div", { class: "form-grid" }, field("referral-association", t("association"), association), field("referral-date", t("date"), date)),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary", text: t("refer") })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!chosen) {
      app.say(t("chooseFirst"), "error");
      return;
    }
    try {
      await app.write("POST", "/youth-referrals", { participant_id: chosen, centre_id: centre, date: date.value, association: association.value });
      await reload();
      app.say(t("referred"));
    } catch (error) {
      app.fail(error);
    }
  });
  const finder = participantFinder(app, "referral", (id, name) => {
    chosen = id;
    who.textContent = t("chosen", { name });
  }, t("choose"));
  return h("section", { class: "panel stack", "aria-labelledby": "new-referral-title" },
    h("h3", { id: "new-referral-title", text: t("newReferral") }), finder, who, form);
}
