/** The two users of a pair in a stable (lexicographic) order: the key of every pair-level row and lock. */
export function orderedPair(first: string, second: string): [string, string] {
  return first < second ? [first, second] : [second, first];
}

/** The participant of a pair who is not `userId`. */
export function otherOf(pair: { userAId: string; userBId: string }, userId: string): string {
  return pair.userAId === userId ? pair.userBId : pair.userAId;
}

export function isParticipant(pair: { userAId: string; userBId: string }, userId: string): boolean {
  return pair.userAId === userId || pair.userBId === userId;
}
