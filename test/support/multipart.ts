/** One JSON part of a multipart/mixed answer, with when it arrived (ms since the request was sent). */
export interface ArrivedPart<T = any> {
  body: T;
  atMs: number;
}

/**
 * Reads a `multipart/mixed` GraphQL answer part by part as the bytes arrive (RFC 2046 framing,
 * the boundary from the response's Content-Type), parsing each part's JSON body. Written here
 * rather than taken from a client library so the test checks the framing itself: a delimiter on
 * its own line, headers, a blank line, the body, and the closing `--boundary--`.
 */
export async function* multipartParts(res: Response, startedAt = Date.now()): AsyncGenerator<ArrivedPart> {
  const type = res.headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (!type.startsWith('multipart/mixed') || !boundary) throw new Error(`not a multipart answer: ${type}`);
  const delimiter = `\r\n--${boundary}`;
  const decoder = new TextDecoder();
  let buffer = '';
  let closed = false;
  const reader = res.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    // Every complete part sits between two delimiters.
    for (;;) {
      const start = buffer.indexOf(delimiter);
      if (start < 0) break;
      const after = buffer.slice(start + delimiter.length);
      if (after.startsWith('--')) {
        closed = true;
        buffer = '';
        break;
      }
      const end = after.indexOf(delimiter);
      if (end < 0) break;
      const part = after.slice(0, end);
      buffer = after.slice(end);
      const blank = part.indexOf('\r\n\r\n');
      if (blank < 0) throw new Error(`a part without headers: ${JSON.stringify(part)}`);
      const headers = part.slice(0, blank).trim().toLowerCase();
      if (!headers.includes('content-type: application/json')) throw new Error(`a part that is not JSON: ${headers}`);
      yield { body: JSON.parse(part.slice(blank + 4)), atMs: Date.now() - startedAt };
    }
    if (done || closed) break;
  }
  if (!closed) throw new Error('the multipart answer ended without its closing delimiter');
}

/** Every part of a multipart answer. */
export async function allParts(res: Response, startedAt = Date.now()): Promise<ArrivedPart[]> {
  const parts: ArrivedPart[] = [];
  for await (const p of multipartParts(res, startedAt)) parts.push(p);
  return parts;
}
