// class-transformer's @Type reads design-time metadata through the Reflect API.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { Allow, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { IsIsoDateTime } from '../validation/custom-constraints';
import {
  composeDecorators,
  IsNumberBetween,
  IsOptionalString,
  IsRequiredBoolean,
  IsRequiredId,
  IsRequiredString,
} from '../validation/field-decorators';
import { withCode } from '../validation/with-code';
import { LocationFields } from './location-fields';

export const MAX_CLIENT_MESSAGE_ID_LENGTH = 64;
export const MAX_CURSOR_LENGTH = 512;
export const MAX_CHAT_PAGE_LIMIT = 50;

/** chat.message.created */
export class ChatMessageCreatePayload {
  @IsRequiredId(ErrorCode.missing_recipientId)
  recipientId!: string;

  /** Length rules (empty, too long) belong to the chat service. */
  @IsRequiredString(
    { missing: ErrorCode.missing_content, invalid: ErrorCode.invalid_content },
    { allowEmpty: true },
  )
  content!: string;

  /** Extension: client-chosen idempotency key; a retry with the same key does not duplicate. */
  @IsOptionalString(ErrorCode.invalid_payload, { minLength: 1, maxLength: MAX_CLIENT_MESSAGE_ID_LENGTH })
  clientMessageId?: string;
}

/** chat.history.fetch: no fields. */
export class ChatHistoryFetchPayload {}

/** Extension, chat.history.page: messages with one user older than `before`. */
export class ChatHistoryPagePayload {
  @IsRequiredId(ErrorCode.missing_userId)
  otherUserId!: string;

  /** nextCursor of the previous page; absent for the newest page. */
  @IsOptionalString(ErrorCode.invalid_cursor, { minLength: 1, maxLength: MAX_CURSOR_LENGTH })
  before?: string;

  @IsNumberBetween(ErrorCode.invalid_limit, 1, MAX_CHAT_PAGE_LIMIT, { integer: true, optional: true })
  limit?: number;
}

/** chat.message.read */
export class ChatMessageReadPayload {
  @IsRequiredId(ErrorCode.missing_messageId)
  messageId!: string;
}

/** chat.typing */
export class ChatTypingPayload {
  @IsRequiredId(ErrorCode.missing_recipientId)
  recipientId!: string;

  @IsRequiredBoolean(ErrorCode.invalid_payload)
  isTyping!: boolean;
}

/** A location relayed in chat; same bounds as presence, with an optional client timestamp. */
export class SharedLocation {
  @LocationFields.lat()
  lat!: number;

  @LocationFields.lng()
  lng!: number;

  @LocationFields.accuracyMeters()
  accuracyMeters?: number;

  @LocationFields.heading()
  heading?: number;

  @LocationFields.speed()
  speed?: number;

  @IsOptional()
  @IsIsoDateTime(withCode(ErrorCode.invalid_location))
  updatedAt?: string;
}

const IsSharedLocation = (): PropertyDecorator =>
  composeDecorators(
    // IsObject first: an array would otherwise be validated element by element.
    IsObject(withCode(ErrorCode.invalid_location, '$property must be an object')),
    ValidateNested(withCode(ErrorCode.invalid_location)),
    Type(() => SharedLocation),
  );

/** chat.location.share.start and chat.location.updated */
export class ChatLocationSharePayload {
  @IsRequiredId(ErrorCode.missing_recipientId)
  recipientId!: string;

  /** Accepted for compatibility and never trusted: the sender is the authenticated user. */
  @Allow()
  fromUserId?: unknown;

  @IsSharedLocation()
  location!: SharedLocation;
}

/** chat.location.share.stop */
export class ChatLocationStopPayload {
  @IsRequiredId(ErrorCode.missing_recipientId)
  recipientId!: string;

  /** Accepted for compatibility and never trusted: the sender is the authenticated user. */
  @Allow()
  fromUserId?: unknown;
}
