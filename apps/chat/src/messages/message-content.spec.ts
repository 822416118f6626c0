import { ErrorCode } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';
import { assertValidContent, codePointLength, preview } from './message-content';

function codeOf(content: string, maxLength = 10): string | undefined {
  try {
    assertValidContent(content, maxLength);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('message content', () => {
  describe(codePointLength.name, () => {
    it.each([
      ['hello', 5],
      ['héllo', 5],
      ['e\u0301', 2], // decomposed é: two code points
      ['日本語', 3],
      ['नमस्ते', 6],
      ['😀', 1], // two UTF-16 units, one code point
      ['👍🏽', 2], // emoji + skin-tone modifier
      ['👨‍👩‍👧', 5], // ZWJ family: three people, two joiners
      ['🇳🇬', 2], // flag: two regional indicators
      ['𝄞', 1],
      ['', 0],
    ])('counts %p as %i code points', (text, expected) => {
      expect(codePointLength(text)).toBe(expected);
      expect(codePointLength(text)).toBe([...text].length);
    });
  });

  describe(assertValidContent.name, () => {
    it('accepts ordinary text in any script, emoji and line breaks', () => {
      for (const content of [
        'Hello there',
        'Ẹ káàbọ̀',
        '你好',
        'مرحبا',
        '😀😀',
        'line one\nline two\ttab',
        ' padded ',
      ]) {
        expect(codeOf(content, 40)).toBeUndefined();
      }
    });

    it('refuses empty content with missing_content', () => {
      expect(codeOf('')).toBe(ErrorCode.missing_content);
    });

    it.each([' ', '\n\t ', '\u00a0', '\u3000', '\u200b', '\ufeff', '\u200d\u200d', '\u2060'])(
      'refuses blank content %p with invalid_content',
      (content) => {
        expect(codeOf(content)).toBe(ErrorCode.invalid_content);
      },
    );

    it.each(['\ud83d', 'a\ude00b', 'x\ud800', '\udfff'])('refuses the lone surrogate in %p', (content) => {
      expect(codeOf(content)).toBe(ErrorCode.invalid_content);
    });

    it.each(['a\u0000b', 'bell\u0007', 'esc\u001b[31m', 'del\u007f', 'c1\u0085'])(
      'refuses control characters in %p',
      (content) => {
        expect(codeOf(content)).toBe(ErrorCode.invalid_content);
      },
    );

    it('allows exactly the maximum in code points, whatever the script, and refuses one more', () => {
      for (const unit of ['a', 'é', '日', '😀', '𝄞']) {
        expect(codeOf(unit.repeat(10), 10)).toBeUndefined();
        expect(codeOf(unit.repeat(11), 10)).toBe(ErrorCode.invalid_content);
      }
    });

    it('counts a composed emoji by its code points, never truncating', () => {
      const family = '👨‍👩‍👧'; // 5 code points
      expect(codeOf(family.repeat(2), 10)).toBeUndefined();
      expect(codeOf(family.repeat(2) + 'a', 10)).toBe(ErrorCode.invalid_content);
    });
  });

  describe(preview.name, () => {
    it('keeps short text as is', () => {
      expect(preview('hello', 5)).toBe('hello');
    });

    it('cuts long text at a grapheme boundary and marks the cut', () => {
      expect(preview('hello world', 5)).toBe('hello…');
      // the family emoji (5 code points) does not fit after "ab" in 6: never split inside it
      expect(preview('ab👨‍👩‍👧cd', 6)).toBe('ab…');
      expect(preview('😀😀😀', 2)).toBe('😀😀…');
    });
  });
});
