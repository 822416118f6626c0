import { type BootstrapPayload } from '../models/bootstrap';
import { type ConnectedLocation, type Location } from '../models/location';
import { type Message } from '../models/message';
import { type ProximitySummary, type ProximityToken } from '../models/proximity-summary';
import { type User, type UserSummary } from '../models/user';
import {
  type DeleteAccountRequestDto,
  type LogoutRequestDto,
  type RefreshRequestDto,
  type SocialLoginRequestDto,
  type SocialLoginResponseDto,
  type TokenPairResponseDto,
} from '../rest/auth.dto';
import {
  type BrandDto,
  type BrandListDto,
  type CampaignDto,
  type CampaignListDto,
  type CampaignStatus,
  type CreateBrandRequestDto,
  type CreateCampaignRequestDto,
  type CreateVenueKeyRequestDto,
  type UpdateBrandRequestDto,
  type UpdateCampaignRequestDto,
  type VenueKeyCreatedDto,
  type VenueKeyDto,
  type VenueKeyListDto,
  type VenueRedemptionDto,
} from '../rest/admin.dto';
import { type StatusOkDto } from '../rest/common.dto';
import {
  type DevicePlatform,
  type RegisterDeviceRequestDto,
  type RegisterDeviceResponseDto,
} from '../rest/device.dto';
import { type UpdateProfileRequestDto } from '../rest/profile.dto';
import { type ReplyError } from './command';

/** Method names of internal request/reply, per service (subject: Subjects.rpc(prefix, service, method)). */
export const RpcMethod = {
  auth: {
    usersGetMany: 'users.get_many',
    accessCheck: 'access.check',
    devicesForPush: 'devices.for_push',
    deactivateDevices: 'devices.deactivate',
    pushSend: 'push.send',
    // REST handlers the gateway relays
    loginSocial: 'login.social',
    tokenRefresh: 'token.refresh',
    logout: 'logout',
    accountDelete: 'account.delete',
    devicesRegister: 'devices.register',
    profileUpdate: 'profile.update',
  },
  presence: {
    liveness: 'liveness',
    positions: 'positions',
  },
  connections: {
    activeBetween: 'active_between',
    connectionGet: 'connection.get',
    blocksOf: 'blocks.of',
  },
  proximity: {
    tokenIssue: 'token.issue',
    summary: 'summary',
    verifiedTime: 'verified_time',
    connectionStats: 'connection_stats',
  },
  gifts: {
    // Sponsor administration (the gateway's /admin/* routes); each request carries the admin API key.
    brandCreate: 'admin.brand.create',
    brandUpdate: 'admin.brand.update',
    brandGet: 'admin.brand.get',
    brandList: 'admin.brand.list',
    venueKeyCreate: 'admin.venue_key.create',
    venueKeyList: 'admin.venue_key.list',
    venueKeyRevoke: 'admin.venue_key.revoke',
    campaignCreate: 'admin.campaign.create',
    campaignUpdate: 'admin.campaign.update',
    campaignGet: 'admin.campaign.get',
    campaignList: 'admin.campaign.list',
    campaignSetStatus: 'admin.campaign.set_status',
    // Venue redemption (the gateway's /venue/* routes); each request carries the venue key.
    redemptionLookup: 'venue.redemption.lookup',
    redemptionRedeem: 'venue.redemption.redeem',
  },
  /** Answered by every service that contributes to session.bootstrap. */
  all: {
    bootstrap: 'bootstrap',
  },
} as const;

export type RpcReply<T> = { ok: true; result: T } | { ok: false; error: ReplyError };

// ---- all ----

export interface BootstrapRequest {
  userId: string;
  /** session.start's lastSeenAt: chat replays incoming messages created after it. */
  lastSeenAt?: string;
}

/** Each service's share of the bootstrap; the gateway merges them over emptyBootstrap(). */
export type BootstrapPart = Partial<BootstrapPayload> & {
  /** Incoming messages to replay as chat.message.created after the bootstrap. */
  replay?: Message[];
};

// ---- auth ----

export interface UsersGetManyRequest {
  userIds: string[];
}

export interface UsersGetManyResponse {
  /** Keyed by user ID; unknown IDs are absent. Deleted users are present with `deleted: true`. */
  users: Record<string, UserSummary & { deleted: boolean }>;
}

/** Asked on socket connect and on authenticated REST calls, after the JWT signature checks out. */
export interface AccessCheckRequest {
  userId: string;
  /** The access token's login session (`sid`); logout and refresh-token reuse revoke it. */
  sessionId: string;
}

export type AccessDeniedReason = 'account_deleted' | 'session_revoked' | 'user_not_found';

export type AccessCheckResponse = { active: true } | { active: false; reason: AccessDeniedReason };

export interface DevicesForPushRequest {
  userIds: string[];
}

export interface PushDevice {
  token: string;
  /** Null for a token registered at sign-in without a platform. */
  platform: DevicePlatform | null;
}

export interface DevicesForPushResponse {
  /** Active devices per user ID. */
  devices: Record<string, PushDevice[]>;
}

export interface DeactivateDevicesRequest {
  /** Tokens the push provider reported as invalid. */
  tokens: string[];
}

export interface DeactivateDevicesResponse {
  deactivated: number;
}

export interface PushSendRequest {
  userId: string;
  title: string;
  body: string;
  /** String values only (FCM data payload). */
  data?: Record<string, string>;
  /** Collapses repeated notifications (e.g. one chat thread). */
  collapseKey?: string;
}

export interface PushSendResponse {
  sent: number;
}

export type LoginSocialRequest = SocialLoginRequestDto;
export type LoginSocialResponse = SocialLoginResponseDto;
export type TokenRefreshRequest = RefreshRequestDto;
export type TokenRefreshResponse = TokenPairResponseDto;
export type LogoutRequest = LogoutRequestDto & { userId: string };
export type AccountDeleteRequest = DeleteAccountRequestDto & { userId: string };
export type DevicesRegisterRequest = RegisterDeviceRequestDto & { userId: string };
export type DevicesRegisterResponse = RegisterDeviceResponseDto;
export interface ProfileUpdateRequest {
  userId: string;
  changes: UpdateProfileRequestDto;
}
export type ProfileUpdateResponse = User;

// ---- presence ----

export interface LivenessRequest {
  userIds: string[];
  /** Also return each user's latest position. */
  includePositions?: boolean;
}

export interface LivenessResponse {
  /** Keyed by user ID: whether the user has a live socket session. */
  live: Record<string, boolean>;
  positions?: Record<string, Location | null>;
}

export interface PositionsRequest {
  userIds: string[];
}

export interface PositionsResponse {
  /** Latest live position per user ID; null when not live or never reported. */
  positions: Record<string, Location | null>;
}

// ---- connections ----

/** A connection as stored, independent of any viewer. */
export interface ConnectionRecord {
  connectionId: string;
  requestId: string;
  userAId: string;
  userBId: string;
  senderId: string;
  receiverId: string;
  status: 'active' | 'closed';
  connectedLocation: ConnectedLocation | null;
  createdAt: string;
  closedAt: string | null;
}

export interface ActiveBetweenRequest {
  userAId: string;
  userBId: string;
}

export interface ActiveBetweenResponse {
  connection: ConnectionRecord | null;
}

export interface ConnectionGetRequest {
  connectionId: string;
  /** When given, a connection the viewer is not part of is reported as not found. */
  viewerId?: string;
}

export interface ConnectionGetResponse {
  connection: ConnectionRecord | null;
}

export interface BlocksOfRequest {
  userId: string;
}

export interface BlocksOfResponse {
  /** Users this user blocked. */
  blockedUserIds: string[];
  /** Users who blocked this user. */
  blockedByUserIds: string[];
}

// ---- proximity ----

export interface TokenIssueRequest {
  connectionId: string;
  userId: string;
}

export type TokenIssueResponse = ProximityToken;

export interface SummaryRequest {
  connectionId: string;
  userId: string;
}

export type SummaryResponse = ProximitySummary;

export interface VerifiedTimeRequest {
  connectionId: string;
  /** IANA zone that cuts calendar days. */
  timeZone: string;
  /** ISO bounds; absent means since the start / until now. */
  from?: string;
  to?: string;
}

export interface VerifiedTimeResponse {
  totalSeconds: number;
  /** Verified seconds per calendar day in `timeZone`, oldest first. */
  days: Array<{ date: string; seconds: number }>;
  activeNow: boolean;
  fraudSignals: Record<string, boolean>;
}

export interface ConnectionStatsRequest {
  connectionIds: string[];
}

export interface ConnectionStats {
  accumulatedMinutes: number;
  nextMilestoneMinutes: number | null;
}

export interface ConnectionStatsResponse {
  /** Keyed by connection ID; unknown IDs are absent. */
  stats: Record<string, ConnectionStats>;
}

// ---- gifts (sponsor administration and venue redemption) ----

/**
 * Admin RPCs carry the caller's admin API key exactly as presented (`Authorization: Bearer <key>` on
 * /admin/*); the gifts service checks it against its ADMIN_API_KEYS, so nothing without a configured key —
 * a user access token included — reaches sponsor administration, whoever relays the request.
 */
export interface AdminAuthorized {
  adminKey: string;
}

/** Venue RPCs carry the venue key presented on /venue/*; the gifts service resolves it to its brand. */
export interface VenueAuthorized {
  venueKey: string;
}

/** List queries are relayed raw (query-string values); the gifts service validates them. */
export interface AdminPageQuery {
  limit?: string;
  cursor?: string;
}

export interface BrandCreateRequest extends AdminAuthorized {
  input: CreateBrandRequestDto;
}

export interface BrandUpdateRequest extends AdminAuthorized {
  brandId: string;
  changes: UpdateBrandRequestDto;
}

export interface BrandGetRequest extends AdminAuthorized {
  brandId: string;
}

export interface BrandListRequest extends AdminAuthorized, AdminPageQuery {}

export interface VenueKeyCreateRequest extends AdminAuthorized {
  brandId: string;
  input: CreateVenueKeyRequestDto;
}

export interface VenueKeyListRequest extends AdminAuthorized {
  brandId: string;
}

export interface VenueKeyRevokeRequest extends AdminAuthorized {
  brandId: string;
  keyId: string;
}

export interface CampaignCreateRequest extends AdminAuthorized {
  input: CreateCampaignRequestDto;
}

export interface CampaignUpdateRequest extends AdminAuthorized {
  campaignId: string;
  changes: UpdateCampaignRequestDto;
}

export interface CampaignGetRequest extends AdminAuthorized {
  campaignId: string;
}

export interface CampaignListRequest extends AdminAuthorized, AdminPageQuery {
  brandId?: string;
  status?: string;
}

export interface CampaignSetStatusRequest extends AdminAuthorized {
  campaignId: string;
  status: CampaignStatus;
}

export interface RedemptionLookupRequest extends VenueAuthorized {
  code: string;
}

export interface RedemptionRedeemRequest extends VenueAuthorized {
  code: string;
}

/** Request and response type of every RPC, by service and method name. */
export interface RpcContract {
  auth: {
    'users.get_many': { request: UsersGetManyRequest; response: UsersGetManyResponse };
    'access.check': { request: AccessCheckRequest; response: AccessCheckResponse };
    'devices.for_push': { request: DevicesForPushRequest; response: DevicesForPushResponse };
    'devices.deactivate': { request: DeactivateDevicesRequest; response: DeactivateDevicesResponse };
    'push.send': { request: PushSendRequest; response: PushSendResponse };
    'login.social': { request: LoginSocialRequest; response: LoginSocialResponse };
    'token.refresh': { request: TokenRefreshRequest; response: TokenRefreshResponse };
    logout: { request: LogoutRequest; response: StatusOkDto };
    'account.delete': { request: AccountDeleteRequest; response: StatusOkDto };
    'devices.register': { request: DevicesRegisterRequest; response: DevicesRegisterResponse };
    'profile.update': { request: ProfileUpdateRequest; response: ProfileUpdateResponse };
    bootstrap: { request: BootstrapRequest; response: BootstrapPart };
  };
  presence: {
    liveness: { request: LivenessRequest; response: LivenessResponse };
    positions: { request: PositionsRequest; response: PositionsResponse };
    bootstrap: { request: BootstrapRequest; response: BootstrapPart };
  };
  connections: {
    active_between: { request: ActiveBetweenRequest; response: ActiveBetweenResponse };
    'connection.get': { request: ConnectionGetRequest; response: ConnectionGetResponse };
    'blocks.of': { request: BlocksOfRequest; response: BlocksOfResponse };
    bootstrap: { request: BootstrapRequest; response: BootstrapPart };
  };
  chat: {
    bootstrap: { request: BootstrapRequest; response: BootstrapPart };
  };
  proximity: {
    'token.issue': { request: TokenIssueRequest; response: TokenIssueResponse };
    summary: { request: SummaryRequest; response: SummaryResponse };
    verified_time: { request: VerifiedTimeRequest; response: VerifiedTimeResponse };
    connection_stats: { request: ConnectionStatsRequest; response: ConnectionStatsResponse };
    bootstrap: { request: BootstrapRequest; response: BootstrapPart };
  };
  gifts: {
    'admin.brand.create': { request: BrandCreateRequest; response: BrandDto };
    'admin.brand.update': { request: BrandUpdateRequest; response: BrandDto };
    'admin.brand.get': { request: BrandGetRequest; response: BrandDto };
    'admin.brand.list': { request: BrandListRequest; response: BrandListDto };
    'admin.venue_key.create': { request: VenueKeyCreateRequest; response: VenueKeyCreatedDto };
    'admin.venue_key.list': { request: VenueKeyListRequest; response: VenueKeyListDto };
    'admin.venue_key.revoke': { request: VenueKeyRevokeRequest; response: VenueKeyDto };
    'admin.campaign.create': { request: CampaignCreateRequest; response: CampaignDto };
    'admin.campaign.update': { request: CampaignUpdateRequest; response: CampaignDto };
    'admin.campaign.get': { request: CampaignGetRequest; response: CampaignDto };
    'admin.campaign.list': { request: CampaignListRequest; response: CampaignListDto };
    'admin.campaign.set_status': { request: CampaignSetStatusRequest; response: CampaignDto };
    'venue.redemption.lookup': { request: RedemptionLookupRequest; response: VenueRedemptionDto };
    'venue.redemption.redeem': { request: RedemptionRedeemRequest; response: VenueRedemptionDto };
    bootstrap: { request: BootstrapRequest; response: BootstrapPart };
  };
}

export type RpcService = keyof RpcContract;
export type RpcMethodName<S extends RpcService> = keyof RpcContract[S] & string;
export type RpcRequest<S extends RpcService, M extends RpcMethodName<S>> = RpcContract[S][M] extends {
  request: infer R;
}
  ? R
  : never;
export type RpcResponse<S extends RpcService, M extends RpcMethodName<S>> = RpcContract[S][M] extends {
  response: infer R;
}
  ? R
  : never;

/** Services that answer `bootstrap`; the gateway asks them all on session.start. */
export const BOOTSTRAP_SERVICES = [
  'auth',
  'presence',
  'connections',
  'chat',
  'proximity',
  'gifts',
] as const satisfies readonly RpcService[];
