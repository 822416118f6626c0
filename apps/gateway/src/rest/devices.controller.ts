import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  RegisterDeviceRequestDto,
  RegisterDeviceResponseDto,
  RpcMethod,
  type DevicesRegisterRequest,
} from '@gisbi/contracts';
import { NatsClient, type AccessClaims } from '@gisbi/platform';
import { AccessTokenGuard } from '../auth/access-token.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from './api-errors.decorator';

@ApiTags('devices')
@ApiBearerAuth('accessToken')
@UseGuards(AccessTokenGuard)
@Controller('devices')
export class DevicesController {
  constructor(private readonly nats: NatsClient) {}

  @Post('register')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register or refresh an FCM/APNS token for push notifications.' })
  @ApiOkResponse({ type: RegisterDeviceResponseDto })
  @ApiErrors(400, 401)
  register(
    @CurrentUser() user: AccessClaims,
    @Body() body: RegisterDeviceRequestDto,
  ): Promise<RegisterDeviceResponseDto> {
    const request: DevicesRegisterRequest = { ...body, userId: user.userId };
    return this.nats.rpc('auth', RpcMethod.auth.devicesRegister, request);
  }
}
