/**
 * The GraphQL operations behind GeoReport v2. Open311 is a door onto the same graph: each
 * endpoint is one of these operations, run through the gateway's pipeline like any client's.
 */

const REQUEST_FIELDS = `service_request_id status status_notes service_name service_code description agency_responsible
  service_notice requested_datetime updated_datetime expected_datetime address address_id zipcode lat long media_url`;

// The items with their category (an id lookup), not categories with their items (a `$in` over
// every category, which FerretDB does not push down).
export const SERVICES = `query Open311Services {
  responsibilityItems(limit: 500) { code name keywords emergency departmentKind dispatchLimitMinutes handlingDays category { code name } }
}`;

export const LIST_REQUESTS = `query Open311Requests($serviceCodes: [ID!], $ids: [ID!], $status: String, $start: DateTime!, $end: DateTime!) {
  open311Requests(serviceCodes: $serviceCodes, ids: $ids, status: $status, start: $start, end: $end, limit: 1000) { ${REQUEST_FIELDS} }
}`;

export const ONE_REQUEST = `query Open311Request($id: ID!) { open311Request(id: $id) { ${REQUEST_FIELDS} } }`;

export const SUBMIT_REQUEST = `mutation Open311Submit($input: Open311SubmitInput!) {
  submitOpen311Request(input: $input) { service_request_id service_notice }
}`;

/** What the operations answer (the subgraph's names are GeoReport's already). */
export type ServiceRequestRow = Record<string, string | number | null>;

export interface ItemsAnswer {
  responsibilityItems: Array<{
    code: string;
    name: string;
    keywords: string[];
    emergency: boolean;
    departmentKind: string;
    dispatchLimitMinutes: number;
    handlingDays: number;
    category: { code: string; name: string };
  }>;
}
