import type { ItemsAnswer } from './operations';

/** Department kinds as residents know them (the agency that will handle the service). */
const AGENCY_KIND: Record<string, string> = {
  HOUSING: '住房建设部门',
  URBAN_MANAGEMENT: '城市管理部门',
  TRAFFIC_POLICE: '交通警察部门',
  HUMAN_RESOURCES: '人力资源部门',
  CIVIL_AFFAIRS: '民政部门',
  WATER: '水务部门',
  ECOLOGY: '生态环境部门',
  HEALTH: '卫生健康部门',
  MARKET_REGULATION: '市场监管部门',
  EDUCATION: '教育部门',
  PLANNING: '规划和自然资源部门',
  EMERGENCY: '应急管理部门',
  PUBLIC_SECURITY: '公安部门',
  TRANSPORT: '交通运输部门',
  STREET_OFFICE: '街道办事处',
};

/**
 * The responsibility list as GeoReport services: each item is a service (its code the
 * service_code a POST names), its category the group. No item asks for extra attributes
 * (`metadata: false`), and every one is handled as a request (`type: realtime`).
 */
export function servicesOf(answer: ItemsAnswer) {
  return answer.responsibilityItems.map((item) => ({
    service_code: item.code,
    service_name: item.name,
    description:
      `${item.category.name}：${item.name}。由${AGENCY_KIND[item.departmentKind] ?? item.departmentKind}办理，` +
      `${item.emergency ? '紧急事项，' : ''}${item.dispatchLimitMinutes} 分钟内派单，${item.handlingDays} 个工作日内办结。`,
    metadata: false,
    type: 'realtime',
    keywords: item.keywords.join(','),
    group: item.category.name,
  }));
}
