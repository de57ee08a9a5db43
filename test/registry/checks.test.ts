import { buildSchema } from 'graphql';
import { assessChange, changeCoordinate, type CheckedOperation } from '../../gateway/registry/checks';

/** graphql-inspector's levels in a check, and which protected operations each change touches. */

const before = buildSchema(`
  type Query { spots(district: String, first: Int): [Spot!]! }
  type Spot { id: ID! status: Status! price: Int name: String }
  enum Status { FREE TAKEN }
`);
const after = buildSchema(`
  type Query { spots(district: String!, first: Int): [Spot!]! open: Int }
  type Spot { id: ID! status: Status! name: String }
  enum Status { FREE TAKEN RESERVED }
`);

const op = (key: string, body: string, extra: Partial<CheckedOperation> = {}): CheckedOperation => ({
  key,
  signatureHash: key,
  operationName: key,
  body,
  clientName: 'web',
  clientVersion: null,
  source: 'recorded',
  count: 3,
  lastSeen: new Date(0),
  ...extra,
});

it('lists breaking, dangerous and non-breaking changes with the operations they touch', async () => {
  const report = await assessChange(before, after, [
    op('Prices', 'query Prices { spots { id price } }'),
    op('Statuses', 'query Statuses { spots(district: "x") { status } }', { clientName: 'ios', clientVersion: '2.1', source: 'registered', count: 0 }),
  ]);
  expect(report.changes.map((c) => `${c.level} ${c.type} ${c.coordinate}`)).toEqual([
    'BREAKING FIELD_ARGUMENT_TYPE_CHANGED Query.spots(district:)',
    'BREAKING FIELD_REMOVED Spot.price',
    'DANGEROUS ENUM_VALUE_ADDED Status',
    'NON_BREAKING FIELD_ADDED Query.open',
  ]);
  const removed = report.breakingChanges.find((c) => c.coordinate === 'Spot.price')!;
  expect(removed.operations.map((o) => o.operationName)).toEqual(['Prices']);
  // Statuses passes district, so the argument becoming required breaks only Prices (which omits it).
  const required = report.breakingChanges.find((c) => c.type === 'FIELD_ARGUMENT_TYPE_CHANGED')!;
  expect(required.operations.map((o) => o.operationName)).toEqual(['Prices']);
  const dangerous = report.changes.find((c) => c.level === 'DANGEROUS')!;
  expect(dangerous.operations).toEqual([expect.objectContaining({ operationName: 'Statuses', clientName: 'ios', clientVersion: '2.1', source: 'registered' })]);
  expect(report.dangerousChanges).toEqual(["Enum value 'RESERVED' was added to enum 'Status'"]);
  // Only breaking changes make an operation affected (and the change refused).
  expect(report.affectedOperations.map((o) => o.operationName)).toEqual(['Prices']);
  expect(report.operationsChecked).toBe(2);
});

it('maps inspector paths to the coordinates operations are matched on', () => {
  expect(changeCoordinate({ type: 'FIELD_ARGUMENT_REMOVED', path: 'Query.spots.first' })).toBe('Query.spots(first:)');
  expect(changeCoordinate({ type: 'FIELD_ARGUMENT_ADDED', path: 'Query.spots.near' })).toBe('Query.spots');
  expect(changeCoordinate({ type: 'ENUM_VALUE_REMOVED', path: 'Status.TAKEN' })).toBe('Status');
  expect(changeCoordinate({ type: 'INPUT_FIELD_ADDED', path: 'SpotInput.size' })).toBe('SpotInput');
  expect(changeCoordinate({ type: 'TYPE_REMOVED', path: 'Spot' })).toBe('Spot');
  expect(changeCoordinate({ type: 'FIELD_REMOVED' })).toBeNull();
});
