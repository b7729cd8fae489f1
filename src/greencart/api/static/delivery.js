// The merchant's delivery page: plans through POST /v1/routes/plan and draws the routes
// as an SVG map (equirectangular projection around the depot); slots from GET /v1/delivery/slots.
"use strict";

const VEHICLE_COLOURS = { diesel_van: "#8a3b2e", electric_van: "#2f6fb0", cargo_bike: "#2e8b3a" };
const FALLBACK_COLOURS = ["#7b4fa0", "#c7892a", "#3a8f8f", "#a0305f"];
const SVG_NS = "http://www.w3.org/2000/svg";
const W = 760, H = 520, PAD = 24;

function colourOf(vehicle, i) {
  return VEHICLE_COLOURS[vehicle] || FALLBACK_COLOURS[i % FALLBACK_COLOURS.length];
}

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function projector(plan) {
  const pts = [plan.depot, ...plan.stop_list];
  const lat0 = plan.depot.lat * Math.PI / 180;
  const xs = pts.map(p => p.lon * Math.cos(lat0)), ys = pts.map(p => p.lat);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 1e-6);
  const scale = Math.min(W - 2 * PAD, H - 2 * PAD) / span;
  const kmPerUnit = 111.195;  // km per degree of latitude
  const project = p => [PAD + (p.lon * Math.cos(lat0) - minX) * scale, H - PAD - (p.lat - minY) * scale];
  return { project, pxPerKm: scale / kmPerUnit };
}

function drawMap(plan) {
  const svg = document.getElementById("map");
  svg.replaceChildren();
  const { project, pxPerKm } = projector(plan);
  const byId = Object.fromEntries(plan.stop_list.map(s => [s.id, s]));
  const [dx, dy] = project(plan.depot);
  const legend = new Map();
  plan.route_list.forEach((r, i) => {
    const colour = colourOf(r.vehicle, i);
    legend.set(r.vehicle, colour);
    const pts = [plan.depot, ...r.stop_ids.map(id => byId[id]), plan.depot].map(project);
    const line = el("polyline", { class: "route", stroke: colour, points: pts.map(p => p.join(",")).join(" "),
                                 "data-vehicle": r.vehicle, "data-stops": String(r.stop_ids.length) }, svg);
    el("title", {}, line).textContent =
      `${r.vehicle}: ${r.stop_ids.length} stops, ${r.distance_km.toFixed(1)} km, ${r.co2e_kg.toFixed(3)} kg CO2e`;
    r.stop_ids.forEach(id => {
      const [x, y] = project(byId[id]);
      const c = el("circle", { class: "stop", cx: x, cy: y, r: 4, fill: colour, "data-id": id }, svg);
      el("title", {}, c).textContent = `${id}: ${byId[id].weight_kg.toFixed(2)} kg`;
    });
  });
  el("rect", { class: "depot", x: dx - 6, y: dy - 6, width: 12, height: 12 }, svg);
  const barKm = pxPerKm > 40 ? 1 : pxPerKm > 8 ? 5 : 20;  // a scale bar
  el("line", { x1: PAD, y1: H - 8, x2: PAD + barKm * pxPerKm, y2: H - 8, stroke: "#333", "stroke-width": 2 }, svg);
  el("text", { x: PAD, y: H - 12, "font-size": 11 }, svg).textContent = `${barKm} km`;
  document.getElementById("legend").innerHTML = [...legend].map(
    ([v, c]) => `<span><i style="background:${c}"></i>${v}</span>`).join("") + "<span>■ depot</span>";
}

function row(cells, cls) {
  const tr = document.createElement("tr");
  if (cls) tr.className = cls;
  cells.forEach(v => { const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
  return tr;
}

function showPlan(plan) {
  drawMap(plan);
  document.getElementById("totals").textContent =
    `${plan.date || "orders"} · ${plan.stops} deliveries · ${plan.routes} routes · ` +
    `${plan.distance_km.toFixed(1)} km · ${plan.co2e_kg.toFixed(3)} kg CO2e (${plan.emissions_basis}, modelled)`;
  const body = document.querySelector("#comparison tbody");
  body.replaceChildren(...plan.comparison.map(c => row([c.method, c.routes, c.distance_km.toFixed(1),
    c.co2e_kg.toFixed(3), `${c.co2e_saved_kg_vs_distance_only.toFixed(3)} (${c.co2e_saved_pct_vs_distance_only} %)`,
    c.km_added_vs_distance_only.toFixed(1)], c.method === plan.method ? "green" : "")));
}

async function problem(resp) {
  try { const j = await resp.json(); return j.detail || resp.statusText; } catch (e) { return resp.statusText; }
}

async function plan(ev) {
  if (ev) ev.preventDefault();
  const status = document.getElementById("status");
  status.textContent = "Planning…";
  const body = { mix: document.getElementById("mix").value, objective: document.getElementById("objective").value,
                 time_limit_s: 2, seed: 0 };
  const day = document.getElementById("day").value;
  if (day) body.date = day;
  const resp = await fetch("/v1/routes/plan", { method: "POST", headers: { "Content-Type": "application/json" },
                                                body: JSON.stringify(body) });
  if (!resp.ok) { status.textContent = "Error: " + await problem(resp); return; }
  const result = await resp.json();
  if (!day && result.date) document.getElementById("day").value = result.date;
  showPlan(result);
  status.textContent = `Planned in ${result.solver.runtime_s ?? "?"} s of solver time.`;
}

async function slots(ev) {
  ev.preventDefault();
  const order = document.getElementById("order").value.trim();
  const green = document.getElementById("green");
  if (!order) { green.textContent = "Enter an order id."; return; }
  green.textContent = "Computing slots…";
  const mix = document.getElementById("mix").value;
  const resp = await fetch(`/v1/delivery/slots?order=${encodeURIComponent(order)}&mix=${mix}`);
  if (!resp.ok) { green.textContent = "Error: " + await problem(resp); return; }
  const s = await resp.json();
  const g = s.green_slot;
  document.querySelector("#slots tbody").replaceChildren(...s.slots.map(o => row([o.window,
    o.marginal_co2e_kg ?? "—", o.marginal_km ?? "—", o.vehicle ?? "—", o.how], g && o.window === g.window ? "green" : "")));
  green.textContent = g ? `Green slot ${g.window}: ${g.marginal_co2e_kg} kg CO2e, saves ${g.saving_kg_co2e_vs_mean} kg vs the average slot.`
                        : "No slot available.";
}

document.getElementById("controls").addEventListener("submit", plan);
document.getElementById("slot-form").addEventListener("submit", slots);
plan();
