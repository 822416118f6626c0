import type { User } from '@gisbi/contracts';
import { toClosedPayload, toConnection, toConnectionRecord } from './connection-view';
import type { ConnectionRow } from './records';

const bola: User = { id: 'user_bola', name: 'Bola', age: 31, avatar: null, gender: null, vibe: 'Live music tonight', vibeExpiresAt: null };
const ada: User = { id: 'user_ada', name: 'Ada', age: null, avatar: 'https://cdn.example.com/a.png', gender: null, vibe: null, vibeExpiresAt: null };
const createdAt = new Date('2026-04-17T12:05:00.000Z');

function aConnection(overrides: Partial<ConnectionRow> = {}): ConnectionRow {
  return {
    id: 'conn_1',
    requestId: 'req_1',
    userAId: ada.id,
    userBId: bola.id,
    senderId: ada.id,
    receiverId: bola.id,
    status: 'active',
    connectedLocation: { lat: 6.5244, lng: 3.3792 },
    createdAt,
    closedAt: null,
    closedByUserId: null,
    closureReason: null,
    ...overrides,
  };
}

const enrichment = { isOnline: true, accumulatedMinutes: 17, nextMilestoneMinutes: 30 };

describe('toConnection', () => {
  it('maps an active connection for the sender', () => {
    expect(toConnection(aConnection(), ada.id, bola, enrichment)).toEqual({
      connectionId: 'conn_1',
      user: bola,
      isOnline: true,
      accumulatedMinutes: 17,
      nextMilestoneMinutes: 30,
      direction: 'outgoing',
      type: 'connection',
      status: 'accepted',
      legacyStatus: 'active',
      senderId: ada.id,
      receiverId: bola.id,
      name: 'Bola',
      age: 31,
      avatar: null,
      snippet: 'Live music tonight',
      closureReason: null,
      closedByUserId: null,
      connectedLocation: { lat: 6.5244, lng: 3.3792 },
      createdAt: createdAt.toISOString(),
      resolvedAt: createdAt.toISOString(),
      closedAt: null,
    });
  });

  it('is incoming for the receiver, with an empty snippet when the other user has no vibe', () => {
    const sut = toConnection(aConnection(), bola.id, ada, enrichment);
    expect(sut).toMatchObject({ direction: 'incoming', snippet: '', user: ada, avatar: ada.avatar, age: null });
  });

  it('says active where the accept event shows a new connection', () => {
    expect(toConnection(aConnection(), ada.id, bola, enrichment, { activeStatus: 'active' }).status).toBe('active');
  });

  it('maps closure fields', () => {
    const closedAt = new Date('2026-04-17T13:00:00.000Z');
    const row = aConnection({ status: 'closed', closedAt, closedByUserId: bola.id, closureReason: 'user_left' });
    expect(toConnection(row, ada.id, bola, enrichment)).toMatchObject({
      status: 'closed',
      legacyStatus: 'closed',
      closedAt: closedAt.toISOString(),
      closedByUserId: bola.id,
      closureReason: 'user_left',
    });
  });
});

describe('toClosedPayload', () => {
  it('names the participant who did not close it as recipient', () => {
    const closedAt = new Date('2026-04-17T13:00:00.000Z');
    const row = aConnection({ status: 'closed', closedAt, closedByUserId: bola.id, closureReason: null });
    expect(toClosedPayload(row)).toEqual({
      connectionId: 'conn_1',
      type: 'connection',
      status: 'closed',
      closedByUserId: bola.id,
      closureReason: null,
      closedAt: closedAt.toISOString(),
      recipientId: ada.id,
    });
  });

  it('refuses an active connection', () => {
    expect(() => toClosedPayload(aConnection())).toThrow('not closed');
  });
});

describe('toConnectionRecord', () => {
  it('is the viewer-independent record', () => {
    expect(toConnectionRecord(aConnection())).toEqual({
      connectionId: 'conn_1',
      requestId: 'req_1',
      userAId: ada.id,
      userBId: bola.id,
      senderId: ada.id,
      receiverId: bola.id,
      status: 'active',
      connectedLocation: { lat: 6.5244, lng: 3.3792 },
      createdAt: createdAt.toISOString(),
      closedAt: null,
    });
  });
});
