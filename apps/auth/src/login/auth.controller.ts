import { Controller } from '@nestjs/common';
import {
  RefreshRequestDto,
  RpcMethod,
  type AccessCheckResponse,
  type LoginSocialResponse,
  type StatusOkDto,
  type TokenRefreshResponse,
} from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { AccountService } from '../account/account.service';
import { AccessCheckBody } from '../rpc/internal-requests';
import { parseBody, splitCaller } from '../rpc/rpc-input';
import { SessionsService } from '../sessions/sessions.service';
import { LoginService } from './login.service';

/** Sign-in, token rotation, logout, deletion (REST relayed by the gateway) and the gateway's access check. */
@Controller()
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionsService,
    private readonly account: AccountService,
  ) {}

  @OnRpc(RpcMethod.auth.loginSocial)
  loginSocial(body: unknown): Promise<LoginSocialResponse> {
    return this.login.login(body);
  }

  @OnRpc(RpcMethod.auth.tokenRefresh)
  tokenRefresh(body: unknown): Promise<TokenRefreshResponse> {
    return this.sessions.refresh(parseBody(RefreshRequestDto, body).refreshToken);
  }

  @OnRpc(RpcMethod.auth.logout)
  logout(body: unknown): Promise<StatusOkDto> {
    const { userId, rest } = splitCaller(body);
    return this.account.logout(userId, rest);
  }

  @OnRpc(RpcMethod.auth.accountDelete)
  accountDelete(body: unknown): Promise<StatusOkDto> {
    const { userId, rest } = splitCaller(body);
    return this.account.delete(userId, rest);
  }

  @OnRpc(RpcMethod.auth.accessCheck)
  accessCheck(body: unknown): Promise<AccessCheckResponse> {
    const { userId, sessionId } = parseBody(AccessCheckBody, body);
    return this.sessions.accessCheck(userId, sessionId);
  }
}
