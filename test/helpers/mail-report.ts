/** Reports and reporter settings for the mail channel's tests. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { defaultSettings } from '../../src-shared/settings';
import { buildEnvelope } from '../../src-main/reports/envelope';
import type { OutgoingReport } from '../../src-main/channels/reporter';
import type { MailReporterConfig } from '../../src-main/channels/mail/mail-reporter';

/** A report of `kind` with the given attachments (their bytes in memory). */
export function outgoing(kind: 'test' | 'alert' = 'alert', files: { name: string; data: Buffer }[] = []): OutgoingReport {
  const settings = defaultSettings();
  const attachments = files.map((f) => ({ name: f.name, size: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex') }));
  const envelope = buildEnvelope(settings, {
    kind,
    method: 'express',
    hostName: 'SERVER001',
    now: new Date(),
    attachments,
    event: kind === 'alert' ? { log: 'System', source: 'disk', eventId: '0xc0040007', time: new Date().toISOString(), message: 'ディスク障害 disk error', suppressedCount: 0, pseudo: false } : null,
  });
  return { envelope, attachments: files.map((f, i) => ({ ...attachments[i]!, open: () => Readable.from([f.data]) })) };
}

/** A reporter config to 127.0.0.1:port with nothing but the basics; override what a test needs. */
export function baseConfig(port: number, over: Partial<MailReporterConfig> = {}): MailReporterConfig {
  return {
    host: '127.0.0.1',
    port,
    security: 'none',
    caFile: '',
    sender: 'server@example.jp',
    destination: 'center@example.jp',
    encoding: 'uuencode',
    auth: null,
    allowUnencryptedAuth: false,
    pop: null,
    remoteAccess: null,
    smimeCertificatePem: null,
    language: 'ja',
    timeoutMs: 5_000,
    ...over,
  };
}
