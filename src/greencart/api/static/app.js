// greencart chat page: plain JS, no build step. All data goes in with textContent (never innerHTML).
"use strict";

(function () {
  const SYMBOLS = { GBP: "£", EUR: "€", USD: "$", CNY: "¥", JPY: "¥" };
  const form = document.getElementById("chat-form");
  const input = document.getElementById("message");
  const sendBtn = document.getElementById("send");
  const eco = document.getElementById("eco");
  const ecoValue = document.getElementById("eco-value");
  const turns = document.getElementById("turns");
  const status = document.getElementById("status");
  const sessionOut = document.getElementById("session-id");
  const totalsOut = document.getElementById("session-totals");
  const turnTpl = document.getElementById("turn-template");
  const cardTpl = document.getElementById("card-template");

  const state = { session: null, busy: false, turns: 0, energyJ: 0, carbonG: 0 };
  try { state.session = sessionStorage.getItem("greencart.session"); } catch (e) { /* storage off */ }
  if (state.session) sessionOut.textContent = state.session;

  function money(amount, currency) {
    const n = Number(amount);
    if (!Number.isFinite(n)) return "";
    const sym = SYMBOLS[currency];
    return sym ? sym + n.toFixed(2) : n.toFixed(2) + " " + (currency || "");
  }

  function num(x, digits) {
    const n = Number(x);
    return Number.isFinite(n) ? n.toFixed(digits) : "?";
  }

  // Energy figures are tiny; keep two significant digits without scientific notation.
  function sig(x) {
    const n = Number(x);
    if (!Number.isFinite(n)) return "?";
    if (n === 0) return "0";
    const digits = Math.min(8, Math.max(0, 1 - Math.floor(Math.log10(Math.abs(n)))));
    return n.toFixed(digits);
  }

  function footprintText(p) {
    if (p.footprint_kg_co2e === null || p.footprint_kg_co2e === undefined) return "footprint unknown";
    let text = num(p.footprint_kg_co2e, 1) + " kg CO2e";
    const band = [];
    if (p.footprint_low !== null && p.footprint_low !== undefined &&
        p.footprint_high !== null && p.footprint_high !== undefined) {
      band.push(num(p.footprint_low, 1) + "–" + num(p.footprint_high, 1));
    }
    if (p.footprint_method) band.push(p.footprint_method);
    if (band.length) text += " (" + band.join(", ") + ")";
    return text;
  }

  function renderCards(list, products) {
    list.replaceChildren();
    (products || []).forEach(function (p, i) {
      const li = cardTpl.content.firstElementChild.cloneNode(true);
      li.querySelector(".title").textContent = (i + 1) + ". " + String(p.title || p.id || "");
      li.querySelector(".price").textContent = money(p.price, p.currency);
      const fp = li.querySelector(".footprint");
      fp.textContent = footprintText(p);
      fp.title = "Product carbon footprint: central estimate, band low–high, and how it was obtained";
      const btn = li.querySelector(".greener");
      btn.setAttribute("aria-label", "Find a greener swap for " + String(p.title || ""));
      btn.addEventListener("click", function () { send("greener option than the " + ordinal(i + 1) + " one"); });
      list.appendChild(li);
    });
  }

  function ordinal(n) {
    return ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"][n - 1] || "first";
  }

  function swapLine(reply) {
    const lines = String(reply || "").split("\n");
    for (const line of lines) {
      if (/^(Greener swap:|更环保的选择)/.test(line.trim())) return line.trim();
    }
    return null;
  }

  function finishTurn(node, reply, done) {
    const replyEl = node.querySelector(".reply");
    const hint = swapLine(reply);
    const swapEl = node.querySelector(".swap");
    if (hint) {
      // The swap gets its own highlighted line; the reply keeps the rest.
      reply = String(reply).split("\n").filter(function (l) { return l.trim() !== hint; }).join("\n");
      swapEl.textContent = hint;
      swapEl.hidden = false;
    }
    replyEl.textContent = reply;
    replyEl.hidden = !reply.trim();
    const energy = done.energy || {};
    node.querySelector(".meta").textContent =
      "tier " + (done.tier || "?") + " · " + sig(energy.energy_j) + " J · " + sig(energy.carbon_g) +
      " gCO2e · " + (energy.method || "unknown");
    if (done.session) {
      state.session = done.session;
      sessionOut.textContent = done.session;
      try { sessionStorage.setItem("greencart.session", done.session); } catch (e) { /* storage off */ }
    }
    state.turns += 1;
    state.energyJ += Number(energy.energy_j) || 0;
    state.carbonG += Number(energy.carbon_g) || 0;
    totalsOut.textContent = state.turns + " turn" + (state.turns === 1 ? "" : "s") + " · " +
      sig(state.energyJ) + " J · " + sig(state.carbonG) + " gCO2e";
    node.classList.add("done");
  }

  async function errorText(resp) {
    try {
      const body = await resp.json();
      if (body && body.detail) {
        if (typeof body.detail === "string") return body.detail;
        if (Array.isArray(body.detail) && body.detail[0] && body.detail[0].msg) return body.detail[0].msg;
      }
      if (body && body.error) return String(body.error.message || body.error);
    } catch (e) { /* not JSON */ }
    return "HTTP " + resp.status;
  }

  // Server-sent events over fetch (EventSource cannot POST): products, token..., done.
  async function readEvents(resp, onEvent) {
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buf += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        let name = "message";
        const data = [];
        block.split("\n").forEach(function (line) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data.push(line.slice(6));
        });
        if (data.length) onEvent(name, JSON.parse(data.join("\n")));
      }
      if (done) break;
    }
  }

  async function send(message) {
    message = String(message || "").trim();
    if (!message || state.busy) return;
    state.busy = true;
    sendBtn.disabled = true;
    status.textContent = "Thinking…";
    const node = turnTpl.content.firstElementChild.cloneNode(true);
    node.querySelector(".you .text").textContent = message;
    turns.appendChild(node);
    const body = { message: message, eco: Number(eco.value) };
    if (state.session) body.session = state.session;
    try {
      const resp = await fetch("/v1/chat", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
        body: JSON.stringify(body),
      });
      if (!resp.ok) throw new Error(await errorText(resp));
      const replyEl = node.querySelector(".reply");
      let reply = "";
      let done = null;
      if ((resp.headers.get("content-type") || "").startsWith("text/event-stream") && resp.body) {
        await readEvents(resp, function (name, data) {
          if (name === "products") renderCards(node.querySelector(".cards"), data.products);
          else if (name === "token") { reply += data.text; replyEl.textContent = reply; }
          else if (name === "done") done = data;
        });
      } else {
        const data = await resp.json();
        renderCards(node.querySelector(".cards"), data.products);
        reply = data.reply;
        done = data;
      }
      finishTurn(node, reply, done || {});
      status.textContent = "";
    } catch (err) {
      node.querySelector(".reply").textContent = "Sorry, that failed: " + String(err && err.message || err);
      node.classList.add("error");
      status.textContent = "Request failed.";
    } finally {
      state.busy = false;
      sendBtn.disabled = false;
      node.scrollIntoView({ block: "end", behavior: "smooth" });
    }
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const text = input.value;
    input.value = "";
    send(text);
    input.focus();
  });
  eco.addEventListener("input", function () { ecoValue.textContent = Number(eco.value).toFixed(1); });
  ecoValue.textContent = Number(eco.value).toFixed(1);
  document.getElementById("new-session").addEventListener("click", function () {
    state.session = null;
    state.turns = 0; state.energyJ = 0; state.carbonG = 0;
    try { sessionStorage.removeItem("greencart.session"); } catch (e) { /* storage off */ }
    sessionOut.textContent = "new";
    totalsOut.textContent = "0 turns · 0 J · 0 gCO2e";
    turns.replaceChildren();
    input.focus();
  });
})();
