/* socialscan report: draws the figures and runs the post explorer with its label editor. No
   network, no innerHTML with data: every post string (and every label a person types) goes
   into the page through textContent. */
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

  // --- Labels a person gives ------------------------------------------------------------------
  // Kept in localStorage under the report's id (D.rid: a digest of its records), so reopening
  // the file, or a report written again from the same input, finds them:
  //   {v: 1, added: [new label names], d: {post id: {on: [labels], off: [labels turned off]}}}
  var ADDED_COLORS = ["#b7791f", "#2c7a7b", "#6b46c1", "#c05621", "#2b6cb0", "#97266d", "#276749"];

  function LabelStore(D) {
    var key = "socialscan:labels:" + D.rid, kept = true;
    var empty = function () { return { v: 1, added: [], d: {} }; };
    var state = empty();
    try {
      var saved = JSON.parse(window.localStorage.getItem(key) || "null");
      if (saved && saved.v === 1 && saved.d && Array.isArray(saved.added)) state = saved;
    } catch (e) { kept = false; }
    function save() {
      try { window.localStorage.setItem(key, JSON.stringify(state)); kept = true; } catch (e) { kept = false; }
    }
    return {
      kept: function () { return kept; },
      labels: function () { return D.labels.concat(state.added); },
      get: function (pid) { return state.d[pid]; },
      put: function (pid, decision) {
        if (decision) state.d[pid] = decision; else delete state.d[pid];
        save();
      },
      add: function (name) {
        if (D.labels.indexOf(name) < 0 && state.added.indexOf(name) < 0) { state.added.push(name); save(); }
      },
      ids: function () { return Object.keys(state.d); },
      clear: function () { state = empty(); save(); }
    };
  }

  // A label typed by a person, in the taxonomy's spelling: "Job offer" -> "job_offer".
  function labelName(text) {
    return text.trim().toLowerCase().replace(/[\s-]+/g, "_").replace(/[^\p{L}\p{N}_]/gu, "").slice(0, 40);
  }

  // What a person decided on each post, on top of the claims' labels (the starting state), and
  // labels.jsonl: one record per decided post, in the shape `socialscan train claims` reads.
  function Editor(D, store) {
    var history = [], rowOf = {};
    D.id.forEach(function (pid, i) { rowOf[pid] = i; });

    function claimed(i) {
      var out = [];
      for (var b = 0; b < D.labels.length; b++) {
        if (Math.floor(D.l[i] / Math.pow(2, b)) % 2 === 1) out.push(D.labels[b]);
      }
      return out;
    }
    // {on: labels the post holds now, off: labels turned off, decided: a person said so}
    function state(i) {
      var d = store.get(D.id[i]);
      return d ? { on: d.on.slice(), off: d.off.slice(), decided: true } : { on: claimed(i), off: [], decided: false };
    }
    function decide(i, on, off) {
      var pid = D.id[i];
      history.push({ pid: pid, before: store.get(pid) });
      store.put(pid, { on: on, off: off.filter(function (l) { return on.indexOf(l) < 0; }) });
    }
    function color(name) {
      var b = D.labels.indexOf(name);
      if (b >= 0) return D.labelColors[b];
      var k = store.labels().indexOf(name) - D.labels.length;
      return ADDED_COLORS[Math.max(0, k) % ADDED_COLORS.length];
    }
    function score(i, name) {
      var row = D.sc[i], b = D.labels.indexOf(name);
      return row && b >= 0 && row[b] !== null && row[b] !== undefined ? row[b] : null;
    }
    function records() {
      return store.ids().map(function (pid) { return rowOf[pid]; })
        .filter(function (i) { return i !== undefined; })
        .sort(function (x, y) { return x - y; })
        .map(function (i) {
          var d = store.get(D.id[i]);
          return {
            text: D.full[i] !== undefined ? D.full[i] : D.t[i],
            labels: d.on.slice().sort(),
            rejected: d.off.slice().sort(),
            source: D.src[D.s.length ? D.s[i] : 0] || null,
            line_start: D.a[i],
            line_end: D.b[i],
            post_id: D.id[i],
            report_id: D.rid,
            decided_by: "person"
          };
        });
    }
    return {
      state: state,
      color: color,
      score: score,
      records: records,
      toggle: function (i, name) {
        var s = state(i), k = s.on.indexOf(name);
        if (k >= 0) { s.on.splice(k, 1); if (s.off.indexOf(name) < 0) s.off.push(name); } else s.on.push(name);
        decide(i, s.on, s.off);
      },
      accept: function (i) { var s = state(i); decide(i, s.on, s.off); },
      reject: function (i) { var s = state(i); decide(i, [], s.off.concat(s.on)); },
      // the row whose decision was undone, or -1
      undo: function () {
        var last = history.pop();
        if (!last) return -1;
        store.put(last.pid, last.before);
        return rowOf[last.pid];
      },
      count: function () { return records().length; },
      clear: function () { store.clear(); history = []; },
      download: function () {
        var text = records().map(function (r) { return JSON.stringify(r); }).join("\n") + "\n";
        var url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
        var a = el("a");
        a.href = url;
        a.download = "labels.jsonl";
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      }
    };
  }

  function Explorer(root, D) {
    var n = D.t.length, PAGE = 50, page = 0, matches = [];
    var q = root.querySelector("input[type=search]");
    var selView = root.querySelector("select[name=view]");
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
    // the label editor: the current post (its position in matches; -1 none) carries it
    var store = LabelStore(D), editor = Editor(D, store), cur = -1;
    var review = D.review, queuePos = {};
    if (review) review.rows.forEach(function (i, k) { queuePos[i] = k; });
    var bar = root.querySelector(".labelbar"), keys = root.querySelector(".keys");
    var newLabel = bar.querySelector("input.new-label"), labelCount = bar.querySelector(".label-count");
    var exportButton = bar.querySelector("button.export"), clearButton = bar.querySelector("button.clear");
    var keysButton = bar.querySelector("button.show-keys");

    function option(sel, value, text) { var o = el("option", null, text); o.value = value; sel.appendChild(o); }
    D.kinds.forEach(function (k, i) { option(selKind, String(i), k); });
    if (D.labels.length) {
      option(selLabel, "none", "no label");
      D.labels.forEach(function (l, i) { option(selLabel, String(i), l); });
    } else { selLabel.disabled = true; }
    if (D.topics.length) {
      D.topics.forEach(function (t) { option(selTopic, String(t.id), t.name); });
    } else { selTopic.disabled = true; }
    var reviewing = function () { return !!review && selView.value === "review"; };

    function filter() {
      if (lower === null && q.value) lower = D.t.map(function (s) { return s.toLowerCase(); });
      var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var k = selKind.value, l = selLabel.value, t = selTopic.value;
      var kN = k === "" ? -1 : +k, tN = t === "" ? null : +t, bit = (l === "" || l === "none") ? 0 : Math.pow(2, +l);
      var rows = reviewing() ? review.rows : null, total = rows ? rows.length : n;
      matches = [];
      for (var r = 0; r < total; r++) {
        var i = rows ? rows[r] : r;
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
      cur = -1;
      draw();
    }

    function chip(cls, text, color) {
      var c = el("span", "chip " + cls, text);
      if (color) c.style.background = color;
      return c;
    }

    // The labels cell: the post's labels as chips (what a person decided, marked), or on the
    // current post the editor: every label a toggle with its score, accept, reject, new label.
    function tagsCell(i, current) {
      var td = el("td", "tags"), s = editor.state(i);
      if (s.decided) td.appendChild(el("div", "decided", "\u2713 labelled"));
      if (!current) {
        s.on.forEach(function (name) { td.appendChild(chip("label", name, editor.color(name))); });
        s.off.forEach(function (name) { td.appendChild(chip("label rejected", name)); });
      } else {
        var box = el("div", "editor");
        store.labels().forEach(function (name, b) {
          var on = s.on.indexOf(name) >= 0, off = s.off.indexOf(name) >= 0;
          var t = el("button", "toggle" + (on ? " on" : "") + (off ? " off" : ""));
          t.type = "button";
          t.setAttribute("aria-pressed", on ? "true" : "false");
          t.setAttribute("data-label", name);
          t.title = (on ? "holds " : "does not hold ") + name + (b < 9 ? " (key " + (b + 1) + " toggles)" : "");
          if (on) t.style.background = editor.color(name);
          t.appendChild(el("kbd", null, b < 9 ? String(b + 1) : "\u00b7"));
          t.appendChild(el("span", "name", name));
          var sc = editor.score(i, name);
          if (sc !== null) t.appendChild(el("span", "score", sc.toFixed(2)));
          if (s.decided) t.appendChild(el("span", "mark", on ? "\u2713" : off ? "\u2717" : ""));
          box.appendChild(t);
        });
        var actions = el("div", "actions");
        [["accept", "accept", "a"], ["reject", "reject", "x"], ["new", "+ label", "n"]].forEach(function (a) {
          var btn = el("button", "act " + a[0], a[1] + " ");
          btn.type = "button";
          btn.appendChild(el("kbd", null, a[2]));
          actions.appendChild(btn);
        });
        box.appendChild(actions);
        td.appendChild(box);
      }
      var topic = D.p[i] !== null && topicById[D.p[i]];
      if (topic) {
        var tc = chip("topic", topic.short || topic.name, topic.color);
        tc.title = topic.name;
        td.appendChild(tc);
      }
      return td;
    }

    function draw() {
      var pages = Math.max(1, Math.ceil(matches.length / PAGE));
      if (page >= pages) page = pages - 1;
      var start = page * PAGE, end = Math.min(matches.length, start + PAGE);
      var frag = document.createDocumentFragment();
      var here = cur >= 0 ? matches[cur] : -1;
      for (var j = start; j < end; j++) {
        var i = matches[j], tr = el("tr");
        tr.setAttribute("data-row", String(i));
        tr.setAttribute("data-pos", String(j));
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
        if (reviewing() && queuePos[i] !== undefined) {
          tdText.insertBefore(el("div", "why", "In the queue: " + review.why[queuePos[i]]), tdText.firstChild);
        }
        tr.appendChild(tdText);
        tr.appendChild(tagsCell(i, i === here));
        if (i === here) tr.classList.add("current");
        frag.appendChild(tr);
      }
      body.replaceChildren(frag);
      showCount();
      pageInfo.textContent = matches.length ? "rows " + (start + 1).toLocaleString("en") + "\u2013" + end.toLocaleString("en") + " \u00b7 page " + (page + 1) + " of " + pages : "no matching records";
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }

    function showCount() {
      var text = matches.length.toLocaleString("en") + " of " + n.toLocaleString("en") + " records match";
      if (reviewing()) {
        var done = [0, 0, 0];
        review.rows.forEach(function (i, k) { if (store.get(D.id[i])) done[review.part[k]] += 1; });
        text = matches.length.toLocaleString("en") + " of the " + review.rows.length + " posts in the review queue match \u00b7 labelled: " +
          review.parts.map(function (p, k) { return done[k] + " of " + p.n + " " + p.name; }).join(", ");
      }
      count.textContent = text;
    }

    function rowElement(i) { return body.querySelector('tr[data-row="' + i + '"]'); }

    // Draw row i again after its labels changed (or it became, or stopped being, the current one).
    function refresh(i) {
      var tr = i >= 0 ? rowElement(i) : null;
      if (tr) {
        var current = cur >= 0 && matches[cur] === i;
        tr.replaceChild(tagsCell(i, current), tr.querySelector("td.tags"));
        tr.classList.toggle("current", current);
      }
      showLabelCount();
      if (reviewing()) showCount();
    }

    function goTo(j) {
      if (!matches.length) return;
      var before = cur >= 0 ? matches[cur] : -1;
      cur = Math.max(0, Math.min(matches.length - 1, j));
      var want = Math.floor(cur / PAGE);
      if (want !== page) { page = want; draw(); } else { refresh(before); refresh(matches[cur]); }
      var tr = rowElement(matches[cur]);
      if (tr) tr.scrollIntoView({ block: "center" });
    }
    var move = function (d) { goTo(cur < 0 ? page * PAGE : cur + d); };
    var current = function () { return cur >= 0 ? matches[cur] : -1; };

    function showLabelCount() {
      var k = editor.count();
      labelCount.textContent = k === 0 ? "No posts labelled yet." :
        k.toLocaleString("en") + (k === 1 ? " post" : " posts") + " labelled" +
        (store.kept() ? " (kept in this browser)" : " (this browser does not keep them: export before you close the page)");
      exportButton.disabled = k === 0;
      clearButton.disabled = k === 0;
    }

    function addLabel() {
      var name = labelName(newLabel.value);
      newLabel.value = "";
      newLabel.blur();
      if (!name) return;
      store.add(name);
      var i = current();
      if (i >= 0 && editor.state(i).on.indexOf(name) < 0) editor.toggle(i, name);
      refresh(i);
    }

    function setReview(on) {
      if (!review) return;
      selView.value = on ? "review" : "";
      filter();
      if (on) goTo(0);
    }

    function showKeys(on) {
      keys.hidden = !on;
      keysButton.setAttribute("aria-expanded", on ? "true" : "false");
    }

    // Keys work anywhere on the page but in a text box (Esc leaves it; Enter adds a new label).
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var t = ev.target, tag = t && t.tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || (t && t.isContentEditable)) {
        if (ev.key === "Escape") t.blur();
        if (t === newLabel && ev.key === "Enter") { ev.preventDefault(); addLabel(); }
        return;
      }
      var key = ev.key, i = current(), names = store.labels();
      if (key === "j") move(1);
      else if (key === "k") move(-1);
      else if (key >= "1" && key <= "9") {
        var name = names[+key - 1];
        if (i < 0) move(0); else if (name) { editor.toggle(i, name); refresh(i); }
      } else if (key === "a" || key === "x") {
        if (i < 0) move(0);
        else { if (key === "a") editor.accept(i); else editor.reject(i); refresh(i); move(1); }
      } else if (key === "u") {
        var back = editor.undo(), j = back === undefined ? -1 : matches.indexOf(back);
        if (j >= 0) goTo(j); else refresh(current());
      } else if (key === "n") newLabel.focus();
      else if (key === "r") setReview(!reviewing());
      else if (key === "?") showKeys(keys.hidden);
      else if (key === "Escape") showKeys(false);
      else return;
      ev.preventDefault();
    });

    var timer = null;
    q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(filter, n > 20000 ? 200 : 60); });
    [selView, selKind, selLabel, selTopic].forEach(function (s) { s.addEventListener("change", filter); });
    body.addEventListener("click", function (ev) {
      var b = ev.target.closest && ev.target.closest("button");
      var tr = ev.target.closest && ev.target.closest("tr[data-pos]");
      if (b && b.classList.contains("thread-link")) {
        var s0 = +b.getAttribute("data-thread-start");
        show(s0, threadLen[s0], "shown together");
        return;
      }
      if (!tr) return;
      var j = +tr.getAttribute("data-pos"), i = matches[j];
      if (!b) { if (cur !== j && !String(window.getSelection())) goTo(j); return; }
      if (b.classList.contains("toggle")) { editor.toggle(i, b.getAttribute("data-label")); refresh(i); }
      else if (b.classList.contains("accept")) { editor.accept(i); refresh(i); move(1); }
      else if (b.classList.contains("reject")) { editor.reject(i); refresh(i); move(1); }
      else if (b.classList.contains("new")) newLabel.focus();
    });
    bar.querySelector("button.add-label").addEventListener("click", addLabel);
    exportButton.addEventListener("click", function () { editor.download(); });
    var clearTimer = null;
    clearButton.addEventListener("click", function () {  // twice: no dialog, no accident
      if (!clearButton.classList.contains("confirm")) {
        clearButton.classList.add("confirm");
        clearButton.textContent = "Clear " + editor.count().toLocaleString("en") + " labels? Click again";
        clearTimer = setTimeout(function () { clearButton.classList.remove("confirm"); clearButton.textContent = "Clear"; }, 5000);
        return;
      }
      clearTimeout(clearTimer);
      clearButton.classList.remove("confirm");
      clearButton.textContent = "Clear";
      editor.clear();
      draw();
      showLabelCount();
    });
    keysButton.addEventListener("click", function () { showKeys(keys.hidden); });
    var start = document.querySelector("button.start-review");
    if (start) start.addEventListener("click", function () { setReview(true); });
    prev.addEventListener("click", function () { page -= 1; cur = -1; draw(); });
    next.addEventListener("click", function () { page += 1; cur = -1; draw(); });
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
      q.value = ""; selView.value = ""; selKind.value = ""; selLabel.value = ""; selTopic.value = "";
      matches = [];
      for (var i = first; i < first + k; i++) matches.push(i);
      page = 0; cur = -1; draw();
      count.textContent = (k === 1 ? "1 record" : k.toLocaleString("en") + " records of one thread") +
        ", " + why + " \u00b7 change a filter to see all " + n.toLocaleString("en");
      body.querySelectorAll("tr").forEach(function (row) { row.classList.add("picked"); });
      root.scrollIntoView();
    }
    filter();
    showLabelCount();
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
