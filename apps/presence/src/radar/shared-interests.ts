/**
 * Shared interests on the radar: the overlap of two users' vibes. A vibe is free text such as
 * "Coffee, #techno and long walks"; hashtags and plain words count alike ("#Coffee" matches "coffee"),
 * case- and accent-insensitively, with stop-words, single characters and bare numbers ignored.
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each else ever few for from further get got had has have having he ' +
    'her here hers herself him himself his how i if in into is it its itself just let like lets me more most much must my ' +
    'myself no nor not now of off on once only or other our ours ourselves out over own really same she should so some ' +
    'such than that the their theirs them themselves then there these they this those through to too under until up us ' +
    'very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    "im i'm ive i've id i'd ill i'll youre you're dont don't cant can't wont won't isnt isn't thats that's " +
    'today tonight now anyone someone something looking lets vibe vibes vibing feeling mood'
  ).split(' '),
);

const TOKEN = /#?[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu;

/** Normalised interest tokens of a vibe, in order of first appearance, without duplicates. */
export function interestTokens(vibe: string | null | undefined): string[] {
  if (!vibe) return [];
  const normalised = vibe
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const seen = new Set<string>();
  for (const match of normalised.matchAll(TOKEN)) {
    const token = match[0].replace(/^#/, '').replace(/['_-]+$/, '');
    if (token.length < 2 || /^\p{N}+$/u.test(token) || STOP_WORDS.has(token)) continue;
    seen.add(token);
  }
  return [...seen];
}

/** Tokens both vibes contain, in the order they appear in the viewer's vibe, at most `limit`. */
export function sharedInterests(viewerTokens: readonly string[], otherTokens: readonly string[], limit = 10): string[] {
  if (viewerTokens.length === 0 || otherTokens.length === 0) return [];
  const other = new Set(otherTokens);
  const shared: string[] = [];
  for (const token of viewerTokens) {
    if (other.has(token)) shared.push(token);
    if (shared.length >= limit) break;
  }
  return shared;
}
