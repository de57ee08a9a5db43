import type { HostelDoc } from './models/types';

/**
 * The 15 youth hostels (seed: 15 hostels, 331 beds), one or more per district, each run by its
 * district's human resources bureau. Addresses and phones are realistic, not authoritative.
 */
type HostelSeed = Omit<HostelDoc, 'districtCode' | 'totalBeds'> & { beds: number };

const CAREER = '就业指导';
const POLICY = '人才政策匹配';
const SETTLE = '落户安居指引';
const INTERVIEW = '模拟面试';
const JOBS = '招聘信息推送';
const HKM = '港澳青年一站式服务';

export const HOSTEL_SEEDS: HostelSeed[] = [
  { _id: 'HS-01', name: '深圳青年驿站·罗湖水贝站', address: '深圳市罗湖区翠竹街道水贝二路28号水贝壹号B座3楼', communityCode: '440303003001', lat: 22.5693, lng: 114.1272, phone: '0755-25501201', services: [CAREER, POLICY, SETTLE, JOBS, HKM], hongKongMacaoDesk: true, operatorId: 'LH-HR', beds: 24 },
  { _id: 'HS-02', name: '深圳青年驿站·罗湖黄贝岭站', address: '深圳市罗湖区黄贝街道黄贝岭中村东区12栋', communityCode: '440303001001', lat: 22.5501, lng: 114.1441, phone: '0755-25501202', services: [CAREER, POLICY, SETTLE], hongKongMacaoDesk: false, operatorId: 'LH-HR', beds: 20 },
  { _id: 'HS-03', name: '深圳青年驿站·罗湖东晓站', address: '深圳市罗湖区东晓街道东晓路3068号', communityCode: '440303002001', lat: 22.5829, lng: 114.1334, phone: '0755-25501203', services: [CAREER, JOBS, SETTLE], hongKongMacaoDesk: false, operatorId: 'LH-HR', beds: 18 },
  { _id: 'HS-04', name: '深圳青年驿站·罗湖笋岗站', address: '深圳市罗湖区笋岗街道宝岗路笋岗仓库12栋2楼', communityCode: '440303004001', lat: 22.5624, lng: 114.1094, phone: '0755-25501204', services: [CAREER, POLICY, INTERVIEW], hongKongMacaoDesk: false, operatorId: 'LH-HR', beds: 16 },
  { _id: 'HS-05', name: '深圳青年驿站·福田上沙站', address: '深圳市福田区沙头街道上沙村东村一坊36号', communityCode: '440304001001', lat: 22.5234, lng: 114.0305, phone: '0755-83301105', services: [CAREER, POLICY, SETTLE, INTERVIEW, HKM], hongKongMacaoDesk: true, operatorId: 'FT-HR', beds: 30 },
  { _id: 'HS-06', name: '深圳青年驿站·南山桃源站', address: '深圳市南山区桃源街道龙珠四路龙光社区服务中心旁', communityCode: '440305001001', lat: 22.5645, lng: 113.9594, phone: '0755-26601106', services: [CAREER, POLICY, SETTLE, JOBS, HKM], hongKongMacaoDesk: true, operatorId: 'NS-HR', beds: 32 },
  { _id: 'HS-07', name: '深圳青年驿站·宝安海旺站', address: '深圳市宝安区新安街道海旺社区宝兴路8号', communityCode: '440306001001', lat: 22.5564, lng: 113.8955, phone: '0755-27701107', services: [CAREER, POLICY, JOBS, HKM], hongKongMacaoDesk: true, operatorId: 'BA-HR', beds: 26 },
  { _id: 'HS-08', name: '深圳青年驿站·龙华北站站', address: '深圳市龙华区民治街道北站社区汇德大厦5楼', communityCode: '440309001001', lat: 22.6104, lng: 114.0295, phone: '0755-23301108', services: [CAREER, POLICY, SETTLE, INTERVIEW], hongKongMacaoDesk: false, operatorId: 'LHUA-HR', beds: 28 },
  { _id: 'HS-09', name: '深圳青年驿站·龙岗坪地站', address: '深圳市龙岗区坪地街道坪西路18号', communityCode: '440307001001', lat: 22.7724, lng: 114.3085, phone: '0755-28901109', services: [CAREER, JOBS, SETTLE], hongKongMacaoDesk: false, operatorId: 'LG-HR', beds: 22 },
  { _id: 'HS-10', name: '深圳青年驿站·坪山马峦站', address: '深圳市坪山区马峦街道坪环社区环城南路6号', communityCode: '440310001001', lat: 22.6984, lng: 114.3565, phone: '0755-84601110', services: [CAREER, POLICY], hongKongMacaoDesk: false, operatorId: 'PS-HR', beds: 18 },
  { _id: 'HS-11', name: '深圳青年驿站·光明光明站', address: '深圳市光明区光明街道光明大街218号', communityCode: '440311001001', lat: 22.7594, lng: 113.9395, phone: '0755-23401111', services: [CAREER, POLICY, SETTLE], hongKongMacaoDesk: false, operatorId: 'GM-HR', beds: 20 },
  { _id: 'HS-12', name: '深圳青年驿站·光明公明站', address: '深圳市光明区公明街道上村社区莲塘工业城A3栋', communityCode: '440311002001', lat: 22.7804, lng: 113.8975, phone: '0755-23401112', services: [CAREER, JOBS], hongKongMacaoDesk: false, operatorId: 'GM-HR', beds: 16 },
  { _id: 'HS-13', name: '深圳青年驿站·盐田沙头角站', address: '深圳市盐田区沙头角街道沙深路52号', communityCode: '440308001001', lat: 22.5484, lng: 114.2245, phone: '0755-25201113', services: [CAREER, POLICY, HKM], hongKongMacaoDesk: true, operatorId: 'YT-HR', beds: 20 },
  { _id: 'HS-14', name: '深圳青年驿站·大鹏葵涌站', address: '深圳市大鹏新区葵涌街道葵新社区金业大道91号', communityCode: '440312001001', lat: 22.6294, lng: 114.4185, phone: '0755-28301114', services: [CAREER, SETTLE], hongKongMacaoDesk: false, operatorId: 'DP-HR', beds: 12 },
  { _id: 'HS-15', name: '深圳青年驿站·罗湖翠竹站', address: '深圳市罗湖区翠竹街道翠竹路2038号翠竹大厦4楼', communityCode: '440303003002', lat: 22.5614, lng: 114.1305, phone: '0755-25501215', services: [CAREER, POLICY, SETTLE, INTERVIEW], hongKongMacaoDesk: false, operatorId: 'LH-HR', beds: 29 },
];

/** Dormitory rooms of 4 beds (the last room takes the rest); odd rooms for men, even for women. */
export function bedsFor(hostelId: string, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const roomNo = Math.floor(i / 4) + 1;
    const room = String(100 * (Math.floor((roomNo - 1) / 10) + 1) + (((roomNo - 1) % 10) + 1));
    const code = `${room}-${(i % 4) + 1}`;
    return { _id: `${hostelId}-${code}`, hostelId, code, room, gender: roomNo % 2 === 1 ? ('MALE' as const) : ('FEMALE' as const) };
  });
}
