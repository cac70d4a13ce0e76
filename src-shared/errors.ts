import type { MessageKey } from './i18n';

/** One error-code table shared by backend, window and CLI. */
export const ERROR_CODES = [
  'mutual-exclusion',
  'not-configured',
  'invalid-value',
  'unknown-key',
  'protected-key',
  'unknown-method',
  'hostname-mismatch',
  'key-file',
  'not-ready',
  'busy',
  'internal',
  'transport',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_MESSAGE_KEY: Readonly<Record<ErrorCode, MessageKey>> = {
  'mutual-exclusion': 'error.mutual-exclusion',
  'not-configured': 'error.not-configured',
  'invalid-value': 'error.invalid-value',
  'unknown-key': 'error.unknown-key',
  'protected-key': 'error.protected-key',
  'unknown-method': 'error.unknown-method',
  'hostname-mismatch': 'error.hostname-mismatch',
  'key-file': 'error.key-file',
  'not-ready': 'error.test-first',
  busy: 'error.busy',
  internal: 'error.internal',
  transport: 'error.transport',
};

/** What crosses the contract when a call fails. `message` is in the user's language. */
export interface ApiErrorData {
  code: ErrorCode;
  message: string;
  /** the settings key or field the error is about, when there is one */
  field?: string;
  /** for a refused value: why, without the field's name (the window shows it beside the field) */
  reason?: string;
  /** extra lines, e.g. the items a method still lacks */
  details?: string[];
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly reason?: string;
  readonly details?: string[];
  constructor(data: ApiErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    this.field = data.field;
    this.reason = data.reason;
    this.details = data.details;
  }
  toData(): ApiErrorData {
    return { code: this.code, message: this.message, field: this.field, reason: this.reason, details: this.details };
  }
}

export function isApiErrorData(value: unknown): value is ApiErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorData).message === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as ApiErrorData).code)
  );
}
