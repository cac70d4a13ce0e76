/**
 * A failure of the link to a manager, with the step it failed at (channels/steps.ts: the
 * generic ones and the relay's manager-auth / manager-refused) and whether a later try may
 * succeed. Nearly everything is retryable: the agent keeps the report until the manager has it.
 */
import type { StepOf } from '../steps';
import { CERT_HOSTNAME_CODES, CERT_UNTRUSTED_CODES, CONNECT_CODES, DNS_CODES, errorFacts, isTlsHandshakeCode, RESET_CODES, TIMEOUT_CODES } from '../../lib/net-errors';
import { errorText } from '../../lib/error-text';

export type RelayStep = StepOf<'relay'>;

export class RelayError extends Error {
  constructor(
    readonly step: RelayStep,
    readonly retryable: boolean,
    message: string,
    /** the certificate the manager presented, when the failure is about it */
    readonly presented?: string,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

/** A socket or TLS error as a RelayError, `what` saying what was being done. */
export function linkFailure(err: unknown, what: string): RelayError {
  if (err instanceof RelayError) return err;
  const facts = errorFacts(err);
  const code = facts.codes.find(() => true) ?? '';
  const detail = `${what}: ${errorText(err)}`;
  if (facts.codes.some((c) => DNS_CODES.has(c))) return new RelayError('dns', true, detail);
  if (facts.codes.some((c) => CONNECT_CODES.has(c))) return new RelayError('connect', true, detail);
  if (facts.codes.some((c) => TIMEOUT_CODES.has(c))) return new RelayError('timeout', true, detail);
  if (facts.codes.some((c) => CERT_UNTRUSTED_CODES.has(c) || CERT_HOSTNAME_CODES.has(c))) return new RelayError('tls', true, `${detail} (the manager's certificate is not trusted by the CA file)`);
  if (facts.codes.some((c) => isTlsHandshakeCode(c))) return new RelayError('tls', true, detail);
  if (facts.codes.some((c) => RESET_CODES.has(c))) return new RelayError('connect', true, detail);
  return new RelayError(code ? 'connect' : 'protocol', true, detail);
}
