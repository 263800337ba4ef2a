// The dashboard: every change of the filter form fetches /dashboard/data and redraws every panel (a
// Vega-Lite chart and its table) without reloading the page. Vega evaluates its expressions with
// vega-interpreter (no eval: the page's CSP allows none).
"use strict";

(function () {
  const form = document.getElementById("dashboard-filter");
  if (!form) return;
  const status = document.getElementById("dashboard-status");
  const errorBox = document.getElementById("dashboard-error");
  // years on a number line: a gap of ten years is drawn ten years wide, and no thousands separator
  const YEAR = { field: "year", type: "quantitative", scale: { zero: false }, axis: { format: "d", tickMinStep: 1 } };
  const SHADE = {
    transform: [{ calculate: "datum.year - 0.5", as: "from" }, { calculate: "datum.year + 0.5", as: "to" }],
    mark: { type: "rect", color: "#c9ced6", opacity: 0.6 },
    encoding: { x: { field: "from", type: "quantitative", title: "year" }, x2: { field: "to" } },
  };

  function shaded(rows, chart) {
    // incomplete years (publication lag) shaded behind the lines, as in the report
    const incomplete = [...new Set(rows.filter((r) => r.incomplete).map((r) => r.year))].map((year) => ({ year }));
    return incomplete.length ? { layer: [{ data: { values: incomplete }, ...SHADE }, chart] } : chart;
  }

  // the lines and bars of the countries with the most families (every country stays in the table)
  const TOP_COUNTRIES = 8;
  function topCountries(rows, measure) {
    const totals = new Map();
    for (const r of rows) totals.set(r.country, (totals.get(r.country) || 0) + (r[measure] || 0));
    const kept = new Set([...totals].sort((a, b) => b[1] - a[1]).slice(0, TOP_COUNTRIES).map((e) => e[0]));
    return rows.filter((r) => kept.has(r.country));
  }

  // a year without families is drawn as zero: a line must not bridge the years between two counts
  function everyYear(rows, key, measures) {
    if (!rows.length) return rows;
    const years = rows.map((r) => r.year);
    const [first, last] = [Math.min(...years), Math.max(...years)];
    const held = new Map(rows.map((r) => [`${key ? r[key] : ""}|${r.year}`, r]));
    const out = [];
    for (const k of new Set(rows.map((r) => (key ? r[key] : "")))) {
      for (let year = first; year <= last; year++) {
        const zero = Object.fromEntries(measures.map((m) => [m, 0]));
        out.push(held.get(`${k}|${year}`) || { ...zero, year, ...(key ? { [key]: k } : {}) });
      }
    }
    return out;
  }
  const COUNT = { type: "quantitative", axis: { tickMinStep: 1 } };
  const roomy = (rows, field, factor) => Math.max(0, ...rows.map((r) => r[field] || 0)) * factor || 1;

  // a share axis in per cent; a count of families in whole ticks; a bar as tall as a line of text, so
  // that a panel of two bars is not drawn as two slabs
  const bar = (y, x, format) => ({
    height: { step: 22 },
    mark: "bar",
    encoding: {
      y: { field: y, type: "nominal", sort: "-x", title: null, axis: { labelLimit: 220 } },
      x: { field: x, type: "quantitative", axis: format ? { format } : { tickMinStep: 1 } },
    },
  });

  const SPECS = {
    countries: (rows) => shaded(rows, {
      data: { values: everyYear(topCountries(rows, "families"), "country", ["families"]) },
      mark: { type: "line", point: true },
      encoding: {
        x: YEAR,
        y: { field: "families", ...COUNT },
        color: { field: "country", type: "nominal" },
      },
    }),
    country_totals: (rows) => ({ ...bar("country", "share", "%"), data: { values: topCountries(rows, "families") } }),
    china_vs_world: (rows) => shaded(rows, {
      data: { values: everyYear(rows, null, ["china", "rest_of_world"]) },
      transform: [{ fold: ["china", "rest_of_world"], as: ["side", "count"] }],
      mark: { type: "line", point: true },
      encoding: {
        x: YEAR,
        y: { field: "count", ...COUNT, title: "families" },
        color: { field: "side", type: "nominal", title: null },
      },
    }),
    owners: () => bar("group_name", "families"),
    model_mode: () => ({
      mark: "rect",
      encoding: {
        x: { field: "mode", type: "nominal" },
        y: { field: "model", type: "nominal" },
        color: { field: "families", type: "quantitative" },
      },
    }),
    applications: () => bar("application", "families"),
    // room past the largest count and index: a country there is drawn inside the frame, its name too
    country_quality: (rows) => ({
      layer: [
        { mark: { type: "point", filled: true } },
        { mark: { type: "text", dx: 14 }, encoding: { text: { field: "country" } } },
      ],
      encoding: {
        x: {
          field: "families",
          type: "quantitative",
          title: "families (quantity)",
          axis: { tickMinStep: 1 },
          scale: { domain: [0, roomy(rows, "families", 1.15)] },
        },
        y: {
          field: "mean_index",
          type: "quantitative",
          title: "mean quality index",
          scale: { domain: [0, roomy(rows, "mean_index", 1.1)] },
        },
      },
    }),
  };

  function params() {
    const out = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (String(value).trim() !== "") out.set(name, value);
    return out;
  }

  function table(columns, rows) {
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const c of columns) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = c;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      if (row.incomplete) tr.className = "incomplete";
      for (const c of columns) tr.insertCell().textContent = row[c] === null ? "" : String(row[c]);
    }
    return t;
  }

  function draw(section, name, data, query) {
    const chart = section.querySelector(".chart");
    const wrap = section.querySelector(".table-wrap");
    const link = section.querySelector("a.download");
    link.href = `/dashboard/${name}.csv${query ? "?" + query : ""}`;
    wrap.replaceChildren();
    chart.replaceChildren();
    const panel = data.panels[name];
    section.dataset.rows = panel ? panel.rows.length : 0;
    const empty = !panel || panel.rows.length === 0;
    chart.classList.toggle("empty", empty); // the reason alone, without the chart's blank height
    if (empty) {
      const p = document.createElement("p");
      p.className = "muted";
      // the reason is the library's (the panel's table missing, or what the selected families lack)
      p.textContent = data.skipped[name] ? `Not available: ${data.skipped[name]}` : data.empty[name] ?? "";
      chart.appendChild(p);
      return Promise.resolve();
    }
    wrap.appendChild(table(panel.columns, panel.rows));
    const spec = {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: panel.rows },
      width: "container",
      height: 220,
      ...SPECS[name](panel.rows),
    };
    const options = { actions: false, renderer: "svg", ast: true, expr: window.vegaInterpreter.expressionInterpreter, tooltip: false, defaultStyle: false };
    return window.vegaEmbed(chart, spec, options);
  }

  let pending = 0;
  let requested = null; // the query of the last refresh started
  async function refresh() {
    const query = params().toString();
    requested = query;
    const mine = ++pending;
    status.textContent = "Loading…";
    form.setAttribute("aria-busy", "true");
    history.replaceState(null, "", `/dashboard${query ? "?" + query : ""}`);
    const response = await fetch(`/dashboard/data${query ? "?" + query : ""}`, { credentials: "same-origin" });
    const data = await response.json();
    if (mine !== pending) return; // a later change is on its way
    form.removeAttribute("aria-busy");
    if (!response.ok) {
      errorBox.hidden = false;
      errorBox.textContent = data.error || `the dashboard could not be drawn (${response.status})`;
      status.textContent = "";
      return;
    }
    errorBox.hidden = true;
    await Promise.all([...document.querySelectorAll(".panel")].map((s) => draw(s, s.dataset.panel, data, query)));
    status.textContent = `${data.filter} · ${data.counting}. ${data.completeness}; shaded years are incomplete.${
      data.window ? " " + data.window : ""
    }`;
    document.body.dataset.dashboard = query; // what the panels now show (tests wait for it)
  }

  let timer = null;
  form.addEventListener("change", () => {
    clearTimeout(timer);
    // a field left after its value was applied fires change again: the panels show it, or soon will
    if (params().toString() === requested) return;
    timer = setTimeout(refresh, 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    refresh();
  });
  refresh();
})();
