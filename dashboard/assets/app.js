// gotensor dashboard: renders the snapshot the server pushes over a WebSocket on every new block.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const colors = ["#4e9af1", "#f1a94e", "#5fd068", "#e65b5b", "#b07cf0", "#46d1c8", "#f0e05a", "#ff7fbf", "#a0a0a0", "#c08a5a"];
  let snap = null;
  let selected = null;
  let prevRows = {};

  const u16 = (x) => (x / 65535);
  const fmt = (x, d) => Number(x).toFixed(d);
  const tao = (rao) => rao / 1e9;
  const short = (s) => s.slice(0, 6) + "…" + s.slice(-4);
  const svgNS = "http://www.w3.org/2000/svg";
  const el = (name, attrs, text) => {
    const e = document.createElementNS(svgNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function subnet() {
    if (!snap || !snap.subnets || snap.subnets.length === 0) return null;
    return snap.subnets.find((s) => s.info.netuid === selected) || snap.subnets[0];
  }

  function render() {
    $("head").textContent = snap.head ? snap.head.height : "–";
    $("chain").textContent = snap.chain_id || "";
    const sel = $("netuid");
    const netuids = (snap.subnets || []).map((s) => s.info.netuid);
    if (sel.options.length !== netuids.length) {
      sel.innerHTML = "";
      for (const n of netuids) sel.appendChild(new Option("netuid " + n, n));
    }
    const s = subnet();
    if (!s) { $("rows").innerHTML = '<tr><td colspan="12">no subnet yet</td></tr>'; return; }
    selected = s.info.netuid;
    sel.value = String(selected);
    const i = s.info, m = s.metagraph;
    $("summary").textContent = `netuid ${i.netuid} · ${m.n} neurons · tempo ${i.tempo} · epoch ${i.epoch_index} · ` +
      `next epoch in ${i.blocks_until_next_epoch} blocks · last epoch at block ${i.last_step}`;
    renderRows(m);
    const labels = m.hotkeys.map((h, uid) => uid);
    lineChart($("chart-incentive"), s.history, "incentive", m.n);
    lineChart($("chart-dividends"), s.history, "dividends", m.n);
    lineChart($("chart-emission"), s.history, "emission", m.n);
    barChart($("chart-stake"), m.total_stake.map(tao), labels);
    heatmap($("heatmap"), m);
    const lg = $("legend");
    lg.innerHTML = "";
    for (let uid = 0; uid < m.n; uid++) {
      const sp = document.createElement("span");
      sp.style.color = colors[uid % colors.length];
      sp.textContent = "■ uid " + uid;
      lg.appendChild(sp);
    }
  }

  function renderRows(m) {
    const body = $("rows");
    body.innerHTML = "";
    const next = {};
    for (let uid = 0; uid < m.n; uid++) {
      const a = m.axons[uid];
      const axon = a && a.port ? `${a.ip}:${a.port}` : "–";
      const cells = [uid, short(m.hotkeys[uid]), fmt(tao(m.total_stake[uid]), 2), m.validator_permit[uid] ? "✓" : "",
        fmt(u16(m.trust[uid]), 4), fmt(u16(m.validator_trust[uid]), 4), fmt(u16(m.consensus[uid]), 4),
        fmt(u16(m.incentive[uid]), 4), fmt(u16(m.dividends[uid]), 4), fmt(tao(m.emission[uid]), 4), m.last_update[uid], axon];
      const tr = document.createElement("tr");
      tr.id = "uid-row-" + uid;
      tr.dataset.uid = uid;
      cells.forEach((c, k) => {
        const td = document.createElement("td");
        td.textContent = c;
        if (k === 1) { td.className = "hk"; td.title = m.hotkeys[uid]; }
        tr.appendChild(td);
      });
      const key = cells.join("|");
      if (prevRows[uid] !== undefined && prevRows[uid] !== key) tr.className = "changed";
      next[uid] = key;
      body.appendChild(tr);
    }
    prevRows = next;
  }

  function axes(svg, maxY, label) {
    svg.appendChild(el("line", { x1: 30, y1: 180, x2: 395, y2: 180, stroke: "#445" }));
    svg.appendChild(el("line", { x1: 30, y1: 10, x2: 30, y2: 180, stroke: "#445" }));
    svg.appendChild(el("text", { x: 2, y: 14 }, fmt(maxY, maxY < 10 ? 2 : 0)));
    svg.appendChild(el("text", { x: 2, y: 180 }, "0"));
    if (label) svg.appendChild(el("text", { x: 300, y: 195 }, label));
  }

  function lineChart(svg, history, field, n) {
    svg.innerHTML = "";
    history = history || [];
    let maxY = 0;
    for (const h of history) for (const v of h[field] || []) maxY = Math.max(maxY, v);
    if (maxY === 0) maxY = 1;
    axes(svg, maxY, history.length + " epochs");
    if (history.length === 0) return;
    const x = (k) => 30 + (history.length === 1 ? 0 : (k * 365) / (history.length - 1));
    const y = (v) => 180 - (v / maxY) * 170;
    for (let uid = 0; uid < n; uid++) {
      const pts = history.map((h, k) => `${x(k)},${y((h[field] || [])[uid] || 0)}`).join(" ");
      svg.appendChild(el("polyline", { points: pts, fill: "none", stroke: colors[uid % colors.length], "stroke-width": 1.5, "data-uid": uid }));
    }
  }

  function barChart(svg, values, labels) {
    svg.innerHTML = "";
    const maxY = Math.max(1e-9, ...values);
    axes(svg, maxY);
    const w = 360 / Math.max(1, values.length);
    values.forEach((v, k) => {
      const h = (v / maxY) * 170;
      svg.appendChild(el("rect", { x: 32 + k * w, y: 180 - h, width: Math.max(1, w - 2), height: h, fill: colors[k % colors.length] }));
      svg.appendChild(el("text", { x: 32 + k * w, y: 192 }, labels[k]));
    });
  }

  function heatmap(svg, m) {
    svg.innerHTML = "";
    const n = m.n;
    const rows = [];
    (m.weights || []).forEach((row, uid) => { if (row && row.length) rows.push([uid, row]); });
    if (rows.length === 0) { svg.appendChild(el("text", { x: 120, y: 100 }, "no weights yet")); return; }
    const cw = 360 / Math.max(1, n), ch = 170 / rows.length;
    rows.forEach(([uid, row], r) => {
      svg.appendChild(el("text", { x: 2, y: 10 + r * ch + ch / 2 }, uid));
      let max = 0;
      for (const e of row) max = Math.max(max, e.value);
      for (const e of row) {
        const t = max ? e.value / max : 0;
        const c = `rgb(${Math.round(30 + 225 * t)},${Math.round(40 + 120 * t)},${Math.round(60 + 20 * t)})`;
        svg.appendChild(el("rect", { x: 30 + e.uid * cw, y: 10 + r * ch, width: Math.max(1, cw - 1), height: Math.max(1, ch - 1), fill: c },
        ));
      }
    });
    for (let uid = 0; uid < n; uid++) svg.appendChild(el("text", { x: 30 + uid * cw, y: 192 }, uid));
  }

  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${location.host}/ws`);
    ws.onopen = () => { $("status").textContent = "live"; $("status").className = "status live"; };
    ws.onmessage = (ev) => { snap = JSON.parse(ev.data); render(); };
    ws.onclose = () => {
      $("status").textContent = "offline"; $("status").className = "status";
      setTimeout(connect, 1000);
    };
  }

  $("netuid").addEventListener("change", (e) => { selected = Number(e.target.value); prevRows = {}; if (snap) render(); });
  fetch("api/snapshot").then((r) => r.json()).then((s) => { if (!snap) { snap = s; render(); } }).catch(() => {});
  connect();
})();
