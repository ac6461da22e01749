/* paretl report: draws the charts with Plotly from the data block, and wires the province picker. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  var FONT = { family: "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif", size: 12, color: "#1d2733" };
  var HIGHLIGHT = ["#b3261e", "#0b57a0", "#e08a00", "#6a3d9a", "#1a7f37", "#c51b7d", "#00838f"];
  var INDEX_COLORS = { PAR_INDEX: "#b3261e", SIPAS: "#0b57a0", PAPI: "#1a7f37", PCI: "#e08a00", PGI: "#6a3d9a" };
  var GREY = "#c3cad3";
  var lineages = {};
  D.lineages.forEach(function (l) { lineages[l.code] = l; });
  var indexLabel = {};
  D.indices.forEach(function (i) { indexLabel[i.code] = i.label; });
  var selected = null;

  function fmt(x, dec) {
    if (x === null || x === undefined) return "—";
    return Number(x).toLocaleString("vi-VN", { minimumFractionDigits: dec || 0, maximumFractionDigits: dec === undefined ? 2 : dec });
  }
  function layout(extra) {
    var l = { separators: ",.", font: FONT, paper_bgcolor: "#fff", plot_bgcolor: "#fff", hovermode: "closest",
              margin: { l: 56, r: 150, t: 16, b: 40 }, showlegend: false };
    Object.keys(extra || {}).forEach(function (k) { l[k] = extra[k]; });
    return l;
  }
  function unitLabel(s) { return s.era ? s.name + " (" + s.era + ")" : s.name; }
  function pointText(s, i) {
    var bits = [unitLabel(s) + " — " + s.x[i]];
    if (s.rank[i] !== null) bits.push("hạng " + s.rank[i] + (s.rank_of[i] ? "/" + s.rank_of[i] : ""));
    if (s.score[i] !== null) bits.push(fmt(s.score[i], 2) + " điểm");
    if (s.change[i] !== null) bits.push((s.change[i] > 0 ? "▲" : s.change[i] < 0 ? "▼" : "=") + Math.abs(s.change[i]) + (s.stated[i] ? "*" : ""));
    bits.push(s.n[i] + " nguồn");
    if (s.conflict[i]) bits.push("⚠ xung đột");
    return bits.join(" · ");
  }
  // the maps change in 2008 (Hà Tây joins Hà Nội) and 2025 (63 -> 34): ranks are not compared across them
  function mergerMarks(years) {
    var shapes = [], notes = [];
    var lo = Math.min.apply(null, years), hi = Math.max.apply(null, years);
    [[2007.5, "1/8/2008 · 64→63"], [2024.5, "1/7/2025 · 63→34"]].forEach(function (m) {
      if (lo < m[0] && hi > m[0]) {
        shapes.push({ type: "line", xref: "x", yref: "paper", x0: m[0], x1: m[0], y0: 0, y1: 1,
                      line: { color: "#888", width: 1, dash: "dot" } });
        notes.push({ xref: "x", yref: "paper", x: m[0], y: 1, yanchor: "bottom", showarrow: false,
                     text: "sáp nhập " + m[1], font: { size: 10, color: "#666" } });
      }
    });
    return { shapes: shapes, annotations: notes };
  }
  // rank 1 at the top; the axis runs to the field's size (63, 34, or the ministries ranked)
  function rankRange(series, useField) {
    var hi = 1;
    series.forEach(function (s) {
      s.rank.forEach(function (r, i) {
        if (r !== null) hi = Math.max(hi, r, useField && s.rank_of[i] ? s.rank_of[i] : 0);
      });
    });
    return [hi + 1, 0];
  }
  function rankTicks(range) {
    var hi = range[0], step = hi > 40 ? 10 : hi > 15 ? 5 : hi > 6 ? 2 : 1, ticks = [1];
    for (var t = step; t < hi; t += step) if (t > 1) ticks.push(t);
    return ticks;
  }
  function allYears(series) {
    var ys = [];
    series.forEach(function (s) { ys = ys.concat(s.x); });
    return ys.length ? ys : [0];
  }

  // ---- bump charts ---------------------------------------------------------------------------------------
  function bumpTraces(series, kind) {
    var back = [], front = [], k = 0;
    series.forEach(function (s) {
      var text = s.x.map(function (_, i) { return pointText(s, i); });
      var t = { type: "scatter", mode: "lines+markers", name: unitLabel(s), x: s.x, y: s.rank,
                hovertext: text, hoverinfo: "text", connectgaps: false,
                meta: { unit: s.id, lineage: s.lineage } };
      if (kind === "ministry") {
        t.line = { width: 2 }; t.marker = { size: 6 };
        front.push(t);
      } else if (selected !== null && s.lineage === selected) {
        var c = HIGHLIGHT[k++ % HIGHLIGHT.length];
        var last = s.rank.length - 1;
        while (last > 0 && s.rank[last] === null) last--;
        t.mode = "lines+markers+text";
        t.text = s.x.map(function (_, i) { return i === last ? unitLabel(s) : ""; });
        t.textposition = "middle right";
        t.cliponaxis = false;
        t.textfont = { color: c, size: 12 };
        t.line = { color: c, width: 4 }; t.marker = { color: c, size: 9 };
        front.push(t);
      } else {
        t.line = { color: GREY, width: 1.2 }; t.marker = { color: GREY, size: 4 };
        back.push(t);
      }
    });
    return back.concat(front);  // the highlighted lines are drawn last, on top
  }
  function drawBump(div) {
    var series = D.bump[div.dataset.index][div.dataset.kind];
    var marks = mergerMarks(allYears(series));
    var ministry = div.dataset.kind === "ministry";
    var range = rankRange(series, true);
    var lay = layout({
      xaxis: { title: { text: "Năm · year" }, dtick: 1, tickformat: "d", gridcolor: "#eef0f3" },
      yaxis: { title: { text: "Hạng · rank" }, range: range, tickvals: rankTicks(range), gridcolor: "#eef0f3",
               zeroline: false },
      shapes: marks.shapes, annotations: marks.annotations, showlegend: ministry,
      legend: { font: { size: 10 } }, margin: { l: 56, r: ministry ? 20 : 150, t: 20, b: 40 }
    });
    Plotly.react(div, bumpTraces(series, div.dataset.kind), lay, CONFIG);
    if (!div.dataset.wired) {
      div.dataset.wired = "1";
      div.on("plotly_click", function (ev) {
        var m = ev.points && ev.points[0] && ev.points[0].data.meta;
        if (m && m.lineage) select(m.lineage, true);
      });
    }
  }
  function drawAllBumps(kind) {
    document.querySelectorAll(".chart.bump").forEach(function (div) {
      if (!kind || div.dataset.kind === kind) drawBump(div);
    });
  }

  // ---- movers ----------------------------------------------------------------------------------------------
  var moversIndex = document.getElementById("movers-index");
  var moversYear = document.getElementById("movers-year");
  var moverKeys = Object.keys(D.movers).filter(function (k) { return Object.keys(D.movers[k]).length; });
  function keyLabel(k) { var p = k.split("|"); return (indexLabel[p[0]] || p[0]) + " · " + (p[1] === "ministry" ? "bộ, ngành" : "tỉnh, thành"); }
  function fillYears() {
    var years = Object.keys(D.movers[moversIndex.value] || {}).sort();
    moversYear.innerHTML = "";
    years.forEach(function (y) { moversYear.add(new Option(y, y)); });
    moversYear.value = years[years.length - 1];
  }
  function drawMovers() {
    var m = (D.movers[moversIndex.value] || {})[moversYear.value];
    var div = document.getElementById("movers-chart");
    if (!m) return;
    var items = m.up.concat(m.down.slice().reverse());
    var trace = {
      type: "bar", orientation: "h",
      y: items.map(function (r) { return r.name + " (" + (r.from === null ? "?" : r.from) + "→" + r.to + ")" + (r.stated ? "*" : ""); }),
      x: items.map(function (r) { return r.change; }),
      text: items.map(function (r) { return (r.change > 0 ? "+" : "") + r.change; }), textposition: "outside",
      marker: { color: items.map(function (r) { return r.change > 0 ? "#1a7f37" : "#b3261e"; }) },
      hovertemplate: "%{y}: %{x} bậc<extra></extra>"
    };
    Plotly.react(div, [trace], layout({
      height: 60 + 30 * items.length, margin: { l: 220, r: 40, t: 10, b: 36 },
      xaxis: { title: { text: "Số bậc thay đổi · places moved (+ = lên hạng)" }, zeroline: true, zerolinecolor: "#888" },
      yaxis: { autorange: "reversed", automargin: true }
    }), CONFIG);
  }
  if (moverKeys.length) {
    moverKeys.forEach(function (k) { moversIndex.add(new Option(keyLabel(k), k)); });
    fillYears();
    moversIndex.addEventListener("change", function () { fillYears(); drawMovers(); });
    moversYear.addEventListener("change", drawMovers);
    drawMovers();
  } else {
    document.getElementById("movers-empty").hidden = false;
    moversIndex.disabled = moversYear.disabled = true;
  }

  // ---- coverage heatmap ------------------------------------------------------------------------------------
  var coverageIndex = document.getElementById("coverage-index");
  Object.keys(D.coverage).forEach(function (k) { coverageIndex.add(new Option(indexLabel[k] || k, k)); });
  function coverageShapes(c) {
    var shapes = [];
    c.lineages.forEach(function (l, r) {
      if (selected !== null && l === selected) {
        shapes.push({ type: "rect", xref: "paper", yref: "y", x0: 0, x1: 1, y0: r - 0.5, y1: r + 0.5,
                      line: { color: "#b3261e", width: 2 } });
      }
    });
    return shapes;
  }
  function drawCoverage() {
    var c = D.coverage[coverageIndex.value];
    var div = document.getElementById("coverage-chart");
    if (!c) return;
    document.getElementById("coverage-count").textContent =
      fmt(c.known, 0) + " / " + fmt(c.expected, 0) + " ô đã biết · cells known";
    var trace = {
      type: "heatmap", z: c.z, x: c.years, y: c.labels, text: c.text, xgap: 1, ygap: 1,
      hovertemplate: "%{y} · %{x}: %{text}<extra></extra>", zmin: -0.5, zmax: 2.5,
      colorscale: [[0, "#f1c8c2"], [0.3333, "#f1c8c2"], [0.3333, "#9ecae1"], [0.6666, "#9ecae1"],
                   [0.6666, "#2b6cb0"], [1, "#2b6cb0"]],
      colorbar: { tickvals: [0, 1, 2], ticktext: ["thiếu · missing", "chỉ có điểm · score", "có hạng · ranked"],
                  thickness: 14, lenmode: "pixels", len: 130, y: 1, yanchor: "top" }
    };
    Plotly.react(div, [trace], layout({
      height: Math.max(260, 14 * c.labels.length + 110), margin: { l: 170, r: 20, t: 40, b: 30 },
      xaxis: { dtick: 1, tickformat: "d", side: "top" },
      yaxis: { autorange: "reversed", tickfont: { size: 10 }, automargin: true },
      shapes: coverageShapes(c)
    }), CONFIG);
  }
  coverageIndex.addEventListener("change", drawCoverage);
  if (coverageIndex.options.length) drawCoverage();

  // ---- province pages ----------------------------------------------------------------------------------------
  function drawMini(code) {
    var div = document.getElementById("mini-" + code);
    if (!div) return;
    var traces = [], mine = [], dashes = {}, DASH = ["solid", "dot", "dash", "dashdot", "longdash"];
    lineages[code].members.forEach(function (m, k) { dashes[m] = DASH[k % DASH.length]; });
    D.indices.forEach(function (ix) {
      var series = (D.bump[ix.code] || {}).province || [];
      series.forEach(function (s) {
        if (s.lineage !== code) return;
        mine.push(s);
        traces.push({ type: "scatter", mode: "lines+markers", name: ix.label + " · " + unitLabel(s), x: s.x, y: s.rank,
                      hovertext: s.x.map(function (_, i) { return ix.label + " · " + pointText(s, i); }), hoverinfo: "text",
                      line: { color: INDEX_COLORS[ix.code] || "#444", width: 2.5, dash: dashes[s.id] || "solid" },
                      marker: { size: 7 } });
      });
    });
    var years = [];
    traces.forEach(function (t) { years = years.concat(t.x); });
    var marks = mergerMarks(years.length ? years : [0]);
    Plotly.react(div, traces, layout({
      showlegend: true, legend: { orientation: "h", y: -0.2 }, margin: { l: 56, r: 20, t: 20, b: 40 },
      xaxis: { dtick: 1, tickformat: "d", gridcolor: "#eef0f3" },
      yaxis: { title: { text: "Hạng · rank" }, range: rankRange(mine, false), tickvals: rankTicks(rankRange(mine, false)),
               gridcolor: "#eef0f3", zeroline: false },
      shapes: marks.shapes, annotations: marks.annotations
    }), CONFIG);
  }

  // ---- the picker: one province (lineage) highlighted everywhere ------------------------------------------------
  var picker = document.getElementById("province-picker");
  function select(code, fromChart, initial) {
    if (!lineages[code]) return false;
    selected = code;
    document.body.dataset.province = code;
    picker.value = code;
    document.querySelectorAll("article.province").forEach(function (a) {
      a.classList.toggle("active", a.dataset.code === code);
    });
    drawAllBumps("province");
    var c = D.coverage[coverageIndex.value];
    if (c) Plotly.relayout("coverage-chart", { shapes: coverageShapes(c) });
    drawMini(code);
    // not on the first draw: a fragment set before the load event makes the browser jump to it
    if (!initial && history.replaceState) history.replaceState(null, "", "#p-" + code);
    if (fromChart) document.getElementById("p-" + code).scrollIntoView({ behavior: "smooth", block: "start" });
    return true;
  }
  picker.addEventListener("change", function () { select(picker.value, false); });
  drawAllBumps("ministry");
  var fromHash = /^#p-(.+)$/.exec(location.hash);
  if (!select(fromHash && lineages[fromHash[1]] ? fromHash[1] : D.default_province, false, true)) drawAllBumps("province");
  document.body.dataset.ready = "1";
})();
