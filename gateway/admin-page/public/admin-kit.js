/**
 * What every page of the admin site shares: element helpers, the status line, the admin token kept
 * in this tab (sessionStorage: it goes when the tab goes), and GraphQL calls that carry it. Loaded
 * before the page's own script; the pages differ only in what they show and change.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'citygraph-admin-token';

  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function status(message, kind) {
    var s = $('status');
    s.className = 'status' + (kind ? ' ' + kind : '');
    s.textContent = message;
  }

  function time(iso) { return new Date(iso).toLocaleString('zh-CN', { hour12: false }); }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }
  function setToken(value) { sessionStorage.setItem(TOKEN_KEY, value); }
  function clearToken() { sessionStorage.removeItem(TOKEN_KEY); }

  /**
   * A GraphQL client of `endpoint` that sends the tab's token. A refused token (HTTP 401/403,
   * UNAUTHENTICATED or FORBIDDEN) calls `options.onRefused` so the page signs out; an error's text
   * names the field the subgraph named, and `err.code` is its code.
   */
  function client(endpoint, options) {
    var opts = options || {};
    return function gql(query, variables) {
      var headers = { 'content-type': 'application/json', authorization: 'Bearer ' + token() };
      if (opts.clientName) headers['apollographql-client-name'] = opts.clientName;
      return fetch(endpoint, { method: 'POST', headers: headers, body: JSON.stringify({ query: query, variables: variables || {} }) }).then(function (r) {
        return r.json().then(function (body) {
          var errors = body.errors || [];
          var code = errors.length ? (errors[0].extensions || {}).code : undefined;
          var refused = r.status === 401 || r.status === 403 || code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
          if (refused && opts.onRefused) opts.onRefused();
          if (!errors.length && !refused) return body.data;
          var err = new Error(errors.length
            ? errors.map(function (e) { var field = (e.extensions || {}).field; return (field ? '字段 ' + field + '：' : '') + e.message; }).join('; ')
            : '令牌无效 invalid token');
          err.code = code;
          throw err;
        });
      });
    };
  }

  window.CityAdmin = { $: $, el: el, status: status, time: time, token: token, setToken: setToken, clearToken: clearToken, client: client };
})();
