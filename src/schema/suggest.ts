/** "Did you mean" suggestions: the closest candidate by case-insensitive edit distance. */

function normalize(word: string): string {
  return word.toLowerCase().replace(/[_-]/g, "");
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate closest to `word`, when it is close enough to be a likely typo
 * (same letters ignoring case, `_` and `-`, at most a third of the letters off, or a part of one name).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const target = normalize(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = distance(target, normalize(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(target.length / 3))) return best;
  // a word that is part of exactly one candidate: `retries` → `maxRetries`
  const containing = target.length >= 4 ? candidates.filter((c) => c !== word && normalize(c).includes(target)) : [];
  return containing.length === 1 ? containing[0] : undefined;
}
