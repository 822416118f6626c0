// The structural rules every untrusted input obeys before any schema looks at it: no prototype keys, a
// bounded nesting depth. One iterative pass, so hostile input can neither pollute a prototype nor
// exhaust the stack of a recursive consumer (class-transformer, JSON.stringify).

/**
 * Keys that name an object's prototype machinery. JSON.parse makes them ordinary own properties, but
 * any merge or assignment that copies them (`Object.assign`, a deep merge) can rewrite a prototype, so
 * they are never accepted as field names, at any depth.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Levels of objects and arrays an input may nest, the input itself being level 1. */
export const MAX_INPUT_DEPTH = 16;

export const TOO_DEEP_MESSAGE = `payload must not nest objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`;

export type InputShapeProblem =
  | { kind: 'prototypeKey'; /** Dotted path of the key. */ field: string }
  | { kind: 'tooDeep'; /** Dotted path of the first container beyond the limit. */ field: string };

export interface InputShape {
  problem?: InputShapeProblem;
  /**
   * Holds ±Infinity (JSON.parse's reading of a literal beyond the double range, e.g. `1e400`). JSON
   * cannot carry it: serialised again it becomes `null`, so whoever forwards such an input must
   * validate it first instead of letting the next hop see a missing value.
   */
  hasNonFiniteNumber: boolean;
}

/** The message a client gets for a structural problem (the same wherever it is found). */
export function describeShapeProblem(problem: InputShapeProblem): string {
  return problem.kind === 'prototypeKey' ? `${problem.field} is not an accepted field` : TOO_DEEP_MESSAGE;
}

interface Frame {
  value: object;
  depth: number;
  key: string | number;
  parent: Frame | undefined;
}

/** Walks `value` once, depth-first in key order and without recursion; stops at the first problem. */
export function inspectInputShape(value: unknown): InputShape {
  let hasNonFiniteNumber = false;
  if (typeof value !== 'object' || value === null) {
    return { hasNonFiniteNumber: typeof value === 'number' && !Number.isFinite(value) };
  }
  const stack: Frame[] = [{ value, depth: 1, key: '', parent: undefined }];
  const children: Frame[] = [];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.depth > MAX_INPUT_DEPTH) {
      return { problem: { kind: 'tooDeep', field: pathOf(frame) }, hasNonFiniteNumber };
    }
    const entries: Iterable<[string | number, unknown]> = Array.isArray(frame.value)
      ? (frame.value as unknown[]).entries()
      : Object.entries(frame.value);
    for (const [key, child] of entries) {
      if (typeof key === 'string' && PROTOTYPE_KEYS.has(key)) {
        return { problem: { kind: 'prototypeKey', field: pathOf(frame, key) }, hasNonFiniteNumber };
      }
      if (typeof child === 'number') {
        if (!Number.isFinite(child)) hasNonFiniteNumber = true;
      } else if (typeof child === 'object' && child !== null) {
        children.push({ value: child, depth: frame.depth + 1, key, parent: frame });
      }
    }
    // Reversed onto the stack, so siblings are visited in key order.
    for (let child = children.pop(); child !== undefined; child = children.pop()) stack.push(child);
  }
  return { hasNonFiniteNumber };
}

function pathOf(frame: Frame, leaf?: string): string {
  const keys: string[] = leaf === undefined ? [] : [leaf];
  for (let at: Frame | undefined = frame; at?.parent !== undefined; at = at.parent)
    keys.unshift(String(at.key));
  return keys.join('.');
}

/**
 * NUL, or half of a UTF-16 surrogate pair: text no Postgres column (text, json, jsonb) can store, and
 * that no client produces for a real character.
 */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isUnstorableText(text: string): boolean {
  return text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
}

export const UNSTORABLE_TEXT_RULE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

export function unstorableTextMessage(field: string): string {
  return `${field} ${UNSTORABLE_TEXT_RULE}`;
}

/**
 * The dotted path of the first string (value or key) in `value` holding unstorable text, if any. Run on
 * validated input, whose depth inspectInputShape has already bounded.
 */
export function findUnstorableText(value: unknown): string | undefined {
  if (typeof value === 'string') return isUnstorableText(value) ? '' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: Array<{ value: object; path: string }> = [{ value, path: '' }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const entries: Iterable<[string | number, unknown]> = Array.isArray(frame.value)
      ? (frame.value as unknown[]).entries()
      : Object.entries(frame.value);
    for (const [key, child] of entries) {
      const path = frame.path === '' ? String(key) : `${frame.path}.${key}`;
      if (typeof key === 'string' && isUnstorableText(key)) return path;
      if (typeof child === 'string') {
        if (isUnstorableText(child)) return path;
      } else if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, path });
      }
    }
  }
  return undefined;
}
