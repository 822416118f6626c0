import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  DomainEvent,
  ErrorCode,
  UpdateProfileRequestDto,
  type User,
  type UsersGetManyResponse,
} from '@gisbi/contracts';
import { Clock, Deliverer, DomainError, EventOutbox, message } from '@gisbi/platform';
import { AUTH_ENV, type AuthEnv } from '../config/auth-config';
import { parseBody } from '../rpc/rpc-input';
import { toUser, UserEntity } from './user.entity';

/** Profiles: batched lookups, the bootstrap's currentUser and PATCH /users/profile. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
    private readonly deliverer: Deliverer,
    @Inject(AUTH_ENV) private readonly env: AuthEnv,
  ) {}

  /**
   * Locks the user's row and refuses unknown (404) and deleted (403) accounts. `share` lets concurrent
   * readers in (login, device registration) while still waiting for, and then seeing, a deletion.
   */
  async lockActive(manager: EntityManager, userId: string, mode: 'update' | 'share'): Promise<UserEntity> {
    const user = await manager
      .createQueryBuilder(UserEntity, 'u')
      .setLock(mode === 'update' ? 'pessimistic_write' : 'pessimistic_read')
      .where('u.id = :userId', { userId })
      .getOne();
    if (!user) throw DomainError.notFound(ErrorCode.user_not_found, 'User not found');
    if (user.deletedAt) throw DomainError.forbidden(ErrorCode.account_deleted, 'This account has been deleted');
    return user;
  }

  /** One query for the whole batch; deleted users are included and flagged. */
  async getMany(userIds: string[]): Promise<UsersGetManyResponse> {
    const unique = [...new Set(userIds)];
    const users: UsersGetManyResponse['users'] = {};
    if (unique.length === 0) return { users };
    const rows = await this.dataSource.getRepository(UserEntity).findBy({ id: In(unique) });
    for (const row of rows) users[row.id] = { ...toUser(row), deleted: row.deletedAt !== null };
    return { users };
  }

  async currentUser(userId: string): Promise<User> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: userId });
    if (!user) throw DomainError.notFound(ErrorCode.user_not_found, 'User not found');
    if (user.deletedAt) throw DomainError.forbidden(ErrorCode.account_deleted, 'This account has been deleted');
    return toUser(user);
  }

  /**
   * Applies a validated profile change atomically. Absent fields stay; null (and "" for avatar) clears.
   * A vibe gets `vibeExpiresAt` = now + vibeExpiresInMinutes (default VIBE_DEFAULT_MINUTES); clearing the
   * vibe clears both. On a real change, `auth.user_updated` is written in the same transaction (other
   * services' projections need nothing otherwise). Every socket of the user gets `user.profile.updated`
   * after every successful update, a no-op included: the contract promises it after each one.
   */
  async updateProfile(userId: string, rawChanges: unknown): Promise<User> {
    const changes = parseBody(UpdateProfileRequestDto, rawChanges ?? {});
    const { user, changed } = await this.dataSource.transaction(async (manager) => {
      const entity = await this.lockActive(manager, userId, 'update');
      const before = toUser(entity);
      this.apply(entity, changes);
      const after = toUser(entity);
      if (JSON.stringify(before) === JSON.stringify(after)) return { user: after, changed: false };
      entity.updatedAt = this.clock.now();
      await manager.update(
        UserEntity,
        { id: userId },
        {
          name: entity.name,
          age: entity.age,
          avatar: entity.avatar,
          gender: entity.gender,
          vibe: entity.vibe,
          vibeExpiresAt: entity.vibeExpiresAt,
          updatedAt: entity.updatedAt,
        },
      );
      await this.outbox.add(manager, DomainEvent.UserUpdated, { user: after });
      return { user: after, changed: true };
    });
    if (changed) this.outbox.flushSoon();
    this.deliverer.toUser(userId, message('user.profile.updated', { user }));
    return user;
  }

  private apply(entity: UserEntity, changes: UpdateProfileRequestDto): void {
    if (changes.name !== undefined) entity.name = changes.name;
    if (changes.avatar !== undefined) entity.avatar = changes.avatar;
    if (changes.age !== undefined) entity.age = changes.age;
    if (changes.gender !== undefined) entity.gender = changes.gender;

    const minutes = changes.vibeExpiresInMinutes;
    if (changes.vibe !== undefined) {
      const vibe = changes.vibe === null ? null : changes.vibe.trim();
      if (vibe === null || vibe.length === 0) {
        if (minutes !== undefined) {
          throw DomainError.badRequest(ErrorCode.validation_failed, 'vibeExpiresInMinutes cannot be combined with clearing the vibe');
        }
        entity.vibe = null;
        entity.vibeExpiresAt = null;
      } else {
        entity.vibe = vibe;
        entity.vibeExpiresAt = this.expiryIn(minutes ?? this.env.VIBE_DEFAULT_MINUTES);
      }
    } else if (minutes !== undefined) {
      if (entity.vibe === null) {
        throw DomainError.badRequest(ErrorCode.validation_failed, 'vibeExpiresInMinutes needs a vibe (set one, or have one)');
      }
      entity.vibeExpiresAt = this.expiryIn(minutes);
    }
  }

  private expiryIn(minutes: number): Date {
    return new Date(this.clock.nowMs() + minutes * 60_000);
  }
}
