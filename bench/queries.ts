import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { COMMUNITIES, DONGXIAO_STREET, SHUIBEI } from '../shared/dev/demo';
import { ROOT_DIR } from '../shared/platform/schema';

/** Who sends the operation: decides the bearer token (and the viewer header for Hive and the floor). */
export type Caller = 'anonymous' | 'resident' | 'admin';

export interface BenchQuery {
  /** Short id used in tables, JSON and flags. */
  id: string;
  title: string;
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
  caller: Caller;
  /** Crosses subgraphs (the 2.5x target applies to these). */
  crossService: boolean;
  /** The subgraph that answers it alone (the floor is a direct call to it). */
  floorSubgraph?: 'requests' | 'parking' | 'hostels' | 'volunteers';
}

const CONTRACT = readFileSync(path.join(ROOT_DIR, 'test', 'contract', 'operations.graphql'), 'utf8');

/** One operation of the contract, printed alone, as an app sends it. */
export function contractOperation(name: string): string {
  const doc = parse(CONTRACT);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
  if (!op) throw new Error(`the contract has no operation ${name}`);
  return print(op);
}

const dongxiaoCentre = COMMUNITIES.find((c) => c.streetCode === DONGXIAO_STREET)!;

/** The 100-item list: requests with a field the parking subgraph resolves for each of them. */
export function requestListQuery(): string {
  return `query RequestList($limit: Int!) {
  requests(limit: $limit) {
    id
    number
    title
    status
    level
    community { code name parkingLots { id name freeSpacesNow } }
    parkingLot { id name freeSpacesNow }
  }
}`;
}

export const QUERIES: BenchQuery[] = [
  {
    id: 'dashboard',
    title: 'CommunityDashboard (Shuibei)',
    query: contractOperation('CommunityDashboard'),
    operationName: 'CommunityDashboard',
    variables: { code: SHUIBEI },
    caller: 'anonymous',
    crossService: true,
  },
  {
    id: 'nearby',
    title: 'NearbyParking (Dongxiao, 1 km)',
    query: contractOperation('NearbyParking'),
    operationName: 'NearbyParking',
    variables: { lat: dongxiaoCentre.lat, lng: dongxiaoCentre.lng, radiusMeters: 1000 },
    caller: 'anonymous',
    crossService: true,
  },
  {
    id: 'mycity',
    title: 'MyCity (demo resident)',
    query: contractOperation('MyCity'),
    operationName: 'MyCity',
    variables: {},
    caller: 'resident',
    crossService: true,
  },
  {
    id: 'one-subgraph',
    title: 'Communities (one subgraph: requests)',
    query: contractOperation('Communities'),
    operationName: 'Communities',
    variables: {},
    caller: 'anonymous',
    crossService: false,
    floorSubgraph: 'requests',
  },
  {
    id: 'list100',
    title: '100 requests + parking per item (admin)',
    query: requestListQuery(),
    operationName: 'RequestList',
    variables: { limit: 100 },
    caller: 'admin',
    crossService: true,
  },
];
