/**
 * The HTTPS reporter against the center simulator (`express-center serve`) over real TLS on
 * loopback, with the center's own CA given to the reporter: delivery and listing, resend
 * deduplication, and each failure with its step, retryability and message.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpsReporter } from '../../src-main/channels/https/https-reporter';
import type { Delivery, OutgoingAttachment } from '../../src-main/channels/reporter';
import { HTTPS_STEPS, stepsOf } from '../../src-main/channels/steps';
import { CATALOGS } from '../../src-shared/i18n';
import { centerReports, fileAttachment, sampleReport, startCenter, type Center } from '../helpers/center';
import { freePort } from '../helpers/tinyproxy';
import { tempDir } from '../helpers/temp';

const tmp = tempDir('er-https-');
let center: Center;

function failed(d: Delivery): Extract<Delivery, { ok: false }> {
  if (d.ok) throw new Error(`expected a failure, got: ${d.detail}`);
  return d;
}

function attachment(name: string, bytes: Buffer): OutgoingAttachment {
  const file = path.join(tmp.dir, `${randomBytes(4).toString('hex')}.zip`);
  writeFileSync(file, bytes);
  return fileAttachment(file, name);
}

beforeAll(async () => {
  center = await startCenter();
});
afterAll(async () => {
  await center?.stop();
  tmp.remove();
});

describe('express-center serve', () => {
  it('prints the url and the CA file first', () => {
    expect(center.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/Scripts\/trsRecvAlert\.cgi$/);
    expect(center.ca).toBe(path.join(center.dataDir, 'ca', 'center-ca.pem'));
    expect(center.output().split('\n').slice(0, 2)).toEqual([`url: ${center.url}`, `ca: ${center.ca}`]);
  });
});

describe('the HTTPS reporter, directly to the center', () => {
  it('delivers a test report with its attachments, and the center lists them', async () => {
    const a = attachment('log 日本語 "1".zip', randomBytes(300_000));
    const b = attachment('empty.zip', Buffer.alloc(0));
    const report = sampleReport('test', [a, b]);
    const reporter = createHttpsReporter({ url: center.url, caFile: center.ca, timeoutMs: 10_000 });
    const d = await reporter.send(report, {});
    expect(d).toEqual({ ok: true, destination: center.url, detail: `the center accepted report ${report.envelope.id}` });

    const listed = center.reports().find((r) => r.id === report.envelope.id);
    expect(listed).toMatchObject({
      kind: 'test',
      serverName: 'SERVER001',
      method: 'express-https',
      resultDestination: { kind: 'mail', address: 'aaa@bbb.co.jp' },
      attachments: [
        { name: 'log 日本語 "1".zip', size: 300_000, sha256: a.sha256 },
        { name: 'empty.zip', size: 0, sha256: b.sha256 },
      ],
    });
    expect(listed!.time).toBe(report.envelope.createdAt);
  });

  it('delivers an opening report without attachments', async () => {
    const report = sampleReport('opening');
    const d = await createHttpsReporter({ url: center.url, caFile: center.ca }).send(report, {});
    expect(d.ok).toBe(true);
    expect(center.reports().filter((r) => r.id === report.envelope.id)).toHaveLength(1);
  });

  it('a resend of the same id is acknowledged as a duplicate and stored once', async () => {
    const report = sampleReport('alert', [attachment('a.zip', randomBytes(1000))]);
    const reporter = createHttpsReporter({ url: center.url, caFile: center.ca });
    const before = await center.stats();
    const first = await reporter.send(report, {});
    const second = await reporter.send(report, {});
    expect(first).toMatchObject({ ok: true, detail: `the center accepted report ${report.envelope.id}` });
    expect(second).toMatchObject({ ok: true, detail: `the center already had report ${report.envelope.id} and acknowledged it again` });
    expect(center.reports().filter((r) => r.id === report.envelope.id)).toHaveLength(1);
    const after = await center.stats();
    expect(after.stored - before.stored).toBe(1);
    expect(after.duplicates - before.duplicates).toBe(1);
  });

  it('center down: step connect, retryable', async () => {
    const port = await freePort();
    const d = failed(await createHttpsReporter({ url: `https://127.0.0.1:${port}/Scripts/trsRecvAlert.cgi`, caFile: center.ca }).send(sampleReport(), {}));
    expect(d).toMatchObject({ step: 'connect', retryable: true });
    expect(d.detail).toBe(`could not connect to the center 127.0.0.1:${port} (ECONNREFUSED): check the URL, the network and the firewall`);
  });

  it('center answers 500: step http-status with the status, retryable; nothing stored', async () => {
    await center.fault({ mode: 'status', status: 500 });
    const report = sampleReport();
    const d = failed(await createHttpsReporter({ url: center.url, caFile: center.ca }).send(report, {}));
    expect(d).toMatchObject({ step: 'http-status', status: 500, retryable: true });
    expect(d.detail).toContain('answered 500 Internal Server Error');
    expect(d.detail).toContain('the report is sent again later');
    expect(center.reports().some((r) => r.id === report.envelope.id)).toBe(false);
    // the fault was for one request: the retry goes through
    expect((await createHttpsReporter({ url: center.url, caFile: center.ca }).send(report, {})).ok).toBe(true);
  });

  it('503 and 429 are retryable, 404 is not', async () => {
    await center.fault({ mode: 'status', status: 503 });
    await center.fault({ mode: 'status', status: 429 });
    const reporter = createHttpsReporter({ url: center.url, caFile: center.ca });
    expect(failed(await reporter.send(sampleReport(), {}))).toMatchObject({ step: 'http-status', status: 503, retryable: true });
    expect(failed(await reporter.send(sampleReport(), {}))).toMatchObject({ step: 'http-status', status: 429, retryable: true });
    const wrongPath = center.url.replace('trsRecvAlert.cgi', 'nothing.cgi');
    const d = failed(await createHttpsReporter({ url: wrongPath, caFile: center.ca }).send(sampleReport(), {}));
    expect(d).toMatchObject({ step: 'http-status', status: 404, retryable: false });
    expect(d.detail).toContain('there is no report receiver at this URL; check the URL');
  });

  it('slow center: step timeout, retryable, within the timeout', async () => {
    await center.fault({ mode: 'delay', delayMs: 4000 });
    const started = Date.now();
    const d = failed(await createHttpsReporter({ url: center.url, caFile: center.ca, timeoutMs: 1000 }).send(sampleReport(), {}));
    const took = Date.now() - started;
    expect(d).toMatchObject({ step: 'timeout', retryable: true });
    expect(d.detail).toBe(`no answer from the center 127.0.0.1:${center.port} within 1 s: check the network; the report is sent again later`);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(3000);
  });

  it('the center drops the connection: retryable, and the resend is stored once', async () => {
    await center.fault({ mode: 'drop' });
    const report = sampleReport('alert');
    const reporter = createHttpsReporter({ url: center.url, caFile: center.ca });
    const d = failed(await reporter.send(report, {}));
    expect(d.retryable).toBe(true);
    expect(['send', 'connect']).toContain(d.step);
    expect((await reporter.send(report, {})).ok).toBe(true);
    expect(center.reports().filter((r) => r.id === report.envelope.id)).toHaveLength(1);
  });

  it('a self-signed center without the CA file is refused: step tls, not retryable', async () => {
    const d = failed(await createHttpsReporter({ url: center.url }).send(sampleReport(), {}));
    expect(d).toMatchObject({ step: 'tls', retryable: false });
    expect(d.detail).toMatch(/^the center's certificate is not issued by a trusted CA \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\): set the CA file/);
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 does not switch verification off', async () => {
    const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const d = failed(await createHttpsReporter({ url: center.url }).send(sampleReport(), {}));
      expect(d).toMatchObject({ step: 'tls', retryable: false });
    } finally {
      if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
  });

  it("another center's CA does not help: step tls", async () => {
    const other = await startCenter();
    try {
      const d = failed(await createHttpsReporter({ url: center.url, caFile: other.ca }).send(sampleReport(), {}));
      expect(d).toMatchObject({ step: 'tls', retryable: false });
      expect(d.detail).toContain('check that the CA file in the HTTPS settings is the one the maintenance company gave');
    } finally {
      await other.stop();
    }
  });

  it('a certificate for another host name: step tls naming the host', async () => {
    const named = await startCenter({ args: ['--cert-hosts', 'center.example.jp'] });
    try {
      const d = failed(await createHttpsReporter({ url: named.url, caFile: named.ca }).send(sampleReport(), {}));
      expect(d).toMatchObject({ step: 'tls', retryable: false });
      expect(d.detail).toBe("the center's certificate is not valid for the host name 127.0.0.1 (ERR_TLS_CERT_ALTNAME_INVALID): check the host name in the URL");
    } finally {
      await named.stop();
    }
  });

  it('plain HTTP on the port: step tls', async () => {
    const admin = new URL(center.admin);
    const d = failed(await createHttpsReporter({ url: `https://127.0.0.1:${admin.port}/Scripts/trsRecvAlert.cgi`, caFile: center.ca }).send(sampleReport(), {}));
    expect(d.step).toBe('tls');
    expect(d.detail).toContain('check that the URL names an HTTPS port of the center');
  });

  it('an unknown host name: step dns', async () => {
    const d = failed(await createHttpsReporter({ url: 'https://center.invalid/Scripts/trsRecvAlert.cgi' }).send(sampleReport(), {}));
    expect(d).toMatchObject({ step: 'dns', retryable: true });
    expect(d.detail).toMatch(/^the host name center\.invalid could not be resolved \((ENOTFOUND|EAI_AGAIN)\): check the host name in the URL/);
  });

  it('bad settings: step config, not retryable, nothing sent', async () => {
    const send = (config: Parameters<typeof createHttpsReporter>[0]) => createHttpsReporter(config).send(sampleReport(), {}).then(failed);
    expect(await send({ url: center.url.replace('https:', 'http:') })).toMatchObject({ step: 'config', retryable: false });
    expect(await send({ url: 'not a url' })).toMatchObject({ step: 'config' });
    const missing = await send({ url: center.url, caFile: path.join(tmp.dir, 'none.pem') });
    expect(missing).toMatchObject({ step: 'config', detail: `the CA file ${path.join(tmp.dir, 'none.pem')} could not be read (ENOENT): check the CA file in the HTTPS settings` });
    const notPem = path.join(tmp.dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    expect((await send({ url: center.url, caFile: notPem })).detail).toContain('holds no PEM certificate');
    const withUser = await send({ url: center.url.replace('https://', 'https://u:secret@') });
    expect(withUser).toMatchObject({ step: 'config' });
    expect(JSON.stringify(withUser)).not.toContain('secret');
    const brokenWithUser = await send({ url: 'https://u:secret@bad host/x' });
    expect(brokenWithUser).toMatchObject({ step: 'config', destination: 'https://***@bad host/x' });
    expect(JSON.stringify(brokenWithUser)).not.toContain('secret');
  });

  it('an attachment whose bytes do not match its sha256 is refused by the center with 400', async () => {
    const good = attachment('a.zip', randomBytes(5000));
    const forged: OutgoingAttachment = { ...good, open: () => Readable.from([randomBytes(5000)]) };
    const report = sampleReport('alert', [forged]);
    const d = failed(await createHttpsReporter({ url: center.url, caFile: center.ca }).send(report, {}));
    expect(d).toMatchObject({ step: 'http-status', status: 400, retryable: false });
    expect(d.detail).toContain('attachment a.zip does not match the sha256 its envelope declares');
    expect(center.reports().some((r) => r.id === report.envelope.id)).toBe(false);
  });

  it('an attachment shorter on disk than declared: step send, not retryable', async () => {
    const good = attachment('a.zip', randomBytes(5000));
    const short: OutgoingAttachment = { ...good, open: () => Readable.from([randomBytes(10)]) };
    const d = failed(await createHttpsReporter({ url: center.url, caFile: center.ca }).send(sampleReport('alert', [short]), {}));
    expect(d).toMatchObject({ step: 'send', retryable: false });
    expect(d.detail).toContain('attachment a.zip has fewer bytes than the 5000 the report declares');
  });

  it('cancel: step cancelled', async () => {
    await center.fault({ mode: 'delay', delayMs: 3000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const d = failed(await createHttpsReporter({ url: center.url, caFile: center.ca }).send(sampleReport(), { signal: controller.signal }));
    expect(d.step).toBe('cancelled');
  });

  it('every step has a hint for the window, and every detail is one line', () => {
    // The window's hint for an HTTPS step is delivery.https.<step>, else the generic delivery.step.<step>.
    const has = (lang: 'ja' | 'en', key: string) => Object.prototype.hasOwnProperty.call(CATALOGS[lang], key);
    for (const lang of ['ja', 'en'] as const) {
      for (const step of stepsOf('https')) {
        const key = [`delivery.https.${step}`, `delivery.step.${step}`].find((k) => has(lang, k));
        expect(key, `${lang} ${step}`).toBeDefined();
        expect(CATALOGS[lang][key as keyof (typeof CATALOGS)['ja']]).toMatch(/\S/);
      }
      for (const step of HTTPS_STEPS) expect(has(lang, `delivery.https.${step}`), `${lang} ${step}`).toBe(true);
    }
  });

  it('serve stops cleanly on SIGTERM; after a restart on the same data dir a resend is still a duplicate', async () => {
    const dataDir = path.join(tmp.dir, 'persist');
    const report = sampleReport();
    const first = await startCenter({ dataDir });
    expect((await createHttpsReporter({ url: first.url, caFile: first.ca }).send(report, {})).ok).toBe(true);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toMatch(/stopped\n$/);

    const second = await startCenter({ dataDir });
    try {
      expect(second.ca).toBe(first.ca);
      const d = await createHttpsReporter({ url: second.url, caFile: second.ca }).send(report, {});
      expect(d).toMatchObject({ ok: true, detail: `the center already had report ${report.envelope.id} and acknowledged it again` });
      expect(second.reports().map((r) => r.id)).toEqual([report.envelope.id]);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});

describe('the receiver refuses what is not a well-formed report', () => {
  const post = async (target: Center, body: string | Buffer, contentType: string): Promise<{ status: number; json: { accepted?: boolean; error?: string } }> => {
    const ca = readFileSync(target.ca, 'utf8');
    const dispatcher = new Agent({ connect: { ca: [ca] } });
    try {
      const res = await request(target.url, { method: 'POST', dispatcher, body, headers: { 'content-type': contentType } });
      return { status: res.statusCode, json: (await res.body.json()) as { accepted?: boolean; error?: string } };
    } finally {
      await dispatcher.close();
    }
  };
  const form = (envelope: string, ...attachments: [string, Buffer][]) =>
    Buffer.concat([
      Buffer.from(`--B\r\nContent-Disposition: form-data; name="envelope"\r\nContent-Type: application/json\r\n\r\n${envelope}`),
      ...attachments.flatMap(([name, bytes]) => [Buffer.from(`\r\n--B\r\nContent-Disposition: form-data; name="attachment"; filename="${name}"\r\n\r\n`), bytes]),
      Buffer.from('\r\n--B--\r\n'),
    ]);

  it('not multipart: 415', async () => {
    expect(await post(center, '{}', 'application/json')).toMatchObject({ status: 415, json: { accepted: false } });
  });

  it('an envelope that is not JSON, or not a valid envelope: 400 naming the field', async () => {
    expect(await post(center, form('nope'), 'multipart/form-data; boundary=B')).toMatchObject({ status: 400, json: { error: 'the envelope is not JSON' } });
    const bad = { ...sampleReport().envelope, kind: 'party' };
    const r = await post(center, form(JSON.stringify(bad)), 'multipart/form-data; boundary=B');
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/^the envelope is invalid at kind/);
  });

  it('attachments that do not match the envelope: 400', async () => {
    const bytes = randomBytes(100);
    const listed = { name: 'a.zip', size: 100, sha256: createHash('sha256').update(bytes).digest('hex') };
    const envelope = JSON.stringify(sampleReport('alert', [{ ...listed, open: () => Readable.from([bytes]) }]).envelope);
    const boundary = 'multipart/form-data; boundary=B';
    expect((await post(center, form(envelope), boundary)).json.error).toBe('the envelope lists 1 attachments, the body holds 0');
    expect((await post(center, form(envelope, ['b.zip', bytes]), boundary)).json.error).toContain('the filename is not the name the envelope lists');
    expect((await post(center, form(envelope, ['a.zip', Buffer.concat([bytes, bytes])]), boundary)).json.error).toContain('larger than the 100 bytes');
    expect((await post(center, form(envelope, ['a.zip', bytes.subarray(1)]), boundary)).json.error).toContain('has 99 bytes, its envelope declares 100');
    expect((await post(center, form(envelope, ['a.zip', bytes], ['a.zip', bytes]), boundary)).json.error).toContain('more attachment parts than the 1');
    // and the well-formed one is accepted
    expect(await post(center, form(envelope, ['a.zip', bytes]), boundary)).toMatchObject({ status: 200, json: { accepted: true, duplicate: false } });
  });

  it('an attachment larger than the center accepts: 413 from its declared size, not retryable for the reporter', async () => {
    const small = await startCenter({ args: ['--max-attachment-mb', '1'] });
    try {
      const file = path.join(tmp.dir, 'two-mb.zip');
      writeFileSync(file, randomBytes(2 * 1024 * 1024));
      const d = failed(await createHttpsReporter({ url: small.url, caFile: small.ca }).send(sampleReport('alert', [fileAttachment(file, 'big.zip')]), {}));
      expect(d).toMatchObject({ step: 'http-status', status: 413, retryable: false });
      expect(d.detail).toContain('check MaxSize in AMHTPLOG.INF');
    } finally {
      await small.stop();
    }
  });

  it('a center killed in the middle of a report leaves no half report; the next start clears incoming/', async () => {
    const dataDir = path.join(tmp.dir, 'crash');
    const crashing = await startCenter({ dataDir });
    const head = randomBytes(1024 * 1024);
    // An attachment that sends 1 MiB and then waits: the center is killed meanwhile.
    let pushed = false;
    const stuck: OutgoingAttachment = {
      name: 'stuck.zip',
      size: 4 * 1024 * 1024,
      sha256: '0'.repeat(64),
      open: () =>
        new Readable({
          read() {
            if (!pushed) {
              pushed = true;
              this.push(head);
            }
          },
        }),
    };
    const report = sampleReport('alert', [stuck]);
    const sending = createHttpsReporter({ url: crashing.url, caFile: crashing.ca, timeoutMs: 20_000 }).send(report, {});
    const incoming = path.join(dataDir, 'incoming');
    const deadline = Date.now() + 10_000;
    const written = () => readdirSync(incoming).flatMap((d) => readdirSync(path.join(incoming, d)).map((f) => statSync(path.join(incoming, d, f)).size));
    while (!written().some((n) => n > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(written().some((n) => n > 0)).toBe(true);
    await crashing.kill();
    const d = failed(await sending);
    expect(d.retryable).toBe(true);
    expect(centerReports(dataDir)).toEqual([]);
    expect(readdirSync(incoming)).not.toEqual([]);

    const restarted = await startCenter({ dataDir });
    try {
      expect(readdirSync(incoming)).toEqual([]);
      expect(restarted.reports()).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });
});
