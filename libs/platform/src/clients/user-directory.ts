import { Injectable } from '@nestjs/common';
import { RpcMethod, type User, type UsersGetManyRequest, type UsersGetManyResponse } from '@gisbi/contracts';
import { NatsClient } from '../nats/nats-client';

export type DirectoryUser = User & { deleted: boolean };

/**
 * User profiles, owned by the auth service, fetched in one batched request per call (never one
 * request per user). Unknown IDs are simply absent from the result.
 */
@Injectable()
export class UserDirectory {
  constructor(private readonly nats: NatsClient) {}

  async getMany(userIds: Iterable<string>): Promise<Map<string, DirectoryUser>> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return new Map();
    const { users } = await this.nats.rpc<UsersGetManyResponse, UsersGetManyRequest>('auth', RpcMethod.auth.usersGetMany, {
      userIds: unique,
    });
    return new Map(Object.entries(users));
  }

  /** The user if it exists and is not deleted. */
  async getActive(userId: string): Promise<DirectoryUser | undefined> {
    const user = (await this.getMany([userId])).get(userId);
    return user && !user.deleted ? user : undefined;
  }
}

/** Strips directory-only fields so the result is exactly the contract's User. */
export function toPublicUser(user: DirectoryUser): User {
  const { id, name, age, avatar, gender, vibe, vibeExpiresAt } = user;
  return { id, name, age, avatar, gender, vibe, vibeExpiresAt };
}
