/*
 * CityGraph's GraphQL IDE: GraphiQL (UMD build, window.GraphiQL) on React 18 (window.React,
 * window.ReactDOM), without JSX so no bundler is needed. Queries and mutations go over HTTP to
 * /graphql, subscriptions over graphql-ws to ws(s)://…/graphql; the headers editor's JSON is sent
 * as HTTP headers and, for subscriptions, as the connection_init payload the gateway reads the
 * token from ({ "authorization": "Bearer …" }).
 */
(function () {
  'use strict';
  var h = React.createElement;
  var origin = location.origin;
  var TOKEN_HEADER = '{ "authorization": "Bearer <token>" }';

  var network = GraphiQL.createFetcher({
    url: origin + '/graphql',
    subscriptionUrl: origin.replace(/^http/, 'ws') + '/graphql',
  });

  var fetcher = network;

  function code(text) { return h('code', null, text); }

  function tokenHint() {
    return h('p', { className: 'cg-hint' },
      '需要身份时 (Token): ', code('npm run -s token -- resident'),
      '（或 staff LH-URBAN、community 440303003001、admin），再在 Headers 里填 ', code(TOKEN_HEADER), '。 ',
      'Run ', code('npm run -s token -- resident'), ' and put ', code(TOKEN_HEADER), ' in Headers.');
  }

  function links() {
    return h('span', { className: 'cg-links' },
      h('a', { href: '/dashboard' }, '社区看板 Dashboard'),
      h('a', { href: '/admin' }, '管理 Admin'));
  }

  /** A side panel: what the graph is, how to get a token, the example operations. */
  function cityPlugin(examples) {
    return {
      title: 'CityGraph',
      icon: function () { return h('span', { className: 'cg-icon', 'aria-hidden': 'true' }, '城'); },
      content: function () {
        return h('div', { className: 'cg-panel' },
          h('div', { className: 'graphiql-doc-explorer-title' }, 'CityGraph'),
          h('p', null, '深圳基层公共服务的一张图：民意速办、错峰共享停车、青年驿站、志愿者之城。',
            h('br'), h('small', null, "One graph over Shenzhen's grassroots public services.")),
          h('h3', null, '身份 ', h('small', null, 'Tokens')),
          tokenHint(),
          h('h3', null, '示例操作 ', h('small', null, 'Example operations (one tab each)')),
          h('ul', null, examples.map(function (x) {
            return h('li', { key: x.name }, x.name, h('span', { className: 'cg-kind' }, x.kind));
          })),
          h('h3', null, '页面 ', h('small', null, 'Pages')),
          h('ul', null,
            h('li', null, h('a', { href: '/dashboard' }, '社区实时看板 Community dashboard')),
            h('li', null, h('a', { href: '/admin' }, 'Schema 注册表管理 Registry admin'))));
      },
    };
  }

  function render(examples) {
    var plugin = cityPlugin(examples);
    var tabs = examples.map(function (x) { return { query: x.query, variables: x.variables, headers: '{}' }; });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      h(GraphiQL, {
        fetcher: fetcher,
        defaultTabs: tabs.length ? tabs : undefined,
        defaultHeaders: '{}',
        defaultEditorToolsVisibility: 'headers',
        isHeadersEditorEnabled: true,
        plugins: [plugin],
        visiblePlugin: 'CityGraph',
        // Its own namespace, so tabs another GraphiQL left on this origin do not hide the examples.
        storage: GraphiQL.createLocalStorage({ namespace: 'citygraph-ide' }),
      },
      h(GraphiQL.Logo, null, h('span', { className: 'cg-brand' }, 'CityGraph'), links()),
      h(GraphiQL.Footer, null, tokenHint())));
  }

  fetch(origin + '/ide/examples.json')
    .then(function (r) { return r.ok ? r.json() : { examples: [] }; })
    .catch(function () { return { examples: [] }; })
    .then(function (body) { render(body.examples || []); });
})();
