import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainEvent, type ConnectionClosePayload } from '@gisbi/contracts';
import { Clock, Deliverer, EventOutbox, message, type Command, type ServerMessage } from '@gisbi/platform';
import { Errors } from '../errors';
import { toClosedPayload } from '../model/connection-view';
import { isParticipant } from '../model/pair';
import type { ConnectionRow } from '../model/records';
import { ConnectionStore } from '../persistence/connection.store';

/** connection.close by a participant. */
@Injectable()
export class ConnectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connections: ConnectionStore,
    private readonly deliverer: Deliverer,
    private readonly outbox: EventOutbox,
    private readonly clock: Clock,
  ) {}

  /**
   * Closes an active connection and tells both users. Closing one that is already closed is a retry: the
   * caller gets the recorded closure again and nothing else happens.
   */
  async close(command: Command<ConnectionClosePayload>): Promise<ServerMessage> {
    const { connectionId } = command.payload;
    const closureReason = command.payload.closureReason?.trim() || null;
    const result = await this.dataSource.transaction(async (manager): Promise<{ row: ConnectionRow; closedNow: boolean }> => {
      const row = await this.connections.findById(manager, connectionId);
      if (!row) throw Errors.connectionNotFound();
      if (!isParticipant(row, command.userId)) throw Errors.notParticipant();
      const [closed] = await this.connections.close(manager, [row.id], { closedByUserId: command.userId, closureReason }, this.clock.now());
      if (!closed) {
        const current = await this.connections.findById(manager, connectionId);
        if (!current) throw Errors.connectionNotFound();
        return { row: current, closedNow: false };
      }
      await this.outbox.add(manager, DomainEvent.ConnectionClosed, {
        connectionId: closed.id,
        userAId: closed.userAId,
        userBId: closed.userBId,
        closedByUserId: command.userId,
        closureReason,
        closedAt: (closed.closedAt ?? this.clock.now()).toISOString(),
      });
      return { row: closed, closedNow: true };
    });
    const event = message('connection.close', toClosedPayload(result.row));
    if (!result.closedNow) return event;
    this.outbox.flushSoon();
    return this.deliverer.toParticipants(command, [result.row.userAId, result.row.userBId], event);
  }
}
