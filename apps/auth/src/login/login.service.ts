import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  displayTextProblem,
  IdPrefix,
  MAX_NAME_LENGTH,
  SocialLoginRequestDto,
  type LoginSocialResponse,
} from '@gisbi/contracts';
import { Clock, newId } from '@gisbi/platform';
import { DevicesService } from '../devices/devices.service';
import { FirebaseAdminService } from '../firebase/firebase-admin.service';
import { IdTokenVerifier, type VerifiedIdentity } from '../identity/id-token-verifier';
import { parseBody } from '../rpc/rpc-input';
import { SessionsService } from '../sessions/sessions.service';
import { toUser, UserEntity } from '../users/user.entity';
import { UsersService } from '../users/users.service';

/** Name of a new account when the provider's token carries none (always the case with Apple). */
export const DEFAULT_USER_NAME = 'GISBI user';

/**
 * POST /auth/social-login: verify the provider's ID token, find or create the account keyed on
 * (provider, sub), start a login session, register the device, and hand out our tokens.
 */
@Injectable()
export class LoginService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly verifier: IdTokenVerifier,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly devices: DevicesService,
    private readonly firebase: FirebaseAdminService,
    private readonly clock: Clock,
  ) {}

  async login(body: unknown): Promise<LoginSocialResponse> {
    const request = parseBody(SocialLoginRequestDto, body);
    const identity = await this.verifier.verify(request.provider, request.idToken, request.nonce);
    const { user, pair } = await this.dataSource.transaction(async (manager) => {
      const userId = await this.findOrCreateAccount(manager, identity);
      // Shared lock: waits for a concurrent deletion, then refuses; a deletion waits for this login.
      const account = await this.users.lockActive(manager, userId, 'share');
      const tokens = await this.sessions.start(manager, userId);
      // Both are optional (contract; null is absent); a platform alone registers nothing.
      if (typeof request.deviceToken === 'string') {
        await this.devices.registerIn(manager, userId, request.deviceToken, request.devicePlatform ?? null);
      }
      return { user: account, pair: tokens };
    });
    return {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      firebaseToken: await this.firebase.customToken(user.id),
      user: toUser(user),
    };
  }

  /**
   * The user linked to (provider, sub), created on first login. Two first logins racing for one identity
   * create one account: the identity insert is the arbiter, and the loser drops the user row it made.
   */
  private async findOrCreateAccount(manager: EntityManager, identity: VerifiedIdentity): Promise<string> {
    const now = this.clock.now();
    // TypeORM answers an UPDATE with [rows, affected].
    const [known]: [Array<{ user_id: string }>, number] = await manager.query(
      `UPDATE identities SET last_login_at = $3 WHERE provider = $1 AND subject = $2 RETURNING user_id`,
      [identity.provider, identity.subject, now],
    );
    const [updated] = known;
    if (updated) return updated.user_id;

    const userId = newId(IdPrefix.user, now.getTime());
    await manager.insert(UserEntity, {
      id: userId,
      name: accountName(identity.name),
      age: null,
      avatar: null,
      gender: null,
      vibe: null,
      vibeExpiresAt: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      deletionReason: null,
    });
    const linked: Array<{ user_id: string }> = await manager.query(
      `INSERT INTO identities (provider, subject, user_id, created_at, last_login_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (provider, subject) DO NOTHING RETURNING user_id`,
      [identity.provider, identity.subject, userId, now],
    );
    if (linked.length > 0) return userId;
    await manager.delete(UserEntity, { id: userId });
    const winner: Array<{ user_id: string }> = await manager.query(
      `SELECT user_id FROM identities WHERE provider = $1 AND subject = $2`,
      [identity.provider, identity.subject],
    );
    const [row] = winner;
    if (!row) throw new Error(`identity ${identity.provider}/${identity.subject} vanished during login`);
    return row.user_id;
  }
}

/**
 * The token's name, cleaned up (control characters out, whitespace collapsed, capped), or the default when
 * what is left is no display name a profile update would accept (invisible, bidirectional overrides).
 */
export function accountName(tokenName: string | null): string {
  const cleaned = (tokenName ?? '')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const capped = [...cleaned].slice(0, MAX_NAME_LENGTH).join('').trim();
  return capped.length > 0 && displayTextProblem(capped) === undefined ? capped : DEFAULT_USER_NAME;
}
