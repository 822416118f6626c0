import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Subscription } from 'nats';
import {
  DomainEvent,
  Subjects,
  type DomainEventEnvelope,
  type UserDeletedEvent,
  type UserUpdatedEvent,
} from '@gisbi/contracts';
import { Clock, decodeJson, NatsClient, UserDirectory, type DirectoryUser } from '@gisbi/platform';
import { CHAT_ENV, type ChatEnv } from '../config/chat-config';

interface Entry {
  user: DirectoryUser;
  expiresAt: number;
}

/**
 * Profiles for Message payloads, in front of auth's batched `users.get_many`, so a send does not cost
 * auth a database query each time. Every replica keeps its own copy and corrects it from
 * `auth.user_updated` / `auth.user_deleted` as they are published (a plain subscription on the event
 * subjects, so every replica hears every event — unlike the durable consumers, which share them);
 * CHAT_PROFILE_CACHE_TTL_MS bounds staleness should an event be missed. Deletion rules never depend
 * on this cache alone: the `deleted_users` projection is checked on every send.
 */
@Injectable()
export class UserProfiles implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UserProfiles.name);
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly directory: UserDirectory,
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    @Inject(CHAT_ENV) private readonly env: ChatEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.subscribe<UserUpdatedEvent>(DomainEvent.UserUpdated, ({ user }) => {
      if (this.entries.has(user.id)) this.remember({ ...user, deleted: false });
    });
    this.subscribe<UserDeletedEvent>(DomainEvent.UserDeleted, ({ userId }) => {
      this.entries.delete(userId);
    });
  }

  beforeApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  /** Known users by ID (unknown IDs are absent), asking auth once for all the misses. */
  async getMany(userIds: Iterable<string>): Promise<Map<string, DirectoryUser>> {
    const now = this.clock.nowMs();
    const found = new Map<string, DirectoryUser>();
    const missing: string[] = [];
    for (const id of new Set(userIds)) {
      const entry = this.entries.get(id);
      if (entry && entry.expiresAt > now) found.set(id, entry.user);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, user] of await this.directory.getMany(missing)) {
        this.remember(user);
        found.set(id, user);
      }
    }
    return found;
  }

  /** The user if auth knows them and they are not deleted. */
  async getActive(userId: string): Promise<DirectoryUser | undefined> {
    const user = (await this.getMany([userId])).get(userId);
    return user && !user.deleted ? user : undefined;
  }

  private remember(user: DirectoryUser): void {
    this.entries.delete(user.id); // re-insert: Map order is the eviction order
    this.entries.set(user.id, { user, expiresAt: this.clock.nowMs() + this.env.CHAT_PROFILE_CACHE_TTL_MS });
    while (this.entries.size > this.env.CHAT_PROFILE_CACHE_SIZE) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  private subscribe<P>(
    name: (typeof DomainEvent)[keyof typeof DomainEvent],
    apply: (payload: P) => void,
  ): void {
    const subscription = this.nats.connection.subscribe(Subjects.event(this.nats.prefix, name), {
      callback: (error, msg) => {
        if (error) return this.logger.warn(`profile cache subscription failed: ${error.message}`);
        try {
          apply(decodeJson<DomainEventEnvelope>(msg.data).payload as P);
        } catch (failure) {
          this.logger.warn(`ignoring malformed ${name} event: ${String(failure)}`);
        }
      },
    });
    this.subscriptions.push(subscription);
  }
}
