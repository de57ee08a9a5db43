import { loadGatewayOptions } from '../../gateway/config';
import { drawOverrideLabels, percentOf } from '../../gateway/plan/override';
import { postGraphQL, startFixture, startGateway, type FederationFixture } from './harness';
import { fed } from './sdl';

/*
 * Progressive override (gateway/plan/override.ts) beyond the conformance cases: labels enabled by
 * the gateway's configuration (`OVERRIDE_LABELS`), and a `percent(50)` label drawn per request,
 * over real HTTP against CityGraph's gateway in plain mode.
 */

const items = [{ id: 'i1' }, { id: 'i2' }];

const progressive: FederationFixture = {
  name: 'override-progressive',
  subgraphs: [
    {
      name: 'old',
      typeDefs: `${fed('@key')}
        type Item @key(fields: "id") { id: ID! half: String! beta: String! gamma: String! }
        type Query { items: [Item!]! }`,
      resolvers: {
        Query: { items: () => items.map((i) => ({ ...i, half: 'old', beta: 'old', gamma: 'old' })) },
        Item: { __resolveReference: (ref: { id: string }) => ({ ...ref, half: 'old', beta: 'old', gamma: 'old' }) },
      },
    },
    {
      name: 'new',
      typeDefs: `${fed('@key', '@override')}
        type Item @key(fields: "id") {
          id: ID!
          half: String! @override(from: "old", label: "percent(50)")
          beta: String! @override(from: "old", label: "beta")
          gamma: String! @override(from: "old", label: "gamma")
        }`,
      resolvers: { Item: { __resolveReference: (ref: { id: string }) => ({ ...ref, half: 'new', beta: 'new', gamma: 'new' }) } },
    },
  ],
  cases: [],
};

describe('override labels, drawn per request', () => {
  it('reads percentages as composition accepts them', () => {
    expect(['percent(0)', 'percent(100)', 'percent(12.5)', 'percent(0.00000001)', 'beta', 'percent(101)', 'percent(1.123456789)'].map(percentOf)).toEqual([
      0,
      100,
      12.5,
      0.00000001,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('switches a percent label on for its share of draws, and listed labels always', () => {
    const labels = ['percent(0)', 'percent(100)', 'percent(25)', 'beta', 'gamma'];
    const draw = (r: number) => drawOverrideLabels(labels, new Set(['beta']), () => r);
    expect(draw(0).conditions).toEqual(new Map([['percent(0)', false], ['percent(100)', true], ['percent(25)', true], ['beta', true], ['gamma', false]]));
    expect(draw(0.25).key).toBe('beta,percent(100)');
    expect(draw(0.999999).key).toBe('beta,percent(100)');
    expect(loadGatewayOptions({ CITY_AUTH: 'off', OVERRIDE_LABELS: ' beta, ,gamma ' }).overrideLabels).toEqual(['beta', 'gamma']);
    expect(loadGatewayOptions({ CITY_AUTH: 'off' }).overrideLabels).toEqual([]);
    expect(() => loadGatewayOptions({ CITY_AUTH: 'off', OVERRIDE_LABELS: 'a b' })).toThrow(/OVERRIDE_LABELS/);
  });

  describe('over HTTP', () => {
    let subgraphs: Awaited<ReturnType<typeof startFixture>>;
    let gateway: Awaited<ReturnType<typeof startGateway>>;
    beforeAll(async () => {
      subgraphs = await startFixture(progressive);
      gateway = await startGateway('citygraph', subgraphs.supergraphSdl, { overrideLabels: ['beta'] });
    });

    afterAll(async () => {
      await gateway?.close();
      await subgraphs?.close();
    });

    it('a label OVERRIDE_LABELS lists goes to the new subgraph; one it does not, to the old', async () => {
      expect(await postGraphQL(gateway.url, { query: '{ items { beta gamma } }' })).toEqual({
        data: { items: [{ beta: 'new', gamma: 'old' }, { beta: 'new', gamma: 'old' }] },
      });
    });

    it('percent(50) is drawn for each request, the same operation planned both ways', async () => {
      const seen = new Set<string>();
      // The chance that 60 draws all fall one way is 2 × 2^-60.
      for (let i = 0; i < 60; i++) {
        const body = await postGraphQL(gateway.url, { query: '{ items { half } }' });
        const [first, second] = (body.data as { items: Array<{ half: string }> }).items.map((item) => item.half);
        // One draw per operation: every item of an answer comes from the same subgraph.
        expect(second).toBe(first);
        seen.add(first);
      }
      expect([...seen].sort()).toEqual(['new', 'old']);
    });
  });
});
