import { Body, Controller, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RpcMethod, UpdateProfileRequestDto, UserDto, type ProfileUpdateRequest } from '@gisbi/contracts';
import { NatsClient, type AccessClaims } from '@gisbi/platform';
import { AccessTokenGuard } from '../auth/access-token.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiErrors } from './api-errors.decorator';

@ApiTags('users')
@ApiBearerAuth('accessToken')
@UseGuards(AccessTokenGuard)
@Controller('users')
export class UsersController {
  constructor(private readonly nats: NatsClient) {}

  @Patch('profile')
  @ApiOperation({
    summary: 'Update profile fields of the authenticated user.',
    description:
      'Every socket of the user then receives user.profile.updated. Extension: `vibe` (text or null) with ' +
      '`vibeExpiresInMinutes` sets `vibeExpiresAt`; at that time the vibe clears and vibe.expired is sent.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401)
  update(@CurrentUser() user: AccessClaims, @Body() body: UpdateProfileRequestDto): Promise<UserDto> {
    const request: ProfileUpdateRequest = { userId: user.userId, changes: body };
    return this.nats.rpc('auth', RpcMethod.auth.profileUpdate, request);
  }
}
