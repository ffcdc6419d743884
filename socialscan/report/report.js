/* socialscan report: draws the figures and runs the post explorer. No network, no innerHTML
   with data: every post string goes into the page through textContent. */
(function () {
  "use strict";

  function hasWebGL() {
    try {
      var c = document.createElement("canvas");
      return !!(window.WebGLRenderingContext && (c.getContext("webgl") || c.getContext("experimental-webgl")));
    } catch (e) { return false; }
  }

  // Figures are drawn one per task after the explorer is up, so the page answers first: those
  // in (or near) the window first, the rest when the browser is idle, and any figure scrolled to
  // jumps the queue. performance marks "socialscan:first-view" and "socialscan:figures" (and
  // <body data-figures="drawn">) say when the visible ones and all of them are drawn.
  var explorer = null;  // set once the post explorer is up

  function drawFigures() {
    var gl = hasWebGL();
    var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"] };
    var nodes = Array.prototype.slice.call(document.querySelectorAll("script.fig-data"));
    var target = function (node) { return document.getElementById(node.getAttribute("data-target")); };
    var specs = new Map();
    nodes.forEach(function (n) {  // reserve each figure's height so the layout holds still
      var spec = JSON.parse(n.textContent), t = target(n);
      specs.set(n, spec);
      if (t && spec.layout && spec.layout.height) t.style.minHeight = spec.layout.height + "px";
    });
    var near = function (node) {
      var t = target(node);
      return !!t && t.getBoundingClientRect().top < window.innerHeight * 1.25;
    };
    var queue = nodes.filter(near);
    var firstView = queue.length;
    queue = queue.concat(nodes.filter(function (n) { return !near(n); }));
    var drawn = 0;
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 16); };
    function draw(node) {
      var t = target(node);
      if (t && !t.hasAttribute("data-drawn")) {
        t.setAttribute("data-drawn", "1");
        var spec = specs.get(node);
        if (!gl) spec.data.forEach(function (tr) { if (tr.type === "scattergl") tr.type = "scatter"; });
        // the toolbar only where zooming helps (layout.meta.toolbar); those figures keep room
        // for it above the plot, so it covers nothing even where it always shows (touch)
        var toolbar = !!(spec.layout && spec.layout.meta && spec.layout.meta.toolbar);
        window.Plotly.newPlot(t, spec.data, spec.layout,
          Object.assign({}, config, { displayModeBar: toolbar ? "hover" : false }));
        fitLegend(t, spec.layout);
        if (t.id === "fig-map" && explorer) {
          t.on("plotly_click", function (ev) {  // a dot opens its post (or thread) in the explorer
            var cd = ev.points && ev.points[0] && ev.points[0].customdata;
            if (cd && cd.length > 3) explorer.show(+cd[3], cd.length > 4 ? +cd[4] : 1, "picked on the map");
          });
        }
      }
      drawn += 1;
      if (drawn === firstView) performance.mark("socialscan:first-view");
    }
    if ("IntersectionObserver" in window) {
      var io = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (!e.isIntersecting) return;
          io.unobserve(e.target);
          var i = queue.findIndex(function (n) { return target(n) === e.target; });
          if (i > 0) queue.unshift(queue.splice(i, 1)[0]);
        });
      }, { rootMargin: "300px 0px" });
      nodes.forEach(function (n) { var t = target(n); if (t) io.observe(t); });
    }
    function next() {
      var node = queue.shift();
      if (!node) {
        if (firstView === 0) performance.mark("socialscan:first-view");
        performance.mark("socialscan:figures");
        document.body.setAttribute("data-figures", "drawn");
        return;
      }
      draw(node);
      if (drawn < firstView) setTimeout(next, 0); else idle(next);
    }
    next();
  }

  // A legend below the plot was given room for a few lines (layout.meta.legend_room); where
  // the page is narrow it wraps onto more, so the figure grows by the difference instead of
  // squeezing the plot or scrolling the legend.
  function fitLegend(gd, layout) {
    var room = layout.meta && layout.meta.legend_room;
    if (!room) return;
    var plotHeight = layout.height - room;
    var fit = function () {
      var bg = gd.querySelector(".legend .bg");
      if (!bg) return;
      var want = Math.ceil(plotHeight + bg.getBBox().height + 6);
      if (want > gd.layout.height + 2) window.Plotly.relayout(gd, { height: want });
    };
    gd.on("plotly_afterplot", fit);
    fit();
  }

  function decodePosts() {
    var node = document.getElementById("posts-data");
    if (!node) return Promise.resolve(null);
    var raw = atob(node.textContent.trim());
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function Explorer(root, D) {
    var n = D.t.length, PAGE = 50, page = 0, matches = [];
    var q = root.querySelector("input[type=search]");
    var selKind = root.querySelector("select[name=kind]");
    var selLabel = root.querySelector("select[name=label]");
    var selTopic = root.querySelector("select[name=topic]");
    var body = root.querySelector("tbody");
    var count = root.querySelector(".count");
    var prev = root.querySelector("button.prev"), next = root.querySelector("button.next");
    var pageInfo = root.querySelector(".page-info");
    var lower = null;
    var topicById = {};
    // threads: consecutive records sharing a thread, drawn as one block (D.th: first row or -1)
    var th = D.th || [], threadLen = {};
    th.forEach(function (s) { if (s >= 0) threadLen[s] = (threadLen[s] || 0) + 1; });
    var inThread = function (i) { return th[i] !== undefined && th[i] >= 0; };
    D.topics.forEach(function (t) { topicById[t.id] = t; });

    function option(sel, value, text) { var o = el("option", null, text); o.value = value; sel.appendChild(o); }
    D.kinds.forEach(function (k, i) { option(selKind, String(i), k); });
    if (D.labels.length) {
      option(selLabel, "none", "no label");
      D.labels.forEach(function (l, i) { option(selLabel, String(i), l); });
    } else { selLabel.disabled = true; }
    if (D.topics.length) {
      D.topics.forEach(function (t) { option(selTopic, String(t.id), t.name); });
    } else { selTopic.disabled = true; }

    function filter() {
      if (lower === null && q.value) lower = D.t.map(function (s) { return s.toLowerCase(); });
      var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var k = selKind.value, l = selLabel.value, t = selTopic.value;
      var kN = k === "" ? -1 : +k, tN = t === "" ? null : +t, bit = (l === "" || l === "none") ? 0 : Math.pow(2, +l);
      matches = [];
      for (var i = 0; i < n; i++) {
        if (kN >= 0 && D.k[i] !== kN) continue;
        if (l === "none" && D.l[i] !== 0) continue;
        if (bit && Math.floor(D.l[i] / bit) % 2 !== 1) continue;
        if (tN !== null && D.p[i] !== tN) continue;
        if (words.length) {
          var s = lower[i], ok = true;
          for (var w = 0; w < words.length; w++) { if (s.indexOf(words[w]) < 0) { ok = false; break; } }
          if (!ok) continue;
        }
        matches.push(i);
      }
      page = 0;
      draw();
    }

    function chip(cls, text, color) {
      var c = el("span", "chip " + cls, text);
      if (color) c.style.background = color;
      return c;
    }

    function draw() {
      var pages = Math.max(1, Math.ceil(matches.length / PAGE));
      if (page >= pages) page = pages - 1;
      var start = page * PAGE, end = Math.min(matches.length, start + PAGE);
      var frag = document.createDocumentFragment();
      for (var j = start; j < end; j++) {
        var i = matches[j], tr = el("tr");
        tr.setAttribute("data-row", String(i));
        var lines = D.a[i] === D.b[i] ? String(D.a[i]) : D.a[i] + "\u2013" + D.b[i];
        var tdLines = el("td", "lines", lines);
        if (D.sources.length > 1) { tdLines.appendChild(el("div", "meta", D.sources[D.s[i]])); }
        if (inThread(i)) {
          var s0 = th[i], len = threadLen[s0];
          tr.className = "thread";
          tr.setAttribute("data-thread", String(s0));
          if (j > start && matches[j - 1] === i - 1 && th[i - 1] === s0) tr.classList.add("thread-cont");
          if (j + 1 < end && matches[j + 1] === i + 1 && th[i + 1] === s0) tr.classList.add("thread-open");
          var link = el("button", "thread-link", "thread " + (i - s0 + 1) + "/" + len);
          link.type = "button";
          link.title = "Show the " + len + " records of this thread";
          link.setAttribute("data-thread-start", String(s0));
          tdLines.appendChild(link);
        }
        tr.appendChild(tdLines);
        var tdKind = el("td", "kind");
        tdKind.appendChild(chip("kind-" + D.kinds[D.k[i]], D.kinds[D.k[i]]));
        tr.appendChild(tdKind);
        var tdText = el("td", "text", D.t[i]);
        if (D.au && D.au[i]) tdText.insertBefore(el("div", "meta", "@" + D.au[i] + (D.ts && D.ts[i] ? " \u00b7 " + D.ts[i] : "")), tdText.firstChild);
        tr.appendChild(tdText);
        var tdTags = el("td", "tags");
        for (var b = 0; b < D.labels.length; b++) {
          if (Math.floor(D.l[i] / Math.pow(2, b)) % 2 === 1) tdTags.appendChild(chip("label", D.labels[b], D.labelColors[b]));
        }
        var topic = D.p[i] !== null && topicById[D.p[i]];
        if (topic) {
          var tc = chip("topic", topic.short || topic.name, topic.color);
          tc.title = topic.name;
          tdTags.appendChild(tc);
        }
        tr.appendChild(tdTags);
        frag.appendChild(tr);
      }
      body.replaceChildren(frag);
      count.textContent = matches.length.toLocaleString("en") + " of " + n.toLocaleString("en") + " records match";
      pageInfo.textContent = matches.length ? "rows " + (start + 1).toLocaleString("en") + "\u2013" + end.toLocaleString("en") + " \u00b7 page " + (page + 1) + " of " + pages : "no matching records";
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }

    var timer = null;
    q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(filter, n > 20000 ? 200 : 60); });
    [selKind, selLabel, selTopic].forEach(function (s) { s.addEventListener("change", filter); });
    body.addEventListener("click", function (ev) {
      var b = ev.target.closest && ev.target.closest("button.thread-link");
      if (!b) return;
      var s0 = +b.getAttribute("data-thread-start");
      show(s0, threadLen[s0], "shown together");
    });
    prev.addEventListener("click", function () { page -= 1; draw(); });
    next.addEventListener("click", function () { page += 1; draw(); });
    document.querySelectorAll("[data-filter-label]").forEach(function (c) {
      c.addEventListener("click", function () {
        var i = D.labels.indexOf(c.getAttribute("data-filter-label"));
        if (i < 0) return;
        selLabel.value = String(i); filter(); root.scrollIntoView();
      });
    });
    document.querySelectorAll("[data-filter-topic]").forEach(function (c) {
      c.addEventListener("click", function () {
        selTopic.value = c.getAttribute("data-filter-topic"); filter(); root.scrollIntoView();
      });
    });
    // Show the records first..first+k-1 (a record, or a thread), filters cleared, highlighted,
    // scrolled into view; why says where they were picked.
    function show(first, k, why) {
      k = Math.max(1, k || 1);
      if (!(first >= 0 && first + k <= n)) return;
      q.value = ""; selKind.value = ""; selLabel.value = ""; selTopic.value = "";
      matches = [];
      for (var i = first; i < first + k; i++) matches.push(i);
      page = 0; draw();
      count.textContent = (k === 1 ? "1 record" : k.toLocaleString("en") + " records of one thread") +
        ", " + why + " \u00b7 change a filter to see all " + n.toLocaleString("en");
      body.querySelectorAll("tr").forEach(function (row) { row.classList.add("picked"); });
      root.scrollIntoView();
    }
    filter();
    root.setAttribute("data-ready", "1");
    performance.mark("socialscan:explorer");
    return { show: show };
  }

  function start() {
    var root = document.getElementById("explorer");
    decodePosts().then(function (D) {
      if (D && root) explorer = Explorer(root, D);
    }).then(function () { setTimeout(drawFigures, 0); }, function (e) { drawFigures(); throw e; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
