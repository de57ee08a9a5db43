/* CityGraph community dashboard: the 民生微实事 panel (the community's micro-projects and their figures). */
(function () {
  'use strict';
  var endpoint = location.origin + '/graphql';
  var select = document.getElementById('community');
  var shown = null;
  var STATUS = {
    PROPOSED: '已提议', CONSULTING: '征求意见中', NOT_SUPPORTED: '未获居民支持', SUPPORTED: '待街道审批', REJECTED: '街道未批准',
    APPROVED: '已立项', IN_PROGRESS: '实施中', COMPLETED: '已完工待验收', ACCEPTED: '已验收',
  };
  var CATEGORY = { ENGINEERING: '工程类', SERVICE: '服务类', GOODS: '货物类' };
  var QUERY = 'query MicroProjects($code: ID!) { community(code: $code) { code ' +
    'microProjectStats { count approved accepted approvedBudget spent } ' +
    'microProjects(limit: 20) { id title category status estimatedBudget approvedBudget spent votes { support oppose } } } }';

  /** Yuan as 万元 with up to one decimal, as the programme's lists show amounts. */
  function wan(yuan) { return (Math.round(yuan / 1000) / 10).toString(); }

  function set(id, value) { document.getElementById(id).textContent = String(value); }

  function show(c) {
    var s = c.microProjectStats;
    set('mp-count', s.count);
    set('mp-approved', s.approved);
    set('mp-accepted', s.accepted);
    set('mp-budget', wan(s.approvedBudget));
    set('mp-spent', wan(s.spent));
    var list = document.getElementById('mp-list');
    list.innerHTML = '';
    c.microProjects.forEach(function (p) {
      var li = document.createElement('li');
      li.dataset.project = p.id;
      li.dataset.status = p.status;
      li.innerHTML = '<span></span><span></span>';
      li.firstChild.textContent = '[' + CATEGORY[p.category] + '] ' + p.title;
      var money = p.approvedBudget != null ? '核定 ' + wan(p.approvedBudget) + ' 万元，已支出 ' + wan(p.spent) + ' 万元' : '预算 ' + wan(p.estimatedBudget) + ' 万元';
      var votes = p.status === 'CONSULTING' ? '，支持 ' + p.votes.support + ' / 反对 ' + p.votes.oppose : '';
      li.lastChild.textContent = STATUS[p.status] + ' · ' + money + votes;
      list.appendChild(li);
    });
    document.getElementById('h-micro').dataset.loaded = c.code;
  }

  // Every change to one of the community's projects (a proposal, a vote, a step) reloads the panel.
  var section = document.getElementById('h-micro');
  // The page's one connection (dashboard.js); it opens with the first subscription, after this runs.
  var client = window.CityDashboard.client;
  client.on('connected', function () { section.dataset.live = 'open'; });
  client.on('closed', function () { section.dataset.live = 'closed'; });
  var dispose = null;

  function follow(code) {
    if (dispose) dispose();
    dispose = client.subscribe({ query: 'subscription($code: ID!) { microProjectUpdated(communityCode: $code) { id } }', variables: { code: code } }, {
      next: function () { fetchPanel(code); },
      error: function (e) { console.warn('micro-project subscription error', e); },
      complete: function () {},
    });
  }

  function load(code) {
    if (!code || code === shown) return;
    shown = code;
    follow(code);
    fetchPanel(code);
  }

  function fetchPanel(code) {
    fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { code: code } }),
    }).then(function (r) { return r.json(); }).then(function (body) {
      // An answer for a community no longer shown is dropped.
      if (shown !== code || !body.data || !body.data.community) return;
      show(body.data.community);
    }).catch(function (err) { console.warn('micro-projects failed', err); });
  }

  // The main script fills the community list and picks one; follow it and every change after.
  new MutationObserver(function () { load(select.value); }).observe(select, { childList: true });
  select.addEventListener('change', function () { load(select.value); });
  load(select.value);
})();
