import { isParticipant, orderedPair, otherOf } from './pair';

describe('orderedPair', () => {
  it('orders the pair the same way whichever user comes first', () => {
    expect(orderedPair('user_b', 'user_a')).toEqual(['user_a', 'user_b']);
    expect(orderedPair('user_a', 'user_b')).toEqual(['user_a', 'user_b']);
  });
});

describe('otherOf / isParticipant', () => {
  const pair = { userAId: 'user_a', userBId: 'user_b' };
  it('finds the other participant', () => {
    expect(otherOf(pair, 'user_a')).toBe('user_b');
    expect(otherOf(pair, 'user_b')).toBe('user_a');
  });
  it('knows who takes part', () => {
    expect(isParticipant(pair, 'user_a')).toBe(true);
    expect(isParticipant(pair, 'user_c')).toBe(false);
  });
});
