// A small line chart in inline SVG: one line per centre (and the city), a gap where a value is
// withheld, and a text alternative that says what the chart shows.
const SVG = "http://www.w3.org/2000/svg";
// Okabe-Ito colours (distinguishable with colour-blindness) plus a dash pattern per line.
const COLOURS = ["#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#9a6d00", "#56B4E9"];
const DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4"];

function el(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

export function styleOf(index) {
  return { colour: COLOURS[index % COLOURS.length], dash: DASHES[index % DASHES.length] };
}

export function lineChart({ periods, series, label, format }) {
  const width = 480, height = 230, left = 56, right = 14, top = 12, bottom = 34;
  const numbers = series.flatMap((s) => s.values.filter((v) => typeof v === "number"));
  const max = Math.max(1e-9, ...numbers);
  const niceMax = max <= 1 && numbers.every((v) => v <= 1) ? 1 : Math.ceil(max * 1.1);
  const x = (i) => left + (periods.length < 2 ? 0 : (i * (width - left - right)) / (periods.length - 1));
  const y = (v) => top + (height - top - bottom) * (1 - v / niceMax);
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
                          "aria-label": label });
  el("title", {}, svg).textContent = label;
  for (let g = 0; g <= 4; g++) {
    const value = (niceMax * g) / 4;
    el("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), stroke: "#e0e0e0" }, svg);
    el("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end" }, svg).textContent = format(value);
  }
  const step = Math.max(1, Math.ceil(periods.length / 5));
  periods.forEach((period, i) => {
    if (i % step === 0 || i === periods.length - 1) {
      const anchor = i === 0 ? "start" : i === periods.length - 1 ? "end" : "middle";
      el("text", { x: x(i), y: height - 12, "text-anchor": anchor }, svg).textContent = period;
    }
  });
  series.forEach((line, index) => {
    const { colour, dash } = styleOf(index);
    const segments = [[]];
    line.values.forEach((v, i) => {
      if (typeof v === "number") segments[segments.length - 1].push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      else if (segments[segments.length - 1].length) segments.push([]);
    });
    for (const points of segments.filter((p) => p.length > 1)) {
      el("path", { d: "M" + points.join(" L"), fill: "none", stroke: colour,
                   "stroke-width": index === 0 ? 3 : 2, "stroke-dasharray": dash }, svg);
    }
    line.values.forEach((v, i) => {
      if (typeof v === "number") {
        el("circle", { cx: x(i), cy: y(v), r: 3, fill: colour }, svg);
      } else if (line.suppressed[i]) {
        el("circle", { cx: x(i), cy: y(0), r: 3, fill: "#fff", stroke: colour }, svg);
      }
    });
  });
  return svg;
}
