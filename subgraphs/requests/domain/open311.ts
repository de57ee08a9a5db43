import type { RequestStatus } from './lifecycle';
import { isOpen } from './lifecycle';

/** GeoReport v2's bounds on requests.json: a span of at most 90 days, at most 1000 results. */
export const OPEN311_MAX_DAYS = 90;
export const OPEN311_MAX_RESULTS = 1000;

/** Keys start with this, so a leaked one is recognisable (in logs, in code searches). */
export const OPEN311_KEY_PREFIX = 'cg311_';

/** The timeline role of an app (RequestEvent.role). */
export const OPEN311_APP_ROLE = 'open311_app';

/** An app's requests are filed by the app's own account. */
export const submitterOfApp = (appId: string) => `open311:${appId}`;

/** GeoReport has no title: the description's first line, cut to 30 characters. */
export function open311Title(description: string): string {
  const line = description.split('\n')[0]!.trim();
  const chars = Array.from(line);
  return chars.length > 30 ? `${chars.slice(0, 29).join('')}…` : line;
}

/** Public status notes: the state in Chinese, never a clerk's free note (it may name people). */
const STATUS_NOTES: Record<RequestStatus, string> = {
  SUBMITTED: '已受理，等待派单',
  DISPATCHED: '已派单至责任部门',
  ACCEPTED: '责任部门已签收',
  IN_PROGRESS: '办理中',
  RETURNED: '已退回，重新派单中',
  RESOLVED: '已办结，等待评价',
  REOPENED: '评价不满意，重新办理',
  CLOSED: '已办结',
  DUPLICATE: '重复诉求，已并入原诉求办理',
};

/** Runs of 7+ digits (phone and ID numbers people type into titles) become asterisks. */
export const maskDigitRuns = (text: string) => text.replace(/\d{7,}/g, (run) => '*'.repeat(run.length));

/** Coordinates rounded to 3 decimals (about 100 m): the place of the matter, not someone's door. */
export const roundCoordinate = (value: number | null | undefined) => (value == null ? null : Math.round(value * 1000) / 1000);

export interface PublicServiceRequestParts {
  number: string;
  status: RequestStatus;
  title: string;
  itemCode: string;
  itemName: string | null;
  departmentName: string | null;
  communityCode: string;
  communityName: string | null;
  lat?: number | null;
  lng?: number | null;
  submittedAt: Date;
  updatedAt: Date | null;
  dueAt: Date;
  /** The number of the request this one was linked to as a duplicate. */
  duplicateOf: string | null;
}

/**
 * A request as GeoReport v2 publishes it to anyone. Only what describes the matter: its title
 * with digit runs masked (not the resident's full text), the community as the address, rounded
 * coordinates, the state as a fixed note; no submitter, contact, address line or timeline notes.
 */
export function publicServiceRequest(p: PublicServiceRequestParts) {
  return {
    service_request_id: p.number,
    status: isOpen(p.status) ? 'open' : 'closed',
    status_notes: STATUS_NOTES[p.status],
    service_name: p.itemName,
    service_code: p.itemCode,
    description: maskDigitRuns(p.title),
    agency_responsible: p.departmentName,
    service_notice: p.duplicateOf ? duplicateMessage(p.duplicateOf) : null,
    requested_datetime: p.submittedAt,
    updated_datetime: p.updatedAt,
    expected_datetime: p.dueAt,
    address: p.communityName,
    address_id: p.communityCode,
    zipcode: null,
    lat: roundCoordinate(p.lat),
    long: roundCoordinate(p.lng),
    media_url: null,
  };
}

/** What a resident is told when a submission was linked to an open request. */
export const duplicateMessage = (number: string) => `您的诉求与 ${number} 内容相似，已并入该诉求一并办理，可通过该编号查看进度。`;
