/* The district or city overview: every street's red / yellow / green counts and rates, kept live. */
(function () {
  'use strict';
  var B = window.CityBoards;
  var params = new URLSearchParams(location.search);
  var districtCode = params.get('district') || null;
  var live = document.getElementById('live');
  var STATS = 'requestStats { received resolutionRate onTimeRate satisfactionRate overdueLevel1 red yellow green }';
  var COLUMNS = [
    ['red', function (s) { return s.red; }], ['yellow', function (s) { return s.yellow; }], ['green', function (s) { return s.green; }],
    ['overdue', function (s) { return s.overdueLevel1; }], ['received', function (s) { return s.received; }],
    ['rate', function (s) { return B.pct(s.resolutionRate); }], ['ontime', function (s) { return B.pct(s.onTimeRate); }],
    ['satisfaction', function (s) { return B.pct(s.satisfactionRate); }],
  ];

  function row(tbody, street) {
    var tr = document.createElement('tr');
    tr.dataset.street = street.code;
    var name = document.createElement('td');
    name.textContent = street.name;
    tr.appendChild(name);
    COLUMNS.forEach(function (c) {
      var td = document.createElement('td');
      td.className = c[0];
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    update(street);
  }

  function update(street) {
    var tr = document.querySelector('tr[data-street="' + street.code + '"]');
    if (!tr) return;
    COLUMNS.forEach(function (c) { B.flash(tr.querySelector('td.' + c[0]), String(c[1](street.requestStats))); });
  }

  function districtRow(tbody, d) {
    var tr = document.createElement('tr');
    tr.className = 'district';
    var td = document.createElement('td');
    td.colSpan = COLUMNS.length + 1;
    td.textContent = d.name;
    tr.appendChild(td);
    tbody.appendChild(tr);
  }

  var CAUSE_NAMES = { CONDITION_NOT_MET: '不符合办理条件', MATERIALS_MISSING: '材料不全', SYSTEM_FAULT: '系统故障', UNCLEAR_RESPONSIBILITY: '职责不清', ATTITUDE: '服务态度', OTHER: '其他' };
  var hallStreet = null;

  function items(id, list, label) {
    var ul = document.getElementById(id);
    ul.innerHTML = '';
    if (!list.length) ul.innerHTML = '<li class="empty">暂无记录</li>';
    list.forEach(function (x) {
      var li = document.createElement('li');
      li.innerHTML = '<span></span><span></span>';
      li.firstChild.textContent = label(x);
      li.lastChild.textContent = x.count + ' 件';
      ul.appendChild(li);
    });
  }

  /** A street's service hall: its 事办不成 cases by root cause and the matters that come up most. */
  function loadHall() {
    var code = hallStreet;
    B.gql('query Hall($s: ID!) { cannotDoStats(streetCode: $s) { total byRootCause { rootCause count } topMatters { item { name } count byRootCause { rootCause count } } } }', { s: code }).then(function (d) {
      if (hallStreet !== code) return;
      var h = d.cannotDoStats;
      B.setText('hall-total', h.total);
      items('hall-causes', h.byRootCause.filter(function (c) { return c.count > 0; }), function (c) { return CAUSE_NAMES[c.rootCause] || c.rootCause; });
      items('hall-matters', h.topMatters, function (m) {
        var top = m.byRootCause[0];
        return (m.item ? m.item.name : '未知事项') + (top ? '（主要：' + (CAUSE_NAMES[top.rootCause] || top.rootCause) + '）' : '');
      });
    }).catch(function (e) { console.warn('hall figures not loaded', e); });
  }

  function showHall(streets) {
    var select = document.getElementById('hall-street');
    streets.forEach(function (s) {
      var o = document.createElement('option');
      o.value = s.code;
      o.textContent = s.name;
      select.appendChild(o);
    });
    var wanted = params.get('street');
    if (wanted && streets.some(function (s) { return s.code === wanted; })) select.value = wanted;
    document.getElementById('hall').hidden = false;
    hallStreet = select.value;
    select.addEventListener('change', function () { hallStreet = select.value; loadHall(); });
    loadHall();
  }

  var query = districtCode
    ? 'query Overview($code: ID!) { district(code: $code) { code name streets { code name ' + STATS + ' } } districts { code name } }'
    : 'query Overview { districts { code name streets { code name ' + STATS + ' } } }';
  B.gql(query, districtCode ? { code: districtCode } : {}).then(function (d) {
    var select = document.getElementById('district');
    d.districts.forEach(function (x) {
      var o = document.createElement('option');
      o.value = x.code;
      o.textContent = x.name;
      select.appendChild(o);
    });
    select.value = districtCode || '';
    select.addEventListener('change', function () { location.search = select.value ? '?district=' + select.value : ''; });
    var tbody = document.getElementById('streets');
    if (districtCode) {
      if (!d.district) throw new Error('没有这个区：' + districtCode);
      document.getElementById('title').firstChild.textContent = d.district.name + '民意速办总览 ';
      document.title = d.district.name + ' · 总览';
      d.district.streets.forEach(function (s) { row(tbody, s); });
    } else {
      d.districts.forEach(function (x) { districtRow(tbody, x); x.streets.forEach(function (s) { row(tbody, s); }); });
    }
    B.stamp();
    if (districtCode) showHall(d.district.streets);
    var client = B.liveClient(null, live);
    B.subscribe(client, 'subscription Overview($code: ID) { overviewChanged(districtCode: $code) { code name ' + STATS + ' } }', { code: districtCode }, function (e) {
      update(e.overviewChanged);
      if (hallStreet === e.overviewChanged.code) loadHall();
    });
  }).catch(function (err) {
    document.getElementById('updated').textContent = '加载失败：' + err.message;
  });
})();
