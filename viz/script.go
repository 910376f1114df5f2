package viz

// script draws DATA (the Model) as SVG. Trace content goes into the page only
// through textContent and setAttribute, never as markup.
const script = `(function () {
"use strict";
var D = DATA, NS = "http://www.w3.org/2000/svg";
var LANE = 64, TOP = 34, LEFT = 96;
// STEP spreads a short run over the window; long runs start at 16px an event.
var STEP = Math.max(16, Math.min(48, ((window.innerWidth || 1400) - LEFT - 240) / Math.max(1, DATA.events.length)));
var st = {mode: "order", zoom: 1, hideNode: {}, hideType: {}, selected: -1};
var N = D.events.length, tEnd = N ? D.events[N - 1].t : 0;

function el(name, attrs, parent, text) {
  var e = document.createElementNS(NS, name);
  for (var k in attrs) { e.setAttribute(k, attrs[k]); }
  if (text !== undefined) { var t = document.createElementNS(NS, "title"); t.textContent = text; e.appendChild(t); }
  parent.appendChild(e);
  return e;
}
function x(i) {
  if (i < 0) { return LEFT; }
  if (st.mode === "order") { return LEFT + (i + 1) * STEP * st.zoom; }
  var w = Math.max(1200, N * 6) * st.zoom;
  return LEFT + 12 + (tEnd > 0 ? D.events[i].t / tEnd * w : 0);
}
function xEnd() { return N ? x(N - 1) + 24 : LEFT + 24; }
function laneY() {
  var y = {}, k = 0;
  D.nodes.forEach(function (n) { if (!st.hideNode[n]) { y[n] = TOP + k * LANE + LANE / 2; k++; } });
  return {y: y, count: k};
}
function band(cls, x1, x2, y1, y2, g, label) {
  el("rect", {"class": cls, x: x1, y: y1, width: Math.max(2, x2 - x1), height: y2 - y1}, g, label);
}
function drawSpans(g, L, bottom) {
  D.spans.forEach(function (s) {
    var x1 = x(s.from), x2 = s.to < 0 ? xEnd() : x(s.to);
    if (s.node && L.y[s.node] !== undefined) {
      band("span-" + s.kind, x1, x2, L.y[s.node] - LANE / 2 + 2, L.y[s.node] + LANE / 2 - 2, g, s.label);
    } else if (!s.node || s.kind === "network") {
      band("span-" + s.kind, x1, x2, TOP - 6, bottom, g, s.label);
    }
  });
}
function drawLanes(g, L) {
  D.nodes.forEach(function (n) {
    if (L.y[n] === undefined) { return; }
    el("line", {"class": "lane", x1: LEFT - 8, x2: xEnd(), y1: L.y[n], y2: L.y[n]}, g);
  });
}
// drawLabels puts the lane names in a column that stays in view while the
// diagram scrolls sideways.
function drawLabels(g, L, bottom) {
  el("rect", {x: 0, y: TOP - 4, width: LEFT - 30, height: bottom - TOP + 8, fill: "#fff", opacity: 0.85}, g);
  D.nodes.forEach(function (n) {
    if (L.y[n] === undefined) { return; }
    var t = el("text", {"class": "lane-label", x: 6, y: L.y[n] + 4}, g);
    t.textContent = n;
  });
  g.setAttribute("transform", "translate(" + document.getElementById("scroller").scrollLeft + ",0)");
}
// The state track under each lane: the agent's summary from where it changed,
// tinted by role, with marks where a node becomes leader or its era (term,
// ballot, epoch) changes. Text is cut to the stretch's width; the full summary
// is its tooltip.
var ROLE_FILL = {leader: "#c8e6c9", candidate: "#ffe0b2", precandidate: "#fff3c4", follower: "#eceff1"};
function drawStates(g, gm, L, labels) {
  D.states.forEach(function (s) {
    var y = L.y[s.node];
    if (y === undefined) { return; }
    var x1 = x(s.from), x2 = s.to < 0 ? xEnd() : x(s.to), w = Math.max(2, x2 - x1);
    var r = el("rect", {"class": "state", x: x1, y: y + 7, width: w, height: 13, "data-i": s.from, "data-role": s.role}, g, s.node + ": " + s.text);
    r.style.fill = ROLE_FILL[s.role] || "#e3f2fd";
    var fit = Math.floor((w - 4) / 6);
    if (fit >= 3) {
      var t = el("text", {"class": "state-text", x: x1 + 2, y: y + 17, "data-i": s.from}, g);
      t.textContent = s.text.length <= fit ? s.text : s.text.slice(0, fit - 1) + "\u2026";
      labels.claim(x1, y + 7, x1 + Math.min(w, s.text.length * 6 + 4), y + 20);
    }
    if (s.leads || s.newEra) {
      var label = (s.leads ? "\u2605 leader " : "") + (s.newEra || s.leads ? s.era : "");
      el("line", {"class": s.leads ? "mark leads" : "mark era", x1: x1, x2: x1, y1: y - 14, y2: y + 20, "data-i": s.from}, gm, s.node + ": " + s.text);
      var ly = labels.place(label, x1 + label.length * CHARW / 2 + 2, y - 14);
      if (ly !== null) {
        var m = el("text", {"class": s.leads ? "mark-label leads" : "mark-label", x: x1 + 2, y: ly, "data-i": s.from}, gm);
        m.textContent = label;
      }
    }
  });
}
// Causal sets from D.preds (computed with the trace: happens-before through
// each node's own order and message send to delivery).
var SUCCS = null;
function succs() {
  if (SUCCS) { return SUCCS; }
  SUCCS = D.events.map(function () { return []; });
  D.preds.forEach(function (ps, i) { (ps || []).forEach(function (p) { SUCCS[p].push(i); }); });
  return SUCCS;
}
function closure(i, next) {
  var seen = {}, stack = [i];
  while (stack.length) {
    var k = stack.pop();
    (next(k) || []).forEach(function (p) { if (!seen[p]) { seen[p] = true; stack.push(p); } });
  }
  return seen;
}
function causal(i) {
  if (i < 0) { return null; }
  return {past: closure(i, function (k) { return D.preds[k]; }), future: closure(i, function (k) { return succs()[k]; })};
}
function rel(i) {
  var c = st.causal;
  if (!c || i === st.selected) { return ""; }
  return c.past[i] ? " past" : c.future[i] ? " future" : " dim";
}
function drawOps(g, L) {
  D.ops.forEach(function (o) {
    if (L.y[o.client] === undefined) { return; }
    var x1 = x(o.from), x2 = o.to < 0 ? xEnd() : x(o.to);
    el("rect", {"class": o.to < 0 ? "op open" : "op", x: x1, y: L.y[o.client] - 14, width: Math.max(3, x2 - x1), height: 7,
      "data-i": o.from}, g, o.text + (o.to < 0 ? " (open)" : ""));
  });
}
// Message types get colours from one palette in the order of D.types, so the
// legend, the arrows and their heads agree.
var PALETTE = ["#1565c0", "#2e7d32", "#ad1457", "#ef6c00", "#6a1b9a", "#00838f", "#827717", "#4e342e",
  "#c62828", "#283593", "#00695c", "#8e24aa", "#5d4037", "#0277bd", "#558b2f", "#d84315"];
function colorOf(type) {
  var k = D.types.indexOf(type);
  return k < 0 ? "#607d8b" : PALETTE[k % PALETTE.length];
}
function markerId(type) { var k = D.types.indexOf(type); return "head-" + (k < 0 ? "x" : k); }
function drawMarkers(defs) {
  D.types.concat(["?"]).forEach(function (t) {
    var m = el("marker", {id: markerId(t), viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto"}, defs);
    el("path", {d: "M0,0 L10,5 L0,10 z", fill: colorOf(t)}, m);
  });
}
// Labels claims boxes on a coarse grid; a label that would overlap one already
// placed is left out (its arrow keeps its tooltip), so labels thin out as the
// diagram zooms out and come back as it zooms in.
var CHARW = 6.1, CELL = 64;
function Labels() { this.grid = {}; }
Labels.prototype.fits = function (x1, y1, x2, y2) {
  for (var cx = Math.floor(x1 / CELL); cx <= Math.floor(x2 / CELL); cx++) {
    for (var cy = Math.floor(y1 / CELL); cy <= Math.floor(y2 / CELL); cy++) {
      var list = this.grid[cx + "," + cy] || [];
      for (var k = 0; k < list.length; k++) {
        var b = list[k];
        if (x1 < b[2] && b[0] < x2 && y1 < b[3] && b[1] < y2) { return false; }
      }
    }
  }
  return true;
};
Labels.prototype.claim = function (x1, y1, x2, y2) {
  for (var cx = Math.floor(x1 / CELL); cx <= Math.floor(x2 / CELL); cx++) {
    for (var cy = Math.floor(y1 / CELL); cy <= Math.floor(y2 / CELL); cy++) {
      var key = cx + "," + cy;
      (this.grid[key] = this.grid[key] || []).push([x1, y1, x2, y2]);
    }
  }
};
// place tries a label centred at (cx, cy), then a little above and below.
Labels.prototype.place = function (text, cx, cy) {
  var w = text.length * CHARW + 4, offsets = [0, -11, 11];
  for (var k = 0; k < offsets.length; k++) {
    var y = cy + offsets[k];
    if (this.fits(cx - w / 2, y - 9, cx + w / 2, y + 2)) {
      this.claim(cx - w / 2, y - 9, cx + w / 2, y + 2);
      return y;
    }
  }
  return null;
};
function arrowOrder() {
  // Arrows whose labels matter most claim space first: the ones in the
  // violation's causal past (latest first), then deliveries, then drops.
  var order = [], first = {};
  (D.past || []).forEach(function (i) { first[i] = true; });
  D.arrows.forEach(function (a, k) { if (first[a.to]) { order.push(k); } });
  order.reverse();
  D.arrows.forEach(function (a, k) { if (!first[a.to] && !a.drop) { order.push(k); } });
  D.arrows.forEach(function (a, k) { if (!first[a.to] && a.drop) { order.push(k); } });
  return order;
}
function drawArrows(g, gl, L, labels) {
  var geo = [];
  D.arrows.forEach(function (a, k) {
    var to = D.events[a.to], from = a.from >= 0 ? D.events[a.from] : null;
    var y1 = L.y[to.peer], y2 = L.y[to.node];
    if (y1 === undefined || y2 === undefined || st.hideType[a.type]) { return; }
    var x1 = from ? x(a.from) : x(a.to) - STEP, x2 = x(a.to);
    geo[k] = [x1, y1, x2, y2];
    var linked = st.causal && (a.to === st.selected || st.causal.past[a.to] && (a.from === st.selected || st.causal.past[a.from]) ||
      st.causal.future[a.to] && (a.from === st.selected || st.causal.future[a.from]));
    var line = el("line", {"class": (a.drop ? "msg drop" : "msg") + (st.causal ? (linked ? " causal" : " dim") : ""), x1: x1, y1: y1, x2: x2, y2: y2,
      "marker-end": a.drop ? "url(#x)" : "url(#" + markerId(a.type) + ")", "data-i": a.to, "data-type": a.type}, g, to.desc);
    line.style.stroke = colorOf(a.type);
    if (a.to === D.cause) { line.setAttribute("data-fatal", "true"); }
  });
  arrowOrder().forEach(function (k) {
    var a = D.arrows[k], p = geo[k];
    if (!p) { return; }
    var cx = (p[0] + p[2]) / 2, cy = (p[1] + p[3]) / 2 + 3;
    var y = labels.place(a.label, cx, cy);
    if (y === null) { return; }
    var t = el("text", {"class": "arrow-label" + (st.causal ? rel(a.to) : ""), x: cx, y: y, "text-anchor": "middle", "data-i": a.to}, gl);
    t.style.fill = colorOf(a.type);
    if (a.to === D.cause) { t.setAttribute("data-fatal", "true"); }
    t.textContent = a.label;
  });
}
function drawEvents(g, L, bottom) {
  var culprit = D.cause;
  D.events.forEach(function (e, i) {
    var cx = x(i);
    if (e.kind === "fault" || e.kind === "phase") {
      el("line", {"class": e.kind === "phase" ? "phase-line" : "fault-line", x1: cx, x2: cx, y1: TOP - 6, y2: bottom, "data-i": i}, g, e.desc);
      var t = el("text", {x: cx + 3, y: TOP - 10}, g);
      t.textContent = e.kind === "phase" ? "liveness" : e.type;
      return;
    }
    if (e.kind === "fail") { return; }
    var node = e.node || e.type, y = L.y[node];
    if (y === undefined) { return; }
    var cls = "ev k-" + e.kind + (i === st.selected ? " selected" : "") + (i === culprit ? " culprit" : "") + rel(i);
    if (e.kind === "timer") {
      el("rect", {"class": cls, x: cx - 5, y: y - 5, width: 10, height: 10, transform: "rotate(45 " + cx + " " + y + ")", "data-i": i}, g, e.desc);
    } else if (e.kind === "recv" || e.kind === "drop") {
      if (!st.hideType[e.type]) { el("circle", {"class": cls, cx: cx, cy: y, r: 5, "data-i": i}, g, e.desc); }
    } else {
      el("circle", {"class": cls, cx: cx, cy: y, r: e.kind === "start" ? 6 : 4, "data-i": i}, g, e.desc);
    }
  });
}
function drawFail(g, bottom) {
  if (D.fail < 0) { return; }
  var fx = x(D.fail);
  el("line", {"class": "fail-line", x1: fx, x2: fx, y1: 4, y2: bottom, "data-i": D.fail}, g, D.events[D.fail].desc);
  var t = el("text", {"class": "fail-label", x: fx + 4, y: 14}, g);
  t.textContent = "violation: " + D.property;
}
function draw() {
  var svg = document.getElementById("diagram");
  while (svg.firstChild) { svg.removeChild(svg.firstChild); }
  var L = laneY(), bottom = TOP + L.count * LANE;
  svg.setAttribute("width", xEnd() + 200);
  svg.setAttribute("height", bottom + 16);
  var defs = el("defs", {}, svg);
  drawMarkers(defs);
  var cross = el("marker", {id: "x", viewBox: "0 0 10 10", refX: 5, refY: 5, markerWidth: 8, markerHeight: 8}, defs);
  el("path", {d: "M1,1 L9,9 M9,1 L1,9", stroke: "#e53935", "stroke-width": 2}, cross);
  var layers = {};
  ["spans", "lanes", "states", "ops", "arrows", "events", "marks", "arrow-labels", "fail", "labels"].forEach(function (id) { layers[id] = el("g", {id: "layer-" + id}, svg); });
  var labels = new Labels();
  drawSpans(layers.spans, L, bottom);
  drawLanes(layers.lanes, L);
  drawStates(layers.states, layers.marks, L, labels);
  drawOps(layers.ops, L);
  drawArrows(layers.arrows, layers["arrow-labels"], L, labels);
  drawEvents(layers.events, L, bottom);
  drawFail(layers.fail, bottom);
  drawLabels(layers.labels, L, bottom);
  svg.setAttribute("data-rendered", "true");
}
function select(i) {
  st.selected = i;
  st.causal = causal(i);
  var e = D.events[i];
  var np = Object.keys(st.causal.past).length, nf = Object.keys(st.causal.future).length;
  document.getElementById("detail-title").textContent = "#" + e.seq + ": " + e.desc;
  document.getElementById("causal").textContent = np + " events happened before it (ringed in blue), " + nf +
    " after it (ringed in orange); the rest are concurrent with it.";
  document.getElementById("detail").textContent = JSON.stringify(e, null, 2);
  draw();
  var svg = document.getElementById("diagram");
  svg.setAttribute("data-selected", e.seq);
}
function checkbox(parent, label, on, color) {
  var l = document.createElement("label"), c = document.createElement("input");
  l.className = "cb"; c.type = "checkbox"; c.checked = true;
  c.addEventListener("change", function () { on(!c.checked); draw(); });
  l.appendChild(c);
  if (color) {
    var sw = document.createElement("i");
    sw.className = "swatch"; sw.style.background = color;
    l.appendChild(sw);
  }
  l.appendChild(document.createTextNode(" " + label));
  parent.appendChild(l);
  return l;
}
function controls() {
  var nf = document.getElementById("node-filter"), tf = document.getElementById("type-filter");
  D.nodes.forEach(function (n) { checkbox(nf, n, function (h) { st.hideNode[n] = h; }); });
  D.types.forEach(function (t) {
    checkbox(tf, t, function (h) { st.hideType[t] = h; }, colorOf(t)).setAttribute("data-type", t);
  });
  document.getElementById("zoom-in").addEventListener("click", function () { st.zoom *= 1.5; draw(); });
  document.getElementById("zoom-out").addEventListener("click", function () { st.zoom /= 1.5; draw(); });
  document.getElementById("mode").addEventListener("change", function (ev) { st.mode = ev.target.value; draw(); });
  document.getElementById("scroller").addEventListener("wheel", function (ev) {
    if (!ev.ctrlKey) { return; }
    ev.preventDefault(); st.zoom *= ev.deltaY < 0 ? 1.2 : 1 / 1.2; draw();
  }, {passive: false});
  document.getElementById("scroller").addEventListener("scroll", function (ev) {
    var g = document.getElementById("layer-labels");
    if (g) { g.setAttribute("transform", "translate(" + ev.target.scrollLeft + ",0)"); }
  });
  document.getElementById("diagram").addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target.closest("[data-i]") : null;
    if (t) { select(+t.getAttribute("data-i")); }
  });
  var go = document.getElementById("goto-fail");
  if (go) {
    go.addEventListener("click", function () {
      document.getElementById("scroller").scrollLeft = Math.max(0, x(D.fail) - 600);
      select(D.cause >= 0 ? D.cause : D.fail);
    });
  }
  var story = document.getElementById("story");
  if (story) {
    story.addEventListener("click", function (ev) {
      var li = ev.target.closest ? ev.target.closest("[data-i]") : null;
      if (li) { show(+li.getAttribute("data-i")); }
    });
  }
}
// show selects event i and scrolls the diagram to it.
function show(i) {
  select(i);
  var sc = document.getElementById("scroller");
  sc.scrollLeft = Math.max(0, x(i) - sc.clientWidth / 2);
}
// bySeq finds the event numbered seq (as in the trace file and the CLI).
function bySeq(seq) {
  for (var i = 0; i < N; i++) { if (D.events[i].seq === seq) { return i; } }
  return -1;
}
controls();
draw();
if (D.fail >= 0) { document.getElementById("scroller").scrollLeft = Math.max(0, x(D.fail) - 900); }
// #event=N selects event N on load, as a click would (links and tests).
var want = /(?:^#|&)event=(\d+)/.exec(location.hash);
if (want && bySeq(+want[1]) >= 0) { show(bySeq(+want[1])); }
})();
`
