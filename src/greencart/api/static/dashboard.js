// greencart energy dashboard: plain JS, no build step, no CDN. Plots are SVG drawn here from
// /v1/energy/series; data goes in with textContent (never innerHTML).
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const W = 640, H = 240, M = { left: 64, right: 12, top: 12, bottom: 30 };
  const TIER_COLOURS = { cache: "#2a9d8f", rules: "#1b6e3a", "llm-local": "#e9a800", "llm-remote": "#d1495b" };
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                   "#bcbd22", "#17becf", "#555555"];
  const METRICS = { energy_j: "J", carbon_g: "gCO2e" };
  const AUTO_MS = 15000;
  const form = document.getElementById("controls");
  const bucketSel = document.getElementById("bucket");
  const auto = document.getElementById("auto");
  const status = document.getElementById("status");
  let timer = null;
  let busy = false;

  function sig(x) {  // two significant digits, no scientific notation (energy figures are tiny)
    const n = Number(x);
    if (!Number.isFinite(n)) return "?";
    if (n === 0) return "0";
    const digits = Math.min(10, Math.max(0, 1 - Math.floor(Math.log10(Math.abs(n)))));
    return n.toFixed(digits);
  }

  function el(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attrs || {}).forEach(function ([k, v]) { node.setAttribute(k, String(v)); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function colourOf(by, group, index) {
    if (by === "tier" && TIER_COLOURS[group]) return TIER_COLOURS[group];
    return PALETTE[index % PALETTE.length];
  }

  function timeLabel(ms, bucket) {
    const d = new Date(ms);
    const hm = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    if (bucket === "minute") return hm;
    const day = d.toLocaleDateString([], { month: "short", day: "numeric" });
    return bucket === "hour" ? day + " " + hm : day;
  }

  // One stacked-bar plot: x = bucket start over [since, until), y = metric summed per bucket.
  function drawPlot(figure, series, metric) {
    const old = figure.querySelector("svg");
    if (old) old.remove();
    const svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "data-metric": metric,
                            "aria-label": figure.querySelector("figcaption").textContent });
    const t0 = Date.parse(series.since), t1 = Date.parse(series.until);
    const pw = W - M.left - M.right, ph = H - M.top - M.bottom;
    let ymax = 0;
    series.buckets.forEach(function (b) {
      let sum = 0;
      Object.values(b.groups).forEach(function (g) { sum += g[metric]; });
      ymax = Math.max(ymax, sum);
    });
    const x = function (ms) { return M.left + (ms - t0) / (t1 - t0) * pw; };
    const y = function (v) { return M.top + ph - (ymax > 0 ? v / ymax * ph : 0); };
    [0, 0.5, 1].forEach(function (f) {
      svg.appendChild(el("line", { class: "grid", x1: M.left, x2: W - M.right, y1: y(f * ymax), y2: y(f * ymax) }));
      svg.appendChild(el("text", { x: M.left - 6, y: y(f * ymax) + 4, "text-anchor": "end" }, sig(f * ymax)));
    });
    svg.appendChild(el("line", { class: "axis", x1: M.left, x2: W - M.right, y1: M.top + ph, y2: M.top + ph }));
    [t0, (t0 + t1) / 2, t1].forEach(function (ms, i) {
      const anchor = ["start", "middle", "end"][i];
      svg.appendChild(el("text", { x: x(ms), y: H - 10, "text-anchor": anchor }, timeLabel(ms, series.bucket)));
    });
    const bw = Math.max(2, pw * series.bucket_s * 1000 / (t1 - t0) - 1);
    series.buckets.forEach(function (b) {
      const start = Date.parse(b.start);
      let acc = 0;
      series.groups.forEach(function (group, gi) {
        const g = b.groups[group];
        if (!g || !(g[metric] > 0)) return;
        const top = y(acc + g[metric]), bottom = y(acc);
        acc += g[metric];
        // at least 2 px tall, so a tier that is 1 % of another still shows; crisp edges keep its colour exact
        const rect = el("rect", { class: "mark", x: x(start), y: top - Math.max(0, 2 - (bottom - top)), width: bw,
                                  height: Math.max(2, bottom - top), "shape-rendering": "crispEdges",
                                  fill: colourOf(series.by, group, gi), "data-group": group, "data-bucket": b.start,
                                  "data-value": g[metric] });
        rect.appendChild(el("title", {}, group + " · " + timeLabel(start, series.bucket) + " · " + sig(g[metric]) +
                                         " " + METRICS[metric] + " · " + g.count + " units · " + g.methods.join(", ")));
        svg.appendChild(rect);
      });
    });
    if (!series.buckets.length) {
      svg.appendChild(el("text", { class: "empty", x: M.left + pw / 2, y: M.top + ph / 2, "text-anchor": "middle" },
                         "No work units in this window yet"));
    }
    figure.appendChild(svg);
  }

  function drawLegend(list, series) {
    list.replaceChildren();
    series.groups.forEach(function (group, gi) {
      const li = document.createElement("li");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = colourOf(series.by, group, gi);
      const t = series.totals[group];
      li.append(sw, document.createTextNode(group + " (" + t.methods.join(", ") + ")"));
      li.dataset.group = group;
      list.appendChild(li);
    });
  }

  function row(tbody, cells, testid) {
    const tr = document.createElement("tr");
    if (testid) tr.dataset.testid = testid;
    cells.forEach(function (c, i) {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) td.scope = "row";
      if (i === cells.length - 1) td.className = "method";
      td.textContent = c;
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }

  function drawTotals(summary) {
    const tiers = document.querySelector("#tier-table tbody");
    const routes = document.querySelector("#route-table tbody");
    tiers.replaceChildren();
    routes.replaceChildren();
    summary.by_tier.forEach(function (t) {
      row(tiers, [t.tier, String(t.count), (100 * t.share_of_turns).toFixed(0) + " %", sig(t.energy_j),
                  sig(t.energy_j_per_turn), sig(t.carbon_g), sig(t.carbon_g_per_turn), t.methods.join(", ")],
          "tier-row");
    });
    summary.by_route.forEach(function (r) {
      row(routes, [r.route, String(r.count), sig(r.energy_j), sig(r.energy_j_per_unit), sig(r.carbon_g),
                   r.methods.join(", ")], "route-row");
    });
    const t = summary.turns;
    document.getElementById("turn-totals").textContent = t.count
      ? t.count + " turns · " + sig(t.energy_j) + " J · " + sig(t.carbon_g) + " gCO2e · " +
        sig(t.energy_j_per_turn) + " J and " + sig(t.carbon_g_per_turn) + " gCO2e per turn (" + t.methods.join(", ") + ")"
      : "No assistant turns in the ledger yet: talk to the assistant on the chat page.";
    const s = summary.sci;
    document.getElementById("sci").textContent = s
      ? "SCI " + sig(s.sci_g_per_unit) + " gCO2e per turn (" + s.method + "): operational " + sig(s.operational_g) +
        " g + embodied " + sig(s.embodied_g) + " g over " + s.functional_units + " turns; boundary: " + s.boundary +
        "; embodied: " + s.embodied_source + "."
      : "SCI per turn: needs at least one turn.";
  }

  async function getJSON(url) {
    const resp = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await resp.json().catch(function () { return {}; });
    if (!resp.ok) throw new Error((body.detail || body.error || resp.statusText) + " (HTTP " + resp.status + ")");
    return body;
  }

  async function refresh() {
    if (busy) return;
    busy = true;
    status.textContent = "Loading…";
    const bucket = bucketSel.value;
    try {
      const [tier, route, summary] = await Promise.all([
        getJSON("/v1/energy/series?by=tier&bucket=" + encodeURIComponent(bucket)),
        getJSON("/v1/energy/series?by=route&bucket=" + encodeURIComponent(bucket)),
        getJSON("/v1/energy/summary"),
      ]);
      [[tier, "tier"], [route, "route"]].forEach(function ([series, by]) {
        drawLegend(document.getElementById("legend-" + by), series);
        Object.keys(METRICS).forEach(function (metric) {
          drawPlot(document.getElementById("plot-" + metric + "-" + by), series, metric);
        });
      });
      drawTotals(summary);
      document.body.dataset.loaded = String(Date.now());
      status.textContent = "Updated " + new Date().toLocaleTimeString() + " · methods: " +
        (tier.methods.concat(route.methods).filter(function (m, i, a) { return a.indexOf(m) === i; }).join(", ") || "none yet");
    } catch (err) {
      status.textContent = "Could not load the dashboard: " + err.message;
    } finally {
      busy = false;
    }
  }

  function schedule() {
    if (timer) clearInterval(timer);
    timer = auto.checked ? setInterval(refresh, AUTO_MS) : null;
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); refresh(); });
  bucketSel.addEventListener("change", refresh);
  auto.addEventListener("change", schedule);
  schedule();
  refresh();
})();
