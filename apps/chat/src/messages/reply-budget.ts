/**
 * Keeps, from each list in priority order, the longest prefix whose JSON still fits the remaining byte
 * budget, so a reply never outgrows the transport's message size whatever the lengths of the messages.
 */
export function fitToBudget<T>(budgetBytes: number, lists: T[][]): T[][] {
  let remaining = budgetBytes;
  return lists.map((list) => {
    const kept: T[] = [];
    for (const item of list) {
      // +1 for the separating comma in the JSON array
      const size = Buffer.byteLength(JSON.stringify(item)) + 1;
      if (size > remaining) break;
      remaining -= size;
      kept.push(item);
    }
    return kept;
  });
}
