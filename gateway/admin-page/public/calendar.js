/*
 * The working calendar's admin page. Like the registry page it holds no data and signs in with an
 * admin token kept in this tab's sessionStorage (the same key, so signing in on /admin carries
 * over); it reads and edits the calendar through the graph's own /graphql, where the requests
 * subgraph refuses edits from anyone but an admin.
 */
(function () {
  'use strict';
  var ENDPOINT = location.origin + '/graphql';
  var WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
  var KIND_LABEL = { HOLIDAY: '放假', WORKDAY: '调休上班' };
  var state = { year: Number(new URLSearchParams(location.search).get('year')) || new Date().getFullYear(), days: {} };

  var K = window.CityAdmin;
  var $ = K.$, el = K.el, status = K.status, token = K.token;
  var gql = K.client(ENDPOINT, { onRefused: function () { signOut(); } });

  /** The weekday (1 = Monday … 7 = Sunday) of a calendar date, whatever the browser's zone. */
  function weekdayOf(y, m, d) { var w = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); return w === 0 ? 7 : w; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function iso(y, m, d) { return y + '-' + pad(m) + '-' + pad(d); }
  function time(value) { return value ? new Date(value).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' }) : ''; }

  var YEAR = 'query($year: Int!) { workingCalendar(year: $year) { year workingDayCount days { date kind name updatedBy updatedAt } ' +
    'changes { date action kind name previousKind previousName by at } } }';
  var DAYS = 'year workingDayCount days { date kind name updatedBy updatedAt } changes { date action kind name previousKind previousName by at }';
  var SET = 'mutation($date: String!, $kind: CalendarDayKind!, $name: String!) { setCalendarDay(date: $date, kind: $kind, name: $name) { ' + DAYS + ' } }';
  var CLEAR = 'mutation($date: String!) { clearCalendarDay(date: $date) { ' + DAYS + ' } }';

  function render(year) {
    state.days = {};
    year.days.forEach(function (d) { state.days[d.date] = d; });
    $('year-title').textContent = year.year + ' 年';
    var holidays = year.days.filter(function (d) { return d.kind === 'HOLIDAY'; }).length;
    $('summary').textContent = '工作日 ' + year.workingDayCount + ' 天 · 放假 ' + holidays + ' 天 · 调休上班 ' + (year.days.length - holidays) + ' 天';
    var months = $('months');
    months.innerHTML = '';
    for (var m = 1; m <= 12; m++) {
      var grid = el('div', { className: 'grid' }, WEEKDAYS.map(function (w) { return el('span', { className: 'head', text: w }); }));
      for (var blank = 1; blank < weekdayOf(year.year, m, 1); blank++) grid.appendChild(el('span', { className: 'day blank' }));
      var last = new Date(Date.UTC(year.year, m, 0)).getUTCDate();
      for (var d = 1; d <= last; d++) {
        var date = iso(year.year, m, d);
        var special = state.days[date];
        var cls = 'day' + (weekdayOf(year.year, m, d) >= 6 ? ' weekend' : '') + (special ? ' ' + special.kind : '');
        var cell = el('span', { className: cls, 'data-date': date, title: special ? date + ' ' + KIND_LABEL[special.kind] + ' ' + special.name : date, text: String(d) });
        grid.appendChild(cell);
      }
      months.appendChild(el('div', { className: 'month' }, [el('h3', { text: m + ' 月' }), grid]));
    }
    var body = $('days').querySelector('tbody');
    body.innerHTML = '';
    year.days.forEach(function (d) {
      var p = d.date.split('-').map(Number);
      body.appendChild(el('tr', { 'data-date': d.date }, [
        el('td', { text: d.date }), el('td', { text: '星期' + WEEKDAYS[weekdayOf(p[0], p[1], p[2]) - 1] }),
        el('td', { text: KIND_LABEL[d.kind] }), el('td', { text: d.name }), el('td', { text: d.updatedBy || '' }), el('td', { text: time(d.updatedAt) }),
      ]));
    });
    var changes = $('changes').querySelector('tbody');
    changes.innerHTML = '';
    if (!year.changes.length) changes.appendChild(el('tr', {}, [el('td', { colspan: '6', className: 'muted', text: '本年尚无修改 No edits this year' })]));
    year.changes.forEach(function (c) {
      var before = c.previousKind ? KIND_LABEL[c.previousKind] + ' ' + c.previousName : '普通日';
      var after = c.kind ? KIND_LABEL[c.kind] + ' ' + c.name : '普通日';
      changes.appendChild(el('tr', {}, [el('td', { text: time(c.at) }), el('td', { text: c.by }), el('td', { text: c.date }),
        el('td', { text: c.action === 'SET' ? '设置 SET' : '清除 CLEAR' }), el('td', { text: before }), el('td', { text: after })]));
    });
    document.body.dataset.loaded = String(year.year);
  }

  function load() {
    status('加载中… Loading…');
    return gql(YEAR, { year: state.year }).then(function (data) {
      render(data.workingCalendar);
      $('main').hidden = false;
      status('已加载 ' + state.year + ' 年 Loaded', 'ok');
    }).catch(function (err) { status('加载失败 Loading failed: ' + err.message, 'error'); });
  }

  function pick(date) {
    var special = state.days[date];
    $('edit-date').value = date;
    if (special) { $('edit-kind').value = special.kind; $('edit-name').value = special.name; }
    else { $('edit-name').value = ''; var p = date.split('-').map(Number); $('edit-kind').value = weekdayOf(p[0], p[1], p[2]) >= 6 ? 'WORKDAY' : 'HOLIDAY'; }
    Array.prototype.forEach.call(document.querySelectorAll('.day.selected'), function (n) { n.classList.remove('selected'); });
    var cell = document.querySelector('.day[data-date="' + date + '"]');
    if (cell) cell.classList.add('selected');
  }

  function edited(what, date) {
    return function (data) {
      render(data[what]);
      status((what === 'setCalendarDay' ? '已保存 Saved ' : '已恢复为普通日 Cleared ') + date + '：之后计算的期限按新日历 (deadlines computed from now on count with it)', 'ok');
    };
  }

  function signedIn() {
    $('signin').hidden = true;
    $('who').hidden = false;
    $('who-name').textContent = '已登录 Signed in';
    return load();
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
  $('prev').addEventListener('click', function () { state.year -= 1; load(); });
  $('next').addEventListener('click', function () { state.year += 1; load(); });
  $('months').addEventListener('click', function (event) {
    var date = event.target && event.target.getAttribute && event.target.getAttribute('data-date');
    if (date) pick(date);
  });
  $('edit').addEventListener('submit', function (event) {
    event.preventDefault();
    var date = $('edit-date').value.trim();
    gql(SET, { date: date, kind: $('edit-kind').value, name: $('edit-name').value })
      .then(edited('setCalendarDay', date))
      .catch(function (err) { status('保存失败 Not saved: ' + err.message, 'error'); });
  });
  $('edit-clear').addEventListener('click', function () {
    var date = $('edit-date').value.trim();
    gql(CLEAR, { date: date })
      .then(edited('clearCalendarDay', date))
      .catch(function (err) { status('清除失败 Not cleared: ' + err.message, 'error'); });
  });

  if (token()) signedIn();
})();
