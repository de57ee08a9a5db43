import { COMMUNITIES, DONGXIAO_STREET } from '../../shared/dev/demo';
import type { OwnerType, SharingWindow } from './models';
import { windowId } from './domain/windows';

/**
 * Dongxiao street's off-peak shared-parking scheme (东晓街道错峰共享停车), as published: 49 owners
 * joined (33 estates, 5 industrial parks, 9 office buildings, 1 hospital, 1 government office),
 * 35 lots online, 1525 night-time spaces released. The lots below are those 35, plus a few lots in
 * other communities (Shuibei among them) so other community pages have parking too.
 */
export const DONGXIAO_SCHEME = {
  joinedOwners: { RESIDENTIAL_ESTATE: 33, INDUSTRIAL_PARK: 5, OFFICE_BUILDING: 9, HOSPITAL: 1, GOVERNMENT_OFFICE: 1 },
  lotsOnline: 35,
  nightSpaces: 1525,
} as const;

export interface LotSeed {
  id: string;
  name: string;
  address: string;
  lat: number;
  lng: number;
  communityCode: string;
  streetCode: string;
  ownerType: OwnerType;
  ownerName: string;
  ownerDepartmentId?: string;
  totalSpaces: number;
  pricePerHour: number;
  freeFirstMinutes: number;
  windows: SharingWindow[];
}

function window(days: number[], start: string, end: string, spaces: number, mustLeaveBy: string | null): SharingWindow {
  return { id: windowId({ days, start, end }), days, start, end, spaces, mustLeaveBy };
}

/** Weekday nights 18:30→07:30, and at weekends all day (Sat 07:30 → Mon 07:30, joined to Friday night). */
function nightsAndWeekends(spaces: number): SharingWindow[] {
  return [window([1, 2, 3, 4, 5], '18:30', '07:30', spaces, '07:30'), window([6, 7], '07:30', '07:30', spaces, '07:30')];
}

/** Every day, all day: the lots that make a search find a free space at any hour. */
function allDay(spaces: number): SharingWindow[] {
  return [window([1, 2, 3, 4, 5, 6, 7], '00:00', '24:00', spaces, null)];
}

/** Every night of the week: a hospital's car park is busy by day, every day. */
function everyNight(spaces: number): SharingWindow[] {
  return [window([1, 2, 3, 4, 5, 6, 7], '19:00', '07:00', spaces, '07:00')];
}

const community = (code: string) => COMMUNITIES.find((c) => c.code === code)!;
const DONGXIAO = '440303002001';
const DUSHU = '440303002002';
const LANHUA = '440303002003';

/** A point `meters` from the community's centre at `bearing` degrees, so lots sit around it. */
function near(code: string, meters: number, bearing: number): { lat: number; lng: number } {
  const c = community(code);
  const rad = (bearing * Math.PI) / 180;
  const lat = c.lat + (meters * Math.cos(rad)) / 111320;
  const lng = c.lng + (meters * Math.sin(rad)) / (111320 * Math.cos((c.lat * Math.PI) / 180));
  return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
}

type Row = [name: string, ownerType: OwnerType, spaces: number, total: number, price: number, road: string];

// The 32 lots after the three all-day ones: name, owner type, night spaces, all spaces, yuan/hour, road.
const ROWS: Row[] = [
  ['罗湖区东晓医院停车场', 'HOSPITAL', 60, 220, 10, '东晓路'],
  ['太白大厦停车场', 'OFFICE_BUILDING', 55, 130, 8, '太白路'],
  ['东晓科技大厦停车场', 'OFFICE_BUILDING', 70, 160, 8, '东晓路'],
  ['金泓凯旋城写字楼停车场', 'OFFICE_BUILDING', 48, 110, 7, '布心路'],
  ['泰宁大厦停车场', 'OFFICE_BUILDING', 62, 140, 7, '泰宁路'],
  ['独树商务楼停车场', 'OFFICE_BUILDING', 50, 100, 6, '独树路'],
  ['东晓工业区停车场', 'INDUSTRIAL_PARK', 80, 150, 5, '东晓路'],
  ['布心工业园停车场', 'INDUSTRIAL_PARK', 65, 120, 5, '布心路'],
  ['兰花创意园停车场', 'INDUSTRIAL_PARK', 58, 100, 5, '兰花路'],
  ['太白工业区停车场', 'INDUSTRIAL_PARK', 72, 130, 5, '太白路'],
  ['东晓花园', 'RESIDENTIAL_ESTATE', 42, 260, 6, '东晓路'],
  ['翠湖山庄', 'RESIDENTIAL_ESTATE', 28, 180, 6, '布心路'],
  ['独树阁', 'RESIDENTIAL_ESTATE', 35, 200, 5, '独树路'],
  ['兰花苑', 'RESIDENTIAL_ESTATE', 30, 190, 5, '兰花路'],
  ['布心花园', 'RESIDENTIAL_ESTATE', 46, 320, 6, '布心路'],
  ['太白雅居', 'RESIDENTIAL_ESTATE', 25, 150, 5, '太白路'],
  ['金湖家园', 'RESIDENTIAL_ESTATE', 38, 240, 6, '东晓路'],
  ['东乐花园', 'RESIDENTIAL_ESTATE', 33, 210, 5, '东乐路'],
  ['泰宁花园', 'RESIDENTIAL_ESTATE', 40, 280, 6, '泰宁路'],
  ['鸿翔花园', 'RESIDENTIAL_ESTATE', 27, 170, 5, '布心路'],
  ['东湖名苑', 'RESIDENTIAL_ESTATE', 36, 230, 6, '东晓路'],
  ['松泉山庄', 'RESIDENTIAL_ESTATE', 31, 200, 5, '太白路'],
  ['翠拥华庭', 'RESIDENTIAL_ESTATE', 44, 300, 6, '独树路'],
  ['金色年华家园', 'RESIDENTIAL_ESTATE', 29, 180, 5, '兰花路'],
  ['东晓新村', 'RESIDENTIAL_ESTATE', 37, 160, 5, '东晓路'],
  ['独树新村', 'RESIDENTIAL_ESTATE', 34, 150, 5, '独树路'],
  ['兰亭国际', 'RESIDENTIAL_ESTATE', 26, 220, 6, '兰花路'],
  ['锦绣东方', 'RESIDENTIAL_ESTATE', 39, 260, 6, '布心路'],
  ['文华花园', 'RESIDENTIAL_ESTATE', 32, 190, 5, '太白路'],
  ['怡景华庭', 'RESIDENTIAL_ESTATE', 41, 240, 6, '东晓路'],
  ['东方雅苑', 'RESIDENTIAL_ESTATE', 30, 200, 5, '独树路'],
  ['兰花新村', 'RESIDENTIAL_ESTATE', 37, 170, 5, '兰花路'],
];

function dongxiaoLots(): LotSeed[] {
  // The three all-day lots sit closest to Dongxiao community's centre, so a search there finds a
  // free space first whatever the hour.
  const lots: LotSeed[] = [
    {
      id: 'PL-DX-01',
      name: '东晓街道办事处停车场',
      address: '深圳市罗湖区东晓路2046号',
      ...near(DONGXIAO, 60, 40),
      communityCode: DONGXIAO,
      streetCode: DONGXIAO_STREET,
      ownerType: 'GOVERNMENT_OFFICE',
      ownerName: '东晓街道办事处',
      ownerDepartmentId: `ST-${DONGXIAO_STREET}`,
      totalSpaces: 80,
      pricePerHour: 5,
      freeFirstMinutes: 60,
      windows: allDay(40),
    },
    {
      id: 'PL-DX-02',
      name: '东晓大厦停车场',
      address: '深圳市罗湖区东晓路3012号',
      ...near(DONGXIAO, 110, 200),
      communityCode: DONGXIAO,
      streetCode: DONGXIAO_STREET,
      ownerType: 'OFFICE_BUILDING',
      ownerName: '东晓大厦物业管理处',
      totalSpaces: 150,
      pricePerHour: 8,
      freeFirstMinutes: 0,
      windows: allDay(60),
    },
    {
      id: 'PL-DX-03',
      name: '布心商务中心停车场',
      address: '深圳市罗湖区布心路3008号',
      ...near(DONGXIAO, 150, 300),
      communityCode: DONGXIAO,
      streetCode: DONGXIAO_STREET,
      ownerType: 'OFFICE_BUILDING',
      ownerName: '布心商务中心物业管理处',
      totalSpaces: 120,
      pricePerHour: 8,
      freeFirstMinutes: 0,
      windows: allDay(45),
    },
  ];
  const communities = [DONGXIAO, DUSHU, LANHUA];
  ROWS.forEach(([name, ownerType, spaces, total, price, road], i) => {
    const code = communities[i % 3];
    // 300-900 m from the centre, spread around it.
    const point = near(code, 300 + ((i * 97) % 600), (i * 137.5) % 360);
    lots.push({
      id: `PL-DX-${String(i + 4).padStart(2, '0')}`,
      name: name.endsWith('停车场') ? name : `${name}停车场`,
      address: `深圳市罗湖区${road}${1001 + i * 37}号`,
      ...point,
      communityCode: code,
      streetCode: DONGXIAO_STREET,
      ownerType,
      ownerName: name.replace(/停车场$/, ''),
      totalSpaces: total,
      pricePerHour: price,
      freeFirstMinutes: 0,
      windows: ownerType === 'HOSPITAL' ? everyNight(spaces) : nightsAndWeekends(spaces),
    });
  });
  return lots;
}

function otherLot(
  id: string,
  code: string,
  name: string,
  address: string,
  ownerType: OwnerType,
  spaces: number,
  total: number,
  price: number,
): LotSeed {
  const c = community(code);
  return {
    id,
    name,
    address,
    ...near(code, 200, 90),
    communityCode: code,
    streetCode: c.streetCode,
    ownerType,
    ownerName: name.replace(/停车场$/, ''),
    totalSpaces: total,
    pricePerHour: price,
    freeFirstMinutes: 0,
    windows: nightsAndWeekends(spaces),
  };
}

export const LOT_SEEDS: LotSeed[] = [
  ...dongxiaoLots(),
  otherLot('PL-SB-01', '440303003001', '水贝珠宝总部大厦停车场', '深圳市罗湖区水贝二路18号', 'COMMERCIAL', 30, 200, 10),
  { ...otherLot('PL-SB-02', '440303003001', '水贝万山珠宝园停车场', '深圳市罗湖区田贝四路42号', 'INDUSTRIAL_PARK', 25, 120, 8), ...near('440303003001', 350, 220) },
  otherLot('PL-CZ-01', '440303003002', '翠竹苑停车场', '深圳市罗湖区翠竹路1068号', 'RESIDENTIAL_ESTATE', 20, 180, 6),
  otherLot('PL-HB-01', '440303001001', '黄贝岭花园停车场', '深圳市罗湖区黄贝路2108号', 'RESIDENTIAL_ESTATE', 24, 200, 6),
  otherLot('PL-SG-01', '440303004001', '笋岗仓库商业中心停车场', '深圳市罗湖区宝安北路3009号', 'COMMERCIAL', 50, 300, 8),
  otherLot('PL-GM-01', '440311001001', '光明科技园停车场', '深圳市光明区光明大街88号', 'INDUSTRIAL_PARK', 40, 160, 4),
];

/** The demo booking's fixed id: the seed refreshes this one record instead of adding new ones. */
export const DEMO_RESERVATION_ID = '650000000000000000000001';
/** The all-day lot the demo resident's upcoming booking is at. */
export const DEMO_RESERVATION_LOT = 'PL-DX-01';

/** Past stays of the other demo residents, relative to the seed's `now` (days ago, hours). */
export const PAST_STAYS: Array<{ id: string; residentIndex: number; lotId: string; daysAgo: number; hours: number; status: 'COMPLETED' | 'CANCELLED' }> = [
  { id: '650000000000000000000101', residentIndex: 0, lotId: 'PL-DX-05', daysAgo: 2, hours: 10, status: 'COMPLETED' },
  { id: '650000000000000000000102', residentIndex: 1, lotId: 'PL-DX-14', daysAgo: 1, hours: 0, status: 'CANCELLED' },
  { id: '650000000000000000000103', residentIndex: 2, lotId: 'PL-DX-02', daysAgo: 3, hours: 3, status: 'COMPLETED' },
  { id: '650000000000000000000104', residentIndex: 3, lotId: 'PL-SB-01', daysAgo: 5, hours: 11, status: 'COMPLETED' },
];
