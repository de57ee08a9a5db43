'use strict';
// 名录管理: lot owners publish their lots' sharing windows; admins also run hostels and beds,
// close U-stations, 歇脚屋 and teams, and read the audit trail. Everything goes through /graphql with the pasted token, which each
// subgraph checks (the page decides nothing itself: a refused change shows the graph's reason).
(function () {
  const TOKEN_KEY = 'citygraph-lists-token';
  const $ = (sel) => document.querySelector(sel);
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
    return node;
  };
  const CODES = { FORBIDDEN: '无权操作', CONFLICT: '与现有数据冲突', BAD_USER_INPUT: '输入有误', NOT_FOUND: '找不到', UNAUTHENTICATED: '请重新登录' };

  async function gql(query, variables = {}) {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors?.length) {
      const e = body.errors[0];
      const code = e.extensions?.code;
      const field = e.extensions?.field ? `（${e.extensions.field}）` : '';
      const err = new Error(`${CODES[code] ?? '出错'}${field}：${e.message}`);
      err.code = code;
      err.field = e.extensions?.field;
      throw err;
    }
    return body.data;
  }

  function claims(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch {
      return {};
    }
  }

  const say = (text) => { $('#status').textContent = text; };
  const result = (node, ok, text) => { node.className = `msg ${ok ? 'ok' : 'err'}`; node.textContent = text; };

  // ---- Lots: one editable table of windows per lot ----
  function windowRow(w = { days: [1, 2, 3, 4, 5], start: '18:30', end: '07:30', spaces: 1, mustLeaveBy: null }) {
    const tr = el('tr', { class: 'window' },
      el('td', {}, el('input', { class: 'days', name: 'days', value: w.days.join(','), 'aria-label': '星期' })),
      el('td', {}, el('input', { name: 'start', value: w.start, 'aria-label': '开始' })),
      el('td', {}, el('input', { name: 'end', value: w.end, 'aria-label': '结束' })),
      el('td', {}, el('input', { name: 'spaces', type: 'number', min: '1', value: String(w.spaces), 'aria-label': '共享车位' })),
      el('td', {}, el('input', { name: 'mustLeaveBy', value: w.mustLeaveBy ?? '', placeholder: '同结束', 'aria-label': '最晚离场' })),
      el('td', {}, el('button', { type: 'button', class: 'small danger', onclick: () => tr.remove() }, '删除')),
    );
    return tr;
  }

  function readWindows(table) {
    return [...table.querySelectorAll('tr.window')].map((tr) => {
      const v = (n) => tr.querySelector(`[name=${n}]`).value.trim();
      return {
        days: v('days').split(/[,，\s]+/).filter(Boolean).map(Number),
        start: v('start'),
        end: v('end'),
        spaces: Number(v('spaces')),
        mustLeaveBy: v('mustLeaveBy') || null,
      };
    });
  }

  async function loadLots() {
    const { ownedParkingLots } = await gql('query { ownedParkingLots { id name address totalSpaces freeSpacesNow windows { id days start end spaces mustLeaveBy } } }');
    const box = $('#lots');
    box.replaceChildren();
    for (const lot of ownedParkingLots) {
      const tbody = el('tbody', {}, ...lot.windows.map(windowRow));
      const table = el('table', { class: 'table' },
        el('thead', {}, el('tr', {}, el('th', {}, '星期'), el('th', {}, '开始'), el('th', {}, '结束'), el('th', {}, '共享车位'), el('th', {}, '最晚离场'), el('th', {}))),
        tbody);
      const msg = el('span', { class: 'msg' });
      const save = el('button', { type: 'button', class: 'save', onclick: async () => {
        try {
          const data = await gql('mutation($lotId: ID!, $windows: [ParkingSharingWindowInput!]!) { setParkingSharingWindows(lotId: $lotId, windows: $windows) { id windows { id } } }', { lotId: lot.id, windows: readWindows(table) });
          result(msg, true, `已保存：${data.setParkingSharingWindows.windows.length} 个时段`);
        } catch (err) {
          result(msg, false, err.message);
        }
      } }, '保存时段');
      // An admin sees every lot: each folds away, so the hostels below stay within reach.
      const fold = ownedParkingLots.length > 5;
      const title = el(fold ? 'summary' : 'h3', {}, `${lot.name}（${lot.id}）`, el('small', {}, ` 总车位 ${lot.totalSpaces}，当前空余 ${lot.freeSpacesNow}`));
      box.append(el(fold ? 'details' : 'div', { class: 'lot', dataset: { lot: lot.id } },
        title,
        table,
        el('button', { type: 'button', class: 'small add', onclick: () => tbody.append(windowRow()) }, '添加时段'), ' ', save, msg));
    }
    if (!ownedParkingLots.length) box.append(el('p', {}, '没有可管理的停车场。'));
  }

  // ---- Hostels and beds (admins) ----
  const GENDER = { MALE: '男', FEMALE: '女' };
  // Hostels whose bed list is unfolded stay unfolded when the list is drawn again.
  const unfolded = new Set();
  async function act(msg, mutation, variables, done, hostelId) {
    try {
      await gql(mutation, variables);
      await loadHostels();
      const fresh = document.querySelector(`[data-msg="${hostelId}"]`);
      if (fresh) result(fresh, true, done);
    } catch (err) {
      result(msg, false, err.message);
    }
  }

  async function loadHostels() {
    const { hostels } = await gql('query { hostels(includeClosed: true) { id name address lat lng phone services hongKongMacaoDesk operator { id } community { code } totalBeds freeBeds closed beds { id code room gender closed } } }');
    const box = $('#hostels');
    box.replaceChildren();
    for (const h of hostels) {
      const msg = el('span', { class: 'msg', dataset: { msg: h.id } });
      const beds = el('tbody', {}, ...h.beds.map((b) => {
        const bedMsg = el('span', { class: 'msg' });
        return el('tr', { dataset: { bed: b.id }, class: b.closed ? 'closed' : '' },
          el('td', {}, b.code), el('td', {}, b.room), el('td', {}, GENDER[b.gender] ?? '不限'), el('td', {}, b.closed ? '已停用' : '在用'),
          el('td', {}, b.closed
            ? el('button', { type: 'button', class: 'small reopen-bed', onclick: () => act(bedMsg, 'mutation($id: ID!) { reopenHostelBed(id: $id) { id } }', { id: b.id }, `床位 ${b.code} 已恢复`, h.id) }, '恢复')
            : el('button', { type: 'button', class: 'small danger close-bed', onclick: () => act(bedMsg, 'mutation($id: ID!) { closeHostelBed(id: $id) { id } }', { id: b.id }, `床位 ${b.code} 已停用`, h.id) }, '停用'), bedMsg));
      }));
      const code = el('input', { name: 'code', placeholder: '如 101-5', 'aria-label': '新床位编号' });
      const gender = el('select', { name: 'gender', 'aria-label': '性别' }, el('option', { value: '' }, '不限'), el('option', { value: 'MALE' }, '男'), el('option', { value: 'FEMALE' }, '女'));
      const details = el('details', { open: unfolded.has(h.id), ontoggle: () => (details.open ? unfolded.add(h.id) : unfolded.delete(h.id)) }, el('summary', {}, `床位（${h.beds.length}）`),
        el('table', { class: 'table' }, el('thead', {}, el('tr', {}, el('th', {}, '编号'), el('th', {}, '房间'), el('th', {}, '性别'), el('th', {}, '状态'), el('th', {}))), beds),
        el('p', {}, code, ' ', gender, ' ', el('button', { type: 'button', class: 'small add-bed', onclick: () =>
          act(msg, 'mutation($hostelId: ID!, $input: HostelBedInput!) { addHostelBed(hostelId: $hostelId, input: $input) { id } }', { hostelId: h.id, input: { code: code.value.trim(), gender: gender.value || null } }, '已添加床位', h.id) }, '添加床位')));
      const toggle = h.closed
        ? el('button', { type: 'button', class: 'small reopen-hostel', onclick: () => act(msg, 'mutation($id: ID!) { reopenHostel(id: $id) { id } }', { id: h.id }, '已重新开放', h.id) }, '重新开放')
        : el('button', { type: 'button', class: 'small danger close-hostel', onclick: () => act(msg, 'mutation($id: ID!) { closeHostel(id: $id) { id } }', { id: h.id }, '已关闭', h.id) }, '关闭驿站');
      box.append(el('div', { class: `hostel${h.closed ? ' closed' : ''}`, dataset: { hostel: h.id } },
        el('h3', {}, `${h.name}（${h.id}）`, el('small', {}, ` ${h.closed ? '已关闭' : '开放中'} · 床位 ${h.totalBeds} · 今晚空床 ${h.freeBeds}`)), toggle, ' ',
        el('button', { type: 'button', class: 'small edit-hostel', onclick: () => editHostel(h) }, '修改'), msg, details));
    }
    $('#hostels-section').hidden = false;
  }

  // ---- U-stations, 歇脚屋 and teams (admins) ----
  const AMENITIES = { CHARGING: '充电', DRINKING_WATER: '饮水', MICROWAVE: '微波炉', AIR_CONDITIONING: '空调', WIFI: 'WiFi', BOOKSHELF: '书架', REST_AREA: '休息区', FIRST_AID_KIT: '急救包' };
  async function volunteerAct(msg, mutation, variables) {
    try {
      await gql(mutation, variables);
      await loadStations();
    } catch (err) {
      result(msg, false, err.message);
    }
  }

  async function loadStations() {
    const { volunteerStations, volunteerTeams } = await gql(
      'query { volunteerStations(includeClosed: true) { id name kind address lat lng community { code } openingHours { weekdays opensAt closesAt onDuty { id } } open24h unattended isOpenNow closed amenities programmes { kind title schedule } } volunteerTeams { id name kind description community { code } memberCount closed } }',
    );
    $('#stations tbody').replaceChildren(...volunteerStations.map((st) => {
      const msg = el('span', { class: 'msg' });
      return el('tr', { dataset: { station: st.id }, class: st.closed ? 'closed' : '' },
        el('td', {}, `${st.name}（${st.id}）`),
        el('td', {}, st.kind === 'REST_HOUSE' ? '歇脚屋' : 'U站'),
        el('td', {}, st.open24h ? `24小时${st.unattended ? '无人值守' : ''}` : st.isOpenNow ? '开放中' : '未开放'),
        el('td', {}, st.amenities.map((a) => AMENITIES[a] ?? a).join('、')),
        el('td', {}, st.programmes.map((p) => `${p.kind === 'TRAINING' ? '培训' : '活动'}：${p.title}`).join('；')),
        el('td', {}, st.closed ? '已关闭' : '运营中'),
        el('td', {}, st.closed
          ? el('button', { type: 'button', class: 'small reopen-station', onclick: () =>
            volunteerAct(msg, 'mutation($id: ID!) { reopenVolunteerStation(id: $id) { id } }', { id: st.id }) }, '重新开放')
          : el('button', { type: 'button', class: 'small danger close-station', onclick: () =>
            volunteerAct(msg, 'mutation($id: ID!) { closeVolunteerStation(id: $id) { id } }', { id: st.id }) }, '关闭'), ' ',
          el('button', { type: 'button', class: 'small edit-station', onclick: () => editStation(st) }, '修改'), ' ',
          st.open24h ? '' : el('button', { type: 'button', class: 'small edit-hours', onclick: () => editHours(st) }, '排班'), msg));
    }));
    $('#teams tbody').replaceChildren(...volunteerTeams.map((t) => {
      const msg = el('span', { class: 'msg' });
      return el('tr', { dataset: { team: t.id } },
        el('td', {}, `${t.name}（${t.id}）`), el('td', {}, t.memberCount), el('td', {}, t.closed ? '已停止招募' : '招募中'),
        el('td', {}, t.closed ? '' : el('button', { type: 'button', class: 'small danger close-team', onclick: () =>
          volunteerAct(msg, 'mutation($id: ID!) { closeVolunteerTeam(id: $id) { id } }', { id: t.id }) }, '停止招募'), ' ',
          el('button', { type: 'button', class: 'small edit-team', onclick: () => editTeam(t) }, '修改'), msg));
    }));
    $('#stations-section').hidden = false;
  }

  // ---- Audit (admins) ----
  const ACTIONS = { SET_WINDOWS: '修改共享时段', CREATE_LOT: '新建停车场', CREATE_HOSTEL: '新建驿站', UPDATE_HOSTEL: '修改驿站', CLOSE_HOSTEL: '关闭驿站', REOPEN_HOSTEL: '重新开放驿站', ADD_BED: '添加床位', UPDATE_BED: '修改床位', CLOSE_BED: '停用床位', REOPEN_BED: '恢复床位', CREATE_STATION: '新建站点', UPDATE_STATION: '修改站点', SET_STATION_HOURS: '修改开放时间与排班', CLOSE_STATION: '关闭站点', REOPEN_STATION: '重新开放站点', CREATE_TEAM: '新建服务队', UPDATE_TEAM: '修改服务队', CLOSE_TEAM: '服务队停止招募' };
  async function loadAudit() {
    const entry = 'at actor actorRole action entityType entityId after';
    const data = await gql(`query { parkingAuditLog(limit: 50) { ${entry} } hostelAuditLog(limit: 50) { ${entry} } volunteerAuditLog(limit: 50) { ${entry} } }`);
    const rows = [...data.parkingAuditLog, ...data.hostelAuditLog, ...data.volunteerAuditLog].sort((a, b) => b.at.localeCompare(a.at));
    $('#audit tbody').replaceChildren(...rows.map((e) => el('tr', { dataset: { action: e.action, entity: e.entityId } },
      el('td', {}, new Date(e.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })),
      el('td', {}, `${e.actor}（${e.actorRole}）`),
      el('td', {}, ACTIONS[e.action] ?? e.action),
      el('td', {}, e.entityId),
      el('td', {}, (e.after ?? '').slice(0, 160)))));
    $('#audit-section').hidden = false;
  }

  // ---- Forms: new and changed stations, rosters, teams and hostels (admins) ----
  // One form per list, in "新建" mode until a row's 修改 fills it. The graph checks every value;
  // a refusal marks the input it names (extensions.field) besides showing its reason.
  const kit = window.CityAdmin;

  /** Marks the element whose data-field is the refused field, or the nearest one naming a prefix of it (hours.0 for hours.0.volunteerIds.2). */
  function markRefused(form, field) {
    for (const node of form.querySelectorAll('.refused')) {
      node.classList.remove('refused');
      node.removeAttribute('aria-invalid');
    }
    const parts = field ? String(field).split('.') : [];
    for (let n = parts.length; n > 0; n -= 1) {
      const node = form.querySelector(`[data-field="${CSS.escape(parts.slice(0, n).join('.'))}"]`);
      if (node) {
        node.classList.add('refused');
        node.setAttribute('aria-invalid', 'true');
        return;
      }
    }
  }

  async function submitForm(form, mutation, variables, done, reload) {
    const msg = form.querySelector('.msg');
    markRefused(form, null);
    try {
      await gql(mutation, variables);
    } catch (err) {
      markRefused(form, err.field);
      result(msg, false, err.message);
      return false;
    }
    resetForm(form);
    result(msg, true, done);
    await reload().catch((err) => say(err.message));
    return true;
  }

  const text = (form, name) => form.elements[name].value.trim();
  const optional = (form, name) => text(form, name) || undefined;
  // An empty coordinate is left out; anything else goes as typed, so the graph judges it.
  const number = (form, name) => (text(form, name) === '' ? undefined : Number(text(form, name)));
  const list = (value) => value.split(/[,，、\s]+/).filter(Boolean);

  // Inputs that only a creation sets (the update inputs have no such field).
  const FIXED = { 'station-form': ['id', 'kind', 'communityCode', 'managerDepartmentId'], 'team-form': ['id', 'kind', 'communityCode'], 'hostel-form': ['id', 'communityCode'] };
  const MODES = { 'station-form': '新建站点', 'team-form': '新建服务队', 'hostel-form': '新建驿站' };

  // Not form.id: a form's control named id shadows it.
  const formName = (form) => form.getAttribute('id');

  function resetForm(form) {
    if (formName(form) === 'hours-form') {
      form.hidden = true;
      return;
    }
    form.reset();
    delete form.dataset.editing;
    for (const name of FIXED[formName(form)]) form.elements[name].disabled = false;
    form.querySelector('.mode').textContent = MODES[formName(form)];
    form.querySelector('.reset').hidden = true;
    for (const fs of form.querySelectorAll('.create-only')) fs.hidden = false;
    markRefused(form, null);
  }

  function startEditing(form, id, title, values) {
    resetForm(form);
    form.dataset.editing = id;
    for (const name of FIXED[formName(form)]) form.elements[name].disabled = true;
    for (const fs of form.querySelectorAll('.create-only')) fs.hidden = true;
    for (const [name, value] of Object.entries(values)) {
      const input = form.elements[name];
      if (input instanceof RadioNodeList) for (const box of input) box.checked = value.includes(box.value);
      else if (input.type === 'checkbox') input.checked = Boolean(value);
      else input.value = value ?? '';
    }
    form.querySelector('.mode').textContent = title;
    form.querySelector('.reset').hidden = false;
    form.querySelector('.msg').textContent = '';
    form.scrollIntoView({ block: 'nearest' });
  }

  // Opening periods: one row each; the row's position is the index the graph names (hours.1.opensAt).
  function periodRow(p = { weekdays: [1, 2, 3, 4, 5], opensAt: '09:00', closesAt: '18:00', volunteerIds: [] }) {
    const cell = (name, value, label) => kit.el('td', {}, [kit.el('input', { name, value, 'aria-label': label, className: name === 'weekdays' ? 'days' : name === 'volunteerIds' ? 'wide' : '' })]);
    const remove = kit.el('button', { type: 'button', className: 'small danger', text: '删除' });
    const tr = kit.el('tr', { className: 'period' }, [
      cell('weekdays', p.weekdays.join(','), '星期'), cell('opensAt', p.opensAt, '开门'), cell('closesAt', p.closesAt, '关门'),
      cell('volunteerIds', p.volunteerIds.join(','), '值班志愿者'), kit.el('td', {}, [remove]),
    ]);
    remove.addEventListener('click', () => tr.remove());
    return tr;
  }

  function readPeriods(tbody, prefix) {
    return [...tbody.querySelectorAll('tr.period')].map((tr, i) => {
      tr.dataset.field = `${prefix}.${i}`;
      const v = (name) => {
        const input = tr.querySelector(`[name=${name}]`);
        input.dataset.field = `${prefix}.${i}.${name}`;
        return input.value.trim();
      };
      return { weekdays: list(v('weekdays')).map(Number), opensAt: v('opensAt'), closesAt: v('closesAt'), volunteerIds: list(v('volunteerIds')) };
    });
  }

  for (const form of document.querySelectorAll('.edit-form')) {
    const tbody = form.querySelector('.periods tbody');
    form.querySelector('.add-period')?.addEventListener('click', () => tbody.append(periodRow()));
    form.querySelector('.reset')?.addEventListener('click', () => resetForm(form));
  }

  // Stations and 歇脚屋. Opening hours of an existing station go through the roster form.
  const stationForm = $('#station-form');
  function editStation(st) {
    startEditing(stationForm, st.id, `修改站点 ${st.name}（${st.id}）`, {
      kind: st.kind, name: st.name, communityCode: st.community?.code, address: st.address, lat: st.lat, lng: st.lng,
      amenities: st.amenities, open24h: st.open24h, unattended: st.unattended,
    });
  }
  stationForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = stationForm;
    const details = {
      name: text(f, 'name'), address: text(f, 'address'), lat: number(f, 'lat'), lng: number(f, 'lng'),
      amenities: [...f.elements.amenities].filter((b) => b.checked).map((b) => b.value),
      open24h: f.elements.open24h.checked, unattended: f.elements.unattended.checked,
    };
    const id = f.dataset.editing;
    if (id) {
      submitForm(f, 'mutation($id: ID!, $input: UpdateVolunteerStationInput!) { updateVolunteerStation(id: $id, input: $input) { id } }', { id, input: details }, `已保存站点 ${id}`, loadStations);
      return;
    }
    const input = {
      ...details, id: text(f, 'id'), kind: f.elements.kind.value, communityCode: text(f, 'communityCode'), managerDepartmentId: text(f, 'managerDepartmentId'),
      openingHours: details.open24h ? undefined : readPeriods(f.querySelector('.periods tbody'), 'input.openingHours'),
    };
    submitForm(f, 'mutation($input: CreateVolunteerStationInput!) { createVolunteerStation(input: $input) { id } }', { input }, `已新建站点 ${input.id}`, loadStations)
      .then((ok) => ok && f.querySelector('.periods tbody').replaceChildren());
  });

  // Duty rosters: the whole list of periods is replaced at once, as setVolunteerStationHours does.
  const hoursForm = $('#hours-form');
  function editHours(st) {
    hoursForm.dataset.station = st.id;
    hoursForm.querySelector('.station-name').textContent = `${st.name}（${st.id}）`;
    hoursForm.querySelector('.periods tbody').replaceChildren(...st.openingHours.map((p) =>
      periodRow({ ...p, volunteerIds: p.onDuty.filter(Boolean).map((r) => r.id) })));
    hoursForm.querySelector('.msg').textContent = '';
    markRefused(hoursForm, null);
    hoursForm.hidden = false;
    hoursForm.scrollIntoView({ block: 'nearest' });
  }
  hoursForm.querySelector('.cancel').addEventListener('click', () => resetForm(hoursForm));
  hoursForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const id = hoursForm.dataset.station;
    submitForm(hoursForm, 'mutation($id: ID!, $hours: [VolunteerStationHoursInput!]!) { setVolunteerStationHours(id: $id, hours: $hours) { id } }',
      { id, hours: readPeriods(hoursForm.querySelector('.periods tbody'), 'hours') }, '', loadStations)
      .then((ok) => ok && result($('#station-form .msg'), true, `已保存 ${id} 的开放时间与排班`));
  });

  // Teams.
  const teamForm = $('#team-form');
  function editTeam(t) {
    startEditing(teamForm, t.id, `修改服务队 ${t.name}（${t.id}）`, { kind: t.kind, name: t.name, description: t.description, communityCode: t.community?.code });
  }
  teamForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = teamForm;
    const details = { name: text(f, 'name'), description: optional(f, 'description') };
    const id = f.dataset.editing;
    if (id) {
      submitForm(f, 'mutation($id: ID!, $input: UpdateVolunteerTeamInput!) { updateVolunteerTeam(id: $id, input: $input) { id } }', { id, input: details }, `已保存服务队 ${id}`, loadStations);
      return;
    }
    const input = { ...details, id: text(f, 'id'), kind: f.elements.kind.value, communityCode: optional(f, 'communityCode') };
    submitForm(f, 'mutation($input: CreateVolunteerTeamInput!) { createVolunteerTeam(input: $input) { id } }', { input }, `已新建服务队 ${input.id}`, loadStations);
  });

  // Hostels (their beds are added in each hostel's bed list).
  const hostelForm = $('#hostel-form');
  function editHostel(h) {
    startEditing(hostelForm, h.id, `修改驿站 ${h.name}（${h.id}）`, {
      name: h.name, address: h.address, communityCode: h.community?.code, lat: h.lat, lng: h.lng, phone: h.phone,
      services: h.services.join('，'), operatorId: h.operator?.id, hongKongMacaoDesk: h.hongKongMacaoDesk,
    });
  }
  hostelForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = hostelForm;
    const details = {
      name: text(f, 'name'), address: text(f, 'address'), lat: number(f, 'lat'), lng: number(f, 'lng'), phone: optional(f, 'phone'),
      services: text(f, 'services').split(/[,，、]/).map((x) => x.trim()).filter(Boolean), hongKongMacaoDesk: f.elements.hongKongMacaoDesk.checked, operatorId: optional(f, 'operatorId'),
    };
    const id = f.dataset.editing;
    if (id) {
      submitForm(f, 'mutation($id: ID!, $input: UpdateHostelInput!) { updateHostel(id: $id, input: $input) { id } }', { id, input: details }, `已保存驿站 ${id}`, loadHostels);
      return;
    }
    const input = { ...details, id: text(f, 'id'), communityCode: text(f, 'communityCode') };
    submitForm(f, 'mutation($input: CreateHostelInput!) { createHostel(input: $input) { id } }', { input }, `已新建驿站 ${input.id}`, loadHostels);
  });

  async function start() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return;
    const c = claims(token);
    $('#signin').hidden = true;
    $('#who').hidden = false;
    $('#who-name').textContent = c.role === 'lot_owner' ? `停车场业主 ${c.sub}` : c.role === 'admin' ? `管理员 ${c.sub}` : c.sub;
    $('#main').hidden = false;
    say('加载中…');
    try {
      await loadLots();
      if (c.role === 'admin') await Promise.all([loadHostels(), loadStations(), loadAudit()]);
      say('已加载。');
      document.body.dataset.loaded = 'true';
    } catch (err) {
      say(err.message);
    }
  }

  $('#signin').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
    start();
  });
  $('#signout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
  $('#audit-reload').addEventListener('click', () => loadAudit().catch((err) => say(err.message)));
  start();
})();
