import type { relayJa } from './relay-ja';

/** English texts of the relay through a manager; every Japanese key is required. */
export const relayEn: Record<keyof typeof relayJa, string> = {
  'relay.receiver.problem': 'Reports cannot be received on port {port}: {detail}',
  'relay.receiver.inUse': 'Reports cannot be received on port {port}: another program uses it ({detail}). Once that program ends, receiving starts (or change the port, on the agents too).',
  'relay.receiver.denied': 'Reports cannot be received on port {port}: this service may not use it ({detail}). Change the port (on the agents too).',
  'relay.forward.problem': 'Reports received from agents cannot be forwarded to the maintenance center: {detail}',
  'relay.agent.silent': 'Neither a report nor a heartbeat has come from {server} (user system code {code}) for more than {hours} hours (last: {since}). Check the agent and the network.',
  'relay.probe.new': 'Connected to the manager {address}. Certificate fingerprint: {fingerprint} (not pinned yet: the first test report pins it).',
  'relay.probe.matches': 'Connected to the manager {address}. The certificate is the pinned one: {fingerprint}',
  'relay.probe.changed': "The certificate of the manager {address} has changed. Presented: {fingerprint}; pinned: {pinned}. Compare it with the fingerprint the manager shows before accepting it.",
  'relay.probe.failed': 'The manager {address} could not be reached: {detail}',
  'delivery.relay.manager-cert':
    "the manager presented another certificate than the pinned one, so nothing was sent; if the manager made a new certificate, compare the fingerprint [Check certificate] shows in the (via manager) settings with the one in the manager's basic settings, then accept it; until then no report goes to this manager",
  'delivery.relay.tls': "check the manager's certificate (if it changed, compare its fingerprint with the one the manager shows, then accept it)",
  'delivery.relay.timeout': 'check the manager and the network (no answer)',
  'delivery.relay.dns': 'check the host name of the manager and the DNS settings of this computer',
};
