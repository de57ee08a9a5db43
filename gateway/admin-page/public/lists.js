/*
 * The requests subgraph's lists (issue 14): the responsibility list (versioned), welfare policies
 * and the audit. Holds no data: the admin token the admin site keeps in this tab's sessionStorage
 * goes with every request to the city graph at /graphql, whose requests subgraph checks the role.
 */
(function () {
  'use strict';
  var ENDPOINT = location.origin + '/graphql';
  var KINDS = {
    HOUSING: '住房建设', URBAN_MANAGEMENT: '城市管理', TRAFFIC_POLICE: '交通警察', HUMAN_RESOURCES: '人力资源', CIVIL_AFFAIRS: '民政',
    WATER: '水务', ECOLOGY: '生态环境', HEALTH: '卫生健康', MARKET_REGULATION: '市场监管', EDUCATION: '教育', PLANNING: '规划和自然资源',
    EMERGENCY: '应急管理', PUBLIC_SECURITY: '公安', TRANSPORT: '交通运输', STREET_OFFICE: '街道办事处',
  };
  var ENTITIES = { Category: '类别', ResponsibilityItem: '清单事项', WelfarePolicy: '惠民政策', Resident: '居民关爱信息', Department: '部门', WorkingCalendarYear: '工作日历' };
  var ACTIONS = { CREATE: '新建', UPDATE: '修改', PUSH: '推送', SET_CALENDAR_DAY: '设定特殊日', CLEAR_CALENDAR_DAY: '恢复普通日' };
  var state = { categories: [], items: {} };

  var K = window.CityAdmin;
  var $ = K.$, el = K.el, status = K.status, token = K.token, time = K.time;
  var gql = K.client(ENDPOINT, { clientName: 'admin-lists', onRefused: function () { signOut(); } });

  // ---- the responsibility list ----

  var LIST = '{ categories { code name order version items { code name departmentKind emergency dispatchLimitMinutes handlingDays keywords version } } }';

  function loadList() {
    return gql(LIST).then(function (data) {
      state.categories = data.categories;
      var select = $('category');
      var keep = select.value;
      select.innerHTML = '';
      data.categories.forEach(function (c) {
        select.appendChild(el('option', { value: c.code, text: c.code + ' ' + c.name }));
        c.items.forEach(function (i) { state.items[i.code] = i; });
      });
      if (keep) select.value = keep;
      renderItems();
    });
  }

  function currentCategory() {
    var code = $('category').value;
    return state.categories.filter(function (c) { return c.code === code; })[0];
  }

  function renderItems() {
    var body = $('items').querySelector('tbody');
    body.innerHTML = '';
    var category = currentCategory();
    if (!category) return;
    category.items.forEach(function (i) {
      var edit = el('button', { type: 'button', className: 'small', 'data-edit': i.code, text: '编辑' });
      edit.addEventListener('click', function () { openItemForm('edit', i); });
      var history = el('button', { type: 'button', className: 'small', 'data-history': i.code, text: '历史' });
      history.addEventListener('click', function () { showHistory(i.code); });
      body.appendChild(el('tr', { 'data-item': i.code }, [
        el('td', {}, [el('code', { text: i.code })]), el('td', { text: i.name }), el('td', { text: KINDS[i.departmentKind] || i.departmentKind }),
        el('td', { text: i.emergency ? '是' : '否' }), el('td', { className: 'dispatch', text: String(i.dispatchLimitMinutes) }),
        el('td', { className: 'days', text: String(i.handlingDays) }), el('td', { text: i.keywords.join(' ') }),
        el('td', { className: 'version', text: 'v' + i.version }), el('td', {}, [edit, ' ', history]),
      ]));
    });
  }

  function openItemForm(mode, item) {
    var category = currentCategory();
    $('item-form').hidden = false;
    $('item-mode').value = mode;
    $('item-form-title').textContent = mode === 'edit' ? '编辑事项 ' + item.code + '（当前 v' + item.version + '）' : '新增事项（类别 ' + category.code + ' ' + category.name + '）';
    $('item-code').value = mode === 'edit' ? item.code : category.code + '-';
    $('item-code').disabled = mode === 'edit';
    $('item-version').value = mode === 'edit' ? String(item.version) : '';
    $('item-name').value = item ? item.name : '';
    $('item-kind').value = item ? item.departmentKind : 'URBAN_MANAGEMENT';
    $('item-emergency').checked = item ? item.emergency : false;
    $('item-dispatch').value = item ? String(item.dispatchLimitMinutes) : '120';
    $('item-days').value = item ? String(item.handlingDays) : '5';
    $('item-keywords').value = item ? item.keywords.join(' ') : '';
    $('item-note').value = '';
  }

  function saveItem(event) {
    event.preventDefault();
    var mode = $('item-mode').value;
    var fields = {
      name: $('item-name').value,
      departmentKind: $('item-kind').value,
      emergency: $('item-emergency').checked,
      dispatchLimitMinutes: Number($('item-dispatch').value),
      handlingDays: Number($('item-days').value),
      keywords: $('item-keywords').value.split(/\s+/).filter(Boolean),
      note: $('item-note').value || null,
    };
    var done;
    if (mode === 'edit') {
      fields.expectedVersion = Number($('item-version').value);
      done = gql('mutation($code: ID!, $input: UpdateResponsibilityItemInput!) { updateResponsibilityItem(code: $code, input: $input) { code version } }',
        { code: $('item-code').value, input: fields }).then(function (d) { return d.updateResponsibilityItem; });
    } else {
      fields.code = $('item-code').value;
      fields.categoryCode = currentCategory().code;
      done = gql('mutation($input: CreateResponsibilityItemInput!) { createResponsibilityItem(input: $input) { code version } }', { input: fields })
        .then(function (d) { return d.createResponsibilityItem; });
    }
    return done.then(function (item) {
      status('已保存 ' + item.code + '（v' + item.version + '）', 'ok');
      $('item-form').hidden = true;
      return Promise.all([loadList(), loadAudit()]);
    }).catch(function (err) { status('保存失败：' + err.message, 'error'); });
  }

  function showHistory(code) {
    gql('query($s: String) { responsibilityItems(search: $s, limit: 20) { code history { version name dispatchLimitMinutes handlingDays changedBy changedAt note } } }', { s: state.items[code].name })
      .then(function (data) {
        var item = data.responsibilityItems.filter(function (i) { return i.code === code; })[0];
        $('history').hidden = false;
        $('history-title').textContent = code + ' 的版本历史';
        var body = $('history').querySelector('tbody');
        body.innerHTML = '';
        (item ? item.history : []).forEach(function (v) {
          body.appendChild(el('tr', { 'data-version': String(v.version) }, [
            el('td', { text: 'v' + v.version }), el('td', { text: v.name }), el('td', { text: v.dispatchLimitMinutes + ' 分钟' }),
            el('td', { text: v.handlingDays + ' 个工作日' }), el('td', { text: v.changedBy === 'seed' ? '初始清单' : v.changedBy || '' }),
            el('td', { text: v.changedBy === 'seed' ? '—' : time(v.changedAt) }), el('td', { text: v.note || '' }),
          ]));
        });
      })
      .catch(function (err) { status('读取历史失败：' + err.message, 'error'); });
  }

  function createCategory(event) {
    event.preventDefault();
    gql('mutation($input: CreateCategoryInput!) { createCategory(input: $input) { code name } }',
      { input: { code: $('category-code').value.trim(), name: $('category-name').value } })
      .then(function (d) {
        status('已新增类别 ' + d.createCategory.code + ' ' + d.createCategory.name, 'ok');
        $('category-form').reset();
        $('category').value = d.createCategory.code;
        return loadList().then(function () { $('category').value = d.createCategory.code; renderItems(); return loadAudit(); });
      })
      .catch(function (err) { status('新增类别失败：' + err.message, 'error'); });
  }

  // ---- welfare policies ----

  var POLICIES = '{ welfarePolicies { id name description target minAge maxAge gender district { code name } community { code name } livesAlone disability pushed uptakeRate } }';

  function criteriaText(p) {
    var parts = [];
    if (p.minAge != null || p.maxAge != null) parts.push((p.minAge != null ? p.minAge : 0) + '–' + (p.maxAge != null ? p.maxAge : '') + ' 周岁');
    if (p.gender) parts.push(p.gender === 'FEMALE' ? '女性' : '男性');
    if (p.district) parts.push(p.district.name);
    if (p.community) parts.push(p.community.name);
    if (p.livesAlone) parts.push('独居');
    if (p.disability) parts.push('残疾');
    return parts.join('，') || '不限';
  }

  function loadPolicies() {
    return gql(POLICIES).then(function (data) {
      var body = $('policies').querySelector('tbody');
      body.innerHTML = '';
      data.welfarePolicies.forEach(function (p) {
        var action = el('td');
        if (p.target === 'RESIDENT') {
          var count = el('button', { type: 'button', className: 'small', 'data-count': p.id, text: '预估人数' });
          count.addEventListener('click', function () {
            gql('query($id: ID!) { welfarePolicyEligibleCount(id: $id) }', { id: p.id })
              .then(function (d) { status(p.name + '：当前符合条件的居民 ' + d.welfarePolicyEligibleCount + ' 人', 'ok'); })
              .catch(function (err) { status('预估失败：' + err.message, 'error'); });
          });
          var push = el('button', { type: 'button', className: 'small', 'data-push': p.id, text: '推送' });
          push.addEventListener('click', function () {
            gql('mutation($id: ID!) { pushWelfarePolicy(policyId: $id) { eligible newlyPushed } }', { id: p.id })
              .then(function (d) {
                status(p.name + '：符合条件 ' + d.pushWelfarePolicy.eligible + ' 人，本次新推送 ' + d.pushWelfarePolicy.newlyPushed + ' 人', 'ok');
                return Promise.all([loadPolicies(), loadAudit()]);
              })
              .catch(function (err) { status('推送失败：' + err.message, 'error'); });
          });
          action.appendChild(count);
          action.appendChild(document.createTextNode(' '));
          action.appendChild(push);
          action.appendChild(document.createTextNode(' '));
        }
        var edit = el('button', { type: 'button', className: 'small', 'data-edit-policy': p.id, text: '编辑' });
        edit.addEventListener('click', function () { editPolicy(p); });
        action.appendChild(edit);
        body.appendChild(el('tr', { 'data-policy': p.id }, [
          el('td', {}, [el('code', { text: p.id })]), el('td', { text: p.name }), el('td', { text: p.target === 'RESIDENT' ? '居民' : '企业' }),
          el('td', { className: 'criteria', text: criteriaText(p) }), el('td', { className: 'pushed', text: String(p.pushed) }),
          el('td', { text: Math.round(p.uptakeRate * 100) + '%' }), action,
        ]));
      });
    });
  }

  function numberOrNull(id) { var v = $(id).value; return v === '' ? null : Number(v); }
  function textOrNull(id) { var v = $(id).value.trim(); return v === '' ? null : v; }

  function editPolicy(p) {
    $('policy-mode').value = 'edit';
    $('policy-form-title').textContent = '编辑政策 ' + p.id;
    $('policy-id').value = p.id;
    $('policy-id').disabled = true;
    $('policy-target').value = p.target;
    $('policy-target').disabled = true;
    $('policy-name').value = p.name;
    $('policy-description').value = p.description;
    $('policy-min').value = p.minAge != null ? String(p.minAge) : '';
    $('policy-max').value = p.maxAge != null ? String(p.maxAge) : '';
    $('policy-gender').value = p.gender || '';
    $('policy-district').value = p.district ? p.district.code : '';
    $('policy-community').value = p.community ? p.community.code : '';
    $('policy-alone').checked = !!p.livesAlone;
    $('policy-disability').checked = !!p.disability;
    $('policy-cancel').hidden = false;
  }

  function resetPolicyForm() {
    $('policy-form').reset();
    $('policy-mode').value = 'create';
    $('policy-form-title').textContent = '新建政策';
    $('policy-id').disabled = false;
    $('policy-target').disabled = false;
    $('policy-cancel').hidden = true;
  }

  function savePolicy(event) {
    event.preventDefault();
    var criteria = {
      minAge: numberOrNull('policy-min'), maxAge: numberOrNull('policy-max'), gender: textOrNull('policy-gender'),
      districtCode: textOrNull('policy-district'), communityCode: textOrNull('policy-community'),
      livesAlone: $('policy-alone').checked || null, disability: $('policy-disability').checked || null,
    };
    if ($('policy-target').value === 'ENTERPRISE') { criteria.minAge = criteria.maxAge = criteria.gender = criteria.livesAlone = criteria.disability = null; }
    if ($('policy-mode').value === 'edit') {
      var id = $('policy-id').value;
      return gql('mutation($id: ID!, $input: UpdateWelfarePolicyInput!) { updateWelfarePolicy(id: $id, input: $input) { id name } }',
        { id: id, input: { name: $('policy-name').value, description: $('policy-description').value, criteria: criteria } })
        .then(function (d) {
          status('已修改政策 ' + d.updateWelfarePolicy.name, 'ok');
          resetPolicyForm();
          return Promise.all([loadPolicies(), loadAudit()]);
        })
        .catch(function (err) { status('修改失败：' + err.message, 'error'); });
    }
    var input = {
      id: $('policy-id').value.trim(),
      name: $('policy-name').value,
      description: $('policy-description').value,
      target: $('policy-target').value,
      criteria: criteria,
    };
    return createPolicy(input);
  }

  function createPolicy(input) {
    return gql('mutation($input: CreateWelfarePolicyInput!) { createWelfarePolicy(input: $input) { id name } }', { input: input })
      .then(function (d) {
        status('已创建政策 ' + d.createWelfarePolicy.name, 'ok');
        resetPolicyForm();
        return Promise.all([loadPolicies(), loadAudit()]);
      })
      .catch(function (err) { status('创建失败：' + err.message, 'error'); });
  }

  // ---- audit ----

  function loadAudit() {
    return gql('{ listAudit(limit: 100) { id at actor actorRole entityType entityId action summary } }').then(function (data) {
      var body = $('audit').querySelector('tbody');
      body.innerHTML = '';
      data.listAudit.forEach(function (a) {
        body.appendChild(el('tr', { 'data-audit': a.entityId }, [
          el('td', { text: time(a.at) }), el('td', { text: a.actor + '（' + a.actorRole + '）' }), el('td', { text: ENTITIES[a.entityType] || a.entityType }),
          el('td', {}, [el('code', { text: a.entityId })]), el('td', { text: ACTIONS[a.action] || a.action }), el('td', { className: 'summary', text: a.summary }),
        ]));
      });
    });
  }

  // ---- sign-in ----

  function subjectOf(jwt) {
    try {
      var payload = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return (payload.sub || payload.role || '?') + (payload.role ? '（' + payload.role + '）' : '');
    } catch (e) {
      return '?';
    }
  }

  function signOut() {
    K.clearToken();
    $('main').hidden = true;
    $('who').hidden = true;
    $('signin').hidden = false;
    document.body.removeAttribute('data-loaded');
  }

  function loadAll() {
    status('加载中…');
    return Promise.all([loadList(), loadPolicies(), loadAudit()])
      .then(function () {
        status('已加载。修改事项会生成新版本；已受理的诉求保留受理时的版本。', 'ok');
        document.body.setAttribute('data-loaded', 'true');
      })
      .catch(function (err) { status('加载失败：' + err.message, 'error'); });
  }

  function signedIn() {
    $('signin').hidden = true;
    $('who').hidden = false;
    $('who-name').textContent = subjectOf(token());
    $('main').hidden = false;
    return loadAll();
  }

  Object.keys(KINDS).forEach(function (k) { $('item-kind').appendChild(el('option', { value: k, text: KINDS[k] })); });
  $('signin').addEventListener('submit', function (event) {
    event.preventDefault();
    var value = $('token').value.trim();
    if (!value) return;
    K.setToken(value);
    $('token').value = '';
    signedIn();
  });
  $('signout').addEventListener('click', function () { signOut(); status('已退出。'); });
  $('category').addEventListener('change', renderItems);
  $('reload').addEventListener('click', loadAll);
  $('item-form').addEventListener('submit', saveItem);
  $('item-cancel').addEventListener('click', function () { $('item-form').hidden = true; });
  $('item-new').addEventListener('click', function () { openItemForm('create', null); });
  $('policy-form').addEventListener('submit', savePolicy);
  $('policy-cancel').addEventListener('click', resetPolicyForm);
  $('category-form').addEventListener('submit', createCategory);
  if (token()) signedIn();
})();
