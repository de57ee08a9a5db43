import { GraphQLError, type DocumentNode } from 'graphql';
import { parseWithTokenLimit } from '../../security/analysis';

/**
 * Parse, with the token limit applied while parsing (a huge document never becomes a huge AST).
 * Parsed documents are kept by their source text in a small LRU, so a client repeating an
 * operation is parsed once; parse failures are not kept.
 */
export class DocumentParser {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(
    private readonly maxTokens: number,
    private readonly maxEntries = 2000,
  ) {}

  parse(source: string): DocumentNode {
    const hit = this.documents.get(source);
    if (hit) {
      this.documents.delete(source);
      this.documents.set(source, hit);
      return hit;
    }
    let document: DocumentNode;
    try {
      document = parseWithTokenLimit(source, this.maxTokens);
    } catch (err) {
      const e = err as GraphQLError;
      if (e.extensions?.code) throw e;
      throw new GraphQLError(e.message, { source: e.source, positions: e.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    }
    if (this.documents.size >= this.maxEntries) this.documents.delete(this.documents.keys().next().value as string);
    this.documents.set(source, document);
    return document;
  }
}
