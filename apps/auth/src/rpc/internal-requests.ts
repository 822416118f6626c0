// Validation schemas of the internal RPCs other services send to auth (their types live in contracts).
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import {
  composeDecorators,
  ErrorCode,
  IsOptionalString,
  IsRequiredId,
  IsRequiredString,
  MAX_DEVICE_TOKEN_LENGTH,
  withCode,
  type AccessCheckRequest,
  type DeactivateDevicesRequest,
  type DevicesForPushRequest,
  type PushSendRequest,
  type UsersGetManyRequest,
} from '@gisbi/contracts';

const failed = ErrorCode.validation_failed;

/** Most user IDs one batched lookup may ask for. */
export const MAX_BATCH_USER_IDS = 500;
export const MAX_BATCH_TOKENS = 1000;
export const MAX_PUSH_TITLE_LENGTH = 200;
export const MAX_PUSH_BODY_LENGTH = 2000;
export const MAX_COLLAPSE_KEY_LENGTH = 64;

const idList = (max: number) =>
  composeDecorators(
    IsArray(withCode(failed, '$property must be an array')),
    ArrayMaxSize(max, withCode(failed, `$property must hold at most ${max} entries`)),
    IsString({ each: true, ...withCode(failed, '$property must hold strings') }),
    MinLength(1, { each: true, ...withCode(failed, '$property must not hold empty strings') }),
    MaxLength(128, { each: true, ...withCode(failed, '$property entries must be at most 128 characters') }),
  );

export class UsersGetManyBody implements UsersGetManyRequest {
  @idList(MAX_BATCH_USER_IDS)
  userIds!: string[];
}

export class AccessCheckBody implements AccessCheckRequest {
  @IsRequiredId(ErrorCode.missing_userId)
  userId!: string;

  @IsRequiredId(failed)
  sessionId!: string;
}

export class DevicesForPushBody implements DevicesForPushRequest {
  @idList(MAX_BATCH_USER_IDS)
  userIds!: string[];
}

export class DeactivateDevicesBody implements DeactivateDevicesRequest {
  @composeDecorators(
    IsArray(withCode(failed, '$property must be an array')),
    ArrayMaxSize(MAX_BATCH_TOKENS, withCode(failed, `$property must hold at most ${MAX_BATCH_TOKENS} entries`)),
    IsString({ each: true, ...withCode(failed, '$property must hold strings') }),
    MaxLength(MAX_DEVICE_TOKEN_LENGTH, { each: true, ...withCode(failed, '$property entries are too long') }),
  )
  tokens!: string[];
}

export class PushSendBody implements PushSendRequest {
  @IsRequiredId(ErrorCode.missing_userId)
  userId!: string;

  @IsRequiredString(failed, { maxLength: MAX_PUSH_TITLE_LENGTH })
  title!: string;

  @IsRequiredString(failed, { maxLength: MAX_PUSH_BODY_LENGTH })
  body!: string;

  @composeDecorators(IsOptional(), IsObject(withCode(failed, '$property must be an object of strings')))
  data?: Record<string, string>;

  @IsOptionalString(failed, { minLength: 1, maxLength: MAX_COLLAPSE_KEY_LENGTH })
  collapseKey?: string;
}
