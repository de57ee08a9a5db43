import type { FederationFixture } from '../harness';
import { byArgs, byKey, fed } from '../sdl';

const products = [
  { id: 'p1', name: 'Desk', weight: 20, size: 3, dimensions: { width: 120, depth: 60 }, vendorId: 'v1', discount: null as number | null },
  { id: 'p2', name: 'Lamp', weight: 2, size: 1, dimensions: { width: 20, depth: 20 }, vendorId: 'v2', discount: 10 },
];
const vendors = [
  { id: 'v1', country: 'CN' },
  { id: 'v2', country: 'DE' },
];

/** `@requires`: the gateway fetches the required fields first and hands them to the requiring subgraph. */
const requires: FederationFixture = {
  name: 'requires',
  subgraphs: [
    {
      name: 'products',
      typeDefs: `${fed('@key', '@shareable')}
        type Dimensions @shareable { width: Int! depth: Int! }
        type Vendor @key(fields: "id") { id: ID! }
        type Product @key(fields: "id") { id: ID! name: String! weight: Int! size: Int! dimensions: Dimensions! vendor: Vendor! discount: Int }
        type Query { products: [Product!]! product(id: ID!): Product }`,
      resolvers: {
        Query: { products: () => products, product: byArgs(products, 'id') },
        Product: { __resolveReference: byKey(products, 'id'), vendor: (p: { vendorId: string }) => ({ id: p.vendorId }) },
      },
    },
    {
      name: 'vendors',
      typeDefs: `${fed('@key')}
        type Vendor @key(fields: "id") { id: ID! country: String! }`,
      resolvers: { Vendor: { __resolveReference: byKey(vendors, 'id') } },
    },
    {
      name: 'shipping',
      typeDefs: `${fed('@key', '@external', '@requires', '@shareable')}
        type Dimensions @shareable { width: Int! depth: Int! }
        type Vendor @key(fields: "id") { id: ID! country: String! @external }
        type Product @key(fields: "id") {
          id: ID!
          weight: Int! @external
          size: Int! @external
          dimensions: Dimensions! @external
          vendor: Vendor! @external
          discount: Int @external
          shippingEstimate: Int! @requires(fields: "weight size")
          footprint: Int! @requires(fields: "dimensions { width depth }")
          customsNeeded: Boolean! @requires(fields: "vendor { country }")
          finalNote: String! @requires(fields: "discount")
        }
        type Query { cheapestShipping: Product }`,
      resolvers: {
        Query: { cheapestShipping: () => ({ id: 'p2' }) },
        Product: {
          __resolveReference: (ref: Record<string, unknown>) => ref,
          shippingEstimate: (p: { weight: number; size: number }) => p.weight * 2 + p.size,
          footprint: (p: { dimensions: { width: number; depth: number } }) => p.dimensions.width * p.dimensions.depth,
          customsNeeded: (p: { vendor: { country: string } }) => p.vendor.country !== 'CN',
          finalNote: (p: { discount: number | null }) => (p.discount === null ? 'full price' : `${p.discount}% off`),
        },
      },
    },
  ],
  cases: [
    {
      name: 'a field requiring two fields of another subgraph',
      query: '{ products { name shippingEstimate } }',
      expected: { data: { products: [{ name: 'Desk', shippingEstimate: 43 }, { name: 'Lamp', shippingEstimate: 5 }] } },
    },
    {
      name: 'required fields are not in the answer unless asked',
      query: '{ product(id: "p1") { shippingEstimate } }',
      expected: { data: { product: { shippingEstimate: 43 } } },
    },
    {
      name: 'required fields also asked by the client',
      query: '{ product(id: "p1") { weight shippingEstimate size } }',
      expected: { data: { product: { weight: 20, shippingEstimate: 43, size: 3 } } },
    },
    {
      name: 'requiring a nested object’s fields',
      query: '{ products { id footprint } }',
      expected: { data: { products: [{ id: 'p1', footprint: 7200 }, { id: 'p2', footprint: 400 }] } },
    },
    {
      name: 'requiring a field of a third subgraph’s entity',
      query: '{ products { id customsNeeded } }',
      expected: { data: { products: [{ id: 'p1', customsNeeded: false }, { id: 'p2', customsNeeded: true }] } },
    },
    {
      name: 'a required field that is null reaches the resolver as null',
      query: '{ products { finalNote } }',
      expected: { data: { products: [{ finalNote: 'full price' }, { finalNote: '10% off' }] } },
    },
    {
      name: 'several requiring fields in one selection',
      query: '{ product(id: "p2") { shippingEstimate footprint customsNeeded finalNote name } }',
      expected: { data: { product: { shippingEstimate: 5, footprint: 400, customsNeeded: true, finalNote: '10% off', name: 'Lamp' } } },
    },
    {
      name: 'from the requiring subgraph’s own root: required fields fetched mid-plan',
      query: '{ cheapestShipping { name shippingEstimate } }',
      expected: { data: { cheapestShipping: { name: 'Lamp', shippingEstimate: 5 } } },
    },
    {
      name: 'requires inside a fragment',
      query: '{ products { ...Ship } } fragment Ship on Product { id shippingEstimate }',
      expected: { data: { products: [{ id: 'p1', shippingEstimate: 43 }, { id: 'p2', shippingEstimate: 5 }] } },
    },
    {
      name: 'a missing entity skips its requires',
      query: '{ product(id: "nope") { shippingEstimate } }',
      expected: { data: { product: null } },
    },
  ],
};

const accounts = [
  { id: 'a1', tier: 'gold-new', limit: 5000 },
  { id: 'a2', tier: 'silver-new', limit: 1000 },
];
const legacyAccounts = [
  { id: 'a1', tier: 'gold-OLD', limit: 1 },
  { id: 'a2', tier: 'silver-OLD', limit: 1 },
];

/**
 * `@override`: a field moved to another subgraph. The old subgraph still answers, with values
 * marked OLD, so an answer shows which one was asked. Progressive override labels: percent(100)
 * sends every request to the new subgraph, percent(0) none (Apollo's documented semantics); any
 * other label only when the gateway enables it (none is enabled here; see override.test.ts).
 */
const override: FederationFixture = {
  name: 'override',
  subgraphs: [
    {
      name: 'legacy',
      typeDefs: `${fed('@key', '@shareable')}
        type Account @key(fields: "id") { id: ID! tier: String! limit: Int! region: String! segment: String! }
        type Query { accounts: [Account!]! }`,
      resolvers: {
        Query: { accounts: () => legacyAccounts.map((a) => ({ ...a, region: 'cn-south', segment: 'retail' })) },
        Account: { __resolveReference: (ref: { id: string }) => ({ ...byKey(legacyAccounts, 'id')(ref), region: 'cn-south', segment: 'retail' }) },
      },
    },
    {
      name: 'billing',
      typeDefs: `${fed('@key', '@override')}
        type Account @key(fields: "id") {
          id: ID!
          tier: String! @override(from: "legacy")
          limit: Int! @override(from: "legacy", label: "percent(100)")
          newField: String!
        }
        type Query { account(id: ID!): Account }`,
      resolvers: {
        Query: { account: byArgs(accounts, 'id') },
        Account: { __resolveReference: byKey(accounts, 'id'), newField: () => 'billing' },
      },
    },
    {
      name: 'risk',
      typeDefs: `${fed('@key', '@override')}
        type Account @key(fields: "id") {
          id: ID!
          region: String! @override(from: "legacy", label: "percent(0)")
          segment: String! @override(from: "legacy", label: "risk-segments")
        }`,
      resolvers: { Account: { __resolveReference: (ref: { id: string }) => ({ ...ref, region: 'RISK-NEW', segment: 'RISK-NEW' }) } },
    },
  ],
  cases: [
    {
      name: 'an overridden field comes from the new subgraph (legacy root)',
      query: '{ accounts { id tier } }',
      expected: { data: { accounts: [{ id: 'a1', tier: 'gold-new' }, { id: 'a2', tier: 'silver-new' }] } },
    },
    {
      name: 'an overridden field from the new subgraph’s own root',
      query: '{ account(id: "a2") { tier newField } }',
      expected: { data: { account: { tier: 'silver-new', newField: 'billing' } } },
    },
    {
      name: 'percent(100): the new subgraph answers',
      query: '{ accounts { limit } }',
      expected: { data: { accounts: [{ limit: 5000 }, { limit: 1000 }] } },
    },
    {
      name: 'percent(0): the old subgraph still answers',
      query: '{ accounts { region } }',
      expected: { data: { accounts: [{ region: 'cn-south' }, { region: 'cn-south' }] } },
    },
    {
      name: 'percent(0) reached from the new subgraph’s root',
      query: '{ account(id: "a1") { region tier } }',
      expected: { data: { account: { region: 'cn-south', tier: 'gold-new' } } },
    },
    {
      name: 'a label that is not a percentage and that the gateway does not enable: the old subgraph answers',
      query: '{ account(id: "a1") { segment } }',
      expected: { data: { account: { segment: 'retail' } } },
    },
    {
      name: 'overridden, labelled and plain fields together',
      query: '{ accounts { id tier limit region newField } }',
      expected: {
        data: {
          accounts: [
            { id: 'a1', tier: 'gold-new', limit: 5000, region: 'cn-south', newField: 'billing' },
            { id: 'a2', tier: 'silver-new', limit: 1000, region: 'cn-south', newField: 'billing' },
          ],
        },
      },
    },
  ],
};

export const fixtures: FederationFixture[] = [requires, override];
