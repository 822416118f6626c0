import { ErrorCode } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

// A lone (unpaired) UTF-16 surrogate: with the `u` flag a valid pair is one code point and never matches.
const LONE_SURROGATE = /\p{Surrogate}/u;
// Control characters (C0, DEL, C1) other than tab, line feed and carriage return; NUL cannot even be
// stored in Postgres text.
const FORBIDDEN_CONTROL = /[^\P{Cc}\t\n\r]/u;
// Text that renders as nothing: white space and default-ignorable characters (ZWSP, ZWJ, BOM, ...).
const BLANK = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;

/**
 * Length of `text` in Unicode code points: the one unit chat counts in. An emoji, a CJK ideograph, a
 * Latin letter and a Devanagari sign each count as one code point whatever their UTF-8/UTF-16 size;
 * a composed emoji (family, flag) counts each code point it is made of, exactly like Swift's
 * `unicodeScalars.count`, Kotlin's `codePointCount` and JS `[...text].length`. Only valid for
 * well-formed text (check lone surrogates first).
 */
export function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    length++;
  }
  return length;
}

/**
 * Refuses content chat will not store; never alters or truncates it. Empty → `missing_content`;
 * blank, ill-formed (lone surrogates), control characters or longer than `maxLength` code points →
 * `invalid_content`.
 */
export function assertValidContent(content: string, maxLength: number): void {
  if (content.length === 0)
    throw DomainError.badRequest(ErrorCode.missing_content, 'content must not be empty');
  if (LONE_SURROGATE.test(content)) {
    throw DomainError.badRequest(
      ErrorCode.invalid_content,
      'content must be well-formed Unicode (no lone surrogates)',
    );
  }
  if (FORBIDDEN_CONTROL.test(content)) {
    throw DomainError.badRequest(ErrorCode.invalid_content, 'content must not contain control characters');
  }
  if (BLANK.test(content)) {
    throw DomainError.badRequest(ErrorCode.invalid_content, 'content must not be only white space');
  }
  // Cheap bound first: a string has at least length/2 code points.
  if (content.length > maxLength * 2 || codePointLength(content) > maxLength) {
    throw DomainError.badRequest(
      ErrorCode.invalid_content,
      `content must be at most ${maxLength} characters (Unicode code points)`,
    );
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * At most `maxLength` code points of `content` for a notification preview, cut at a grapheme boundary
 * (never inside an emoji or a combining sequence) and marked with an ellipsis when cut. Stored
 * messages are never shortened.
 */
export function preview(content: string, maxLength: number): string {
  if (codePointLength(content) <= maxLength) return content;
  let kept = '';
  let length = 0;
  for (const { segment } of graphemes.segment(content)) {
    const segmentLength = codePointLength(segment);
    if (length + segmentLength > maxLength) break;
    kept += segment;
    length += segmentLength;
  }
  return `${kept}…`;
}
