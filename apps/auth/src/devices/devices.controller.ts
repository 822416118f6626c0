import { Controller } from '@nestjs/common';
import {
  RegisterDeviceRequestDto,
  RpcMethod,
  type DeactivateDevicesResponse,
  type DevicesForPushResponse,
  type DevicesRegisterResponse,
  type PushSendResponse,
} from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { PushService } from '../push/push.service';
import { DeactivateDevicesBody, DevicesForPushBody, PushSendBody } from '../rpc/internal-requests';
import { parseBody, splitCaller } from '../rpc/rpc-input';
import { DevicesService } from './devices.service';

/** POST /devices/register, and the push side other services use (chat sends pushes through auth). */
@Controller()
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly push: PushService,
  ) {}

  @OnRpc(RpcMethod.auth.devicesRegister)
  register(body: unknown): Promise<DevicesRegisterResponse> {
    const { userId, rest } = splitCaller(body);
    const { token, platform } = parseBody(RegisterDeviceRequestDto, rest);
    return this.devices.register(userId, token, platform);
  }

  @OnRpc(RpcMethod.auth.devicesForPush)
  forPush(body: unknown): Promise<DevicesForPushResponse> {
    return this.devices.forPush(parseBody(DevicesForPushBody, body).userIds);
  }

  @OnRpc(RpcMethod.auth.deactivateDevices)
  async deactivate(body: unknown): Promise<DeactivateDevicesResponse> {
    return { deactivated: await this.devices.deactivateTokens(parseBody(DeactivateDevicesBody, body).tokens) };
  }

  @OnRpc(RpcMethod.auth.pushSend)
  send(body: unknown): Promise<PushSendResponse> {
    return this.push.send(parseBody(PushSendBody, body));
  }
}
