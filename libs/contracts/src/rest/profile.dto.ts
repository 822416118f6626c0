import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { IsDisplayText } from '../validation/custom-constraints';
import { composeDecorators, IsNumberBetween, IsOptionalString } from '../validation/field-decorators';
import { withCode } from '../validation/with-code';

export const MAX_NAME_LENGTH = 80;
export const MAX_AVATAR_URL_LENGTH = 2_048;
export const MAX_AGE = 150;
export const MAX_GENDER_LENGTH = 40;
export const MAX_VIBE_LENGTH = 140;
export const MAX_VIBE_EXPIRY_MINUTES = 1_440;

const failed = ErrorCode.validation_failed;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const emptyToNull = ({ value }: { value: unknown }): unknown => (value === '' ? null : value);
// Skips rules only when the field is absent: null is then refused, for fields that cannot be cleared.
const whenPresent = (): PropertyDecorator =>
  ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/**
 * PATCH /users/profile. Absent fields are left unchanged; null clears the fields the contract lets
 * clear. Validated with unknown fields refused.
 */
export class UpdateProfileRequestDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_NAME_LENGTH, description: 'Display name (trimmed; one line of visible text: no control or bidirectional override characters).' })
  @Transform(trim)
  @composeDecorators(
    whenPresent(),
    IsString(withCode(failed, '$property must be a string')),
    MinLength(1, withCode(failed, '$property must not be empty')),
    MaxLength(MAX_NAME_LENGTH, withCode(failed, '$property must be at most $constraint1 characters')),
    IsDisplayText(withCode(failed)),
  )
  name?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    maxLength: MAX_AVATAR_URL_LENGTH,
    nullable: true,
    description: 'Absolute http(s) URL. null or an empty string clears it.',
  })
  @Transform(emptyToNull)
  @composeDecorators(
    IsOptional(),
    // Length first: an over-long URL is also no valid URL to the URL rule, which would say less.
    MaxLength(MAX_AVATAR_URL_LENGTH, withCode(failed, '$property must be at most $constraint1 characters')),
    // Shown to every viewer's app: no credentials in it, and no characters that hide or reorder text.
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true },
      withCode(failed, '$property must be an http(s) URL without user credentials'),
    ),
    IsDisplayText(withCode(failed)),
  )
  avatar?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_AGE,
    nullable: true,
    description: 'null clears it.',
  })
  @IsNumberBetween(failed, 0, MAX_AGE, { integer: true, optional: true })
  age?: number | null;

  @ApiPropertyOptional({
    type: String,
    maxLength: MAX_GENDER_LENGTH,
    nullable: true,
    description: 'null clears it.',
  })
  @IsOptionalString(failed, { maxLength: MAX_GENDER_LENGTH })
  @IsDisplayText(withCode(failed))
  gender?: string | null;

  @ApiPropertyOptional({
    type: String,
    maxLength: MAX_VIBE_LENGTH,
    nullable: true,
    description: 'null clears it.',
  })
  @IsOptionalString(failed, { maxLength: MAX_VIBE_LENGTH })
  @IsDisplayText(withCode(failed))
  vibe?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_VIBE_EXPIRY_MINUTES,
    description: 'Extension: the vibe expires this many minutes from now (vibe.expired is then emitted).',
  })
  @composeDecorators(
    whenPresent(),
    IsInt(withCode(failed, '$property must be an integer between 1 and 1440')),
    Min(1, withCode(failed, '$property must be an integer between 1 and 1440')),
    Max(MAX_VIBE_EXPIRY_MINUTES, withCode(failed, '$property must be an integer between 1 and 1440')),
  )
  vibeExpiresInMinutes?: number;
}
