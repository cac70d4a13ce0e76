/**
 * Express Report by e-mail against a loopback smtp-server (STARTTLS with a throwaway CA, SMTP
 * AUTH PLAIN), each side measured against bare nodemailer in the same run:
 * - latency: 50 test reports, each on a new connection as a test report is (the kept sessions
 *   closed before each), through the mail reporter (compose, STARTTLS, the AUTH order, send) vs
 *   bare nodemailer `sendMail({ envelope, raw })` of the same message on a new connection;
 *   medians compared, target ≤ 1.5×;
 * - drain: 1,000 pending alert mails accepted into a stopped report queue, then drained through
 *   the mail channel's lane (3 at a time, one reporter per attempt, sessions kept and reused,
 *   every outcome journalled) vs a bare nodemailer pool of as many connections sending the
 *   same messages (composed beforehand); 3 rounds alternating, medians; target ≥ 0.5×.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { mailLimits } from '../src-main/channels/mail/channel';
import { composeReportMail } from '../src-main/channels/mail/compose';
import { closeMailConnections } from '../src-main/channels/mail/connections';
import { createMailReporter } from '../src-main/channels/mail/mail-reporter';
import { ReportQueue } from '../src-main/queue/report-queue';
import { defaultSettings } from '../src-shared/settings';
import type { ReportEnvelope } from '../src-shared/report';
import { baseConfig, outgoing } from '../test/helpers/mail-report';
import { startSmtpPeer, throwawayTls } from '../test/helpers/mail-smtp';
import { machineInfo, median } from './common';
import type { Bench, MachineInfo } from './types';

const RUNS = 50;
const PENDING = 1_000;
const ROUNDS = 3;
const SCHEDULE = { retryIntervalMinutes: 1, retryUntilHours: 72, window: '00:00-24:00' };
const USER = 'bench';
const PASS = 'bench-pass';

interface MailBenchResult {
  date: string;
  machine: MachineInfo;
  node: string;
  latency: { runs: number; productMedianMs: number; bareMedianMs: number; ratio: number; target: number; met: boolean };
  drain: { pending: number; concurrency: number; rounds: number; productRounds: number[]; bareRounds: number[]; productPerSecond: number; barePerSecond: number; ratio: number; target: number; met: boolean };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export const mailBench: Bench<MailBenchResult> = {
  name: 'mail',
  async run(ctx) {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'er-bench-mail-'));
    const tls = await throwawayTls(dir);
    const peer = await startSmtpPeer({ tls: tls.server, authMethods: ['PLAIN'], users: { [USER]: PASS }, authOptional: false });
    const bareTls = { ca: [tls.ca.certPem], rejectUnauthorized: true };
    const config = baseConfig(peer.port, {
      security: 'starttls',
      caFile: tls.caFile,
      auth: { account: USER, password: PASS, mechanisms: ['CRAM-MD5', 'LOGIN', 'PLAIN'], oauth: null },
      timeoutMs: 20_000,
    });
    const raw = async (envelope: ReportEnvelope) =>
      composeReportMail({ envelope, attachments: [], sender: config.sender, destination: config.destination, encoding: 'uuencode', language: 'ja', smimeCertificatePem: null, now: new Date() });
    /** The product: PENDING alert mails accepted into a stopped queue, then drained through the mail lane. */
    const productDrain = async (envelopes: ReportEnvelope[], queueDir: string): Promise<number> => {
      const settings = defaultSettings();
      let settled = 0;
      let failed = 0;
      let done: () => void = () => undefined;
      const all = new Promise<void>((resolve) => (done = resolve));
      const before = peer.received.length;
      const queue = await ReportQueue.open({
        dir: queueDir,
        scheduleFor: () => SCHEDULE,
        laneFor: () => mailLimits(settings, 'express'),
        // As the pipeline does: a reporter per attempt, from the method's settings.
        reportersFor: () => [createMailReporter(config)],
        onChange: (item) => {
          if (item.state === 'retrying' || item.state === 'failed') failed++;
          if ((item.state === 'delivered' || item.state === 'failed') && ++settled === envelopes.length) done();
        },
        log: (line) => console.error(`  queue: ${line}`),
      });
      for (const e of envelopes) await queue.accept(e);
      const t = performance.now();
      queue.start();
      await all;
      const ms = performance.now() - t;
      await queue.close();
      closeMailConnections();
      if (failed > 0) throw new Error(`${failed} attempts failed in the drain`);
      if (peer.received.length - before !== envelopes.length) throw new Error(`the server received ${peer.received.length - before}, not ${envelopes.length}`);
      return Math.round((envelopes.length / ms) * 1000);
    };
    /** Bare nodemailer: a pool of as many connections sending the same messages, composed beforehand. */
    const bareDrain = async (envelopes: ReportEnvelope[], connections: number): Promise<number> => {
      const messages = await Promise.all(envelopes.map((e) => raw(e)));
      const pool = nodemailer.createTransport({ pool: true, maxConnections: connections, maxMessages: 100, host: '127.0.0.1', port: peer.port, secure: false, requireTLS: true, tls: bareTls, auth: { user: USER, pass: PASS } });
      let next = 0;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < messages.length) await pool.sendMail({ envelope: { from: config.sender, to: [config.destination] }, raw: messages[next++]! });
        }),
      );
      const ms = performance.now() - t;
      pool.close();
      return Math.round((envelopes.length / ms) * 1000);
    };
    try {
      // Latency: alternating product and bare, after three warm-ups each.
      const product: number[] = [];
      const bare: number[] = [];
      const single = nodemailer.createTransport({ host: '127.0.0.1', port: peer.port, secure: false, requireTLS: true, tls: bareTls, auth: { user: USER, pass: PASS } });
      for (let i = 0; i < RUNS + 3; i++) {
        closeMailConnections();
        const report = outgoing('test');
        let t = performance.now();
        const out = await createMailReporter(config).send(report, {});
        const p = performance.now() - t;
        if (!out.ok) throw new Error(`product send ${i}: ${out.detail}`);
        const message = await raw(outgoing('test').envelope);
        t = performance.now();
        await single.sendMail({ envelope: { from: config.sender, to: [config.destination] }, raw: message });
        const b = performance.now() - t;
        if (i >= 3) {
          product.push(round1(p));
          bare.push(round1(b));
        }
      }
      single.close();
      const latency = { runs: RUNS, productMedianMs: round1(median(product)), bareMedianMs: round1(median(bare)), ratio: 0, target: 1.5, met: false };
      latency.ratio = Math.round((latency.productMedianMs / latency.bareMedianMs) * 100) / 100;
      latency.met = latency.ratio <= latency.target;
      ctx.log(`latency: product ${latency.productMedianMs} ms, bare nodemailer ${latency.bareMedianMs} ms (${latency.ratio}×)`);

      // Drain: rounds alternating bare nodemailer and the product; medians compared.
      const settings = defaultSettings();
      const concurrency = mailLimits(settings, 'express').concurrency;
      const productRates: number[] = [];
      const bareRates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const envelopes = Array.from({ length: PENDING }, () => ({ ...outgoing('alert').envelope, id: randomUUID() }));
        bareRates.push(await bareDrain(envelopes, concurrency));
        productRates.push(await productDrain(envelopes, path.join(dir, `queue-${round}`)));
        ctx.log(`drain round ${round + 1}: product ${productRates.at(-1)}/s, bare nodemailer pool ${bareRates.at(-1)}/s`);
      }
      const productPerSecond = median(productRates);
      const barePerSecond = median(bareRates);
      const ratio = Math.round((productPerSecond / barePerSecond) * 100) / 100;
      ctx.log(`drain: product ${productPerSecond}/s, bare nodemailer pool ${barePerSecond}/s (${ratio}×)`);
      return {
        date: new Date().toISOString(),
        machine: machineInfo(),
        node: process.version,
        latency,
        drain: { pending: PENDING, concurrency, rounds: ROUNDS, productPerSecond, barePerSecond, productRounds: productRates, bareRounds: bareRates, ratio, target: 0.5, met: ratio >= 0.5 },
      };
    } finally {
      closeMailConnections();
      await peer.close();
      await fsp.rm(dir, { recursive: true, force: true });
    }
  },
  summary: (r) => [
    `test report latency: median ${r.latency.productMedianMs} ms vs bare nodemailer ${r.latency.bareMedianMs} ms (${r.latency.ratio}×, target ≤ ${r.latency.target}×: ${r.latency.met ? 'met' : 'NOT met'})`,
    `drain of ${r.drain.pending} alert mails: ${r.drain.productPerSecond}/s vs bare nodemailer pool ${r.drain.barePerSecond}/s (${r.drain.ratio}×, target ≥ ${r.drain.target}×: ${r.drain.met ? 'met' : 'NOT met'})`,
  ],
};
