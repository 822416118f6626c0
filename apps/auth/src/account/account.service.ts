import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  DeleteAccountRequestDto,
  DomainEvent,
  ErrorCode,
  LogoutRequestDto,
  SocketCloseCode,
  type StatusOkDto,
} from '@gisbi/contracts';
import { Clock, Deliverer, DomainError, EventOutbox } from '@gisbi/platform';
import { DevicesService } from '../devices/devices.service';
import { parseBody } from '../rpc/rpc-input';
import { SessionsService } from '../sessions/sessions.service';
import { TokenIssuer } from '../sessions/token-issuer';
import { UserEntity } from '../users/user.entity';

/** Logout and account deletion: the two ways a user ends their own access. */
@Injectable()
export class AccountService {
  private readonly logger = new Logger(AccountService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenIssuer,
    private readonly devices: DevicesService,
    private readonly outbox: EventOutbox,
    private readonly deliverer: Deliverer,
    private readonly clock: Clock,
  ) {}

  /**
   * Deactivates the caller's device token and revokes the login session of the refresh token, so
   * neither it nor the access tokens of that session work any more. Everything is checked before
   * anything changes: a refresh token that is not valid (401) or not the caller's (403) changes nothing.
   * An expired but genuine refresh token still ends its session. A device token that is not the
   * caller's is left alone (and not reported, so nobody can probe whose token it is).
   */
  async logout(userId: string, body: Record<string, unknown>): Promise<StatusOkDto> {
    const request = parseBody(LogoutRequestDto, body);
    const refresh = request.refreshToken ? await this.tokens.verifyRefresh(request.refreshToken, { allowExpired: true }) : undefined;
    if (refresh && refresh.userId !== userId) {
      throw DomainError.forbidden(ErrorCode.not_allowed, 'The refresh token belongs to another account');
    }
    await this.dataSource.transaction(async (manager) => {
      if (request.deviceToken) await this.devices.deactivateOwned(manager, userId, request.deviceToken);
      if (refresh) await this.sessions.revokeIn(manager, { sessionId: refresh.sessionId, userId }, 'logout');
    });
    // Sockets opened with that session's access tokens go too; the user's other devices stay connected.
    if (refresh) this.deliverer.closeSockets(userId, SocketCloseCode.SessionRevoked, 'logged out', refresh.sessionId);
    return { status: 'ok' };
  }

  /**
   * Soft delete: the row stays (deleted_at and the reason are kept, users.get_many reports it as
   * deleted), every session is revoked, every device deactivated, `auth.user_deleted` is published
   * through the outbox, and every socket of the user is closed. Deleting twice is a no-op.
   */
  async delete(userId: string, body: Record<string, unknown>): Promise<StatusOkDto> {
    const { reason } = parseBody(DeleteAccountRequestDto, body);
    const trimmed = reason.trim();
    if (trimmed.length === 0) throw DomainError.badRequest(ErrorCode.missing_reason, 'reason must not be blank');
    const deleted = await this.dataSource.transaction(async (manager) => {
      const user = await manager
        .createQueryBuilder(UserEntity, 'u')
        .setLock('pessimistic_write')
        .where('u.id = :userId', { userId })
        .getOne();
      if (!user) throw DomainError.notFound(ErrorCode.user_not_found, 'User not found');
      if (user.deletedAt) return false;
      const now = this.clock.now();
      await manager.update(
        UserEntity,
        { id: userId },
        { deletedAt: now, deletionReason: trimmed, vibe: null, vibeExpiresAt: null, updatedAt: now },
      );
      const sessions = await this.sessions.revokeIn(manager, { userId }, 'account_deleted');
      const devices = await this.devices.deactivateAllIn(manager, userId);
      await this.outbox.add(manager, DomainEvent.UserDeleted, { userId, deletedAt: now.toISOString() });
      this.logger.log(`account ${userId} deleted (${sessions} session(s) revoked, ${devices} device(s) deactivated)`);
      return true;
    });
    if (deleted) {
      this.outbox.flushSoon();
      this.deliverer.closeSockets(userId, SocketCloseCode.AccountDeleted, 'account deleted');
    }
    return { status: 'ok' };
  }
}
