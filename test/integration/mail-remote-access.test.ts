/**
 * リモートアクセスサービスの利用 on Linux: the dial-up link is brought up before the mail is sent
 * and down after. pppd and a modem line cannot run here, so `pon` and `poff` are FAKE scripts on
 * PATH that record their arguments and the time (the test names say so); the mail itself goes to
 * a real smtp-server. Where neither pon/poff nor nmcli is on PATH the failure says so.
 */
import { appendFileSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mailChannel } from '../../src-main/channels/mail/channel';
import { closeMailConnections } from '../../src-main/channels/mail/connections';
import { createMailReporter } from '../../src-main/channels/mail/mail-reporter';
import { defaultSettings } from '../../src-shared/settings';
import { baseConfig, outgoing } from '../helpers/mail-report';
import { startSmtpPeer, type SmtpPeer } from '../helpers/mail-smtp';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-mail-ras-');
const bin = path.join(tmp.dir, 'bin');
const record = path.join(tmp.dir, 'calls.log');
const RAS_PASSWORD = 'Dial-up-pw9';
let smtp: SmtpPeer;
const savedPath = process.env.PATH;

async function fake(name: string, exitCode = 0, say = '') {
  const script = `#!/bin/sh\necho "${name} $*" >> ${record}\n${say ? `echo "${say}" >&2\n` : ''}exit ${exitCode}\n`;
  await fsp.writeFile(path.join(bin, name), script, { mode: 0o755 });
}

beforeAll(async () => {
  await fsp.mkdir(bin, { recursive: true });
  smtp = await startSmtpPeer({
    onData: (raw) => {
      // the link must be up while the mail goes
      appendFileSync(record, `smtp DATA ${raw.length > 0}\n`);
      return null;
    },
  });
});
afterEach(async () => {
  process.env.PATH = savedPath;
  closeMailConnections();
  await fsp.rm(record, { force: true });
  for (const f of await fsp.readdir(bin)) await fsp.rm(path.join(bin, f));
});
afterAll(async () => {
  await smtp.close();
  tmp.remove();
});

const remote = { entry: 'provider', user: 'dialuser', password: RAS_PASSWORD };

describe('remote access on Linux (FAKE pon/poff scripts on PATH: no pppd or modem here)', () => {
  it('brings the entry up with pon (updetach, the user name) before SMTP and down with poff after', async () => {
    await fake('pon');
    await fake('poff');
    process.env.PATH = `${bin}:${savedPath}`;
    const out = await createMailReporter(baseConfig(smtp.port, { remoteAccess: remote })).send(outgoing(), {});
    expect(out).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 50));
    const calls = (await fsp.readFile(record, 'utf8')).trim().split('\n');
    expect(calls).toEqual(['pon provider updetach user dialuser', 'smtp DATA true', 'poff provider']);
    expect(calls.join('\n')).not.toContain(RAS_PASSWORD);
  });

  it('a link that does not come up: no mail is sent, the failure names the program and its words (retried)', async () => {
    await fake('pon', 1, 'Modem hangup');
    await fake('poff');
    process.env.PATH = `${bin}:${savedPath}`;
    const before = smtp.received.length;
    const out = await createMailReporter(baseConfig(smtp.port, { remoteAccess: remote })).send(outgoing(), {});
    expect(out).toMatchObject({ ok: false, channel: 'mail', step: 'connect', retryable: true });
    expect(!out.ok && out.detail).toContain('remote access (dial-up) could not be brought up: pon provider failed (exit code 1: Modem hangup)');
    expect(smtp.received.length).toBe(before);
  });

  it('the link goes down even when the mail fails', async () => {
    await fake('pon');
    await fake('poff');
    process.env.PATH = `${bin}:${savedPath}`;
    const out = await createMailReporter(baseConfig(1, { remoteAccess: remote })).send(outgoing(), {});
    expect(out).toMatchObject({ ok: false, step: 'connect' });
    const calls = (await fsp.readFile(record, 'utf8')).trim().split('\n');
    expect(calls).toEqual(['pon provider updetach user dialuser', 'poff provider']);
  });

  it('neither pon/poff nor nmcli on PATH: says so, and fails for good', async () => {
    process.env.PATH = bin;
    const out = await createMailReporter(baseConfig(smtp.port, { remoteAccess: remote })).send(outgoing(), {});
    expect(out).toMatchObject({ ok: false, step: 'connect', retryable: false });
    expect(!out.ok && out.detail).toContain('neither pon/poff (ppp) nor nmcli (NetworkManager) was found on PATH');
  });

  it('with nmcli only, the password goes on its standard input, never in its arguments (FAKE nmcli script)', async () => {
    await fsp.writeFile(path.join(bin, 'nmcli'), `#!/bin/sh\nline=""\nread -r line\necho "nmcli $* stdin=$line" >> ${record}\nexit 0\n`, { mode: 0o755 });
    process.env.PATH = bin;
    const out = await createMailReporter(baseConfig(smtp.port, { remoteAccess: remote })).send(outgoing(), {});
    expect(out).toMatchObject({ ok: true });
    const calls = (await fsp.readFile(record, 'utf8')).trim().split('\n');
    expect(calls[0]).toBe(`nmcli connection up provider passwd-file /dev/stdin stdin=ppp.password:${RAS_PASSWORD}`);
    expect(calls.at(-1)).toBe('nmcli connection down provider stdin=');
  });
});

describe('the lane over a dial-up link', () => {
  it('is one attempt at a time, holding the entry as its resource; a few without remote access', () => {
    const s = defaultSettings();
    const channel = mailChannel();
    expect(channel.limits(s, 'express')).toEqual({ concurrency: 3, minGapMs: 0, resource: null });
    s.methods.express.mail.remoteAccess = { use: true, entry: 'provider', user: 'u', password: 'p' };
    expect(channel.limits(s, 'express')).toEqual({ concurrency: 1, minGapMs: 0, resource: 'remote-access:provider' });
  });
});
