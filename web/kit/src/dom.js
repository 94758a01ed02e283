// Building the DOM by hand: the screens are small, and plain elements keep every app free of
// inline scripts and style attributes (the pages run under a strict Content-Security-Policy).

/**
 * An element with attributes and children. `text` sets the text, `on<event>` adds a listener,
 * `true`/`false` add or leave out a boolean attribute, `null`/`undefined` leave it out.
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child);
  }
}

/** The element with this id. */
export const byId = (id) => document.getElementById(id);

/** Replace an element's children. */
export function show(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** Move the keyboard focus to an element (after it is in the page). */
export function focusSoon(node) {
  requestAnimationFrame(() => node?.focus());
}
