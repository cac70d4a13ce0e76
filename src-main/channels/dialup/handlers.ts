/**
 * The dial-up window's own API methods: the serial ports of this machine (`dialup:ports`) and
 * ゼロ発信 (`dialup:zeroDial`). They work whichever route is chosen (the window lists the ports
 * before the dial-up route is stored). The dial-up channel returns them from its `handlers` hook.
 */
import type { Handlers } from '../../core/handlers';
import type { ChannelDeps } from '../channel';
import { listSerialPorts, type PortListOptions } from './ports';
import { zeroDial } from './zero-dial';

export type DialupHandlers = Pick<Handlers, 'dialup:ports' | 'dialup:zeroDial'>;

export function dialupHandlers(deps: Pick<ChannelDeps, 'ctx'>, ports: PortListOptions = {}): DialupHandlers {
  return {
    'dialup:ports': async () => ({ ports: await listSerialPorts(ports) }),
    'dialup:zeroDial': ({ method, action }) => zeroDial(deps.ctx, method, action),
  };
}
