import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { IsRequiredString } from '../validation/field-decorators';
import { withCode } from '../validation/with-code';

export const DEVICE_PLATFORMS = ['ios', 'android', 'web'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

export const MAX_DEVICE_TOKEN_LENGTH = 4_096;

const failed = ErrorCode.validation_failed;

/** FCM and APNs tokens never contain whitespace: a blank or spaced one is junk, not a device. */
export const IsDeviceToken = (): PropertyDecorator =>
  Matches(/^\S+$/, withCode(failed, '$property must not be blank or contain whitespace'));

/** POST /devices/register */
export class RegisterDeviceRequestDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_DEVICE_TOKEN_LENGTH, example: 'fcm_or_apns_token' })
  @IsRequiredString(failed, { maxLength: MAX_DEVICE_TOKEN_LENGTH })
  @IsDeviceToken()
  token!: string;

  @ApiProperty({ enum: DEVICE_PLATFORMS, example: 'android' })
  @IsIn(DEVICE_PLATFORMS, withCode(failed, '$property must be one of: ios, android, web'))
  platform!: DevicePlatform;
}

export class DeviceDto {
  @ApiProperty()
  token!: string;

  @ApiProperty({ enum: DEVICE_PLATFORMS })
  platform!: DevicePlatform;

  @ApiProperty()
  isActive!: boolean;
}

export class RegisterDeviceResponseDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ type: () => DeviceDto })
  device!: DeviceDto;
}
