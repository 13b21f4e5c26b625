(function () {
  'use strict';
  var t0 = performance.now();
  // Everything from the report is set with textContent: input strings
  // never reach innerHTML, so a hostile name stays text.
  var SEV = ['', 'info', 'low', 'medium', 'high', 'critical'];
  var PAGE = 100;
  var data = JSON.parse(document.getElementById('iamscan-data').textContent);
  var rules = data.rules;
  var S = data.strings;
  var all = data.findings.map(function (a) {
    return { sev: a[0], rule: a[1], resource: S[a[2]], principal: S[a[3]], message: S[a[4]], loc: S[a[5]], fp: S[a[6]], policy: S[a[7]], sid: S[a[8]], hay: null };
  });
  // The lower-cased search text is built on the first text search, not
  // at load: most readers filter by severity or rule first.
  function hay(f) {
    if (f.hay === null) f.hay = [rules[f.rule].id, rules[f.rule].title, f.resource, f.principal, f.message, f.loc, f.policy, f.sid, f.fp].join('\n').toLowerCase();
    return f.hay;
  }
  var state = { sev: 0, rule: -1, principal: '', q: '', key: 'sev', dir: -1, page: 0 };
  var matched = all;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  // An ARN or a path, wrapping only after its ':' and '/' (as breakable
  // does in html.go): each part is an inline-block "seg" span, with <wbr>
  // between parts.
  function breakable(tag, text, cls) {
    var e = el(tag, null, cls), start = 0;
    function part(end) {
      if (start > 0) e.appendChild(document.createElement('wbr'));
      e.appendChild(el('span', text.slice(start, end), 'seg'));
      start = end;
    }
    if (!/[:\/]/.test(text)) { e.textContent = text; return e; }
    for (var i = 0; i < text.length - 1; i++) {
      var c = text.charCodeAt(i), d = text.charCodeAt(i + 1);
      if ((c === 58 || c === 47) && d !== 58 && d !== 47 && !(c === 58 && /^[0-9]+$/.test(text.slice(i + 1)))) part(i + 1);
    }
    part(text.length);
    return e;
  }

  var keys = {
    sev: function (f) { return f.sev; },
    rule: function (f) { return rules[f.rule].id; },
    resource: function (f) { return f.resource; },
    principal: function (f) { return f.principal; },
    message: function (f) { return f.message; },
    loc: function (f) { return f.loc; }
  };

  function apply() {
    var q = state.q.toLowerCase(), p = state.principal.toLowerCase();
    matched = all.filter(function (f) {
      return (!state.sev || f.sev === state.sev) &&
        (state.rule < 0 || f.rule === state.rule) &&
        (!p || f.principal.toLowerCase().indexOf(p) >= 0) &&
        (!q || hay(f).indexOf(q) >= 0);
    });
    var k = keys[state.key], dir = state.dir;
    // Array.prototype.sort is stable: ties keep the report's order.
    matched.sort(function (a, b) {
      var x = k(a), y = k(b);
      return x < y ? -dir : x > y ? dir : 0;
    });
    state.page = 0;
    render();
  }

  function render() {
    var body = $('findings-body');
    var start = state.page * PAGE, rows = matched.slice(start, start + PAGE);
    var frag = document.createDocumentFragment();
    rows.forEach(function (f) {
      var tr = document.createElement('tr');
      var sev = el('td'); sev.appendChild(el('span', SEV[f.sev], 'sev sev-' + SEV[f.sev])); tr.appendChild(sev);
      var rule = el('td'); rule.appendChild(el('span', rules[f.rule].id, 'mono')); rule.title = rules[f.rule].title; tr.appendChild(rule);
      tr.appendChild(breakable('td', f.resource, 'wrap mono'));
      tr.appendChild(el('td', f.message, 'wrap'));
      tr.appendChild(breakable('td', f.loc, 'wrap mono'));
      var fp = el('td', f.fp, 'mono muted'); tr.appendChild(fp);
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    $('match-count').textContent = String(matched.length);
    $('page-info').textContent = matched.length ? (start + 1) + '–' + (start + rows.length) + ' of ' + matched.length : 'no findings match';
    $('prev').disabled = state.page === 0;
    $('next').disabled = start + PAGE >= matched.length;
    document.querySelectorAll('#findings-table th[data-key]').forEach(function (th) {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.getAttribute('data-key') === state.key) th.classList.add(state.dir > 0 ? 'sorted-asc' : 'sorted-desc');
    });
  }

  function principals() {
    var by = new Map();
    all.forEach(function (f) {
      if (!f.principal) return;
      var c = by.get(f.principal);
      if (!c) { c = [0, 0, 0, 0, 0, 0]; c.rules = new Set(); by.set(f.principal, c); }
      c[f.sev]++; c[0]++;
      c.rules.add(rules[f.rule].id);
    });
    var list = Array.from(by.entries()).sort(function (a, b) {
      for (var s = 5; s >= 1; s--) if (a[1][s] !== b[1][s]) return b[1][s] - a[1][s];
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    });
    $('principal-count').textContent = String(list.length);
    var frag = document.createDocumentFragment();
    list.slice(0, 500).forEach(function (e) {
      var tr = document.createElement('tr');
      var td = el('td', null, 'wrap mono');
      var b = breakable('button', e[0], 'linkish mono wrap');
      b.type = 'button';
      b.addEventListener('click', function () {
        $('f-principal').value = e[0];
        state.principal = e[0];
        apply();
        $('findings').scrollIntoView();
      });
      td.appendChild(b); tr.appendChild(td);
      tr.appendChild(el('td', Array.from(e[1].rules).sort().join(' '), 'mono'));
      for (var s = 5; s >= 1; s--) tr.appendChild(el('td', e[1][s] || '', 'num'));
      tr.appendChild(el('td', e[1][0], 'num'));
      frag.appendChild(tr);
    });
    $('principals-body').replaceChildren(frag);
    if (list.length > 500) $('principals-more').textContent = 'Showing the 500 most affected of ' + list.length + ' principals; use the principal filter above for the rest.';
  }

  var ruleSel = $('f-rule');
  rules.forEach(function (r, i) {
    var o = el('option', r.id + ' ' + r.title); o.value = String(i); ruleSel.appendChild(o);
  });
  $('f-sev').addEventListener('change', function (e) { state.sev = Number(e.target.value); apply(); });
  ruleSel.addEventListener('change', function (e) { state.rule = Number(e.target.value); apply(); });
  $('f-principal').addEventListener('input', function (e) { state.principal = e.target.value; apply(); });
  $('f-q').addEventListener('input', function (e) { state.q = e.target.value; apply(); });
  $('prev').addEventListener('click', function () { if (state.page > 0) { state.page--; render(); } });
  $('next').addEventListener('click', function () { if ((state.page + 1) * PAGE < matched.length) { state.page++; render(); } });
  document.querySelectorAll('#findings-table th[data-key] button').forEach(function (b) {
    b.addEventListener('click', function () {
      var k = b.parentNode.getAttribute('data-key');
      if (state.key === k) state.dir = -state.dir; else { state.key = k; state.dir = k === 'sev' ? -1 : 1; }
      apply();
    });
  });
  $('interactive').hidden = false;
  $('principals-view').hidden = false;
  principals();
  apply();
  // Lets a reader (and the browser test) see what start-up cost.
  performance.measure('iamscan-init', { start: t0 });
})();
