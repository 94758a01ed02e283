// Dutch first, English on request: the choice is kept in localStorage and <html lang> follows it.
import { h } from "./dom.js";

const KEY = "buurtwerk.language";
const LOCALES = { nl: "nl-BE", en: "en-GB" };
const listeners = new Set();

/** The chosen language: "nl" (the default) or "en". */
export function language() {
  return localStorage.getItem(KEY) === "en" ? "en" : "nl";
}

/** The locale for numbers, money, dates and times. */
export function locale() {
  return LOCALES[language()];
}

/** Choose a language, remember it and tell the page. */
export function setLanguage(lang) {
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  for (const listener of listeners) listener(lang);
}

/** Call `listener(lang)` whenever the language changes (also in another tab). */
export function onLanguage(listener) {
  listeners.add(listener);
}

addEventListener("storage", (event) => {
  if (event.key === KEY) setLanguage(language());
});

/**
 * A function `t(key, values)` over texts `{nl: {...}, en: {...}}`: the text in the chosen
 * language, with `{name}` replaced by `values.name`; the Dutch text when an English one is missing.
 */
export function translator(...tables) {
  const texts = { nl: {}, en: {} };
  for (const table of tables) {
    Object.assign(texts.nl, table.nl);
    Object.assign(texts.en, table.en);
  }
  return (key, values = {}) => {
    const text = texts[language()][key] ?? texts.nl[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  };
}

/** The button that switches to the other language, named in that language. */
export function languageSwitch() {
  const button = h("button", { type: "button", class: "secondary language-switch" });
  const render = () => {
    const other = language() === "nl" ? "en" : "nl";
    button.lang = other;
    button.textContent = other === "en" ? "English" : "Nederlands";
  };
  button.addEventListener("click", () => setLanguage(language() === "nl" ? "en" : "nl"));
  onLanguage(render);
  render();
  return button;
}

document.documentElement.lang = language();

/** Euro cents as money in the chosen language: "€ 6,50" (Dutch), "€6.50" (English). */
export function euro(cents) {
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "EUR" }).format(cents / 100);
}

/** A number in the chosen language, with at most `digits` decimals. */
export function number(value, digits = 1) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

/** A number typed with a decimal comma or point ("4,5", "-18", "4.5"); NaN if it is none. */
export function parseDecimal(text) {
  const cleaned = String(text).trim().replace(/\s/g, "").replace(",", ".");
  return /^[-+]?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : NaN;
}

/** The clock time of an instant in Brussels, "12:05". */
export function clock(instant) {
  return new Intl.DateTimeFormat(locale(), {
    hour: "2-digit", minute: "2-digit", timeZone: "Europe/Brussels",
  }).format(new Date(instant));
}

/** A local date "2026-03-12" as people read it: "do 12 mrt." / "Thu 12 Mar". */
export function day(isoDate) {
  return new Intl.DateTimeFormat(locale(), {
    weekday: "short", day: "numeric", month: "short", timeZone: "UTC",
  }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** Today's date in Brussels, "2026-03-12" (the date the services and their days go by). */
export function todayInBrussels(now = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(now);
}
