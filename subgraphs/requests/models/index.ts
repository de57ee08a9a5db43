import type { Connection } from 'mongoose';
import { accessLogModel } from './access-log';
import { calendarDayModel, calendarNoticeModel } from './calendar';
import { cannotDoCaseModel } from './cannot-do';
import { categoryModel, itemModel } from './catalog';
import { claimModel } from './claim';
import { communityOrderModel } from './community-order';
import { departmentModel } from './department';
import { microProjectModel, microProjectVoteModel } from './micro-project';
import { communityModel, districtModel, streetModel } from './places';
import { counterModel, returnModel, supervisionModel } from './records';
import { requestModel } from './request';
import { residentModel } from './resident';
import { statsCounterModel } from './stats-counter';
import { supervisionAlertModel } from './supervision-alert';
import { policyPushModel, welfarePolicyModel } from './welfare';
import { categoryVersionModel, itemVersionModel } from './list-versions';
import { auditModel } from '../../../shared/subgraph/audit';
import { open311AppModel, open311ContactModel } from './open311';

/** Binds every model to the subgraph's own connection; calling it twice reuses the same models. */
export function createModels(conn: Connection) {
  return {
    District: districtModel(conn),
    Street: streetModel(conn),
    Community: communityModel(conn),
    Department: departmentModel(conn),
    MicroProject: microProjectModel(conn),
    MicroProjectVote: microProjectVoteModel(conn),
    Resident: residentModel(conn),
    Category: categoryModel(conn),
    Item: itemModel(conn),
    Request: requestModel(conn),
    Return: returnModel(conn),
    Supervision: supervisionModel(conn),
    Counter: counterModel(conn),
    StatsCounter: statsCounterModel(conn),
    CommunityOrder: communityOrderModel(conn),
    WelfarePolicy: welfarePolicyModel(conn),
    PolicyPush: policyPushModel(conn),
    Claim: claimModel(conn),
    AccessLog: accessLogModel(conn),
    CalendarDay: calendarDayModel(conn),
    CalendarNotice: calendarNoticeModel(conn),
    SupervisionAlert: supervisionAlertModel(conn),
    ItemVersion: itemVersionModel(conn),
    CategoryVersion: categoryVersionModel(conn),
    Audit: auditModel(conn, 'requests_audit'),
    CannotDoCase: cannotDoCaseModel(conn),
    Open311App: open311AppModel(conn),
    Open311Contact: open311ContactModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

export type { AccessLogDoc } from './access-log';
export type { CalendarDayDoc } from './calendar';
export type { CannotDoCaseDoc } from './cannot-do';
export type { CategoryDoc, ItemDoc } from './catalog';
export type { CommunityOrderDoc } from './community-order';
export type { DepartmentDoc } from './department';
export type { MicroProjectDoc, MicroProjectEventDoc, MicroProjectVoteDoc } from './micro-project';
export type { CommunityDoc, DistrictDoc, StreetDoc } from './places';
export type { ReturnDoc, SupervisionDoc } from './records';
export type { RequestDoc, RequestEventDoc } from './request';
export type { ResidentDoc } from './resident';
export type { StatsCounterDoc } from './stats-counter';
export type { SupervisionAlertDoc } from './supervision-alert';
export type { PolicyPushDoc, WelfarePolicyDoc } from './welfare';
export type { CategoryVersionDoc, ItemVersionDoc } from './list-versions';
export type { Open311AppDoc, Open311ContactDoc } from './open311';
