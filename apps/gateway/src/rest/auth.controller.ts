import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DeleteAccountRequestDto,
  LogoutRequestDto,
  RefreshRequestDto,
  RpcMethod,
  SocialLoginRequestDto,
  SocialLoginResponseDto,
  StatusOkDto,
  TokenPairResponseDto,
  type AccountDeleteRequest,
  type LogoutRequest,
} from '@gisbi/contracts';
import { NatsClient, type AccessClaims } from '@gisbi/platform';
import { AccessTokenGuard } from '../auth/access-token.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from './api-errors.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly nats: NatsClient) {}

  @Post('social-login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a Google or Apple ID token; creates the user on first login.' })
  @ApiOkResponse({ type: SocialLoginResponseDto })
  @ApiErrors(400, 401, 503)
  socialLogin(@Body() body: SocialLoginRequestDto): Promise<SocialLoginResponseDto> {
    return this.nats.rpc('auth', RpcMethod.auth.loginSocial, body);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Extension: exchange a refresh token for a new token pair (rotation).',
    description:
      'The presented refresh token is used up. Presenting one that was already rotated revokes its whole login session.',
  })
  @ApiOkResponse({ type: TokenPairResponseDto })
  @ApiErrors(400, 401)
  refresh(@Body() body: RefreshRequestDto): Promise<TokenPairResponseDto> {
    return this.nats.rpc('auth', RpcMethod.auth.tokenRefresh, body);
  }

  @Post('logout')
  @HttpCode(200)
  @UseGuards(AccessTokenGuard)
  @ApiBearerAuth('accessToken')
  @ApiOperation({ summary: 'Deactivate a device token and blacklist a refresh token (if provided).' })
  @ApiOkResponse({ type: StatusOkDto })
  @ApiErrors(400, 401)
  logout(@CurrentUser() user: AccessClaims, @Body() body: LogoutRequestDto): Promise<StatusOkDto> {
    const request: LogoutRequest = { ...body, userId: user.userId };
    return this.nats.rpc('auth', RpcMethod.auth.logout, request);
  }

  @Post('delete-account')
  @HttpCode(200)
  @UseGuards(AccessTokenGuard)
  @ApiBearerAuth('accessToken')
  @ApiOperation({
    summary: 'Soft delete the authenticated account, revoke its tokens and close its sockets.',
  })
  @ApiOkResponse({ type: StatusOkDto })
  @ApiErrors(400, 401)
  deleteAccount(
    @CurrentUser() user: AccessClaims,
    @Body() body: DeleteAccountRequestDto,
  ): Promise<StatusOkDto> {
    const request: AccountDeleteRequest = { ...body, userId: user.userId };
    return this.nats.rpc('auth', RpcMethod.auth.accountDelete, request);
  }
}
