import type { ConnectionRequest, User } from '@gisbi/contracts';
import type { RequestRecord } from './records';
import { compareForRequestList, effectiveState, isExpired, resolutionHead, toConnectionRequest } from './request-view';

const ada: User = { id: 'user_ada', name: 'Ada', age: 28, avatar: null, gender: 'female', vibe: 'coffee?', vibeExpiresAt: null };
const bola: User = { id: 'user_bola', name: 'Bola', age: null, avatar: 'https://cdn.example.com/b.png', gender: null, vibe: null, vibeExpiresAt: null };
const createdAt = new Date('2026-04-17T12:00:00.000Z');
const expiresAt = new Date('2026-04-17T12:10:00.000Z');

function aRequest(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: 'req_1',
    senderId: ada.id,
    recipientId: bola.id,
    userAId: ada.id,
    userBId: bola.id,
    status: 'pending',
    closureReason: null,
    createdAt,
    expiresAt,
    resolvedAt: null,
    ...overrides,
  };
}

describe('toConnectionRequest', () => {
  const now = new Date('2026-04-17T12:01:00.000Z');

  it('shows the recipient the sender, incoming, with every alias', () => {
    const sut = toConnectionRequest(aRequest(), bola.id, ada, now);
    expect(sut).toEqual({
      id: 'req_1',
      requestId: 'req_1',
      fromUserId: ada.id,
      toUserId: bola.id,
      senderId: ada.id,
      receiverId: bola.id,
      user: ada,
      userId: ada.id,
      name: 'Ada',
      age: 28,
      avatar: null,
      snippet: 'Wants to connect with you',
      direction: 'incoming',
      status: 'pending',
      legacyStatus: 'pending',
      closureReason: null,
      createdAt: '2026-04-17T12:00:00.000Z',
      resolvedAt: null,
      expiresAt: '2026-04-17T12:10:00.000Z',
    });
  });

  it('shows the sender the recipient, outgoing', () => {
    const sut = toConnectionRequest(aRequest(), ada.id, bola, now);
    expect(sut).toMatchObject({ user: bola, userId: bola.id, name: 'Bola', age: null, avatar: bola.avatar, direction: 'outgoing', snippet: 'Waiting for a reply' });
  });

  it('calls a rejected request declined and keeps the stored value as legacyStatus', () => {
    const resolvedAt = new Date('2026-04-17T12:02:00.000Z');
    const sut = toConnectionRequest(aRequest({ status: 'rejected', resolvedAt }), ada.id, bola, now);
    expect(sut).toMatchObject({ status: 'declined', legacyStatus: 'rejected', resolvedAt: resolvedAt.toISOString(), expiresAt: null });
  });

  it('keeps the closure reason of a request closed before activation', () => {
    const sut = toConnectionRequest(aRequest({ status: 'closed', closureReason: 'account_deleted', resolvedAt: now }), bola.id, ada, now);
    expect(sut).toMatchObject({ status: 'closed', legacyStatus: 'closed', closureReason: 'account_deleted', expiresAt: null });
  });

  it('shows a pending request as missed from the instant it expires, resolved at that instant', () => {
    expect(toConnectionRequest(aRequest(), bola.id, ada, new Date(expiresAt.getTime() - 1)).status).toBe('pending');
    const sut = toConnectionRequest(aRequest(), bola.id, ada, expiresAt);
    expect(sut).toMatchObject({ status: 'missed', legacyStatus: 'missed', resolvedAt: expiresAt.toISOString(), expiresAt: null });
  });
});

describe('effectiveState', () => {
  it('leaves resolved requests as stored', () => {
    const resolvedAt = new Date('2026-04-17T12:03:00.000Z');
    expect(effectiveState(aRequest({ status: 'accepted', resolvedAt }), new Date('2027-01-01'))).toEqual({ status: 'accepted', resolvedAt });
  });

  it('expires at the exact instant, not before', () => {
    expect(isExpired(aRequest(), new Date(expiresAt.getTime() - 1))).toBe(false);
    expect(isExpired(aRequest(), expiresAt)).toBe(true);
  });
});

describe('resolutionHead', () => {
  it('carries the request and its direction for the viewer', () => {
    const resolvedAt = new Date('2026-04-17T12:04:00.000Z');
    const record = aRequest({ status: 'missed', resolvedAt });
    const sut = resolutionHead(record, bola.id, ada, resolvedAt);
    expect(sut).toMatchObject({ requestId: 'req_1', fromUserId: ada.id, toUserId: bola.id, direction: 'incoming', resolvedAt: resolvedAt.toISOString() });
    expect(sut.request.status).toBe('missed');
  });
});

describe('compareForRequestList', () => {
  function listed(id: string, status: ConnectionRequest['status'], created: string, resolved: string | null): ConnectionRequest {
    return { ...toConnectionRequest(aRequest({ id }), ada.id, bola, createdAt), requestId: id, id, status, createdAt: created, resolvedAt: resolved };
  }

  it('puts pending first by createdAt descending, then the rest by resolvedAt descending', () => {
    const items = [
      listed('req_a', 'declined', '2026-04-17T10:00:00Z', '2026-04-17T10:05:00Z'),
      listed('req_b', 'pending', '2026-04-17T11:00:00Z', null),
      listed('req_c', 'missed', '2026-04-17T09:00:00Z', '2026-04-17T10:09:00Z'),
      listed('req_d', 'pending', '2026-04-17T11:30:00Z', null),
      listed('req_e', 'accepted', '2026-04-17T10:01:00Z', '2026-04-17T10:02:00Z'),
    ];
    expect(items.sort(compareForRequestList).map((item) => item.requestId)).toEqual(['req_d', 'req_b', 'req_c', 'req_a', 'req_e']);
  });

  it('orders ties by ID, newest first', () => {
    const items = [
      listed('req_1', 'declined', '2026-04-17T10:00:00Z', '2026-04-17T10:05:00Z'),
      listed('req_2', 'declined', '2026-04-17T10:00:00Z', '2026-04-17T10:05:00Z'),
    ];
    expect(items.sort(compareForRequestList).map((item) => item.requestId)).toEqual(['req_2', 'req_1']);
  });
});
