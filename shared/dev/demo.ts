/**
 * Reference data every subgraph's seed agrees on: Shenzhen's places named in the domain brief,
 * the departments that handle requests, and the demo people. Places and departments are owned
 * (stored) by the requests subgraph; the others only refer to their codes.
 */

export const DEMO_RESIDENT_ID = 'R-DEMO-0001';
export const DEMO_RESIDENT = {
  id: DEMO_RESIDENT_ID,
  name: '李晓明',
  phone: '13800135678',
  idNumber: '440303199805121234',
  homeCommunityCode: '440303003001',
  plate: '粤B12345',
};

/** A few more residents so that lists, stats and authorisation have someone else to show. */
export const OTHER_RESIDENTS = [
  { id: 'R-0002', name: '王芳', phone: '13912348888', idNumber: '440304199002023456', homeCommunityCode: '440303003001', plate: '粤B6D789' },
  { id: 'R-0003', name: '陈志强', phone: '13711112222', idNumber: '440307198811114321', homeCommunityCode: '440307001001', plate: '粤B88K21' },
  { id: 'R-0004', name: '张丽', phone: '15012345678', idNumber: '440311200106061111', homeCommunityCode: '440311001001', plate: '粤BD12345' },
  { id: 'R-0005', name: '刘洋', phone: '18688889999', idNumber: '440305199909092222', homeCommunityCode: '440305001001', plate: '粤B0Q333' },
];

export interface DistrictSeed {
  code: string;
  name: string;
  nameEn: string;
}
export interface StreetSeed {
  code: string;
  name: string;
  districtCode: string;
}
export interface CommunitySeed {
  code: string;
  name: string;
  streetCode: string;
  lat: number;
  lng: number;
}

export const DISTRICTS: DistrictSeed[] = [
  { code: '440304', name: '福田区', nameEn: 'Futian' },
  { code: '440303', name: '罗湖区', nameEn: 'Luohu' },
  { code: '440305', name: '南山区', nameEn: 'Nanshan' },
  { code: '440308', name: '盐田区', nameEn: 'Yantian' },
  { code: '440306', name: '宝安区', nameEn: "Bao'an" },
  { code: '440307', name: '龙岗区', nameEn: 'Longgang' },
  { code: '440309', name: '龙华区', nameEn: 'Longhua' },
  { code: '440310', name: '坪山区', nameEn: 'Pingshan' },
  { code: '440311', name: '光明区', nameEn: 'Guangming' },
  { code: '440312', name: '大鹏新区', nameEn: 'Dapeng' },
];

export const STREETS: StreetSeed[] = [
  { code: '440303001', name: '黄贝街道', districtCode: '440303' },
  { code: '440303002', name: '东晓街道', districtCode: '440303' },
  { code: '440303003', name: '翠竹街道', districtCode: '440303' },
  { code: '440303004', name: '笋岗街道', districtCode: '440303' },
  { code: '440307001', name: '坪地街道', districtCode: '440307' },
  { code: '440310001', name: '马峦街道', districtCode: '440310' },
  { code: '440311001', name: '光明街道', districtCode: '440311' },
  { code: '440311002', name: '公明街道', districtCode: '440311' },
  { code: '440305001', name: '桃源街道', districtCode: '440305' },
  { code: '440309001', name: '民治街道', districtCode: '440309' },
  { code: '440304001', name: '沙头街道', districtCode: '440304' },
  { code: '440308001', name: '沙头角街道', districtCode: '440308' },
  { code: '440306001', name: '新安街道', districtCode: '440306' },
  { code: '440312001', name: '葵涌街道', districtCode: '440312' },
];

export const COMMUNITIES: CommunitySeed[] = [
  { code: '440303001001', name: '黄贝岭社区', streetCode: '440303001', lat: 22.5497, lng: 114.1436 },
  { code: '440303001002', name: '新谊社区', streetCode: '440303001', lat: 22.5547, lng: 114.1357 },
  { code: '440303002001', name: '东晓社区', streetCode: '440303002', lat: 22.5826, lng: 114.1330 },
  { code: '440303002002', name: '独树社区', streetCode: '440303002', lat: 22.5795, lng: 114.1290 },
  { code: '440303002003', name: '兰花社区', streetCode: '440303002', lat: 22.5760, lng: 114.1360 },
  { code: '440303003001', name: '水贝社区', streetCode: '440303003', lat: 22.5690, lng: 114.1268 },
  { code: '440303003002', name: '翠竹社区', streetCode: '440303003', lat: 22.5610, lng: 114.1300 },
  { code: '440303004001', name: '笋岗社区', streetCode: '440303004', lat: 22.5620, lng: 114.1090 },
  { code: '440307001001', name: '坪地社区', streetCode: '440307001', lat: 22.7720, lng: 114.3080 },
  { code: '440310001001', name: '坪环社区', streetCode: '440310001', lat: 22.6980, lng: 114.3560 },
  { code: '440311001001', name: '光明社区', streetCode: '440311001', lat: 22.7590, lng: 113.9390 },
  { code: '440311002001', name: '上村社区', streetCode: '440311002', lat: 22.7800, lng: 113.8970 },
  { code: '440305001001', name: '龙光社区', streetCode: '440305001', lat: 22.5640, lng: 113.9590 },
  { code: '440309001001', name: '北站社区', streetCode: '440309001', lat: 22.6100, lng: 114.0290 },
  { code: '440304001001', name: '上沙社区', streetCode: '440304001', lat: 22.5230, lng: 114.0300 },
  { code: '440308001001', name: '沙头角社区', streetCode: '440308001', lat: 22.5480, lng: 114.2240 },
  { code: '440306001001', name: '海旺社区', streetCode: '440306001', lat: 22.5560, lng: 113.8950 },
  { code: '440312001001', name: '葵新社区', streetCode: '440312001', lat: 22.6290, lng: 114.4180 },
];

/** The community the contract's demo centres on: Shuibei (水贝), Cuizhu street, Luohu. */
export const SHUIBEI = '440303003001';
/** Dongxiao street (东晓街道), whose shared-parking scheme the parking seed reproduces. */
export const DONGXIAO_STREET = '440303002';

export type DepartmentKind =
  | 'HOUSING' | 'URBAN_MANAGEMENT' | 'TRAFFIC_POLICE' | 'HUMAN_RESOURCES' | 'CIVIL_AFFAIRS' | 'WATER'
  | 'ECOLOGY' | 'HEALTH' | 'MARKET_REGULATION' | 'EDUCATION' | 'PLANNING' | 'EMERGENCY' | 'PUBLIC_SECURITY'
  | 'TRANSPORT' | 'STREET_OFFICE';

export interface DepartmentSeed {
  id: string;
  name: string;
  kind: DepartmentKind;
  /** District the department belongs to; absent for city-level departments. */
  districtCode?: string;
  /** Street offices belong to one street. */
  streetCode?: string;
}

const DISTRICT_DEPARTMENTS: Array<[DepartmentKind, string, string]> = [
  ['HOUSING', 'HOUSING', '住房和建设局'],
  ['URBAN_MANAGEMENT', 'URBAN', '城市管理和综合执法局'],
  ['TRAFFIC_POLICE', 'TRAFFIC', '交通警察大队'],
  ['HUMAN_RESOURCES', 'HR', '人力资源局'],
  ['CIVIL_AFFAIRS', 'CIVIL', '民政局'],
  ['WATER', 'WATER', '水务局'],
  ['ECOLOGY', 'ECO', '生态环境分局'],
  ['HEALTH', 'HEALTH', '卫生健康局'],
  ['MARKET_REGULATION', 'MARKET', '市场监督管理分局'],
  ['EDUCATION', 'EDU', '教育局'],
  ['PLANNING', 'PLAN', '规划和自然资源分局'],
  ['EMERGENCY', 'EMERG', '应急管理局'],
  ['PUBLIC_SECURITY', 'POLICE', '公安分局'],
  ['TRANSPORT', 'TRANS', '交通运输局'],
];

const DEPT_PREFIX: Record<string, string> = {
  '440303': 'LH', '440311': 'GM', '440307': 'LG', '440310': 'PS', '440305': 'NS', '440309': 'LHUA', '440304': 'FT',
  '440308': 'YT', '440306': 'BA', '440312': 'DP',
};

/** Every district gets the full set of departments; every street gets its street office. */
export const DEPARTMENTS: DepartmentSeed[] = [
  ...DISTRICTS.flatMap((d) =>
    DISTRICT_DEPARTMENTS.map(([kind, suffix, name]) => ({
      id: `${DEPT_PREFIX[d.code]}-${suffix}`,
      name: `${d.name}${name}`,
      kind,
      districtCode: d.code,
    })),
  ),
  ...STREETS.map((s) => ({
    id: `ST-${s.code}`,
    name: `${s.name}办事处`,
    kind: 'STREET_OFFICE' as const,
    districtCode: s.districtCode,
    streetCode: s.code,
  })),
];

/** Luohu's urban management bureau: the demo clerk's department. */
export const DEMO_STAFF_DEPARTMENT = 'LH-URBAN';
