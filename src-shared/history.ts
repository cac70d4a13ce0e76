import { z } from 'zod';
import { METHOD_NAMES } from './methods';
import { REPORT_KINDS } from './report';

/**
 * A report as the history view (レポート履歴), the CLI and the `report:changed` event show it:
 * no envelope, no attachment data, times as ISO 8601. The queue keeps it (docs/formats/queue.md).
 */
export const HISTORY_STATES = ['queued', 'sending', 'retrying', 'delivered', 'failed'] as const;
export type HistoryState = (typeof HISTORY_STATES)[number];

export const historyItemSchema = z.object({
  id: z.string(),
  /** acceptance order */
  seq: z.number(),
  kind: z.enum(REPORT_KINDS),
  method: z.enum(METHOD_NAMES),
  acceptedAt: z.string(),
  state: z.enum(HISTORY_STATES),
  /** rounds tried so far (each round tries the primary, then the secondary destination) */
  attempts: z.number(),
  /** when a pending report is tried next */
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  settledAt: z.string().nullable(),
  /** delivered to, or last tried */
  destination: z.string().nullable(),
  /** why a failed report failed for good */
  failure: z.enum(['permanent', 'retry-limit', 'no-destination', 'single-attempt']).nullable(),
  /** the fault of an alert or pseudo-failure test */
  event: z.object({ source: z.string(), eventId: z.string() }).nullable(),
  /** the method that delivers it: the report's own, or the manager method forwarding an agent's report */
  lane: z.enum(METHOD_NAMES).optional(),
  /** the agent a manager received the report from (server name, user system code, address); null for this machine's own */
  from: z.object({ userSystemCode: z.string(), serverName: z.string(), address: z.string() }).nullable().optional(),
  /** the last error as the reporter classified it: its channel (https, mail, …) and step (dns, connect, tls, proxy, …) */
  lastError: z
    .object({ channel: z.string(), step: z.string(), detail: z.string(), destination: z.string(), retryable: z.boolean(), status: z.number().optional() })
    .nullable(),
  /** the last error in plain words, in the user's language (null when there was none) */
  errorText: z.string().nullable(),
});
export type HistoryItem = z.infer<typeof historyItemSchema>;

/** The service's life (S1): running, ended by [サービスの終了], or past the contract's end. */
export const SERVICE_STATES = ['not-opened', 'running', 'terminated', 'expired'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

/** Days before the contract's end from which the window warns. */
export const EXPIRY_WARNING_DAYS = 30;

export const serviceStatusSchema = z.object({
  state: z.enum(SERVICE_STATES),
  /** the contract's last day (YYYY-MM-DD), null when it states none */
  expiresAt: z.string().nullable(),
  /** days from today to the last day (0 = today is the last day); null without an end */
  daysLeft: z.number().nullable(),
  /** true within EXPIRY_WARNING_DAYS of the end while running */
  expiryWarning: z.boolean(),
  terminatedAt: z.string().nullable(),
  /** the state in the user's language, for the window's lower left */
  message: z.string(),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

/**
 * When a waiting report goes, if that is later than its acceptance — held for the 通報時間帯, or
 * re-planned — else null (it goes as soon as it can). The window and the CLI show it.
 */
export function queuedUntil(item: Pick<HistoryItem, 'state' | 'nextAttemptAt' | 'acceptedAt'>): string | null {
  if (item.state !== 'queued' || item.nextAttemptAt === null) return null;
  return Date.parse(item.nextAttemptAt) > Date.parse(item.acceptedAt) ? item.nextAttemptAt : null;
}
