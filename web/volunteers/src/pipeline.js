// The pipeline as a board: a column per step (applied → intake → onboarding → active, and
// left), a card per person with a button for each move the service allows from there. Buttons,
// not dragging: the board works from the keyboard and on a tablet alike.
import { h } from "@buurtwerk/kit/dom.js";
import { NEXT, all, api, centreSelect, field, fullName, heading, saving, statusLine } from "./context.js";
import { t } from "./texts.js";

const COLUMNS = ["applied", "intake", "onboarding", "active", "left"];
let centreChosen = "";
/** The board. */
export async function pipelineScreen() {
  const centre = centreSelect("pipeline-centre", centreChosen, true);
  const volunteers = await all("/volunteers", { centre_id: centreChosen });
  const line = statusLine();
  centre.addEventListener("change", () => {
    centreChosen = centre.value;
    dispatchEvent(new HashChangeEvent("hashchange"));
  });
  const column = (status) => {
    // Paused volunteers stay in the active column, marked as such.
    const here = volunteers.filter((v) => !v.erased && (v.status === status || (status === "active" && v.status === "paused")));
    const id = `column-${status}`;
    return h("section", { "aria-labelledby": id },
      h("h3", { id, text: `${t(status)} (${here.length})` }),
      h("ol", {}, here.map((v) => h("li", { class: "card", "data-volunteer": v.volunteer_id },
        h("a", { href: `#/volunteer/${v.volunteer_id}`, text: fullName(v) }),
        v.status === "paused" ? h("span", { class: "badge warn", text: t("paused") }) : null,
        h("div", { class: "actions" }, NEXT[v.status].map((next) => h("button", {
          type: "button",
          class: next === "left" ? "secondary" : "primary",
          "aria-label": `${fullName(v)}: ${t("moveTo", { status: t(next) })}`,
          text: t("moveTo", { status: t(next) }),
          onclick: async () => {
            const moved = await saving(line,
              () => api(`/volunteers/${v.volunteer_id}/status`, { method: "POST", body: { status: next } }),
              t("moved", { name: fullName(v), status: t(next) }));
            if (moved) {
              // The board is drawn again, with the message on it.
              pending = line.textContent;
              dispatchEvent(new HashChangeEvent("hashchange"));
            }
          },
        })))))));
  };
  const announced = statusLine();
  announced.id = "pipeline-status";
  if (pending) {
    announced.className = "banner ok";
    announced.textContent = pending;
    pending = "";
  }
  return h("div", { class: "stack" }, heading(t("pipeline")),
    h("div", { class: "toolbar" }, field(t("centre"), centre)), announced, line,
    h("div", { class: "board" }, COLUMNS.map(column)));
}

let pending = "";
