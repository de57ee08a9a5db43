import type { Admitted, Identity } from '../pipeline/types';
import { trackUnmaskedReads } from './dedupe';

/** What the doors report for a request that was answered by another one's execution. */
export interface JoinedRequest {
  admitted: Admitted;
  /** Seconds the joined request waited for the answer. */
  seconds: number;
  /** The app's `apollographql-client-name` / `-version` headers, when the door has them (HTTP). */
  clientName?: string;
  clientVersion?: string;
}

export interface RequestSharingOptions {
  /**
   * Called for every request that joined another's execution, so the bookkeeping Apollo Server's
   * plugins do for an executed request (operation metrics, registry usage) still counts it.
   */
  onJoined?: (joined: JoinedRequest) => void;
}

/** An in-flight execution others may join. */
interface Leader {
  answer: Promise<unknown>;
  /** `unmasked` turns true when the execution read unmasked personal data: then it is not shared. */
  marks: { unmasked: boolean };
}

/**
 * Inbound in-flight request sharing (`REQUEST_SHARING`, default on): identical queries that
 * arrive while one of them is executing wait for its answer instead of executing again. The
 * doors call `execute` after the pipeline admitted the request, so a joined request has been
 * parsed, limited, trusted, counted and validated like any other, and holds its own execution
 * slot until its door has sent the answer; only the execution is shared.
 *
 * Identical means: the same door kind (the answer's shape differs between HTTP and the
 * streaming doors), the same resolved source, operation name, variables and extensions, and
 * the same viewer — the verified claims, which is all of a client's request that reaches the
 * subgraphs (the signed viewer header; the request id and trace headers are per request and
 * do not change answers, so a joined request's id is not seen by the subgraphs).
 *
 * Never shared: mutations and subscriptions (each runs on its own), and operations with
 * `@defer` (their answer is a stream, delivered as it arrives). A mutation also ends every
 * sharing in progress, when it starts and when it has finished, so a query that arrives after
 * a write never receives an answer computed before it; so do a new supergraph and every event
 * a subgraph streams to a subscription. Nor is an execution that read unmasked personal data (a
 * subgraph answer marked `x-citygraph-unmasked-read`, see `trackUnmaskedReads`): each request
 * that joined it executes on its own, so the subgraph logs every request's read. Like fetch sharing, this is not a cache: an answer is
 * forgotten once it has been delivered.
 */
export class RequestSharing {
  private readonly inFlight = new Map<string, Leader>();
  /** Executions others could join (each shared query that ran). */
  led = 0;
  /** Requests answered by another one's execution. */
  shared = 0;

  constructor(private readonly options: RequestSharingOptions = {}) {}

  /** Ends every sharing in progress: requests from now on execute anew. */
  invalidate(): void {
    this.inFlight.clear();
  }

  /**
   * Runs `run` for an admitted operation, or joins an identical one's execution in progress.
   * `door` names the answer's shape (and, for HTTP, what else it depends on: method, Accept).
   */
  async execute<T>(admitted: Admitted, identity: Identity, door: string, run: () => Promise<T>, joined?: Omit<JoinedRequest, 'admitted' | 'seconds'>): Promise<T> {
    if (admitted.kind === 'mutation') {
      this.invalidate();
      try {
        return await run();
      } finally {
        this.invalidate();
      }
    }
    const key = this.keyOf(admitted, identity, door);
    if (key === undefined) return run();
    const leader = this.inFlight.get(key);
    if (leader) {
      const started = process.hrtime.bigint();
      let answer: T;
      try {
        answer = (await leader.answer) as T;
      } catch (err) {
        this.shared += 1;
        this.options.onJoined?.({ admitted, seconds: Number(process.hrtime.bigint() - started) / 1e9, ...joined });
        throw err;
      }
      // The subgraph logged the leader's read of unmasked personal data, not this request's: run it.
      if (leader.marks.unmasked) return run();
      this.shared += 1;
      this.options.onJoined?.({ admitted, seconds: Number(process.hrtime.bigint() - started) / 1e9, ...joined });
      return answer;
    }
    this.led += 1;
    const { answer, marks } = trackUnmaskedReads(run);
    const own: Leader = { answer, marks };
    this.inFlight.set(key, own);
    const done = () => {
      // An invalidation may have let a newer execution take the key: leave that one be.
      if (this.inFlight.get(key) === own) this.inFlight.delete(key);
    };
    answer.then(done, done);
    return answer;
  }

  private keyOf(admitted: Admitted, identity: Identity, door: string): string | undefined {
    if (admitted.kind !== 'query') return undefined;
    // The cheap test first; a document that mentions @defer anywhere is not shared.
    if (admitted.source.includes('@defer')) return undefined;
    const { persistedQuery: _p, cost: _c, ...extensions } = admitted.extensions ?? {};
    return [
      door,
      JSON.stringify(identity.viewer),
      admitted.operationName ?? '',
      JSON.stringify(admitted.variables),
      Object.keys(extensions).length ? JSON.stringify(extensions) : '',
      admitted.source,
    ].join('\n');
  }
}
