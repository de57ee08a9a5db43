import { GraphQLError } from 'graphql';
import { refuseUnregistered, stubReference } from '../../shared/subgraph';

/** The kit's entity and registry helpers: pure functions, no database. */

describe('stubReference', () => {
  it('answers the key alone, as a string, whatever else the representation carries', () => {
    expect(stubReference('code')({ __typename: 'Community', code: '440303003001', name: 'x' })).toEqual({ code: '440303003001' });
    expect(stubReference('id')({ __typename: 'Resident', id: 'R-0002' })).toEqual({ id: 'R-0002' });
  });
});

describe('refuseUnregistered', () => {
  const resident = { role: 'resident' as const, subject: 'R-9', residentId: 'R-9' };
  const refusal = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      return { code: (err as GraphQLError).extensions.code, field: (err as GraphQLError).extensions.field, message: (err as Error).message };
    }
    return null;
  };

  it('refuses a resident the registry does not know, and an unverified one where a real name is asked', () => {
    expect(refusal(() => refuseUnregistered(resident, 'R-9', null, { field: 'viewer' }))).toMatchObject({ code: 'RESIDENT_NOT_REGISTERED', field: 'viewer', message: expect.stringMatching(/you are not in the resident registry/) });
    expect(refusal(() => refuseUnregistered(resident, 'R-7', { registered: false, realNameVerified: false }, { field: 'id' }))).toMatchObject({ code: 'RESIDENT_NOT_REGISTERED', field: 'id', message: expect.stringMatching(/resident R-7 is/) });
    const unverified = { registered: true, realNameVerified: false };
    expect(refusal(() => refuseUnregistered(resident, 'R-9', unverified, { field: 'viewer', realName: true }))).toMatchObject({ code: 'REAL_NAME_REQUIRED' });
    expect(refusal(() => refuseUnregistered(resident, 'R-9', unverified, { field: 'viewer' }))).toBeNull();
  });
});
