/**
 * Is a chosen secret (ADMIN_TOKEN) strong enough to guard the admin role on a network?
 * Pure: config.ts refines ADMIN_TOKEN with it, so a weak value stops start-up naming the
 * variable. Generated tokens (`bp_` + 256 random bits, 46 characters) pass with a wide margin.
 *
 * Why these rules (issue 15): the platform used to accept any 24 characters, `aaaa…` and the
 * compose file's documented default included. Length alone is not entropy, so a token must
 * also use enough distinct characters, not be mostly one repeated run or a repeated short
 * pattern, and must not be a value printed in our own files (anyone can read those).
 */
export const MIN_TOKEN_LENGTH = 32;
export const MIN_DISTINCT_CHARACTERS = 12;
/** A run of one character this long (e.g. `00000000`) is a placeholder, not a secret. */
const MAX_RUN = 6;

/** Words that only appear in example values; a token containing one was copied from docs. */
export const EXAMPLE_MARKERS = ['change-me', 'changeme', 'example', 'replace-me', 'your-token'] as const;

/**
 * Tokens printed in README.md and docs/ as examples. A copied example is public, whatever its
 * entropy; keep this list in step with the docs (tests/unit/shared/token-strength.test.ts
 * reads the docs and checks each example here is refused).
 */
export const DOCUMENTED_TOKENS: readonly string[] = [];

/** What is wrong with the token, or undefined when it is acceptable. */
export function tokenWeakness(token: string, documented: readonly string[] = DOCUMENTED_TOKENS): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH) return `at least ${MIN_TOKEN_LENGTH} characters (got ${token.length})`;
  const lower = token.toLowerCase();
  const marker = EXAMPLE_MARKERS.find((m) => lower.includes(m));
  if (marker !== undefined) return `contains "${marker}": a documented example value, not a secret`;
  if (documented.includes(token)) return 'is an example token printed in the documentation';
  const distinct = new Set(token).size;
  if (distinct < MIN_DISTINCT_CHARACTERS) {
    return `too little variety (${distinct} distinct characters, at least ${MIN_DISTINCT_CHARACTERS}); e.g. openssl rand -base64 32`;
  }
  if (longestRun(token) >= MAX_RUN) return `a run of ${MAX_RUN} or more identical characters; e.g. openssl rand -base64 32`;
  if (isRepeatedPattern(token)) return 'a short pattern repeated; e.g. openssl rand -base64 32';
  return undefined;
}

function longestRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i += 1) {
    run = i > 0 && text[i] === text[i - 1] ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** `abcdefghijklmn` three times over: the first half of the token (or less) repeated. */
function isRepeatedPattern(text: string): boolean {
  for (let size = 1; size <= text.length / 2; size += 1) {
    const unit = text.slice(0, size);
    if (unit.repeat(Math.ceil(text.length / size)).startsWith(text)) return true;
  }
  return false;
}
