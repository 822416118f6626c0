import { Injectable } from '@nestjs/common';
import {
  ErrorCode,
  type ChatLocationSharePayload,
  type ChatLocationStopPayload,
  type ChatTypingPayload,
  type Location,
  type SharedLocation,
} from '@gisbi/contracts';
import { Clock, Deliverer, DomainError, message, type Command, type ServerMessage } from '@gisbi/platform';
import { RelationshipState, type PairState } from '../relationships/relationship-state';
import { UserProfiles } from '../users/user-profiles';
import { LocationShares } from './location-shares';

/**
 * Ephemeral relays between two users: typing indicators and live-location sharing. Nothing is stored
 * except the active-share marker; the sender is always the authenticated socket user.
 */
@Injectable()
export class RelayService {
  constructor(
    private readonly relationships: RelationshipState,
    private readonly profiles: UserProfiles,
    private readonly shares: LocationShares,
    private readonly deliverer: Deliverer,
    private readonly clock: Clock,
  ) {}

  async typing(command: Command<ChatTypingPayload>): Promise<ServerMessage<'chat.typing'>> {
    const fromUserId = command.userId;
    const { recipientId, isTyping } = command.payload;
    const pair = await this.pairWith(fromUserId, recipientId);
    await this.assertExists(recipientId, pair);
    if (pair.blocked)
      throw DomainError.forbidden(ErrorCode.blocked, 'Messaging between these users is blocked');
    const relay = { fromUserId, recipientId, isTyping };
    this.deliverer.toUser(recipientId, message('chat.typing', relay));
    return message('chat.typing', { status: 'sent', ...relay });
  }

  async shareStart(
    command: Command<ChatLocationSharePayload>,
  ): Promise<ServerMessage<'chat.location.share.start'>> {
    return this.relayLocation('chat.location.share.start', command);
  }

  async locationUpdated(
    command: Command<ChatLocationSharePayload>,
  ): Promise<ServerMessage<'chat.location.updated'>> {
    return this.relayLocation('chat.location.updated', command);
  }

  async shareStop(
    command: Command<ChatLocationStopPayload>,
  ): Promise<ServerMessage<'chat.location.share.stop'>> {
    const fromUserId = command.userId;
    const { recipientId } = command.payload;
    await this.assertActiveConnection(fromUserId, recipientId);
    await this.shares.unmark(fromUserId, recipientId);
    const relay = { fromUserId, recipientId };
    this.deliverer.toUser(recipientId, message('chat.location.share.stop', relay));
    return message('chat.location.share.stop', { status: 'sent', ...relay });
  }

  private async relayLocation<T extends 'chat.location.share.start' | 'chat.location.updated'>(
    type: T,
    command: Command<ChatLocationSharePayload>,
  ): Promise<ServerMessage<T>> {
    const fromUserId = command.userId; // never the client's fromUserId
    const { recipientId } = command.payload;
    await this.assertActiveConnection(fromUserId, recipientId);
    if (type === 'chat.location.updated' && !(await this.shares.allowUpdate(fromUserId))) {
      throw DomainError.tooMany(ErrorCode.rate_limited, 'Too many location updates; slow down');
    }
    await this.shares.mark(fromUserId, recipientId);
    const relay = { fromUserId, recipientId, location: this.toLocation(command.payload.location) };
    this.deliverer.toUser(recipientId, message(type, relay));
    return message(type, { status: 'sent', ...relay });
  }

  private async pairWith(fromUserId: string, recipientId: string): Promise<PairState> {
    if (recipientId === fromUserId)
      throw DomainError.badRequest(ErrorCode.cannot_target_self, 'The recipient must be another user');
    return this.relationships.pairState(fromUserId, recipientId);
  }

  private async assertActiveConnection(fromUserId: string, recipientId: string): Promise<void> {
    const pair = await this.pairWith(fromUserId, recipientId);
    if (pair.connected && !pair.blocked && !pair.targetDeleted) return;
    // Just accepted: the event may not have reached chat yet.
    if (!pair.connected && !pair.blocked && !pair.targetDeleted && (await this.relationships.learnConnection(fromUserId, recipientId))) return;
    await this.assertExists(recipientId, pair);
    throw DomainError.forbidden(
      ErrorCode.active_connection_required,
      'An active connection with this user is required',
    );
  }

  /** A connection or any message exchanged proves the user exists (deletions come from the projection); else ask auth. */
  private async assertExists(userId: string, pair: PairState): Promise<void> {
    if (pair.targetDeleted) throw DomainError.notFound(ErrorCode.user_not_found, 'No such user');
    if (pair.connected || pair.hasHistory) return;
    const user = await this.profiles.getActive(userId);
    if (!user) throw DomainError.notFound(ErrorCode.user_not_found, 'No such user');
  }

  /**
   * The contract's Location: optional fields omitted when absent, updatedAt in ISO UTC — the phone's time of
   * the fix, or the server's when absent or later (a phone clock running ahead must not make a fix look
   * fresher than it can be).
   */
  private toLocation(shared: SharedLocation): Location {
    const now = this.clock.nowMs();
    const fixedAt = shared.updatedAt ? Math.min(Date.parse(shared.updatedAt), now) : now;
    return {
      lat: shared.lat,
      lng: shared.lng,
      ...(shared.accuracyMeters !== undefined && shared.accuracyMeters !== null
        ? { accuracyMeters: shared.accuracyMeters }
        : {}),
      ...(shared.heading !== undefined && shared.heading !== null ? { heading: shared.heading } : {}),
      ...(shared.speed !== undefined && shared.speed !== null ? { speed: shared.speed } : {}),
      updatedAt: new Date(fixedAt).toISOString(),
    };
  }
}
