/*
 * The schema registry's admin page. The page holds no data: an admin token pasted into it (kept in
 * sessionStorage, so it goes away with the tab) is sent with every request to /admin/graphql,
 * which refuses anything but an admin. Labels are Chinese with English beside them, as on the
 * dashboard.
 */
(function () {
  'use strict';
  var ENDPOINT = location.origin + '/admin/graphql';
  var state = { launches: [], versions: null, pendingRollback: null };

  var K = window.CityAdmin;
  var $ = K.$, el = K.el, status = K.status, token = K.token, time = K.time;
  var gql = K.client(ENDPOINT, { onRefused: function () { signOut(); } });

  /** A Chinese label with its English beside it, like the rest of the page. */
  function bilingual(zh, en) { return [zh + ' ', el('small', { text: en })]; }

  /** Who the token names, for the header only (the server verifies it on every request). */
  function subjectOf(jwt) {
    try {
      var payload = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return (payload.sub || payload.role || '?') + (payload.role ? ' (' + payload.role + ')' : '');
    } catch (e) {
      return '?';
    }
  }

  // ---- launches ----

  var LAUNCHES = '{ launches(limit: 50) { id kind current author message createdAt rolledBackTo forced versions { subgraph versionId } } ' +
    'subgraphs { name routingUrl version { id sdl } } }';

  function renderLaunches() {
    var body = $('launches').querySelector('tbody');
    body.innerHTML = '';
    state.launches.forEach(function (l) {
      var kind = el('td', {}, [el('span', { className: 'badge ' + l.kind, text: l.kind })]);
      if (l.current) kind.appendChild(el('span', { className: 'badge current', text: '当前 current' }));
      if (l.forced) kind.appendChild(el('span', { className: 'badge', text: 'forced' }));
      var versions = el('td', { className: 'versions' }, l.versions.map(function (v) { return el('code', { text: v.versionId }); }));
      var message = l.message + (l.rolledBackTo ? ' ↩ ' + l.rolledBackTo : '');
      var action = el('td');
      if (!l.current) {
        var button = el('button', { type: 'button', className: 'small danger', 'data-rollback': l.id }, bilingual('回滚到此', 'Roll back here'));
        button.addEventListener('click', function () { askRollback(l); });
        action.appendChild(button);
      }
      var row = el('tr', { 'data-launch': l.id, className: l.current ? 'current' : '' }, [
        el('td', {}, [el('strong', { text: l.id })]), kind, versions,
        el('td', { text: l.author }), el('td', { text: message }), el('td', { text: time(l.createdAt) }), action,
      ]);
      body.appendChild(row);
    });
    fillLaunchSelect($('diff-from'), 1);
    fillLaunchSelect($('diff-to'), 0);
  }

  function fillLaunchSelect(select, index) {
    var keep = select.value;
    select.innerHTML = '';
    state.launches.forEach(function (l) {
      select.appendChild(el('option', { value: l.id, text: l.id + ' · ' + l.kind + (l.current ? ' (当前 current)' : '') }));
    });
    var fallback = state.launches[Math.min(index, state.launches.length - 1)];
    select.value = keep && state.launches.some(function (l) { return l.id === keep; }) ? keep : fallback ? fallback.id : '';
  }

  function renderSubgraphs(subgraphs) {
    var select = $('check-subgraph');
    var keep = select.value;
    select.innerHTML = '';
    subgraphs.forEach(function (s) { select.appendChild(el('option', { value: s.name, text: s.name + ' · ' + s.version.id })); });
    if (keep) select.value = keep;
    state.subgraphs = subgraphs;
  }

  function askRollback(launch) {
    state.pendingRollback = launch;
    $('confirm-title').textContent = '回滚到 ' + launch.id + '？ Roll back to ' + launch.id + '?';
    $('confirm-text').textContent = '将用 ' + launch.id + ' 的子图版本（' + launch.versions.map(function (v) { return v.versionId; }).join(', ') +
      '）生成一次新的发布，所有网关随即切换。 A new launch is made from these versions, and every gateway switches to it.';
    $('confirm-message').value = 'roll back to ' + launch.id + ' from the admin page';
    $('confirm').showModal();
  }

  function rollback(launch, message) {
    status('回滚中… Rolling back to ' + launch.id + '…');
    return gql('mutation Rollback($id: ID!, $message: String) { rollback(launchId: $id, message: $message) { ok outcome summary launch { id kind } } }',
      { id: launch.id, message: message })
      .then(function (data) {
        var r = data.rollback;
        status((r.ok ? '已回滚 ' : '回滚被拒绝 ') + (r.launch ? r.launch.id + ' · ' : '') + r.summary, r.ok ? 'ok' : 'error');
        return loadAll();
      })
      .catch(function (err) { status('回滚失败 Rollback failed: ' + err.message, 'error'); });
  }

  // ---- diff ----

  /** Lines of a and b as an edit script, by longest common subsequence (SDLs are small). */
  function lineDiff(a, b) {
    var n = a.length, m = b.length;
    if (n * m > 4e6) return a.map(function (l) { return { op: '-', text: l }; }).concat(b.map(function (l) { return { op: '+', text: l }; }));
    var w = m + 1;
    var lcs = new Uint32Array((n + 1) * w);
    for (var i = n - 1; i >= 0; i--) {
      for (var j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    var out = [];
    i = 0; j = 0;
    while (i < n && j < m) {
      if (a[i] === b[j]) { out.push({ op: ' ', text: a[i] }); i++; j++; }
      else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) out.push({ op: '-', text: a[i++] });
      else out.push({ op: '+', text: b[j++] });
    }
    while (i < n) out.push({ op: '-', text: a[i++] });
    while (j < m) out.push({ op: '+', text: b[j++] });
    return out;
  }

  /** The changed lines with three lines of context, like `diff -u`. */
  function renderDiff(lines) {
    var pre = el('pre', { className: 'diff-lines' });
    var show = lines.map(function () { return false; });
    lines.forEach(function (l, k) {
      if (l.op === ' ') return;
      for (var d = Math.max(0, k - 3); d <= Math.min(lines.length - 1, k + 3); d++) show[d] = true;
    });
    var gap = false;
    lines.forEach(function (l, k) {
      if (!show[k]) { gap = true; return; }
      if (gap) pre.appendChild(el('span', { className: 'gap', text: '…' }));
      gap = false;
      pre.appendChild(el('span', { className: l.op === '+' ? 'add' : l.op === '-' ? 'del' : '', text: l.op + ' ' + l.text }));
    });
    return pre;
  }

  function versionsById() {
    if (state.versions) return Promise.resolve(state.versions);
    return gql('{ subgraphVersions(limit: 1000) { id subgraph sdl } }').then(function (data) {
      state.versions = {};
      data.subgraphVersions.forEach(function (v) { state.versions[v.id] = v; });
      return state.versions;
    });
  }

  function runDiff() {
    var from = state.launches.find(function (l) { return l.id === $('diff-from').value; });
    var to = state.launches.find(function (l) { return l.id === $('diff-to').value; });
    var out = $('diff');
    if (!from || !to) return;
    out.textContent = '…';
    return versionsById().then(function (versions) {
      out.innerHTML = '';
      var names = {};
      from.versions.concat(to.versions).forEach(function (v) { names[v.subgraph] = true; });
      var same = [];
      Object.keys(names).sort().forEach(function (name) {
        var a = from.versions.find(function (v) { return v.subgraph === name; });
        var b = to.versions.find(function (v) { return v.subgraph === name; });
        if (a && b && a.versionId === b.versionId) { same.push(name + ' (' + a.versionId + ')'); return; }
        var sdlA = a && versions[a.versionId] ? versions[a.versionId].sdl.split('\n') : [];
        var sdlB = b && versions[b.versionId] ? versions[b.versionId].sdl.split('\n') : [];
        var box = el('div', { className: 'diff-sub', 'data-subgraph': name }, [
          el('h4', { text: name + ': ' + (a ? a.versionId : '(无 none)') + ' → ' + (b ? b.versionId : '(无 none)') }),
          renderDiff(lineDiff(sdlA, sdlB)),
        ]);
        out.appendChild(box);
      });
      out.appendChild(el('p', { className: 'muted', text: same.length ? '未变的子图 Unchanged: ' + same.join(', ') : '每个子图都变了 Every subgraph changed.' }));
    }).catch(function (err) { out.textContent = err.message; });
  }

  // ---- checks ----

  var RESULT = 'ok outcome summary compositionErrors dangerousChanges operationsChecked ' +
    'breakingChanges { type description coordinate operations { name clientName count } }';

  function renderResult(r) {
    var box = el('div', { className: 'result', 'data-outcome': r.outcome }, [
      el('div', {}, [el('span', { className: r.ok ? 'verdict-ok' : 'verdict-bad', text: r.outcome }), ' · ' + r.summary]),
    ]);
    function list(title, items) {
      if (!items.length) return;
      box.appendChild(el('h4', { text: title }));
      box.appendChild(el('ul', {}, items.map(function (t) { return el('li', { text: t }); })));
    }
    list('组合错误 Composition errors', r.compositionErrors);
    list('破坏性变更 Breaking changes', r.breakingChanges.map(function (c) {
      var used = c.operations.map(function (o) { return (o.name || '(anonymous)') + ' @ ' + o.clientName + ' ×' + o.count; });
      return c.description + (used.length ? ' — 使用者 used by: ' + used.join(', ') : '');
    }));
    list('危险变更 Dangerous changes', r.dangerousChanges);
    box.appendChild(el('div', { className: 'muted', text: '检查了 ' + r.operationsChecked + ' 个已记录操作 recorded operations checked' }));
    return box;
  }

  function runCheck(event) {
    event.preventDefault();
    var subgraph = $('check-subgraph').value;
    var sdl = $('check-sdl').value;
    var out = $('check-result');
    out.textContent = '检查中… Checking…';
    gql('query Check($subgraph: String!, $sdl: String) { checkSchema(subgraph: $subgraph, sdl: $sdl) { ' + RESULT + ' } }', { subgraph: subgraph, sdl: sdl })
      .then(function (data) {
        out.innerHTML = '';
        out.appendChild(renderResult(data.checkSchema));
        return loadChecks();
      })
      .catch(function (err) { out.textContent = '检查失败 Check failed: ' + err.message; });
  }

  function loadCurrentSdl() {
    var s = (state.subgraphs || []).find(function (x) { return x.name === $('check-subgraph').value; });
    if (s) $('check-sdl').value = s.version.sdl;
  }

  function loadChecks() {
    return gql('{ checks(limit: 20) { id kind subgraph ok outcome summary author createdAt } }').then(function (data) {
      var body = $('checks').querySelector('tbody');
      body.innerHTML = '';
      if (!data.checks.length) body.appendChild(el('tr', {}, [el('td', { colspan: '6', className: 'muted', text: '还没有检查 No checks yet' })]));
      data.checks.forEach(function (c) {
        body.appendChild(el('tr', { 'data-check': c.id }, [
          el('td', { text: time(c.createdAt) }), el('td', { text: c.kind }), el('td', { text: c.subgraph }),
          el('td', {}, [el('span', { className: c.ok ? 'verdict-ok' : 'verdict-bad', text: c.outcome })]),
          el('td', { text: c.summary }), el('td', { text: c.author }),
        ]));
      });
    });
  }

  // ---- operations ----

  function loadOperations() {
    return gql('{ operations(sinceDays: 7) { signatureHash name clientName count lastSeen body } }').then(function (data) {
      var out = $('operations');
      out.innerHTML = '';
      var byClient = {};
      data.operations.forEach(function (o) { (byClient[o.clientName] = byClient[o.clientName] || []).push(o); });
      var clients = Object.keys(byClient).sort();
      if (!clients.length) out.appendChild(el('p', { className: 'muted', text: '近 7 天没有记录 Nothing recorded in the last 7 days' }));
      clients.forEach(function (client) {
        var ops = byClient[client].sort(function (a, b) { return b.count - a.count; });
        out.appendChild(el('h3', { 'data-client': client, text: client + ' · ' + ops.length }));
        var table = el('table', { className: 'table' }, [
          el('thead', {}, [el('tr', {}, [el('th', {}, bilingual('操作', 'Operation')), el('th', {}, bilingual('次数', 'Count')), el('th', {}, bilingual('最近', 'Last seen')), el('th', {}, ['Signature'])])]),
        ]);
        var body = el('tbody');
        ops.forEach(function (o) {
          body.appendChild(el('tr', { title: o.body }, [
            el('td', { text: o.name || '(anonymous)' }), el('td', { text: String(o.count) }), el('td', { text: time(o.lastSeen) }),
            el('td', {}, [el('code', { text: o.signatureHash.slice(0, 12) })]),
          ]));
        });
        table.appendChild(body);
        out.appendChild(table);
      });
    });
  }

  // ---- page ----

  function loadAll() {
    state.versions = null;
    return gql(LAUNCHES).then(function (data) {
      state.launches = data.launches;
      renderLaunches();
      renderSubgraphs(data.subgraphs);
      if (!$('check-sdl').value) loadCurrentSdl();
      $('main').hidden = false;
      document.body.dataset.loaded = 'true';
      return Promise.all([loadOperations(), loadChecks().catch(function (err) { $('checks').querySelector('tbody').textContent = err.message; })]);
    });
  }

  function signedIn() {
    $('signin').hidden = true;
    $('who').hidden = false;
    $('who-name').textContent = '已登录 Signed in: ' + subjectOf(token());
    status('加载中… Loading…');
    return loadAll().then(function () {
      if (!/error|ok/.test($('status').className)) status('已加载 Loaded · ' + new Date().toLocaleTimeString('zh-CN', { hour12: false }));
    }).catch(function (err) { status('加载失败 Loading failed: ' + err.message, 'error'); });
  }

  function signOut() {
    K.clearToken();
    $('signin').hidden = false;
    $('who').hidden = true;
    $('main').hidden = true;
    delete document.body.dataset.loaded;
  }

  $('signin').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = $('token').value.trim().replace(/^Bearer\s+/i, '');
    if (!value) return;
    K.setToken(value);
    $('token').value = '';
    signedIn();
  });
  $('signout').addEventListener('click', function () { signOut(); status('已退出 Signed out'); });
  $('reload').addEventListener('click', function () { signedIn(); });
  $('diff-run').addEventListener('click', runDiff);
  $('check-form').addEventListener('submit', runCheck);
  $('check-load').addEventListener('click', loadCurrentSdl);
  $('confirm').addEventListener('close', function () {
    var launch = state.pendingRollback;
    state.pendingRollback = null;
    if ($('confirm').returnValue === 'ok' && launch) rollback(launch, $('confirm-message').value);
  });

  if (token()) signedIn();
})();
