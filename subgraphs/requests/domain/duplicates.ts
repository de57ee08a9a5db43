/**
 * Duplicate detection at submission: a request is a duplicate of an open one when both are about
 * the same community and the same responsibility-list item, the open one was filed within the
 * window, and their texts are similar. Chinese has no spaces between words, so similarity is the
 * Jaccard index of character bigrams of the normalised text (title and description together).
 */

/** How far back an open request is looked for: 72 hours before the new submission. */
export const DUPLICATE_WINDOW_HOURS = 72;

/** Bigram Jaccard index from which two texts count as the same matter. */
export const DUPLICATE_SIMILARITY = 0.6;

/** Most open candidates compared per submission (the newest are in one community and item). */
export const DUPLICATE_CANDIDATES = 200;

/**
 * NFKC (full-width letters and digits become ASCII), lower case, and only letters and digits
 * kept: punctuation, spaces and emoji do not make two reports of one matter differ.
 */
export function normaliseForDuplicates(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The character bigrams of normalised text; a one-character text is its own "bigram". */
export function bigrams(text: string): Set<string> {
  const chars = Array.from(normaliseForDuplicates(text));
  const grams = new Set<string>();
  if (chars.length === 1) grams.add(chars[0]!);
  for (let i = 0; i + 1 < chars.length; i += 1) grams.add(chars[i]! + chars[i + 1]!);
  return grams;
}

/** Jaccard index |A ∩ B| / |A ∪ B| of two bigram sets (0 when both are empty). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** The text a request is compared by. */
export const duplicateText = (r: { title: string; description: string }) => `${r.title}\n${r.description}`;

export function textSimilarity(a: { title: string; description: string }, b: { title: string; description: string }): number {
  return jaccard(bigrams(duplicateText(a)), bigrams(duplicateText(b)));
}

/** Where the window for a submission at `now` begins. */
export const duplicateWindowStart = (now: Date) => new Date(now.getTime() - DUPLICATE_WINDOW_HOURS * 3_600_000);
