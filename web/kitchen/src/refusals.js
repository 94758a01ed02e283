// Writes the service refused after they left the device (a service closed meanwhile, beyond
// capacity, a reading more than a day old, ...): shown with the reason until someone deals with
// them, by sending them again (with what was missing) or by dropping them.
import { ask } from "@buurtwerk/kit/dialog.js";
import { h } from "@buurtwerk/kit/dom.js";
import { clock } from "@buurtwerk/kit/i18n.js";
import { t } from "./texts.js";

const REASONS = {
  "service-closed": "refusedClosed",
  "late-window-over": "refusedClosed",
  "service-cancelled": "refusedCancelled",
  "service-not-started": "refusedNotStarted",
  "over-capacity": "refusedOverCapacity",
  "dependency-refused": "refusedDependency",
  forbidden: "refusedForbidden",
  "not-found": "refusedNotFound",
  validation: "refusedValidation",
};

/** The code of a problem document (the last part of its `type`). */
export function refusalCode(refusal) {
  return refusal?.code ?? refusal?.type?.split("/").pop() ?? "";
}

/** Why the service refused a write, in the chosen language. */
export function refusalReason(refusal) {
  return t(REASONS[refusalCode(refusal)] ?? "refusedOther", { status: refusal?.status ?? "" });
}

/**
 * The refused entries as a section (hidden when there are none). `label(entry)` names one;
 * `resend(entry)`, if given, is offered for a refusal `canResend(entry)` says can be put right.
 */
export function refusedSection({ outbox, entries, label, id, resend = null, canResend = () => false }) {
  const section = h("section", { class: "refused", id, "aria-labelledby": `${id}-title`, hidden: !entries.length });
  if (!entries.length) return section;
  section.append(
    h("h3", { id: `${id}-title`, text: `${t("refused")} (${entries.length})` }),
    h("ul", { class: "plain" }, entries.map((entry) => {
      const what = label(entry);
      const actions = h("div", { class: "row" });
      if (resend && canResend(entry)) {
        actions.append(h("button", { type: "button", class: "secondary", text: t("giveReason"), onclick: () => resend(entry) }));
      } else if ([403, 404].includes(entry.refusal?.status)) {
        actions.append(h("button", { type: "button", class: "secondary", text: t("sendAgain"), onclick: () => outbox.retry(entry.key) }));
      }
      actions.append(h("button", { type: "button", class: "danger", text: t("dismiss"),
        "aria-label": t("dismissLabel", { what }), onclick: () => dismiss(outbox, entry, what) }));
      return h("li", { class: "refused-entry banner error", "data-key": entry.key },
        h("p", { text: t("refusedWhat", { what, time: clock(entry.createdAt) }) }),
        h("p", { class: "reason", text: refusalReason(entry.refusal) }),
        // The service's own words (in English), for whoever looks into it.
        h("p", { class: "note detail", lang: "en", text: entry.refusal?.detail ?? "" }),
        actions);
    })));
  return section;
}

async function dismiss(outbox, entry, what) {
  const answer = await ask({
    title: t("dismissTitle"),
    content: [h("p", { text: `${what}: ${t("dismissText")}` })],
    actions: [{ label: t("cancel"), value: "" }, { label: t("dismiss"), value: "yes", danger: true }],
  });
  if (answer === "yes") await outbox.drop(entry.key);
}
