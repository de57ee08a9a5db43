import type { Viewer } from '../platform/auth';
import type { References } from './references';

/**
 * The street of a community: the first 9 digits of its 12-digit statistical division code
 * (统计用区划代码: county 6, town/street 3, village/community 3). A rule of the codes, not data.
 */
export function streetOfCommunity(communityCode: string): string {
  return communityCode.slice(0, 9);
}

/**
 * Refuses (BAD_USER_INPUT naming `field`) a community the requests subgraph, which owns the city's
 * places, does not know, and answers its street. Places are reference data in the database, so a
 * subgraph never checks them against a list of its own.
 */
export async function requireCommunity(references: References, viewer: Viewer, code: string, field: string): Promise<{ code: string; streetCode: string }> {
  const community = await references.require<{ code: string; street?: { code: string } | null }>(
    viewer,
    { owner: 'requests', typename: 'Community', key: { code }, selection: 'code street { code }' },
    field,
  );
  return { code, streetCode: community?.street?.code ?? streetOfCommunity(code) };
}

/** Refuses (BAD_USER_INPUT naming `field`) a department the requests subgraph does not know. */
export async function requireDepartment(references: References, viewer: Viewer, id: string, field: string): Promise<void> {
  await references.require(viewer, { owner: 'requests', typename: 'Department', key: { id }, selection: 'id' }, field);
}
