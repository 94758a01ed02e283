// The reporting dashboard: the policy tree with each indicator's values and a chart over time
// per centre, in the chosen language. It logs in with the kit's login, like every app; every data
// call carries the user's token.
import "@buurtwerk/kit/styles.css";
import "./dashboard.css";
import { ApiError, send, problemOf } from "@buurtwerk/kit/api.js";
import { Login } from "@buurtwerk/kit/auth.js";
import { appBar } from "@buurtwerk/kit/bar.js";
import { byId as $, h, show } from "@buurtwerk/kit/dom.js";
import { language, locale, onLanguage, translator } from "@buurtwerk/kit/i18n.js";
import { lineChart } from "./charts.js";

const t = translator({
  nl: {
    app: "Buurtwerk Leuven: indicatoren per actiepunt",
    skip: "Naar de inhoud",
    tree: "Beleidsboom",
    period: "Periode",
    from: "Van",
    to: "Tot",
    show: "Tonen",
    csv: "CSV-rapport",
    month: "Maand",
    quarter: "Kwartaal",
    year: "Jaar",
    week: "Week",
    city: "Stad (alle centra)",
    withheld: "onderdrukt",
    notComputed: "Nog niet berekend.",
    loadingChart: "Grafiek wordt geladen…",
    loading: "Gegevens worden geladen…",
    figuresUpTo: "Cijfers tot {date}.",
    error: "Fout: {reason}",
    showNumbers: "Toon cijfers",
    periodCol: "Periode",
    per: "{name} per {granularity}, {first} tot {last}, per centrum. ",
    goal: "Beleidsdoelstelling",
    action_plan: "Actieplan",
    action_point: "Actiepunt",
    expired: "Uw aanmelding is verlopen of ongeldig: meld u opnieuw aan.",
  },
  en: {
    app: "Buurtwerk Leuven: indicators per action point",
    skip: "Skip to content",
    tree: "Policy tree",
    period: "Period",
    from: "From",
    to: "To",
    show: "Show",
    csv: "CSV report",
    month: "Month",
    quarter: "Quarter",
    year: "Year",
    week: "Week",
    city: "City (all centres)",
    withheld: "withheld",
    notComputed: "Not computed yet.",
    loadingChart: "Loading chart…",
    loading: "Loading…",
    figuresUpTo: "Figures up to {date}.",
    error: "Error: {reason}",
    showNumbers: "Show numbers",
    periodCol: "Period",
    per: "{name} per {granularity}, {first} to {last}, per centre. ",
    goal: "Policy goal",
    action_plan: "Action plan",
    action_point: "Action point",
    expired: "Your login has expired or is invalid: log in again.",
  },
});

const BASE = "/dashboard/";
const login = new Login({ app: "dashboard", base: BASE });
const pick = (nl, en) => (language() === "en" && en ? en : nl);

// The centres' names come with the login settings (public reference data).
function centreName(id) {
  const centre = login.config?.centres.find((c) => c.id === id);
  return id ? (centre ? pick(centre.nl, centre.en) : id) : t("city");
}

function formatter(unit) {
  const number = new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 });
  return (value) => {
    if (value === null || value === undefined) return "–";
    if (typeof value === "string") return value;
    return unit === "ratio" ? percent.format(value) : number.format(value);
  };
}

function shown(value, suppressed, format) {
  return suppressed ? t("withheld") : format(value);
}

async function api(path) {
  const response = await send(path, { token: login.token(), timeout: 30000 });
  if (response.status === 401) {
    await login.logout();
    login.render($("login"), t("expired"));
    throw new Error("unauthorized");
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response;
}

function chrome() {
  document.title = t("app");
  $("skip").textContent = t("skip");
  $("tree").setAttribute("aria-label", t("tree"));
  $("granularity-label").textContent = t("period");
  $("from-label").textContent = t("from");
  $("to-label").textContent = t("to");
  $("show").textContent = t("show");
  $("csv").textContent = t("csv");
  const chosen = $("granularity").value || "month";
  show($("granularity"), ["month", "quarter", "year", "week"].map((g) =>
    h("option", { value: g, selected: g === chosen, text: t(g) })));
}

function defaults() {
  const today = new Date();
  const from = new Date(today.getFullYear() - 1, today.getMonth() + 1, 1);
  const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  $("from").value ||= iso(from);
  $("to").value ||= iso(today);
}

function renderTreeNav(nodes) {
  return h("ul", {}, nodes.map((node) => {
    const text = pick(node.nl, node.en);
    return h("li", {},
      h("a", { href: `#node-${node.id}` }, h("span", { class: "code", text: node.id }),
        text.length > 60 ? `${text.slice(0, 57)}…` : text),
      node.children.length ? renderTreeNav(node.children) : null);
  }));
}

function renderNode(node, charts) {
  return h("section", { class: "node", id: `node-${node.id}`, "aria-labelledby": `title-${node.id}` },
    h("h2", { id: `title-${node.id}`, text: `${t(node.level)} ${node.id}` }),
    h("p", { class: "node-text", text: pick(node.nl, node.en) }),
    node.indicators.length
      ? h("div", { class: "cards" }, node.indicators.map((indicator) => renderIndicator(indicator, charts)))
      : null,
    node.children.map((child) => renderNode(child, charts)));
}

function renderIndicator(indicator, charts) {
  const format = formatter(indicator.unit);
  const article = h("article", { class: "indicator", id: `indicator-${indicator.id}`, "aria-labelledby": `name-${indicator.id}` },
    h("h3", { id: `name-${indicator.id}`, text: pick(indicator.nl, indicator.en) }),
    h("p", { class: "definition", text: pick(indicator.definition_nl, indicator.definition_en) }));
  if (!indicator.computed) {
    article.append(h("p", { class: "withheld", text: t("notComputed") }));
    return article;
  }
  const city = indicator.values.find((v) => v.centre_id === null);
  if (city) {
    article.append(h("p", { class: "latest" }, shown(city.value, city.suppressed, format),
      h("small", { text: ` ${centreName(null)}, ${city.period}` })));
  }
  const figure = h("figure", { "data-indicator": indicator.id }, h("p", { class: "withheld", text: t("loadingChart") }));
  article.append(figure);
  charts.push({ indicator, figure, format });
  return article;
}

function renderChart({ indicator, figure, format }, data) {
  const name = pick(indicator.nl, indicator.en);
  const last = (s) => s.values.length - 1;
  const label = t("per", { name, granularity: t(data.granularity).toLowerCase(), first: data.periods[0],
    last: data.periods[data.periods.length - 1] })
    + data.series.map((s) => `${centreName(s.centre_id)}: ${shown(s.values[last(s)], s.suppressed[last(s)], format)}`).join("; ");
  const legend = h("ul", { class: "legend" }, data.series.map((s, i) =>
    h("li", {}, h("span", { class: `swatch swatch-${i % 7}`, "aria-hidden": "true" }), centreName(s.centre_id))));
  const head = h("tr", {}, h("th", { scope: "col", text: t("periodCol") }),
    data.series.map((s) => h("th", { scope: "col", text: centreName(s.centre_id) })));
  const rows = data.periods.map((period, i) => h("tr", {}, h("th", { scope: "row", text: period }),
    data.series.map((s) => h("td", { text: shown(s.values[i], s.suppressed[i], format) }))));
  show(figure,
    lineChart({ periods: data.periods, series: data.series, label, format }),
    h("figcaption", {}, legend),
    h("details", { class: "numbers" }, h("summary", { text: t("showNumbers") }),
      h("table", {}, h("caption", { text: `${name} (${indicator.unit})` }), h("thead", {}, head), h("tbody", {}, rows))));
}

async function loadCharts(charts) {
  const query = new URLSearchParams({ granularity: $("granularity").value, from: $("from").value, to: $("to").value });
  let next = 0;
  async function worker() {
    while (next < charts.length) {
      const chart = charts[next++];
      try {
        renderChart(chart, await (await api(`/indicators/${chart.indicator.id}/series?${query}`)).json());
      } catch (error) {
        show(chart.figure, h("p", { class: "error", text: t("error", { reason: error.message }) }));
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

async function showDashboard() {
  show($("login"));
  $("controls").hidden = false;
  $("tree").hidden = false;
  $("layout").classList.remove("signed-out");
  defaults();
  document.body.dataset.ready = "false";
  $("status").textContent = t("loading");
  const tree = await (await api(`/tree?period=${periodOf($("to").value, $("granularity").value)}`)).json();
  show($("plan-title"), pick(tree.nl, tree.en));
  show($("tree"), h("h2", { text: t("tree") }), renderTreeNav(tree.nodes));
  const charts = [];
  show($("content"), tree.nodes.map((node) => renderNode(node, charts)));
  await loadCharts(charts);
  $("status").textContent = t("figuresUpTo", { date: $("to").value });
  document.body.dataset.ready = "true";
}

async function downloadCsv() {
  const query = new URLSearchParams({ granularity: $("granularity").value, from: $("from").value, to: $("to").value });
  const blob = await (await api(`/report.csv?${query}`)).blob();
  const link = h("a", { href: URL.createObjectURL(blob), download: "buurtwerk-rapport.csv" });
  document.body.append(link);
  link.click();
  link.remove();
}

function refreshing(work) {
  work().catch((error) => {
    $("status").textContent = t("error", { reason: error.message });
  });
}

async function start() {
  chrome();
  $("bar").replaceWith(appBar({ title: () => t("app"), login, centreName }));
  $("controls").addEventListener("submit", (event) => {
    event.preventDefault();
    refreshing(showDashboard);
  });
  $("csv").addEventListener("click", () => refreshing(downloadCsv));
  onLanguage(() => {
    chrome();
    if (login.session) refreshing(showDashboard);
  });
  login.onPerson((session) => {
    if (session) refreshing(showDashboard);
    else {
      $("controls").hidden = true;
      $("tree").hidden = true;
      $("layout").classList.add("signed-out");
      show($("content"));
      show($("status"));
      login.render($("login"));
    }
  });
  try {
    if (!(await login.start())) login.render($("login"));
  } catch (error) {
    login.render($("login"), error.message);
  }
}

start();
