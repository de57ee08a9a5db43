/* CityGraph community dashboard: one query for the figures (its slow parts deferred), subscriptions for live changes. */
(function () {
  'use strict';
  var endpoint = location.origin + '/graphql';
  var params = new URLSearchParams(location.search);
  var select = document.getElementById('community');
  var live = document.getElementById('live');
  var chart;
  var state = { code: null, lots: {}, hostels: {}, disposers: [] };

  // The figures come first; the 14-day trend and the volunteers' month (aggregations, the slow
  // parts) are deferred and drawn when their parts arrive (multipart/mixed, deferSpec=20220824).
  var DASHBOARD = 'query Dashboard($code: ID!) { communityOrderStats(communityCode: $code) { onTimeRate } community(code: $code) { code name street { name district { name } } ' +
    'requestStats { received resolved resolutionRate onTimeRate satisfactionRate overdueLevel1 red yellow green } ' +
    'overdueRequests(limit: 20) { id number title levelColor currentDeadline department { name } } ' +
    'parkingLots { id name freeSpacesNow releasedSpacesNow } hostels { id name freeBeds totalBeds } ' +
    '... @defer(label: "trend") { requestTrend(days: 14) { date received resolved } } ' +
    '... @defer(label: "volunteers") { volunteerStations { id name } volunteerHoursThisMonth } } }';

  function gql(query, variables) {
    return fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    }).then(function (r) { return r.json(); }).then(function (body) {
      if (body.errors && !body.data) throw new Error(body.errors[0].message);
      return body.data;
    });
  }

  /** Puts a deferred part's data in place in the answer so far (its path leads to an object). */
  function mergeAt(target, path, data) {
    var node = target;
    path.forEach(function (key) { node = node[key]; });
    Object.keys(data).forEach(function (k) { node[k] = data[k]; });
  }

  /**
   * Reads the parts of a multipart/mixed answer as they arrive: each part's JSON goes to onPart.
   * A plain JSON answer (nothing deferred after all) is one part.
   */
  function readParts(response, onPart) {
    var type = response.headers.get('content-type') || '';
    var m = /boundary="?([^";]+)"?/.exec(type);
    if (type.indexOf('multipart/mixed') !== 0 || !m) return response.json().then(onPart);
    var delimiter = '\r\n--' + m[1];
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.value) buffer += decoder.decode(chunk.value, { stream: true });
        for (;;) {
          var start = buffer.indexOf(delimiter);
          if (start < 0) break;
          var after = buffer.slice(start + delimiter.length);
          if (after.indexOf('--') === 0) return reader.cancel();
          var end = after.indexOf(delimiter);
          if (end < 0) break;
          var part = after.slice(0, end);
          buffer = after.slice(end);
          var blank = part.indexOf('\r\n\r\n');
          if (blank >= 0) onPart(JSON.parse(part.slice(blank + 4)));
        }
        if (!chunk.done) return pump();
      });
    }
    return pump();
  }

  /** A query with @defer: onData(answer so far) after the first part and after every deferred one. */
  function gqlDeferred(query, variables, onData) {
    var answer;
    return fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed; deferSpec=20220824, application/json' },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    }).then(function (r) {
      return readParts(r, function (part) {
        if (part.data !== undefined) {
          if (part.errors && !part.data) throw new Error(part.errors[0].message);
          answer = part.data;
        }
        (part.incremental || []).forEach(function (inc) {
          if (inc.data) mergeAt(answer, inc.path, inc.data);
          if (inc.errors) console.warn('deferred part failed', inc.label, inc.errors);
        });
        if (answer) onData(answer);
      });
    });
  }

  function setText(id, value) {
    var el = document.getElementById(id);
    var text = String(value);
    if (el.textContent !== text) {
      el.textContent = text;
      el.classList.add('changed');
      setTimeout(function () { el.classList.remove('changed'); }, 800);
    }
  }

  function pct(x) { return (Math.round(x * 1000) / 10).toFixed(1) + '%'; }

  function stamp() {
    document.getElementById('updated').textContent = '更新于 ' + new Date().toLocaleTimeString('zh-CN', { hour12: false });
  }

  function showRequests(s) {
    setText('received', s.received);
    setText('resolved', s.resolved);
    setText('rate', pct(s.resolutionRate));
    setText('overdue', s.overdueLevel1);
    setText('red', s.red);
    setText('yellow', s.yellow);
    setText('green', s.green);
    setText('ontime', pct(s.onTimeRate));
    setText('satisfaction', pct(s.satisfactionRate));
  }

  var LEVEL_NAMES = { RED: '红', YELLOW: '黄', GREEN: '绿' };

  /** The community's overdue cases, most overdue first. */
  function showOverdue(list) {
    var ul = document.getElementById('overdue-list');
    ul.innerHTML = '';
    document.getElementById('overdue-count').textContent = list.length ? '（' + list.length + ' 件）' : '';
    if (!list.length) {
      ul.innerHTML = '<li class="empty">暂无超时工单</li>';
      return;
    }
    list.forEach(function (r) {
      var li = document.createElement('li');
      li.dataset.request = r.id;
      li.innerHTML = '<span></span><span></span>';
      li.firstChild.textContent = '[' + (LEVEL_NAMES[r.levelColor] || '') + '] ' + r.number + ' ' + r.title;
      li.lastChild.textContent = (r.department ? r.department.name + ' · ' : '') + '时限 ' + new Date(r.currentDeadline).toLocaleString('zh-CN', { hour12: false });
      ul.appendChild(li);
    });
  }

  var OVERDUE = 'query Overdue($code: ID!) { communityOrderStats(communityCode: $code) { onTimeRate } community(code: $code) { overdueRequests(limit: 20) { id number title levelColor currentDeadline department { name } } } }';

  function showOrders(o) { setText('orders-ontime', pct(o.onTimeRate)); }

  /** After a change the overdue list is read again (a handful of rows); a stale answer for another community is dropped. */
  function refreshOverdue(code) {
    gql(OVERDUE, { code: code }).then(function (d) {
      if (state.code === code && d.community) {
        showOverdue(d.community.overdueRequests);
        showOrders(d.communityOrderStats);
      }
    }).catch(function (e) { console.warn('overdue list not refreshed', e); });
  }

  function showParking() {
    var lots = Object.values(state.lots);
    var released = 0, free = 0;
    var list = document.getElementById('lots');
    list.innerHTML = '';
    lots.forEach(function (l) {
      released += l.releasedSpacesNow; free += l.freeSpacesNow;
      var li = document.createElement('li');
      li.innerHTML = '<span></span><span></span>';
      li.firstChild.textContent = l.name;
      li.lastChild.textContent = '空余 ' + l.freeSpacesNow + ' / ' + l.releasedSpacesNow;
      li.dataset.lot = l.id;
      list.appendChild(li);
    });
    setText('released', released);
    setText('free', free);
    setText('taken', released - free);
  }

  function showHostels() {
    var beds = 0;
    var list = document.getElementById('hostels');
    list.innerHTML = '';
    Object.values(state.hostels).forEach(function (h) {
      beds += h.freeBeds;
      var li = document.createElement('li');
      li.innerHTML = '<span></span><span></span>';
      li.firstChild.textContent = h.name;
      li.lastChild.textContent = '空床 ' + h.freeBeds + ' / ' + h.totalBeds;
      list.appendChild(li);
    });
    setText('beds', beds);
  }

  function drawTrend(trend, stats) {
    var labels = trend.map(function (d) { return d.date.slice(5); });
    var received = trend.map(function (d) { return d.received; });
    var resolved = trend.map(function (d) { return d.resolved; });
    if (chart) chart.destroy();
    chart = new Chart(document.getElementById('trend'), {
      type: 'line',
      data: {
        labels: labels,
        datasets: [
          { label: '受理', data: received, borderColor: '#2f6fde', backgroundColor: 'rgba(47,111,222,.15)', tension: .25, fill: true },
          { label: '办结', data: resolved, borderColor: '#188038', backgroundColor: 'rgba(24,128,56,.12)', tension: .25, fill: true },
        ],
      },
      options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    state.lastStats = stats;
  }

  /** A live event moves today's point: the difference from the last figures is today's change. */
  function bumpTrend(stats) {
    if (!chart || !state.lastStats) return;
    var last = chart.data.labels.length - 1;
    chart.data.datasets[0].data[last] += stats.received - state.lastStats.received;
    chart.data.datasets[1].data[last] += stats.resolved - state.lastStats.resolved;
    chart.update();
    state.lastStats = stats;
  }

  // One graphql-ws connection for the page (boards.js); the micro-projects panel subscribes on it too.
  var client = window.CityBoards.liveClient(null, live);
  window.CityDashboard = { client: client };

  function subscribe(query, variables, onData) {
    var dispose = client.subscribe({ query: query, variables: variables }, {
      next: function (r) { if (r.data) { onData(r.data); stamp(); } },
      error: function (e) { console.warn('subscription error', e); },
      complete: function () {},
    });
    state.disposers.push(dispose);
  }

  function load(code) {
    state.disposers.forEach(function (d) { d(); });
    state.disposers = [];
    state.code = code;
    history.replaceState(null, '', '?community=' + encodeURIComponent(code));
    var shown = {};
    return gqlDeferred(DASHBOARD, { code: code }, function (data) {
      // Parts still arriving for a community no longer shown are dropped.
      if (state.code !== code) return;
      var c = data.community;
      if (!shown.figures) {
        shown.figures = true;
        showFigures(c);
        showOrders(data.communityOrderStats);
      }
      if (c.requestTrend && !shown.trend) {
        shown.trend = true;
        drawTrend(c.requestTrend, c.requestStats);
      }
      if (c.volunteerStations && !shown.volunteers) {
        shown.volunteers = true;
        setText('hours', Math.round(c.volunteerHoursThisMonth * 10) / 10);
        setText('stations', c.volunteerStations.length);
      }
      stamp();
    });
  }

  /** The first part: the figures, and the subscriptions that keep them live. */
  function showFigures(c) {
    var code = c.code;
    document.title = c.name + ' · 社区实时看板';
    showRequests(c.requestStats);
    showOverdue(c.overdueRequests);
    state.lots = {};
    c.parkingLots.forEach(function (l) { state.lots[l.id] = l; });
    showParking();
    state.hostels = {};
    c.hostels.forEach(function (h) { state.hostels[h.id] = h; });
    showHostels();
    subscribe('subscription($code: ID!) { requestStatsChanged(communityCode: $code) { received resolved resolutionRate onTimeRate satisfactionRate overdueLevel1 red yellow green } }',
      { code: code }, function (d) { showRequests(d.requestStatsChanged); bumpTrend(d.requestStatsChanged); refreshOverdue(code); });
    c.parkingLots.forEach(function (l) {
      subscribe('subscription($id: ID!) { parkingAvailabilityChanged(lotId: $id) { id name freeSpacesNow releasedSpacesNow } }',
        { id: l.id }, function (d) { state.lots[l.id] = d.parkingAvailabilityChanged; showParking(); });
    });
    c.hostels.forEach(function (h) {
      subscribe('subscription($id: ID!) { hostelAvailabilityChanged(hostelId: $id) { id name freeBeds totalBeds } }',
        { id: h.id }, function (d) { state.hostels[h.id] = d.hostelAvailabilityChanged; showHostels(); });
    });
  }

  gql('{ communities { code name street { name district { name } } } }').then(function (data) {
    select.innerHTML = '';
    data.communities.forEach(function (c) {
      var option = document.createElement('option');
      option.value = c.code;
      option.textContent = c.street.district.name + ' · ' + c.street.name + ' · ' + c.name;
      select.appendChild(option);
    });
    var wanted = params.get('community');
    if (wanted) select.value = wanted;
    select.addEventListener('change', function () { load(select.value); });
    return load(select.value);
  }).catch(function (err) {
    document.getElementById('updated').textContent = '加载失败：' + err.message;
  });
})();
