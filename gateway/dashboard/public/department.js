/* A department's board: its requests by status, returns, supervision, satisfaction and overdue cases, kept live. */
(function () {
  'use strict';
  var B = window.CityBoards;
  var params = new URLSearchParams(location.search);
  var departmentId = params.get('id');
  var live = document.getElementById('live');
  var STATUS_NAMES = { SUBMITTED: '待派单', DISPATCHED: '待签收', ACCEPTED: '已签收', IN_PROGRESS: '处理中', RETURNED: '已退回', RESOLVED: '已办结', REOPENED: '重办', CLOSED: '已归档', DUPLICATE: '重复件' };
  var STAGE_NAMES = { URGE: '催办', STREET: '升级至街道', DISTRICT: '升级至区' };
  var BOARD_FIELDS = 'byStatus { status count } returnsTotal returnsUpheld urges escalations evaluated satisfactionRate ' +
    'overdue { id number title levelColor currentDeadline community { name } }';
  var client;

  function showBoard(b) {
    var box = document.getElementById('by-status');
    b.byStatus.forEach(function (s) {
      var id = 'status-' + s.status;
      var el = document.getElementById(id);
      if (!el) {
        var div = document.createElement('div');
        div.className = 'figure';
        div.innerHTML = '<span class="label"></span><span class="value"></span>';
        div.firstChild.textContent = STATUS_NAMES[s.status] || s.status;
        div.lastChild.id = id;
        box.appendChild(div);
        el = div.lastChild;
      }
      B.flash(el, String(s.count));
    });
    B.setText('returns', b.returnsTotal);
    B.setText('upheld', b.returnsUpheld);
    B.setText('urges', b.urges);
    B.setText('escalations', b.escalations);
    B.setText('evaluated', b.evaluated);
    B.setText('satisfaction', B.pct(b.satisfactionRate));
    var ul = document.getElementById('overdue-list');
    ul.innerHTML = '';
    document.getElementById('overdue-count').textContent = b.overdue.length ? '（' + b.overdue.length + ' 件）' : '';
    if (!b.overdue.length) ul.innerHTML = '<li class="empty">暂无超时工单</li>';
    b.overdue.forEach(function (r) {
      var li = document.createElement('li');
      li.dataset.request = r.id;
      li.innerHTML = '<span></span><span></span>';
      li.firstChild.textContent = r.number + ' ' + r.title + '（' + r.community.name + '）';
      li.lastChild.textContent = '时限 ' + B.time(r.currentDeadline);
      ul.appendChild(li);
    });
  }

  /** New alerts on top, as the supervision sweep raises them. */
  function showAlert(a) {
    var ul = document.getElementById('alerts');
    var empty = ul.querySelector('.empty');
    if (empty) empty.remove();
    var li = document.createElement('li');
    li.dataset.alert = a.id;
    li.innerHTML = '<span></span><span></span>';
    // A community order's report alert has no request: its subject names it.
    var what = a.request ? a.request.number + ' ' + a.request.title : '社区发令 ' + (a.communityOrder ? a.communityOrder.subject : '');
    li.firstChild.textContent = (STAGE_NAMES[a.stage] || a.stage) + ' · ' + what;
    li.lastChild.textContent = a.message + '，预警于 ' + B.time(a.raisedAt);
    ul.insertBefore(li, ul.firstChild);
  }

  function start(token) {
    document.getElementById('updated').textContent = '加载中…';
    return B.gql('query Board($id: ID!) { department(id: $id) { id name board { ' + BOARD_FIELDS + ' } } }', { id: departmentId }, token).then(function (d) {
      if (!d.department) throw new Error('没有这个部门：' + departmentId);
      document.title = d.department.name + ' · 部门看板';
      document.getElementById('title').firstChild.textContent = d.department.name + ' 部门看板 ';
      showBoard(d.department.board);
      B.stamp();
      sessionStorage.setItem('citygraph-board-token', token);
      if (client) client.dispose();
      client = B.liveClient(token, live);
      B.subscribe(client, 'subscription Board($id: ID!) { departmentBoardChanged(departmentId: $id) { ' + BOARD_FIELDS + ' } }', { id: departmentId }, function (e) {
        showBoard(e.departmentBoardChanged);
      });
      var panel = document.getElementById('alerts-panel');
      panel.hidden = false;
      B.subscribe(client, 'subscription Alerts($id: ID) { supervisionAlertRaised(departmentId: $id) { id deadline stage dueAt raisedAt message request { id number title } communityOrder { id subject } departmentId streetCode } }',
        { id: departmentId }, function (e) { showAlert(e.supervisionAlertRaised); });
    }).catch(function (err) {
      document.getElementById('updated').textContent = '加载失败：' + err.message;
    });
  }

  document.getElementById('login').addEventListener('submit', function (e) {
    e.preventDefault();
    start(document.getElementById('token').value.trim());
  });
  if (!departmentId) document.getElementById('updated').textContent = '请在地址中给出部门：/dashboard/department?id=LH-URBAN';
  else if (sessionStorage.getItem('citygraph-board-token')) start(sessionStorage.getItem('citygraph-board-token'));
  else document.getElementById('updated').textContent = '请粘贴本部门工作人员的令牌';
})();
