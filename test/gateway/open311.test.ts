import { freePort } from '../../shared/dev/ferret';
import { ROOT_DIR } from '../../shared/platform/schema';
import { ManagedProcess } from '../faults/harness';
import { startGraph, type RunningGraph } from '../support/graph';
import { gatewayOptions } from '../support/gateway';
import path from 'node:path';

/*
 * Open311 GeoReport v2 on the gateway, over real HTTP: services, requests (GET with the
 * standard filters, POST with an app's key), one request, JSON and XML, the spec's errors for
 * hostile input, no personal data anywhere; and the same door on a production gateway process.
 */

const SECRETS = { jwtSecret: 'open311-test-jwt-secret-at-least-32-characters', internalSecret: 'open311-test-internal-secret-at-least-32-chars' };
const HUANGBEI = '440303001001';
const SHUIBEI = { code: '440303003001', lat: 22.569, lng: 114.1268 };
const STREET_LIGHT = 'C01-01';
const CONTACT = { email: 'li.xiaoming@example.com', phone: '13812345678', first_name: '晓明', last_name: '李' };

let graph: RunningGraph;
let base: string;
let apiKey: string;
let appId: string;

const admin = () => graph.token({ role: 'admin', subject: 'admin-ops' });
const ISSUE = 'mutation($name: String!) { issueOpen311ApiKey(appName: $name) { apiKey app { id name keyPrefix issuedBy revokedAt } } }';

interface Answer {
  status: number;
  type: string;
  text: string;
  json: any;
}

async function call(origin: string, rel: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${origin}/open311/v2/${rel}`, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
}

const form = (fields: Record<string, string | number>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
});

/** A spec error list: one entry with this HTTP code, its description matching. */
function expectSpecError(answer: Answer, code: number, description: RegExp) {
  expect(answer.status).toBe(code);
  expect(answer.json).toEqual([{ code, description: expect.stringMatching(description) }]);
}

beforeAll(async () => {
  graph = await startGraph({ secrets: SECRETS });
  base = graph.gatewayUrl.replace(/\/graphql$/, '');
  const issued = await graph.query(ISSUE, { name: '深圳街坊通' }, admin());
  expect(issued.errors).toBeUndefined();
  apiKey = issued.data.issueOpen311ApiKey.apiKey;
  appId = issued.data.issueOpen311ApiKey.app.id;
}, 120_000);

afterAll(() => graph?.stop());

describe('API keys', () => {
  it('are issued by admins only, shown once, stored hashed', async () => {
    expect(apiKey).toMatch(/^cg311_[A-Za-z0-9_-]{32}$/);
    const resident = graph.token({ role: 'resident', subject: 'R-0002', residentId: 'R-0002' });
    const refused = await graph.query(ISSUE, { name: '别的应用' }, resident);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await graph.query('{ open311Apps { id name keyPrefix issuedBy revokedAt } }', {}, admin());
    expect(list.data.open311Apps).toEqual([{ id: appId, name: '深圳街坊通', keyPrefix: apiKey.slice(0, 10), issuedBy: 'admin-ops', revokedAt: null }]);
    const stored = await graph.subgraphs.requests.db.conn.collection('open311_apps').findOne({ _id: appId as never });
    expect(JSON.stringify(stored)).not.toContain(apiKey);
    expect(stored!.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('services', () => {
  it('lists the responsibility list as GeoReport services, in JSON and XML', async () => {
    const json = await call(base, 'services.json');
    expect(json.status).toBe(200);
    expect(json.type).toMatch(/application\/json/);
    const light = json.json.find((s: { service_code: string }) => s.service_code === STREET_LIGHT);
    expect(light).toEqual({
      service_code: STREET_LIGHT,
      service_name: '路灯故障',
      description: expect.stringContaining('城市管理部门'),
      metadata: false,
      type: 'realtime',
      keywords: '路灯,灯不亮,照明',
      group: '城市管理',
    });
    expect(json.json.length).toBeGreaterThan(50);
    const xml = await call(base, 'services.xml');
    expect(xml.type).toMatch(/text\/xml/);
    expect(xml.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>/);
    expect(xml.text).toContain(`<service_code>${STREET_LIGHT}</service_code><service_name>路灯故障</service_name>`);
  });
});

describe('filing and reading requests', () => {
  let first: string;

  it('an app files with its key: the app is the submitter, contact fields are kept and never returned', async () => {
    const posted = await call(base, 'requests.json', form({ api_key: apiKey, service_code: STREET_LIGHT, description: '黄贝岭社区东门两盏路灯不亮\n晚上很黑，请尽快维修。', address_id: HUANGBEI, address_string: '黄贝岭村东门', ...CONTACT }));
    expect(posted.status).toBe(201);
    expect(posted.json).toEqual([{ service_request_id: expect.stringMatching(/^SZ\d{8}-\d{6}$/), service_notice: null, account_id: null }]);
    first = posted.json[0].service_request_id;

    const stored = await graph.subgraphs.requests.db.conn.collection('requests').findOne({ number: first });
    expect(stored).toMatchObject({ channel: 'OPEN311', submitterId: `open311:${appId}`, residentId: null, open311AppName: '深圳街坊通', communityCode: HUANGBEI, itemCode: STREET_LIGHT, status: 'DISPATCHED' });
    expect(stored!.timeline[0]).toMatchObject({ action: 'SUBMITTED', actor: `open311:${appId}`, role: 'open311_app' });
    const contact = await graph.subgraphs.requests.db.conn.collection('open311_contacts').findOne({ _id: String(stored!._id) as never });
    expect(contact).toMatchObject({ appId, email: CONTACT.email, phone: CONTACT.phone, firstName: '晓明', lastName: '李' });

    const one = await call(base, `requests/${first}.json`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual([
      {
        service_request_id: first,
        status: 'open',
        status_notes: '已派单至责任部门',
        service_name: '路灯故障',
        service_code: STREET_LIGHT,
        description: '黄贝岭社区东门两盏路灯不亮',
        agency_responsible: expect.any(String),
        service_notice: null,
        requested_datetime: expect.stringMatching(/Z$/),
        updated_datetime: expect.stringMatching(/Z$/),
        expected_datetime: expect.stringMatching(/Z$/),
        address: '黄贝岭社区',
        address_id: HUANGBEI,
        zipcode: null,
        lat: 22.55,
        long: 114.144,
        media_url: null,
      },
    ]);
    for (const secret of [CONTACT.email, CONTACT.phone, '晓明', '黄贝岭村东门', '晚上很黑']) expect(one.text).not.toContain(secret);

    // Through the graph: the app's name is on the request, no resident is.
    const viaGraph = await graph.query('query($id: ID!) { request(id: $id) { channel filedByApp submitter { id } } }', { id: String(stored!._id) }, admin());
    expect(viaGraph.data.request).toEqual({ channel: 'OPEN311', filedByApp: '深圳街坊通', submitter: null });
  });

  it('the same report again is linked to the first, and the notice says which one', async () => {
    const again = await call(base, 'requests.json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: apiKey, service_code: STREET_LIGHT, description: '黄贝岭社区东门两盏路灯不亮\n晚上很黑，请尽快维修。', address_id: HUANGBEI }),
    });
    expect(again.status).toBe(201);
    expect(again.json[0].service_notice).toContain(first);
    const one = await call(base, `requests/${again.json[0].service_request_id}.xml`);
    expect(one.type).toMatch(/text\/xml/);
    expect(one.text).toContain('<status>closed</status>');
    expect(one.text).toContain(`${first}`);
  });

  it('a point in the city files to the nearest community', async () => {
    const posted = await call(base, 'requests.json', form({ api_key: apiKey, service_code: 'C01-03', description: '水贝社区垃圾站满溢，两天没有清运。', lat: SHUIBEI.lat + 0.001, long: SHUIBEI.lng }));
    expect(posted.status).toBe(201);
    const stored = await graph.subgraphs.requests.db.conn.collection('requests').findOne({ number: posted.json[0].service_request_id });
    expect(stored!.communityCode).toBe(SHUIBEI.code);
  });

  it('requests.json filters by service_code, status and dates, newest first', async () => {
    const all = await call(base, 'requests.json');
    expect(all.status).toBe(200);
    expect(all.json.length).toBeGreaterThan(3);
    const times = all.json.map((r: { requested_datetime: string }) => r.requested_datetime);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.json.every((r: Record<string, unknown>) => !('email' in r) && !('phone' in r))).toBe(true);

    const lights = await call(base, `requests.json?service_code=${STREET_LIGHT}&status=open`);
    expect(lights.json.length).toBeGreaterThan(0);
    expect(lights.json.every((r: { service_code: string; status: string }) => r.service_code === STREET_LIGHT && r.status === 'open')).toBe(true);
    expect(lights.json.map((r: { service_request_id: string }) => r.service_request_id)).toContain(first);
    const closed = await call(base, `requests.json?service_code=${STREET_LIGHT}&status=closed`);
    expect(closed.json.every((r: { status: string }) => r.status === 'closed')).toBe(true);
    expect(closed.json.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(first);

    const future = await call(base, `requests.json?start_date=${encodeURIComponent('2099-01-01T00:00:00+08:00')}`);
    expect(future).toMatchObject({ status: 200, json: [] });
    const byId = await call(base, `requests.json?service_request_id=${first}`);
    expect(byId.json.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([first]);
    const unknownService = await call(base, 'requests.json?service_code=C99-99');
    expect(unknownService).toMatchObject({ status: 200, json: [] });
  });
});

describe('hostile input gets the spec error format and changes nothing', () => {
  const count = () => graph.subgraphs.requests.db.conn.collection('requests').countDocuments({ channel: 'OPEN311' });
  let before: number;
  beforeAll(async () => {
    before = await count();
  });
  afterAll(async () => {
    expect(await count()).toBe(before);
  });

  it('bad dates, spans over 90 days, bad status, bad codes', async () => {
    expectSpecError(await call(base, 'requests.json?start_date=yesterday'), 400, /^start_date: .*W3C date-time/);
    expectSpecError(await call(base, 'requests.json?end_date=2026-02-30T00:00:00Z'), 400, /^end_date:/);
    expectSpecError(await call(base, `requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`), 400, /may not exceed 90 days/);
    expectSpecError(await call(base, `requests.json?start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z`), 400, /end_date: is before start_date/);
    expectSpecError(await call(base, 'requests.json?status=pending'), 400, /^status:/);
    expectSpecError(await call(base, `requests.json?service_code=${encodeURIComponent('{"$ne":1}')}`), 400, /^service_code:/);
    expectSpecError(await call(base, 'requests/NO-SUCH-1.json'), 404, /no request NO-SUCH-1/);
    expectSpecError(await call(base, `requests/${encodeURIComponent('a b')}.json`), 400, /service_request_id/);
    expectSpecError(await call(base, 'tokens.json'), 404, /Not a GeoReport v2 endpoint/);
    expectSpecError(await call(base, 'services'), 404, /\.json or \.xml/);
    const del = await call(base, 'services.json', { method: 'DELETE' });
    expectSpecError(del, 405, /Use GET/);
    const xml = await call(base, 'requests.xml?start_date=nope');
    expect(xml.status).toBe(400);
    expect(xml.text).toMatch(/<errors><error><code>400<\/code><description>start_date: .*<\/description><\/error><\/errors>$/);
  });

  it('POSTs without a valid key are refused 403; unknown services and bad fields 400', async () => {
    const ok = { service_code: STREET_LIGHT, description: '路灯不亮', address_id: HUANGBEI };
    expectSpecError(await call(base, 'requests.json', form(ok)), 403, /api_key: is required/);
    expectSpecError(await call(base, 'requests.json', form({ ...ok, api_key: 'cg311_not-a-real-key-0000000000000000' })), 403, /api_key is not valid/);
    expectSpecError(await call(base, 'requests.json', form({ ...ok, api_key: apiKey, service_code: 'C99-99' })), 400, /^service_code: is not a service/);
    expectSpecError(await call(base, 'requests.json', form({ ...ok, api_key: apiKey, service_code: '' })), 400, /^service_code: is required/);
    expectSpecError(await call(base, 'requests.json', form({ ...ok, api_key: apiKey, address_id: '440303999999' })), 400, /^address_id: is not a community/);
    expectSpecError(await call(base, 'requests.json', form({ api_key: apiKey, service_code: STREET_LIGHT, description: '路灯不亮' })), 400, /^address_id: a location is required/);
    expectSpecError(await call(base, 'requests.json', form({ ...ok, api_key: apiKey, address_id: '', lat: 'north', long: 114 })), 400, /^lat: "north" is not a number/);
    expectSpecError(await call(base, 'requests.json', form({ ...ok, api_key: apiKey, address_id: '', lat: 40.0, long: 116.4 })), 400, /^lat:/);
    expectSpecError(await call(base, 'requests.json', form({ ...ok, api_key: apiKey, description: 'x\u001b[31m' })), 400, /^description:/);
    expectSpecError(await call(base, 'requests.json', form({ ...ok, api_key: apiKey, email: 'not-an-email' })), 400, /^email:/);
    expectSpecError(await call(base, 'requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"api_key":' }), 400, /not valid JSON/);
    expectSpecError(await call(base, 'requests.json', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }), 400, /x-www-form-urlencoded/);
  });

  it('an oversize body is refused 413 in the spec format, unread', async () => {
    const big = await call(base, 'requests.json', form({ api_key: apiKey, service_code: STREET_LIGHT, address_id: HUANGBEI, description: '灯'.repeat(40_000) }));
    expectSpecError(big, 413, /larger than 65536 bytes/);
  });

  it('a revoked key is refused', async () => {
    const issued = await graph.query(ISSUE, { name: '临时应用' }, admin());
    const { apiKey: key, app } = issued.data.issueOpen311ApiKey;
    const revoked = await graph.query('mutation($id: ID!) { revokeOpen311ApiKey(id: $id) { id revokedAt } }', { id: app.id }, admin());
    expect(revoked.data.revokeOpen311ApiKey.revokedAt).toEqual(expect.any(String));
    expectSpecError(await call(base, 'requests.json', form({ api_key: key, service_code: STREET_LIGHT, description: '路灯不亮', address_id: HUANGBEI })), 403, /api_key is not valid/);
  });
});

describe('the pipeline applies to Open311 as to every door', () => {
  it('past RATE_LIMIT_MAX an app is answered 429 in the spec format, GETs and POSTs alike', async () => {
    const { server, url } = await graph.startGateway({ security: { ...gatewayOptions({}).security, rateLimitMax: 3 } });
    try {
      const origin = url.replace(/\/graphql$/, '');
      for (let i = 0; i < 3; i += 1) expect((await call(origin, 'services.json')).status).toBe(200);
      const limited = await call(origin, 'services.json');
      expectSpecError(limited, 429, /./);
      expectSpecError(await call(origin, 'requests.json', form({ api_key: apiKey, service_code: STREET_LIGHT, description: '路灯不亮', address_id: HUANGBEI })), 429, /./);
    } finally {
      await server.stop();
    }
  });
});

describe('on a production gateway process (NODE_ENV=production)', () => {
  let prod: ManagedProcess;

  beforeAll(async () => {
    prod = new ManagedProcess('gateway', 'gateway/index.ts', await freePort(), {
      NODE_ENV: 'production',
      JWT_SECRET: SECRETS.jwtSecret,
      INTERNAL_SECRET: SECRETS.internalSecret,
      SUPERGRAPH_PATH: path.join(ROOT_DIR, 'schema', 'supergraph.graphql'),
      ...Object.fromEntries(Object.entries(graph.subgraphs).map(([name, s]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, s.url])),
      SCHEMA_REGISTRY: 'off',
      MONGODB_URI: '',
      REDIS_URL: '',
      DASHBOARD: 'off',
      RESPONSE_CACHE: 'off',
      GATEWAY_WORKERS: '1',
      APOLLO_TELEMETRY_DISABLED: '1',
    });
    prod.env.PORT = String(prod.port);
    await prod.start();
  }, 90_000);

  afterAll(() => prod?.terminate());

  it('serves the same door: services, a filed request, its public view, and the spec errors', async () => {
    const services = await call(prod.url, 'services.json');
    expect(services.status).toBe(200);
    expect(services.json.some((s: { service_code: string }) => s.service_code === STREET_LIGHT)).toBe(true);

    const posted = await call(prod.url, 'requests.json', form({ api_key: apiKey, service_code: 'C01-02', description: '黄贝岭社区菜市场门口占道摆摊', address_id: HUANGBEI, ...CONTACT }));
    expect(posted.status).toBe(201);
    const one = await call(prod.url, `requests/${posted.json[0].service_request_id}.json`);
    expect(one.json[0]).toMatchObject({ service_code: 'C01-02', status: 'open', address_id: HUANGBEI });
    for (const secret of [CONTACT.email, CONTACT.phone]) expect(one.text).not.toContain(secret);

    expectSpecError(await call(prod.url, 'requests.json', form({ api_key: 'cg311_wrong-wrong-wrong-wrong-wrong-00', service_code: STREET_LIGHT, description: '路灯不亮', address_id: HUANGBEI })), 403, /api_key is not valid/);
    expectSpecError(await call(prod.url, 'requests.json', form({ api_key: apiKey, service_code: 'C99-99', description: '路灯不亮', address_id: HUANGBEI })), 400, /^service_code:/);
    expectSpecError(await call(prod.url, 'requests.json?start_date=2026-13-01T00:00:00Z'), 400, /^start_date:/);
    const big = await call(prod.url, 'requests.json', form({ api_key: apiKey, service_code: STREET_LIGHT, address_id: HUANGBEI, description: '灯'.repeat(40_000) }));
    expectSpecError(big, 413, /larger than/);
  });
});
