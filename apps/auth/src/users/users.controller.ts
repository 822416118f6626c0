import { Controller } from '@nestjs/common';
import {
  ErrorCode,
  RpcMethod,
  type BootstrapPart,
  type ProfileUpdateResponse,
  type UsersGetManyResponse,
} from '@gisbi/contracts';
import { DomainError, OnRpc } from '@gisbi/platform';
import { UsersGetManyBody } from '../rpc/internal-requests';
import { parseBody, splitCaller } from '../rpc/rpc-input';
import { UsersService } from './users.service';

/** Profiles for other services (batched), PATCH /users/profile, and auth's part of session.bootstrap. */
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @OnRpc(RpcMethod.auth.usersGetMany)
  usersGetMany(body: unknown): Promise<UsersGetManyResponse> {
    return this.users.getMany(parseBody(UsersGetManyBody, body).userIds);
  }

  @OnRpc(RpcMethod.auth.profileUpdate)
  profileUpdate(body: unknown): Promise<ProfileUpdateResponse> {
    const { userId, rest } = splitCaller(body);
    const { changes, ...unknown } = rest;
    const field = Object.keys(unknown)[0];
    if (field !== undefined) throw DomainError.badRequest(ErrorCode.validation_failed, `${field} is not an accepted field`);
    return this.users.updateProfile(userId, changes);
  }

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(body: unknown): Promise<BootstrapPart> {
    const { userId } = splitCaller(body);
    return { currentUser: await this.users.currentUser(userId) };
  }
}
