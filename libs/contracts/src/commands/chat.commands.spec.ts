import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import {
  ChatHistoryFetchPayload,
  ChatHistoryPagePayload,
  ChatLocationSharePayload,
  ChatLocationStopPayload,
  ChatMessageCreatePayload,
  ChatMessageReadPayload,
  ChatTypingPayload,
  SharedLocation,
} from './chat.commands';

describe(ChatMessageCreatePayload.name, () => {
  it('accepts the contract example and an optional clientMessageId', () => {
    expect(
      validateInput(ChatMessageCreatePayload, { recipientId: 'user_456', content: 'Hello there' }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      validateInput(ChatMessageCreatePayload, {
        recipientId: 'user_456',
        content: 'Hi',
        clientMessageId: 'c-1',
      }),
    ).toMatchObject({ ok: true, value: { clientMessageId: 'c-1' } });
  });

  it('leaves content length rules to the chat service', () => {
    expect(validateInput(ChatMessageCreatePayload, { recipientId: 'user_456', content: '' })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    [{ content: 'Hi' }, ErrorCode.missing_recipientId],
    [{ recipientId: 'user_456' }, ErrorCode.missing_content],
    [{ recipientId: 'user_456', content: null }, ErrorCode.missing_content],
    [{ recipientId: 'user_456', content: 42 }, ErrorCode.invalid_content],
    [{ recipientId: 'user_456', content: { text: 'Hi' } }, ErrorCode.invalid_content],
    [{ recipientId: 'user_456', content: 'Hi', clientMessageId: 'x'.repeat(65) }, ErrorCode.invalid_payload],
  ])('refuses %p', (input, code) => {
    expect(validateInput(ChatMessageCreatePayload, input)).toMatchObject({ ok: false, code });
  });
});

describe(ChatHistoryFetchPayload.name, () => {
  it('takes no fields', () => {
    expect(validateInput(ChatHistoryFetchPayload, {})).toMatchObject({ ok: true });
  });
});

describe(ChatHistoryPagePayload.name, () => {
  it('accepts otherUserId with optional before and limit', () => {
    expect(validateInput(ChatHistoryPagePayload, { otherUserId: 'user_456' })).toMatchObject({ ok: true });
    expect(
      validateInput(ChatHistoryPagePayload, { otherUserId: 'user_456', before: 'cur', limit: 50 }),
    ).toMatchObject({
      ok: true,
    });
  });

  it.each([
    [{}, ErrorCode.missing_userId],
    [{ otherUserId: 'user_456', before: '' }, ErrorCode.invalid_cursor],
    [{ otherUserId: 'user_456', before: 'c'.repeat(513) }, ErrorCode.invalid_cursor],
    [{ otherUserId: 'user_456', limit: 0 }, ErrorCode.invalid_limit],
    [{ otherUserId: 'user_456', limit: 51 }, ErrorCode.invalid_limit],
    [{ otherUserId: 'user_456', limit: 2.5 }, ErrorCode.invalid_limit],
    [{ otherUserId: 'user_456', limit: '10' }, ErrorCode.invalid_limit],
  ])('refuses %p', (input, code) => {
    expect(validateInput(ChatHistoryPagePayload, input)).toMatchObject({ ok: false, code });
  });
});

describe(ChatMessageReadPayload.name, () => {
  it('requires messageId', () => {
    expect(validateInput(ChatMessageReadPayload, { messageId: 'msg_123' })).toMatchObject({ ok: true });
    expect(validateInput(ChatMessageReadPayload, {})).toMatchObject({ code: ErrorCode.missing_messageId });
  });
});

describe(ChatTypingPayload.name, () => {
  it('requires recipientId and a boolean isTyping', () => {
    expect(validateInput(ChatTypingPayload, { recipientId: 'user_456', isTyping: true })).toMatchObject({
      ok: true,
    });
    expect(validateInput(ChatTypingPayload, { isTyping: true })).toMatchObject({
      code: ErrorCode.missing_recipientId,
    });
    expect(validateInput(ChatTypingPayload, { recipientId: 'user_456', isTyping: 'yes' })).toMatchObject({
      code: ErrorCode.invalid_payload,
      message: 'isTyping must be a boolean',
    });
  });
});

describe(ChatLocationSharePayload.name, () => {
  const example = {
    recipientId: 'user_456',
    fromUserId: 'user_123',
    location: {
      lat: 6.5244,
      lng: 3.3792,
      accuracyMeters: 6.2,
      heading: 120.0,
      updatedAt: '2026-04-15T22:00:00Z',
    },
  };

  it('accepts the contract example as a SharedLocation', () => {
    const sut = validateInput(ChatLocationSharePayload, example);

    expect(sut).toMatchObject({ ok: true });
    if (!sut.ok) return;
    expect(sut.value.location).toBeInstanceOf(SharedLocation);
    expect(sut.value.location).toEqual(example.location);
  });

  it.each([
    [
      'recipientId absent',
      { ...example, recipientId: undefined },
      ErrorCode.missing_recipientId,
      'recipientId is required',
    ],
    [
      'location absent',
      { ...example, location: undefined },
      ErrorCode.invalid_location,
      'location is required',
    ],
    [
      'location a string',
      { ...example, location: '6.5,3.3' },
      ErrorCode.invalid_location,
      'location must be an object',
    ],
    [
      'location an array',
      { ...example, location: [example.location] },
      ErrorCode.invalid_location,
      'location must be an object',
    ],
    [
      'lat out of range',
      { ...example, location: { lat: 91, lng: 0 } },
      ErrorCode.invalid_location,
      'location.lat must be a finite number between -90 and 90',
    ],
    [
      'lng absent',
      { ...example, location: { lat: 1 } },
      ErrorCode.invalid_location,
      'location.lng is required',
    ],
    [
      'updatedAt not ISO',
      { ...example, location: { lat: 1, lng: 1, updatedAt: 'yesterday' } },
      ErrorCode.invalid_location,
      'location.updatedAt must be an ISO-8601 date-time with a time zone',
    ],
  ])('refuses %s', (_case, input, code, message) => {
    expect(validateInput(ChatLocationSharePayload, input)).toMatchObject({ ok: false, code, message });
  });
});

describe(ChatLocationStopPayload.name, () => {
  it('requires recipientId and tolerates fromUserId', () => {
    expect(
      validateInput(ChatLocationStopPayload, { recipientId: 'user_456', fromUserId: 'user_123' }),
    ).toMatchObject({
      ok: true,
    });
    expect(validateInput(ChatLocationStopPayload, { fromUserId: 'user_123' })).toMatchObject({
      code: ErrorCode.missing_recipientId,
    });
  });
});
