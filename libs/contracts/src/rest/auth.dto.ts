import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { composeDecorators, IsOptionalString, IsRequiredString } from '../validation/field-decorators';
import { withCode } from '../validation/with-code';
import { DEVICE_PLATFORMS, type DevicePlatform, IsDeviceToken, MAX_DEVICE_TOKEN_LENGTH } from './device.dto';
import { UserDto } from './user.dto';

export const AUTH_PROVIDERS = ['google', 'apple'] as const;
export type AuthProvider = (typeof AUTH_PROVIDERS)[number];

// Provider ID tokens and our JWTs are a few KB at most; the caps only refuse junk.
export const MAX_ID_TOKEN_LENGTH = 16_384;
export const MAX_JWT_LENGTH = 8_192;
export const MAX_NONCE_LENGTH = 512;
export const MAX_DELETE_REASON_LENGTH = 500;

const failed = ErrorCode.validation_failed;

/** POST /auth/social-login */
export class SocialLoginRequestDto {
  @ApiProperty({ enum: AUTH_PROVIDERS, example: 'google' })
  @IsIn(AUTH_PROVIDERS, withCode(ErrorCode.invalid_provider, '$property must be one of: google, apple'))
  provider!: AuthProvider;

  @ApiProperty({ description: 'Provider ID token (JWT).', example: 'eyJhbGciOi...' })
  @IsRequiredString(failed, { maxLength: MAX_ID_TOKEN_LENGTH })
  idToken!: string;

  @ApiPropertyOptional({ description: 'Push device token to register with the session (null: none).' })
  @IsOptionalString(failed, { minLength: 1, maxLength: MAX_DEVICE_TOKEN_LENGTH })
  @IsDeviceToken()
  deviceToken?: string | null;

  @ApiPropertyOptional({ enum: DEVICE_PLATFORMS })
  @composeDecorators(
    IsOptional(),
    IsIn(DEVICE_PLATFORMS, withCode(failed, '$property must be one of: ios, android, web')),
  )
  devicePlatform?: DevicePlatform;

  @ApiPropertyOptional({
    description: "Extension: the raw nonce bound into Apple's ID token, when the client used one.",
  })
  @IsOptionalString(failed, { minLength: 1, maxLength: MAX_NONCE_LENGTH })
  nonce?: string;
}

export class SocialLoginResponseDto {
  @ApiProperty({ description: 'JWT access token.' })
  accessToken!: string;

  @ApiProperty({ description: 'JWT refresh token.' })
  refreshToken!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Firebase custom token when Firebase is enabled.',
  })
  firebaseToken!: string | null;

  @ApiProperty({ type: () => UserDto })
  user!: UserDto;
}

/** Extension: POST /auth/refresh. The refresh token is single-use; a new pair is returned. */
export class RefreshRequestDto {
  @ApiProperty()
  @IsRequiredString(failed, { maxLength: MAX_JWT_LENGTH })
  refreshToken!: string;
}

export class TokenPairResponseDto {
  @ApiProperty()
  accessToken!: string;

  @ApiProperty()
  refreshToken!: string;
}

/** POST /auth/logout */
export class LogoutRequestDto {
  @ApiPropertyOptional({ description: 'Push device token to deactivate.' })
  @IsOptionalString(failed, { minLength: 1, maxLength: MAX_DEVICE_TOKEN_LENGTH })
  deviceToken?: string;

  @ApiPropertyOptional({ description: 'Refresh token to blacklist.' })
  @IsOptionalString(failed, { minLength: 1, maxLength: MAX_JWT_LENGTH })
  refreshToken?: string;
}

/** POST /auth/delete-account */
export class DeleteAccountRequestDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_DELETE_REASON_LENGTH, description: 'Reason for deletion.' })
  @IsRequiredString(
    { missing: ErrorCode.missing_reason, invalid: failed },
    { maxLength: MAX_DELETE_REASON_LENGTH },
  )
  reason!: string;
}
