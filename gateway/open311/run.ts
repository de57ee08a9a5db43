import type { IncomingMessage } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../auth';
import { Refusal, type AccessRecord, type Door, type Identity, type RequestPipeline } from '../pipeline';
import type { RequestSharing } from '../perf/request-sharing';
import { executeAdmitted } from '../transports/execute';
import { fromGraphQLErrors, Open311Refusal } from './errors';

/** What the Open311 door needs from the gateway to run its operations. */
export interface Open311Runner {
  pipeline: RequestPipeline;
  apollo: ApolloServer<GatewayContext>;
  context: (identity: Identity) => GatewayContext;
  /** The API schema clients see (undefined until loaded). */
  schema: () => GraphQLSchema | undefined;
  /** Inbound in-flight request sharing (`REQUEST_SHARING`); undefined when off. */
  sharing?: RequestSharing;
}

/**
 * The door's view of the pipeline. The operations are the gateway's own, fixed here, so the
 * trusted-operations list of the city apps does not apply (as on the admin door); every other
 * stage does.
 */
export const open311Door = (schema: () => GraphQLSchema | undefined): Door => ({ transport: 'open311', schema, trusted: false, subscriptions: false });

function refusalOf(pipeline: RequestPipeline, refusal: Refusal): Open311Refusal {
  return fromGraphQLErrors(pipeline.refusalBody(refusal).errors ?? [], refusal.headers);
}

/**
 * Runs one operation through the pipeline, as the GraphQL door would: identity (an app sends
 * no token: its caller is anonymous and counted by address), parse, limits, rate limit,
 * validation, execution on Apollo Server, the one error formatter, the access log. Resolves with
 * the data, or with the refusal or errors in GeoReport's form.
 */
export async function runOperation<T>(
  runner: Open311Runner,
  req: IncomingMessage,
  access: AccessRecord,
  query: string,
  variables: Record<string, unknown>,
): Promise<T | Open311Refusal> {
  const { pipeline } = runner;
  // The API key is the app's credential; bearer tokens are for the GraphQL doors.
  const identity = await pipeline.identify({ req });
  if (identity instanceof Refusal) {
    access.refused(identity);
    return refusalOf(pipeline, identity);
  }
  access.identified(identity);
  const admitted = await pipeline.admit({ query, variables }, open311Door(runner.schema), identity);
  if (admitted instanceof Refusal) {
    access.refused(admitted);
    return refusalOf(pipeline, admitted);
  }
  access.admitted(admitted);
  const result = await executeAdmitted({ ...runner, deferred: undefined }, admitted, identity);
  if (Symbol.asyncIterator in result) throw new Error('Open311 operations are never deferred');
  access.result(result);
  if (result.errors?.length) return fromGraphQLErrors(result.errors);
  return result.data as T;
}
