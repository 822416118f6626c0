import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isUnstorableText, UNSTORABLE_TEXT_RULE } from './input-shape';

/** Finite number in [0, 360): 360 is the same heading as 0, so it is not accepted. */
export function IsHeadingDegrees(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHeadingDegrees',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 360,
        defaultMessage: () => '$property must be a finite number in [0, 360)',
      },
    },
    options,
  );
}

// Full date-time with zone, e.g. 2026-04-19T08:00:00Z or 2026-04-19T09:00:00.123+01:00.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function isIsoDateTime(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || !Number.isFinite(Date.parse(value)))
    return false;
  // Date.parse rolls 2026-02-30 over to March; a real calendar date must survive the round trip.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/** ISO-8601 date-time with an explicit zone (a bare date or a local time is ambiguous). */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateTime',
      validator: {
        validate: (value: unknown) => isIsoDateTime(value),
        defaultMessage: () => '$property must be an ISO-8601 date-time with a time zone',
      },
    },
    options,
  );
}

/** Text a database column can store: no NUL character, no unpaired UTF-16 surrogate (non-strings pass). */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStorableText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !isUnstorableText(value),
        defaultMessage: () => `$property ${UNSTORABLE_TEXT_RULE}`,
      },
    },
    options,
  );
}

// C0 and C1 control characters and DEL (tab and line breaks included), the Unicode line and paragraph
// separators and the interlinear annotation controls: a display text is one line of plain text.
const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029\uFFF9-\uFFFB]/u;
// Bidirectional embeddings, overrides and isolates: they reorder the text around them, which lets a name
// pose as another (U+202E turns "evil\u202Egnp.exe" into "evilexe.png"). Plain marks (LRM, RLM) stay.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
// Something a person can see: not only separators, format characters (zero-width spaces, joiners), marks
// and the letters and symbols that render as blank space (Hangul fillers U+115F, U+1160, U+3164, U+FFA0
// and the blank Braille pattern U+2800: the usual ways to make an invisible name).
const VISIBLE = /[^\p{Z}\p{Cf}\p{Cc}\p{M}\s\u115F\u1160\u3164\uFFA0\u2800]/u;

/** Why a display text is refused, or undefined when it is fine (non-strings and blanks are other rules' concern). */
export function displayTextProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim().length === 0) return undefined;
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters';
  if (BIDI_CONTROL.test(value)) return 'must not contain bidirectional override or isolate characters';
  if (!VISIBLE.test(value)) return 'must contain a visible character';
  return undefined;
}

/**
 * Display text such as a name or a vibe, shown to other people: one line, no bidirectional overrides,
 * at least one visible character.
 */
export function IsDisplayText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDisplayText',
      validator: {
        validate: (value: unknown) => displayTextProblem(value) === undefined,
        defaultMessage: (args) => `$property ${displayTextProblem(args?.value) ?? 'is not a valid display text'}`,
      },
    },
    options,
  );
}
