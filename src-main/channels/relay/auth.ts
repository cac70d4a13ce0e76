/**
 * The relay key and the hello's challenge-response (docs/formats/relay.md). The key never goes
 * on the wire: each side proves it with an HMAC-SHA256 over both nonces, the agent's identity
 * and the manager certificate's fingerprint as that side saw it — so a proof made through a
 * man in the middle (who shows another certificate) does not verify.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** the key's characters without separators: 32 of a 32-letter alphabet, 160 bits */
export const KEY_CHARS = 32;

/** A new relay key, as the manager shows it: eight groups of four letters and digits. */
export function newRelayKey(): string {
  const bytes = randomBytes(KEY_CHARS);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]!);
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += 4) groups.push(chars.slice(i, i + 4).join(''));
  return groups.join('-');
}

/** A key as typed: case, spaces and dashes do not matter. */
export function normalizeKey(key: string): string {
  return key.toUpperCase().replace(/[\s-]/g, '');
}

/** A nonce: 32 random bytes, hex. */
export function newNonce(): string {
  return randomBytes(32).toString('hex');
}

export interface AgentIdentity {
  userSystemCode: string;
  serverName: string;
}

function hmac(key: string, text: string): string {
  return createHmac('sha256', normalizeKey(key)).update(text, 'utf8').digest('hex');
}

/** The agent's proof of the key. */
export function agentProof(key: string, managerNonce: string, agentNonce: string, fingerprint: string, agent: AgentIdentity): string {
  return hmac(key, ['ER-RELAY-1', 'agent', managerNonce, agentNonce, fingerprint, agent.userSystemCode, agent.serverName].join('\n'));
}

/** The manager's proof of the key, so that the agent knows it talks to its manager. */
export function managerProof(key: string, managerNonce: string, agentNonce: string, fingerprint: string): string {
  return hmac(key, ['ER-RELAY-1', 'manager', agentNonce, managerNonce, fingerprint].join('\n'));
}

/** Compares two hex proofs in constant time; false for anything malformed. */
export function sameProof(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || !/^[0-9a-f]{64}$/.test(a)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
