// Modal questions in a <dialog> opened with showModal(): the focus moves into it and stays there,
// Escape closes it, and the page behind cannot be used meanwhile.
import { h } from "./dom.js";

/**
 * Ask something. `content` is what the dialog shows (elements), `actions` its buttons as
 * `{label, value, primary}`; resolves to the value of the button pressed (null for Escape).
 * A form inside may set `onsubmit` itself; `submitValue` is then what a submit resolves to.
 */
export function ask({ title, content = [], actions, form = false }) {
  return new Promise((resolve) => {
    const id = `dialog-${crypto.randomUUID()}`;
    const buttons = actions.map((action) =>
      h("button", {
        type: form && action.primary ? "submit" : "button",
        class: action.primary ? "primary" : action.danger ? "danger" : "secondary",
        value: action.value,
        text: action.label,
      }));
    const body = form
      ? h("form", { method: "dialog" }, content, h("div", { class: "actions" }, buttons))
      : h("div", {}, content, h("div", { class: "actions" }, buttons));
    const dialog = h("dialog", { "aria-labelledby": id }, h("h2", { id, text: title }), body);
    let answer = null;
    for (const button of buttons) {
      button.addEventListener("click", (event) => {
        if (button.type === "submit") {
          const formElement = button.form;
          if (!formElement.reportValidity()) return;
          event.preventDefault();
        }
        answer = button.value;
        dialog.close();
      });
    }
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
