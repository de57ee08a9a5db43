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

/**
 * The deep case (issue 16): the whole city, district by district, with each level's parking,
 * hostels, volunteer stations, teams and activities and the requests and departments behind them.
 * Apollo's planner makes 16 subgraph fetches of it (requests 10, parking 2, hostels 2, volunteers 2:
 * it bounces requests → parking → requests → hostels / volunteers → requests), and on the demo seed
 * its answer is about 89 KB. The benchmark prints both figures when it starts (plan) and when each
 * gateway first answers it (bytes, and in gateway-only mode the subgraph requests it made), so they
 * stay checkable when the seed or the schema moves. No field in it changes from second to second
 * (no `timeLeftSeconds`), so every gateway's answer can be compared with the first one's; and it
 * asks for the stations' duty rosters rather than who is on duty now, which is empty at some hours
 * and would leave one planned fetch with nothing to fetch.
 */
export function deepCityQuery(): string {
  return `query DeepCity {
  districts {
    code name nameEn
    hostels { id name address phone totalBeds freeBeds services hongKongMacaoDesk operator { id name kind } }
    streets {
      code name
      office { id name kind organisedVolunteerActivities { id title startsAt endsAt signedUp capacity community { code name } } }
      parkingLots { id name freeSpacesNow totalSpaces ownerDepartment { id name kind } }
      communities {
        code name lat lng
        requestStats { received resolved resolutionRate onTimeRate open red yellow green }
        parkingLots {
          id name address lat lng ownerType ownerName freeSpacesNow totalSpaces pricePerHour freeFirstMinutes
          windows { id days start end spaces mustLeaveBy }
          currentWindow { startsAt endsAt spaces }
          nextWindow { startsAt endsAt spaces }
          openRequests {
            id number title description status level levelColor urgent channel address
            submittedAt dispatchedAt acceptDueAt dueAt overdue peopleInvolved amountAtStake
            department { id name kind }
          }
        }
        hostels { id name address phone totalBeds freeBeds services hongKongMacaoDesk beds { id code room gender } operator { id name kind } community { code name } }
        volunteerStations { id name isOpenNow address lat lng openingHours { weekdays opensAt closesAt onDuty { id name } } }
        volunteerTeams { id name kind description memberCount registeredVolunteers upcomingActivities { id title startsAt endsAt capacity signedUp organiser { id name kind } } }
        volunteerActivities { id title description startsAt endsAt capacity signedUp waitlisted fillRate organiser { id name kind } }
      }
    }
  }
}`;
}

/**
 * What every CityGraph gateway of the benchmarks (`npm run bench`, `npm run bench:ops`) gets on top of its defaults, because of how the benchmark loads it:
 * all requests come from one client address, so the per-client fairness limits (rate, slots in
 * flight) would refuse most of them, and the deep case's static cost estimate (about 650,000 with
 * the default list size of 20) is over the default limit of 5000. The estimate still runs.
 */
export const BENCH_ENV = { RATE_LIMIT_MAX: '0', CLIENT_MAX_IN_FLIGHT: '0', MAX_COST: '100000000' };

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
  {
    id: 'deep',
    title: 'Deep: the city by district, 16 fetches over 4 subgraphs (admin)',
    query: deepCityQuery(),
    operationName: 'DeepCity',
    variables: {},
    caller: 'admin',
    crossService: true,
  },
  // The boards (issue 14): the figures of a month by category, a street hall's 事办不成 causes, the city overview by street.
  {
    id: 'stats-period',
    title: 'requestStatsByPeriod: this month by category, the whole city',
    query: `query StatsByPeriod($from: String!, $to: String!) { requestStatsByPeriod(period: WEEK, from: $from, to: $to, by: CATEGORY) { start key received resolved onTimeRate satisfactionRate reopenRate returnRate } cannotDoStats(streetCode: "440307001") { total byRootCause { rootCause count } topMatters { item { name } count } } }`,
    operationName: 'StatsByPeriod',
    variables: { from: monthAgo(), to: today() },
    caller: 'anonymous',
    crossService: false,
    floorSubgraph: 'requests',
  },
  {
    id: 'overview',
    title: 'City overview: every street with its red / yellow / green counts and rates',
    query: `query Overview { districts { code name streets { code name requestStats { received resolutionRate onTimeRate satisfactionRate overdueLevel1 red yellow green } } } }`,
    operationName: 'Overview',
    variables: {},
    caller: 'anonymous',
    crossService: false,
    floorSubgraph: 'requests',
  },
];

/** Today and 30 days before it, as Shenzhen days (YYYY-MM-DD). */
function today(): string {
  return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
}
function monthAgo(): string {
  return new Date(Date.now() + 8 * 3600000 - 30 * 86400000).toISOString().slice(0, 10);
}
