// The reporting dashboard: the policy tree with each indicator's values and a chart over time
// per centre. Dutch first, English beside it. Every data call carries the user's token.
import { completeLogin, login, logout, savePastedToken, token } from "/dashboard/auth.js";
import { lineChart, styleOf } from "/dashboard/charts.js";

const $ = (id) => document.getElementById(id);
const CENTRES = {
  "sint-maartensdal": "Sint-Maartensdal",
  "mannenstraat": "Mannenstraat",
  "wilsele-dorp": "Wilsele-dorp",
  "koksijdewijk": "Koksijdewijk",
  "de-kettekeet": "De Kettekeet",
};
const CITY = { nl: "Stad (alle centra)", en: "City (all centres)" };
const number = new Intl.NumberFormat("nl-BE", { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat("nl-BE", { style: "percent", maximumFractionDigits: 1 });

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function bilingual(tag, nl, en, attributes = {}) {
  return h(tag, attributes, nl, h("span", { class: "en", lang: "en", text: en }));
}

function centreName(id) {
  return id ? CENTRES[id] || id : `${CITY.nl} / ${CITY.en}`;
}

function formatter(unit) {
  return (value) => {
    if (value === null || value === undefined) return "–";
    if (typeof value === "string") return value;
    return unit === "ratio" ? percent.format(value) : number.format(value);
  };
}

function shown(value, suppressed, format) {
  return suppressed ? "onderdrukt / withheld" : format(value);
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  if (response.status === 401) {
    logout();
    showLogin(await config(), "Uw token is ongeldig of verlopen. / Your token is invalid or expired.");
    throw new Error("unauthorized");
  }
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response;
}

let cachedConfig = null;
async function config() {
  if (!cachedConfig) cachedConfig = await (await fetch("/dashboard/config.json")).json();
  return cachedConfig;
}

function showLogin(cfg, message = "") {
  $("login").hidden = false;
  $("controls").hidden = true;
  $("login-oidc").hidden = !cfg.oidc_issuer;
  $("login-token").hidden = Boolean(cfg.oidc_issuer);
  $("login-error").textContent = message;
}

function defaults() {
  const today = new Date();
  const from = new Date(today.getFullYear() - 1, today.getMonth() + 1, 1);
  const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  $("from").value ||= iso(from);
  $("to").value ||= iso(today);
}

function renderTreeNav(nodes) {
  const list = h("ul");
  for (const node of nodes) {
    const item = h("li", {}, h("a", { href: `#node-${node.id}` },
      h("span", { class: "code", text: node.id }), node.nl.length > 60 ? node.nl.slice(0, 57) + "…" : node.nl));
    if (node.children.length) item.append(renderTreeNav(node.children));
    list.append(item);
  }
  return list;
}

function renderNode(node, charts) {
  const level = { goal: ["Beleidsdoelstelling", "Policy goal"], action_plan: ["Actieplan", "Action plan"],
                  action_point: ["Actiepunt", "Action point"] }[node.level];
  const section = h("section", { class: "node", id: `node-${node.id}`, "aria-labelledby": `title-${node.id}` },
    bilingual("h2", `${level[0]} ${node.id}`, `${level[1]} ${node.id}`, { id: `title-${node.id}` }),
    h("p", { class: "node-text" }, node.nl, h("span", { class: "en", lang: "en", text: node.en })));
  if (node.indicators.length) {
    const cards = h("div", { class: "cards" });
    for (const indicator of node.indicators) cards.append(renderIndicator(indicator, charts));
    section.append(cards);
  }
  for (const child of node.children) section.append(renderNode(child, charts));
  return section;
}

function renderIndicator(indicator, charts) {
  const format = formatter(indicator.unit);
  const article = h("article", { class: "indicator", id: `indicator-${indicator.id}`,
                                 "aria-labelledby": `name-${indicator.id}` },
    bilingual("h3", indicator.nl, indicator.en, { id: `name-${indicator.id}` }),
    h("p", { class: "definition" }, indicator.definition_nl,
      h("span", { class: "en", lang: "en", text: indicator.definition_en })));
  if (!indicator.computed) {
    article.append(bilingual("p", "Nog niet berekend.", "Not computed yet.", { class: "withheld" }));
    return article;
  }
  const city = indicator.values.find((v) => v.centre_id === null);
  if (city) {
    article.append(h("p", { class: "latest" }, shown(city.value, city.suppressed, format),
      h("small", { text: ` ${centreName(null)}, ${city.period}` })));
  }
  const figure = h("figure", { "data-indicator": indicator.id });
  figure.append(h("p", { class: "withheld", text: "Grafiek wordt geladen… / Loading chart…" }));
  article.append(figure);
  charts.push({ indicator, figure, format });
  return article;
}

function renderChart({ indicator, figure, format }, data) {
  figure.replaceChildren();
  const label = `${indicator.nl} per ${data.granularity === "month" ? "maand" : data.granularity}, `
    + `${data.periods[0]} tot ${data.periods[data.periods.length - 1]}, per centrum. `
    + data.series.map((s) => {
      const last = s.values.length - 1;
      return `${centreName(s.centre_id)}: ${shown(s.values[last], s.suppressed[last], format)}`;
    }).join("; ");
  figure.append(lineChart({ periods: data.periods, series: data.series, label, format }));
  const legend = h("ul", { class: "legend" });
  data.series.forEach((s, i) => {
    const { colour, dash } = styleOf(i);
    legend.append(h("li", {}, h("span", { class: "swatch", style:
      `background:${dash ? `repeating-linear-gradient(90deg, ${colour} 0 6px, transparent 6px 9px)` : colour}`,
      "aria-hidden": "true" }), centreName(s.centre_id)));
  });
  figure.append(h("figcaption", {}, legend));
  const table = h("table", {}, h("caption", { text: `${indicator.nl} (${indicator.unit})` }));
  const head = h("tr", {}, h("th", { scope: "col", text: "Periode / Period" }));
  for (const s of data.series) head.append(h("th", { scope: "col", text: centreName(s.centre_id) }));
  table.append(h("thead", {}, head));
  const body = h("tbody");
  data.periods.forEach((period, i) => {
    const row = h("tr", {}, h("th", { scope: "row", text: period }));
    for (const s of data.series) row.append(h("td", { text: shown(s.values[i], s.suppressed[i], format) }));
    body.append(row);
  });
  table.append(body);
  figure.append(h("details", {}, h("summary", { text: "Toon cijfers / Show numbers" }), table));
}

async function loadCharts(charts) {
  const granularity = $("granularity").value;
  const query = new URLSearchParams({ granularity, from: $("from").value, to: $("to").value });
  let next = 0;
  async function worker() {
    while (next < charts.length) {
      const chart = charts[next++];
      try {
        const data = await (await api(`/indicators/${chart.indicator.id}/series?${query}`)).json();
        renderChart(chart, data);
      } catch (error) {
        chart.figure.replaceChildren(h("p", { class: "error", text: `Fout / Error: ${error.message}` }));
      }
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()]);
}

// The label of the period (ISO week, month, quarter, year) that contains a local date.
function periodOf(isoDate, granularity) {
  const [year, month, day] = isoDate.split("-").map(Number);
  if (granularity === "year") return String(year);
  if (granularity === "quarter") return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  if (granularity === "month") return `${year}-${String(month).padStart(2, "0")}`;
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const week = Math.ceil(((date - Date.UTC(weekYear, 0, 1)) / 86400000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, "0")}`;
}

async function show() {
  $("login").hidden = true;
  $("controls").hidden = false;
  defaults();
  $("status").textContent = "Gegevens worden geladen… / Loading…";
  const tree = await (await api(`/tree?period=${periodOf($("to").value, $("granularity").value)}`)).json();
  $("plan-title").replaceChildren(tree.nl, h("span", { class: "en", lang: "en", text: tree.en }));
  $("tree").replaceChildren(bilingual("h2", "Beleidsboom", "Policy tree"), renderTreeNav(tree.nodes));
  const charts = [];
  $("content").replaceChildren(...tree.nodes.map((node) => renderNode(node, charts)));
  await loadCharts(charts);
  $("status").textContent = `Cijfers tot ${$("to").value}. / Figures up to ${$("to").value}.`;
  document.body.dataset.ready = "true";
}

async function downloadCsv() {
  const query = new URLSearchParams({ granularity: $("granularity").value,
                                      from: $("from").value, to: $("to").value });
  const blob = await (await api(`/report.csv?${query}`)).blob();
  const link = h("a", { href: URL.createObjectURL(blob), download: "buurtwerk-rapport.csv" });
  document.body.append(link);
  link.click();
  link.remove();
}

async function start() {
  const cfg = await config();
  $("login-button").addEventListener("click", () => login(cfg).catch((e) => {
    $("login-error").textContent = e.message;
  }));
  $("login-token").addEventListener("submit", (event) => {
    event.preventDefault();
    savePastedToken($("token").value);
    show().catch((e) => { $("status").textContent = e.message; });
  });
  $("controls").addEventListener("submit", (event) => {
    event.preventDefault();
    show().catch((e) => { $("status").textContent = e.message; });
  });
  $("csv").addEventListener("click", () => downloadCsv().catch((e) => { $("status").textContent = e.message; }));
  $("logout").addEventListener("click", () => { logout(); showLogin(cfg); });
  if (cfg.oidc_issuer) {
    try { await completeLogin(cfg); } catch (e) { showLogin(cfg, e.message); return; }
  }
  if (token()) await show().catch((e) => { $("status").textContent = e.message; });
  else showLogin(cfg);
}

start();
