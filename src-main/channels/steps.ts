/**
 * The steps at which a delivery can fail, in one place: the generic ones every channel shares and
 * the ones each channel adds. A failure names its channel and its step; the window's hint is
 * looked up as `delivery.<channel>.<step>`, then `delivery.step.<step>` (see reports/outcome.ts),
 * so a step a channel declares here needs its `delivery.<channel>.*` texts in the catalogues.
 * The queue stores channel and step as strings and checks them against these lists when it reads
 * them back (queue/records.ts).
 */

/** Steps any channel can fail at. `refused` carries the peer's code (an SMTP reply, …) in `status`. */
export const GENERIC_STEPS = ['config', 'dns', 'connect', 'tls', 'timeout', 'refused', 'protocol', 'cancelled'] as const;
export type GenericStep = (typeof GENERIC_STEPS)[number];

/** Express Report (HTTPS): the proxy, the center's answer. */
export const HTTPS_STEPS = ['proxy', 'proxy-auth', 'auth', 'send', 'http-status'] as const;
/** Internet mail (SMTP), in the order of a session: POP before SMTP, greeting, AUTH, MAIL FROM, RCPT TO, DATA. */
export const SMTP_STEPS = ['greeting', 'auth', 'pop', 'mail-from', 'rcpt-to', 'data', 'size'] as const;
/** Dial-up: what the modem says when a call does not get through or breaks off. */
export const MODEM_STEPS = [
  'no-dialtone',
  'busy',
  'no-answer',
  'no-carrier',
  'line-dropped',
  // the port, the modem and the transfer (channels/dialup/, docs/formats/dialup.md)
  'port-missing',
  'port-busy',
  'no-response',
  'init-error',
  'crc',
  'no-final-ack',
  'redial-limit',
  'bmc',
] as const;
/** Through a manager: the manager refuses this agent or its report; the manager presents another certificate than the pinned one. */
export const RELAY_STEPS = ['manager-auth', 'manager-refused', 'manager-cert'] as const;

/** Each channel's own steps, by the channel's name as failures carry it. */
export const CHANNEL_STEPS = {
  https: HTTPS_STEPS,
  mail: SMTP_STEPS,
  dialup: MODEM_STEPS,
  relay: RELAY_STEPS,
} as const;
export type KnownChannel = keyof typeof CHANNEL_STEPS;
export const KNOWN_CHANNELS = Object.keys(CHANNEL_STEPS) as KnownChannel[];

/** The steps a known channel can fail at: the generic ones and its own. */
export type StepOf<C extends KnownChannel> = GenericStep | (typeof CHANNEL_STEPS)[C][number];
/** Any step of any channel. */
export type DeliveryStep = GenericStep | (typeof CHANNEL_STEPS)[KnownChannel][number];

/**
 * The channel of failures the queue makes itself, with no reporter to ask: a report it cannot
 * read, a method with no destination, a cancel before any reporter ran. Only generic steps.
 */
export const QUEUE_CHANNEL = 'queue';

function isKnownChannel(channel: string): channel is KnownChannel {
  return Object.prototype.hasOwnProperty.call(CHANNEL_STEPS, channel);
}

/** The steps `channel` can fail at; only the generic ones for a channel not listed here. */
export function stepsOf(channel: string): readonly DeliveryStep[] {
  return isKnownChannel(channel) ? [...GENERIC_STEPS, ...CHANNEL_STEPS[channel]] : GENERIC_STEPS;
}

/** Whether `step` is one `channel` can fail at. */
export function isStepOf(channel: string, step: string): step is DeliveryStep {
  return (stepsOf(channel) as readonly string[]).includes(step);
}
