/**
 * Issue 13, the relay's frames and proofs (docs/formats/relay.md), without a network: a frame
 * reader gives the same frames however the bytes are cut; limits and versions are checked when
 * the header arrives; a proof made over another certificate's fingerprint (a man in the middle)
 * or with another key does not verify.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentProof, managerProof, newNonce, newRelayKey, normalizeKey, sameProof } from '../../src-main/channels/relay/auth';
import { fingerprintOf, managerIdentity, managerRelayKey } from '../../src-main/channels/relay/manager-files';
import { control, encodeFrame, FrameError, FrameReader, MAX_CHUNK_BYTES, MAX_CONTROL_BYTES } from '../../src-main/channels/relay/frames';
import { tempDir } from '../helpers/temp';

describe('relay frames', () => {
  it('gives the same frames however the bytes are cut', () => {
    const bytes = Buffer.concat([control('hello', { a: 1, text: '日本語' }), encodeFrame({ type: 'chunk', data: Buffer.from([0, 1, 2, 255]) }), control('end', { seq: 7 })]);
    for (const cut of [1, 2, 5, 6, 7, 13, bytes.length]) {
      const reader = new FrameReader();
      const frames = [];
      for (let at = 0; at < bytes.length; at += cut) frames.push(...reader.push(bytes.subarray(at, at + cut)));
      expect(frames.map((f) => f.type)).toEqual(['hello', 'chunk', 'end']);
      expect(frames[0]).toEqual({ type: 'hello', body: { a: 1, text: '日本語' } });
      expect(frames[1]).toEqual({ type: 'chunk', data: Buffer.from([0, 1, 2, 255]) });
      expect(reader.pending).toBe(0);
    }
  });

  it('refuses another version, an unknown type, an oversize header and a body that is not a JSON object', () => {
    const bad = (bytes: number[] | Buffer) => () => new FrameReader().push(Buffer.from(bytes));
    expect(bad([2, 1, 0, 0, 0, 0])).toThrow(/version 2/);
    expect(bad([1, 99, 0, 0, 0, 0])).toThrow(/unknown frame type 99/);
    const big = Buffer.from([1, 6, 0, 0, 0, 0]);
    big.writeUInt32BE(MAX_CHUNK_BYTES + 1, 2);
    expect(bad(big)).toThrow(/over the limit/);
    const bigControl = Buffer.from([1, 5, 0, 0, 0, 0]);
    bigControl.writeUInt32BE(MAX_CONTROL_BYTES + 1, 2);
    expect(bad(bigControl)).toThrow(FrameError);
    expect(bad([1, 5, 0, 0, 0, 2, 0x5b, 0x5d])).toThrow(/not hold a JSON object/);
    expect(() => encodeFrame({ type: 'chunk', data: Buffer.alloc(MAX_CHUNK_BYTES + 1) })).toThrow(/over the limit/);
  });
});

describe('the relay key and its proofs', () => {
  const agent = { userSystemCode: 'U2024-0001', serverName: 'SERVER01' };
  const fp = 'AB:'.repeat(31) + 'AB';

  it('a new key has 160 bits in eight groups; case and dashes do not matter', () => {
    const key = newRelayKey();
    expect(key).toMatch(/^([A-HJ-NP-Z2-9]{4}-){7}[A-HJ-NP-Z2-9]{4}$/);
    expect(newRelayKey()).not.toBe(key);
    expect(normalizeKey(key.toLowerCase().replace(/-/g, ' '))).toBe(normalizeKey(key));
    const m = newNonce();
    const a = newNonce();
    expect(sameProof(agentProof(key.toLowerCase(), m, a, fp, agent), agentProof(key, m, a, fp, agent))).toBe(true);
  });

  it('a proof over another fingerprint, nonce, agent or key does not verify; garbage is not a proof', () => {
    const key = newRelayKey();
    const m = newNonce();
    const a = newNonce();
    const good = agentProof(key, m, a, fp, agent);
    expect(sameProof(good, agentProof(key, m, a, 'CD:'.repeat(31) + 'CD', agent))).toBe(false);
    expect(sameProof(good, agentProof(key, newNonce(), a, fp, agent))).toBe(false);
    expect(sameProof(good, agentProof(key, m, a, fp, { ...agent, serverName: 'OTHER' }))).toBe(false);
    expect(sameProof(good, agentProof(newRelayKey(), m, a, fp, agent))).toBe(false);
    // The manager's proof is not the agent's: one cannot be replayed as the other.
    expect(sameProof(managerProof(key, m, a, fp), good)).toBe(false);
    for (const junk of [undefined, 42, '', 'zz'.repeat(32), good.slice(2)]) expect(sameProof(junk, good)).toBe(false);
  });
});

describe("the manager's files", () => {
  it('two first uses at once make one relay key and one certificate (the receive service and the window ask together)', async () => {
    const tmp = tempDir('er-relay-files-');
    try {
      const keys = await Promise.all([managerRelayKey(tmp.dir), managerRelayKey(tmp.dir), managerRelayKey(tmp.dir)]);
      expect(new Set(keys).size).toBe(1);
      expect(await managerRelayKey(tmp.dir)).toBe(keys[0]);
      const renewed = await managerRelayKey(tmp.dir, true);
      expect(renewed).not.toBe(keys[0]);
      expect(await managerRelayKey(tmp.dir)).toBe(renewed);
      const ids = await Promise.all([managerIdentity(tmp.dir), managerIdentity(tmp.dir)]);
      expect(ids[0]!.fingerprint).toBe(ids[1]!.fingerprint);
      expect(ids[0]!.fingerprint).toBe(fingerprintOf(readFileSync(path.join(tmp.dir, 'relay', 'manager-cert.pem'))));
      for (const f of ['relay-key', 'manager-key.pem', 'manager-cert.pem']) expect(statSync(path.join(tmp.dir, 'relay', f)).mode & 0o777).toBe(0o600);
    } finally {
      tmp.remove();
    }
  });
});

