/* greencart merchant page: forecast plot with intervals, production Pareto front, replenishment summary.
   Plain SVG, no libraries. Every number comes from the API. */
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const W = 640, H = 260, M = { left: 56, right: 12, top: 12, bottom: 30 };
  const $ = function (id) { return document.getElementById(id); };

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    Object.entries(attrs || {}).forEach(function ([k, v]) { node.setAttribute(k, String(v)); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fmt(v, d) { return v === null || v === undefined ? "n/a" : Number(v).toFixed(d === undefined ? 1 : d); }
  function status(text, isError) { const s = $("status"); s.textContent = text; s.classList.toggle("error", !!isError); }

  async function call(url, body) {
    const init = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {};
    const r = await fetch(url, init);
    const data = await r.json();
    if (!r.ok) throw new Error((data && data.detail) || ("HTTP " + r.status));
    return data;
  }

  function frame(figure, xs, ys) {
    figure.querySelectorAll("svg").forEach(function (s) { s.remove(); });
    const svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img" });
    const x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    const y0 = Math.min(0, Math.min.apply(null, ys)), y1 = Math.max.apply(null, ys) || 1;
    const x = function (v) { return M.left + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (W - M.left - M.right); };
    const y = function (v) { return M.top + (H - M.top - M.bottom) * (1 - (v - y0) / (y1 - y0 || 1)); };
    [0, 0.5, 1].forEach(function (f) {
      const v = y0 + f * (y1 - y0);
      svg.appendChild(el("line", { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: "grid" }));
      svg.appendChild(el("text", { x: M.left - 4, y: y(v) + 4, "text-anchor": "end" }, fmt(v, 0)));
    });
    svg.appendChild(el("line", { x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom, class: "axis" }));
    figure.appendChild(svg);
    return { svg: svg, x: x, y: y, x0: x0, x1: x1 };
  }

  function band(f, pts, lo, hi, cls, fill) {
    const up = pts.map(function (p) { return f.x(p.t) + "," + f.y(p[hi]); });
    const down = pts.slice().reverse().map(function (p) { return f.x(p.t) + "," + f.y(p[lo]); });
    f.svg.appendChild(el("polygon", { points: up.concat(down).join(" "), class: cls, fill: fill, "fill-opacity": 1 }));
  }

  function drawForecast(data) {
    const hist = data.history.map(function (h) { return { t: Date.parse(h.ds), y: h.y }; });
    const fc = data.forecast.map(function (p) { return Object.assign({ t: Date.parse(p.ds) }, p); });
    const ys = hist.map(function (h) { return h.y; }).concat(fc.map(function (p) { return p.hi_95 === null ? p.mean : p.hi_95; }));
    const f = frame($("plot-forecast"), hist.map(function (h) { return h.t; }).concat(fc.map(function (p) { return p.t; })), ys);
    if (fc.length && fc[0].lo_95 !== null) {
      band(f, fc, "lo_95", "hi_95", "band band-95", "#cfe3d6");
      band(f, fc, "lo_80", "hi_80", "band band-80", "#9cc7aa");
    }
    const line = function (pts, key, cls, colour) {
      f.svg.appendChild(el("polyline", { points: pts.map(function (p) { return f.x(p.t) + "," + f.y(p[key]); }).join(" "),
        class: cls, fill: "none", stroke: colour, "stroke-width": 2 }));
    };
    line(hist, "y", "history", "#555");
    line(fc, "mean", "forecast", "#1b6e3a");
    fc.forEach(function (p) {
      const c = el("circle", { cx: f.x(p.t), cy: f.y(p.mean), r: 3, class: "mark", fill: "#1b6e3a" });
      c.appendChild(el("title", {}, p.ds.slice(0, 10) + " · " + fmt(p.mean) + " units"));
      f.svg.appendChild(c);
    });
    const run = data.run;
    $("fc-caption").textContent = data.level + " · " + data.series_id + " · " + run.model + " · run " + run.id +
      " · " + fmt(run.energy_j, 2) + " J (" + run.energy_method + ")";
    const notes = $("fc-notes"); notes.textContent = "";
    (run.labels || []).forEach(function (l) { const li = document.createElement("li"); li.textContent = l; notes.appendChild(li); });
    const tbody = $("fc-table").querySelector("tbody"); tbody.textContent = "";
    data.forecast.forEach(function (p) {
      const tr = document.createElement("tr");
      [p.ds.slice(0, 10), fmt(p.mean), "[" + fmt(p.lo_80) + ", " + fmt(p.hi_80) + "]",
       "[" + fmt(p.lo_95) + ", " + fmt(p.hi_95) + "]"].forEach(function (c, i) {
        const td = document.createElement(i ? "td" : "th"); td.textContent = c; tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }

  function drawPareto(plan) {
    const front = plan.front;
    const f = frame($("plot-pareto"), front.map(function (p) { return p.makespan_h; }), front.map(function (p) { return p.energy_kwh; }));
    f.svg.appendChild(el("polyline", { points: front.map(function (p) { return f.x(p.makespan_h) + "," + f.y(p.energy_kwh); }).join(" "),
      fill: "none", stroke: "#1b6e3a", "stroke-width": 2 }));
    front.forEach(function (p) {
      const c = el("circle", { cx: f.x(p.makespan_h), cy: f.y(p.energy_kwh), r: 4, class: "mark", fill: "#1b6e3a" });
      c.appendChild(el("title", {}, fmt(p.makespan_h) + " h · " + fmt(p.energy_kwh) + " kWh · " + fmt(p.carbon_kg_co2e) + " kg CO2e · " + p.status));
      f.svg.appendChild(c);
    });
    f.svg.appendChild(el("text", { x: W - M.right, y: H - 8, "text-anchor": "end" }, "makespan (h) →"));
    f.svg.appendChild(el("text", { x: W - M.right, y: M.top + 10, "text-anchor": "end" }, "↑ energy (kWh)"));
    const b = plan.baselines;
    $("prod-summary").textContent = "Plan " + plan.plan_id + " · status " + plan.status + " · " + front.length +
      " Pareto points. All fast: " + fmt(b.all_fast.energy_kwh) + " kWh in " + fmt(b.all_fast.makespan_h) +
      " h; least energy at that makespan saves " + fmt(b.energy_kwh_saved) + " kWh, at a 10 % longer makespan " +
      fmt(b.energy_kwh_saved_at_10pct_longer) + " kWh. " + plan.carbon_method + ". " + (plan.problem.notes || []).join(" ");
  }

  function drawReplenishment(plan) {
    const tbody = $("rep-table").querySelector("tbody"); tbody.textContent = "";
    plan.policies.forEach(function (p) {
      const tr = document.createElement("tr"); tr.dataset.policy = p.policy;
      [p.policy, fmt(p.fill_rate, 3), fmt(p.cycle_service_level, 3), fmt(p.wasted_units, 0),
       fmt(p.waste_kg_co2e, 1), fmt(p.profit, 0)].forEach(function (c, i) {
        const td = document.createElement(i ? "td" : "th"); td.textContent = c; tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    $("rep-summary").textContent = "Plan " + plan.plan_id + ": " + plan.products + " products × " + plan.periods +
      " held-out periods; " + plan.method + ". Run: " + fmt(plan.energy.energy_j, 2) + " J (" + plan.energy.energy_method + ").";
  }

  function wire(formId, busy, action) {
    $(formId).addEventListener("submit", async function (ev) {
      ev.preventDefault();
      status(busy + "…");
      try { await action(); status("Ready."); document.body.dataset.loaded = String(Date.now()); }
      catch (e) { status(String(e.message || e), true); }
    });
  }

  wire("fc-form", "Forecasting", async function () {
    const level = $("fc-level").value, s = $("fc-series").value.trim();
    const q = new URLSearchParams({ level: level });
    if (level === "product") q.set("product", s); else if (level !== "total") q.set("series", s);
    drawForecast(await call("/v1/forecasts?" + q.toString()));
  });
  wire("prod-form", "Planning production", async function () {
    drawPareto(await call("/v1/plans/production", { from_forecast: { top: Number($("prod-top").value) }, mode: "pareto", points: 9 }));
  });
  wire("rep-form", "Simulating replenishment", async function () {
    drawReplenishment(await call("/v1/plans/replenishment", { top: Number($("rep-top").value) }));
  });
  document.addEventListener("DOMContentLoaded", function () { $("fc-form").requestSubmit(); });
})();
