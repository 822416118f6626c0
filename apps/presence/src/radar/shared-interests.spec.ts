import { interestTokens, sharedInterests } from './shared-interests';

const shared = (viewer: string | null, other: string | null) => sharedInterests(interestTokens(viewer), interestTokens(other));

describe('shared interests', () => {
  it('matches words case-insensitively', () => {
    expect(shared('Coffee and Techno', 'techno, COFFEE')).toEqual(['coffee', 'techno']);
  });

  it('matches hashtags with hashtags and with plain words', () => {
    expect(shared('#coffee #jazz', 'Love jazz and #Coffee')).toEqual(['coffee', 'jazz']);
  });

  it('ignores stop-words, single letters and bare numbers', () => {
    expect(shared('I am at the park with a dog 42', 'the dog is at a park 42 I')).toEqual(['park', 'dog']);
  });

  it('ignores accents and punctuation', () => {
    expect(shared('Café crème!', 'cafe... creme?')).toEqual(['cafe', 'creme']);
  });

  it('keeps non-Latin scripts', () => {
    expect(shared('музыка и кофе', 'кофе')).toEqual(['кофе']);
  });

  it('lists each interest once, in the viewer order', () => {
    expect(shared('hiking hiking #hiking sushi', 'sushi hiking')).toEqual(['hiking', 'sushi']);
  });

  it('is empty without a vibe on either side', () => {
    expect(shared(null, 'coffee')).toEqual([]);
    expect(shared('coffee', null)).toEqual([]);
    expect(shared('', '')).toEqual([]);
    expect(shared('the and of', 'the and of')).toEqual([]);
  });

  it('caps the list', () => {
    const vibe = Array.from({ length: 30 }, (_, i) => `topic${String.fromCharCode(97 + (i % 26))}${i}`).join(' ');
    expect(sharedInterests(interestTokens(vibe), interestTokens(vibe), 10)).toHaveLength(10);
  });

  it('tokenises contractions and hyphenated words as single interests', () => {
    expect(interestTokens("rock'n'roll, k-pop, don't")).toEqual(["rock'n'roll", 'k-pop']);
  });
});
