import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import {
  ConnectionClosePayload,
  ConnectionHistoryFetchPayload,
  ConnectionRequestAcceptPayload,
  ConnectionRequestRejectPayload,
  ConnectionRequestSendPayload,
  ConnectionRingPayload,
} from './connection.commands';

describe('connection command payloads', () => {
  it.each([ConnectionRequestSendPayload, ConnectionRingPayload])(
    '%p requires userId (missing_userId)',
    (schema) => {
      expect(validateInput(schema, { userId: 'user_456' })).toMatchObject({
        ok: true,
        value: { userId: 'user_456' },
      });
      expect(validateInput(schema, {})).toEqual({
        ok: false,
        code: ErrorCode.missing_userId,
        message: 'userId is required',
        field: 'userId',
      });
      expect(validateInput(schema, { userId: '' })).toMatchObject({ code: ErrorCode.missing_userId });
      expect(validateInput(schema, { userId: 456 })).toMatchObject({
        code: ErrorCode.missing_userId,
        message: 'userId must be a string',
      });
      expect(validateInput(schema, { userId: 'u'.repeat(129) })).toMatchObject({
        code: ErrorCode.missing_userId,
      });
    },
  );

  it.each([ConnectionRequestAcceptPayload, ConnectionRequestRejectPayload])(
    '%p requires requestId (missing_requestId)',
    (schema) => {
      expect(validateInput(schema, { requestId: 'req_123' })).toMatchObject({ ok: true });
      expect(validateInput(schema, {})).toMatchObject({
        code: ErrorCode.missing_requestId,
        message: 'requestId is required',
      });
      expect(validateInput(schema, { requestId: ['req_123'] })).toMatchObject({
        code: ErrorCode.missing_requestId,
      });
    },
  );

  it('connection.close requires connectionId and bounds closureReason', () => {
    expect(
      validateInput(ConnectionClosePayload, { connectionId: 'conn_123', closureReason: 'user_left' }),
    ).toMatchObject({
      ok: true,
      value: { connectionId: 'conn_123', closureReason: 'user_left' },
    });
    expect(validateInput(ConnectionClosePayload, { connectionId: 'conn_123' })).toMatchObject({ ok: true });
    expect(validateInput(ConnectionClosePayload, { closureReason: 'x' })).toMatchObject({
      code: ErrorCode.missing_connectionId,
    });
    expect(
      validateInput(ConnectionClosePayload, { connectionId: 'conn_1', closureReason: 'x'.repeat(201) }),
    ).toMatchObject({
      code: ErrorCode.invalid_payload,
      message: 'closureReason must be at most 200 characters',
    });
    expect(validateInput(ConnectionClosePayload, { connectionId: 'conn_1', closureReason: 5 })).toMatchObject(
      {
        code: ErrorCode.invalid_payload,
      },
    );
  });

  it('connection.history.fetch takes no fields', () => {
    expect(validateInput(ConnectionHistoryFetchPayload, {})).toMatchObject({ ok: true });
    expect(validateInput(ConnectionHistoryFetchPayload, { ignored: 1 })).toMatchObject({ ok: true });
  });
});
