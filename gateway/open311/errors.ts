import type { GraphQLFormattedError } from 'graphql';
import { statusOf } from '../../shared/platform/error-codes';
import type { Open311Error } from './format';

/** A request Open311 answers with the spec's error list instead of data. */
export class Open311Refusal {
  constructor(
    readonly status: number,
    readonly errors: Open311Error[],
    readonly headers: Record<string, string> = {},
  ) {}

  static of(status: number, description: string): Open311Refusal {
    return new Open311Refusal(status, [{ code: status, description }]);
  }
}

/** The graph's input fields under GeoReport's parameter names, so errors speak the client's terms. */
const PARAMETER_OF_FIELD: Record<string, string> = {
  'input.apiKey': 'api_key',
  'input.serviceCode': 'service_code',
  'input.description': 'description',
  'input.title': 'description',
  'input.lat': 'lat',
  'input.lng': 'long',
  'input.addressId': 'address_id',
  'input.communityCode': 'address_id',
  'input.address': 'address_string',
  'input.email': 'email',
  'input.phone': 'phone',
  'input.firstName': 'first_name',
  'input.lastName': 'last_name',
  'input.deviceId': 'device_id',
  'input.accountId': 'account_id',
  'input.mediaUrl': 'media_url',
  start: 'start_date',
  end: 'end_date',
  status: 'status',
  serviceCodes: 'service_code',
  ids: 'service_request_id',
};

/** The HTTP status of a GraphQL error code; codes that answer 200 in GraphQL (a subgraph down) are 503 here. */
export function statusOfCode(code: unknown): number {
  if (typeof code !== 'string') return 500;
  const status = statusOf(code);
  if (status >= 400) return status;
  return code.startsWith('SUBGRAPH_') ? 503 : 500;
}

/**
 * The spec's errors for GraphQL errors already through the gateway's one formatter (so masked in
 * production): each error's status as its `code`, its reason under the GeoReport parameter name.
 */
export function fromGraphQLErrors(errors: readonly GraphQLFormattedError[], headers: Record<string, string> = {}): Open311Refusal {
  const mapped = errors.map((e) => {
    const code = statusOfCode(e.extensions?.code);
    const field = typeof e.extensions?.field === 'string' ? e.extensions.field.replace(/^\$/, '') : undefined;
    const reason = typeof e.extensions?.reason === 'string' ? e.extensions.reason : undefined;
    const parameter = field ? (PARAMETER_OF_FIELD[field] ?? PARAMETER_OF_FIELD[field.replace(/\.\d+$/, '')] ?? field) : undefined;
    return { code, description: parameter && reason ? `${parameter}: ${reason}` : e.message };
  });
  return new Open311Refusal(mapped[0]?.code ?? 500, mapped, headers);
}
