import { message, type DirectoryUser } from '@gisbi/platform';
import type { Outbound } from '../delivery/fanout';
import type { RequestRecord } from '../model/records';
import { resolutionHead, toConnectionRequest } from '../model/request-view';
import { publicUserOf } from '../model/users';

/** Each participant of a request with the other one's profile. */
function viewers(record: RequestRecord, users: ReadonlyMap<string, DirectoryUser>) {
  return [
    { viewerId: record.senderId, other: publicUserOf(users, record.recipientId) },
    { viewerId: record.recipientId, other: publicUserOf(users, record.senderId) },
  ];
}

/** connection.request.send to both participants, each with their own view of the request. */
export function addSent(out: Outbound, record: RequestRecord, users: ReadonlyMap<string, DirectoryUser>, now: Date): void {
  for (const { viewerId, other } of viewers(record, users)) {
    out.add(viewerId, message('connection.request.send', { request: toConnectionRequest(record, viewerId, other, now) }));
  }
}

/** connection.request.missed to both participants. */
export function addMissed(out: Outbound, record: RequestRecord, users: ReadonlyMap<string, DirectoryUser>, now: Date): void {
  for (const { viewerId, other } of viewers(record, users)) {
    out.add(viewerId, message('connection.request.missed', { ...resolutionHead(record, viewerId, other, now), status: 'missed' }));
  }
}

/** connection.request.reject to both participants: the request says `declined`, the event `rejected`. */
export function addRejected(out: Outbound, record: RequestRecord, users: ReadonlyMap<string, DirectoryUser>, now: Date): void {
  for (const { viewerId, other } of viewers(record, users)) {
    out.add(viewerId, message('connection.request.reject', { ...resolutionHead(record, viewerId, other, now), status: 'rejected' }));
  }
}

/** Extension connection.request.closed, to the given participants only. */
export function addClosed(
  out: Outbound,
  record: RequestRecord,
  users: ReadonlyMap<string, DirectoryUser>,
  now: Date,
  toUserIds: readonly string[],
): void {
  for (const { viewerId, other } of viewers(record, users)) {
    if (!toUserIds.includes(viewerId)) continue;
    out.add(
      viewerId,
      message('connection.request.closed', {
        ...resolutionHead(record, viewerId, other, now),
        status: 'closed',
        closureReason: record.closureReason,
      }),
    );
  }
}
