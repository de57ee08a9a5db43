/** What classification needs of an item. */
export interface ClassifiableItem {
  _id: string;
  keywords: string[];
  fallback?: boolean;
}

/**
 * Picks the responsibility item whose keywords best match the text: each keyword found counts
 * once, twice when it is in the title; the longest matching keyword breaks ties (more specific),
 * then list order. Returns null when no keyword matches (the caller falls back to 其他).
 */
export function classify<T extends ClassifiableItem>(title: string, description: string, items: readonly T[]): T | null {
  let best: T | null = null;
  let bestScore = 0;
  let bestLongest = 0;
  for (const item of items) {
    if (item.fallback) continue;
    let score = 0;
    let longest = 0;
    for (const word of item.keywords) {
      if (!word) continue;
      const inTitle = title.includes(word);
      const inText = inTitle || description.includes(word);
      if (!inText) continue;
      score += inTitle ? 2 : 1;
      longest = Math.max(longest, word.length);
    }
    if (score > bestScore || (score === bestScore && score > 0 && longest > bestLongest)) {
      best = item;
      bestScore = score;
      bestLongest = longest;
    }
  }
  return best;
}
