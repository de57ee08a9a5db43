/* What the department board and the overview share: queries with a token, one graphql-ws client, figures that flash when they change. */
(function () {
  'use strict';
  var endpoint = location.origin + '/graphql';

  function headers(token) {
    var h = { 'content-type': 'application/json' };
    if (token) h.authorization = 'Bearer ' + token;
    return h;
  }

  function gql(query, variables, token) {
    return fetch(endpoint, { method: 'POST', headers: headers(token), body: JSON.stringify({ query: query, variables: variables || {} }) })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
        return body.data;
      });
  }

  /** One graphql-ws connection for the page; the token (if any) goes in connection_init. */
  function liveClient(token, live) {
    return graphqlWs.createClient({
      url: endpoint.replace(/^http/, 'ws'),
      retryAttempts: Infinity,
      shouldRetry: function () { return true; },
      connectionParams: token ? { authorization: 'Bearer ' + token } : {},
      on: {
        connected: function () { live.dataset.state = 'open'; live.textContent = '● 实时'; },
        closed: function () { live.dataset.state = 'closed'; live.textContent = '● 已断开，重连中'; },
      },
    });
  }

  function subscribe(client, query, variables, onData) {
    return client.subscribe({ query: query, variables: variables }, {
      next: function (r) { if (r.data) { onData(r.data); stamp(); } },
      error: function (e) { console.warn('subscription error', e); },
      complete: function () {},
    });
  }

  function flash(el, text) {
    if (el.textContent === text) return;
    el.textContent = text;
    el.classList.add('changed');
    setTimeout(function () { el.classList.remove('changed'); }, 800);
  }

  function setText(id, value) { flash(document.getElementById(id), String(value)); }

  function pct(x) { return (Math.round(x * 1000) / 10).toFixed(1) + '%'; }

  function stamp() {
    document.getElementById('updated').textContent = '更新于 ' + new Date().toLocaleTimeString('zh-CN', { hour12: false });
  }

  function time(iso) { return new Date(iso).toLocaleString('zh-CN', { hour12: false }); }

  /**
   * Whether the API schema has this subscription field (a feature another part of the graph may
   * not have yet): true or false, or null when the gateway answers no introspection (production).
   */

  window.CityBoards = { gql: gql, liveClient: liveClient, subscribe: subscribe, flash: flash, setText: setText, pct: pct, stamp: stamp, time: time };
})();
