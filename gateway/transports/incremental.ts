import type { ServerResponse } from 'node:http';
import { Kind, visit, type DocumentNode, type FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from '../auth';
import type { ExecutionOutcome, SubsequentPayload } from '../executor';
import type { Admitted } from '../pipeline';

export type { ExecutionOutcome, SubsequentPayload } from '../executor';

/**
 * Runs an admitted operation that uses `@defer` and delivers its parts as they come (the
 * executor's direct path: Apollo Server cannot carry incremental results from a gateway).
 */
export type DeferredExecutor = (admitted: Admitted, context: GatewayContext) => Promise<ExecutionOutcome>;

/** The media type incremental answers are sent as, and the multipart boundary (Apollo Router's). */
export const MULTIPART_CONTENT_TYPE = 'multipart/mixed; boundary="graphql"; deferSpec=20220824';
const BOUNDARY = 'graphql';

export type DeferUse = 'none' | 'conditional' | 'always';

const deferUses = new WeakMap<DocumentNode, DeferUse>();

/**
 * Whether a document defers anything: `always` when some `@defer` has no `if` (or `if: true`),
 * `conditional` when every one depends on a variable or is `if: false`, else `none`. Cached per
 * parsed document (the pipeline's parser reuses documents by source).
 */
export function deferUse(document: DocumentNode): DeferUse {
  let use = deferUses.get(document);
  if (use) return use;
  use = 'none';
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'defer') return;
      const condition = node.arguments?.find((a) => a.name.value === 'if')?.value;
      if (!condition || (condition.kind === Kind.BOOLEAN && condition.value)) use = 'always';
      else if (use === 'none' && !(condition.kind === Kind.BOOLEAN && !condition.value)) use = 'conditional';
    },
  });
  deferUses.set(document, use);
  return use;
}

/**
 * Whether an `Accept` header takes incremental answers: `multipart/mixed` listed explicitly, with
 * `deferSpec=20220824` or no spec parameter (GraphiQL's fetcher sends the bare type); another
 * spec version only, a wildcard or `q=0` does not count. Other clients get the whole answer.
 */
export function acceptsMultipart(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'multipart/mixed') continue;
    let spec: string | undefined;
    let q = 1;
    for (const p of params) {
      const [name, value = ''] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
      if (name === 'deferspec' || name === 'incrementalspec') spec = `${name}=${value}`;
      if (name === 'q') q = Number(value);
    }
    if (q > 0 && (spec === undefined || spec === 'deferspec=20220824')) return true;
  }
  return false;
}

/**
 * One part, followed at once by the delimiter after it, so a reader knows the part is whole as
 * soon as it arrives (Apollo Router and Apollo Server frame it the same way); the last part is
 * followed by the closing delimiter.
 */
function part(json: unknown, last: boolean): string {
  return `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(json)}\r\n--${BOUNDARY}${last ? '--\r\n' : ''}`;
}

/** Writes one chunk and waits until the socket took it (so a slow reader holds the producer back). */
function write(res: ServerResponse, chunk: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!res.writable || res.destroyed) return resolve(false);
    res.write(chunk, (err) => resolve(!err));
  });
}

/**
 * Sends an incremental outcome as `multipart/mixed; deferSpec=20220824` (Apollo Router's
 * framing: boundary `graphql`, one JSON part per payload, the closing delimiter after the last).
 * `format` passes each payload's errors through the one formatter. A client that goes away ends
 * the executor's iteration, so its remaining deferred fetches are not made.
 */
export async function writeMultipart(
  res: ServerResponse,
  outcome: Extract<ExecutionOutcome, { kind: 'incremental' }>,
  format: { initial: (r: FormattedExecutionResult) => FormattedExecutionResult; subsequent: (p: SubsequentPayload) => SubsequentPayload },
  headers: Record<string, string> = {},
): Promise<void> {
  res.writeHead(200, { ...headers, 'content-type': MULTIPART_CONTENT_TYPE, 'cache-control': 'no-store' });
  const iterator = outcome.subsequent[Symbol.asyncIterator]();
  let open = await write(res, `\r\n--${BOUNDARY}${part(format.initial(outcome.initial), false)}`);
  let ended = false;
  try {
    while (open && !ended) {
      const next = await iterator.next();
      if (next.done) break;
      ended = !next.value.hasNext;
      open = await write(res, part(format.subsequent(next.value), ended));
    }
  } finally {
    if (!ended) await iterator.return?.();
  }
  if (!open) return void res.destroy();
  // An executor that stopped without a last payload (hasNext: false) still gets a closed body.
  res.end(ended ? undefined : '--\r\n');
}

/**
 * The payloads of an outcome one by one, for the doors that send each as its own message
 * (graphql-ws `next`, SSE `next` events): the initial result, then every subsequent payload.
 */
export async function* payloadsOf(outcome: ExecutionOutcome): AsyncGenerator<FormattedExecutionResult | SubsequentPayload> {
  if (outcome.kind === 'single') {
    yield outcome.result;
    return;
  }
  yield outcome.initial;
  for await (const payload of outcome.subsequent) {
    yield payload;
    if (!payload.hasNext) return;
  }
}
