/**
 * Express Report by dial-up on a simulated line: the real dial-up channel (real serialport
 * binding, socat pty pair) calls the real `express-center modem`, which passes bytes at 9,600
 * and 33,600 bit/s. For an alert report with its collected logs (a zip made by the product's
 * collector from a generated syslog): the time on the line (dial to hang-up) against the physical
 * minimum for its bytes (10 bits a byte at the line rate, plus the measured dial time and the two
 * escape guard times), the bytes on the wire against the report before compression, the framing
 * overhead; and a transfer broken off by a lost carrier, resumed on the next call.
 * Targets: overhead ≤ 5 % of payload, time ≤ 1.2× the minimum, a resume re-sends ≤ one window.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collect } from '../src-main/collect/collector';
import type { CallRecord } from '../src-main/channels/dialup/dialup-reporter';
import { sampleReport, fileAttachment } from '../test/helpers/center';
import { dialupSettings, round, testChannel } from '../test/helpers/dialup-setup';
import { startModemCenter } from '../test/helpers/modem-center';
import { machineInfo } from './common';
import type { Bench } from './types';
import type { MachineInfo } from './types';

const GUARD_MS = 1000;
const ANSWER_MS = 1000;
const WINDOW = 4;

interface LineRun {
  bps: number;
  payloadBytes: number;
  uncompressedBytes: number;
  /** frames and acknowledgements both ways, from CONNECT to the final acknowledgement */
  wireBytes: number;
  overheadPercent: number;
  dialMs: number;
  onLineMs: number;
  minimumMs: number;
  ratio: number;
}

interface DialupResult {
  date: string;
  machine: MachineInfo;
  report: { logBytes: number; zipBytes: number };
  guardMs: number;
  lines: LineRun[];
  resume: { bps: number; frames: number; droppedAfterBytes: number; resumedFrom: number; framesSentAgain: number; window: number };
  targets: { overheadPercent: number; ratio: number; resendFrames: number };
  met: boolean;
}

function syslog(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = new Date(Date.UTC(2026, 3, 1, 9, 0, i)).toISOString();
    out.push(`${t} SERVER001 kernel: [${(i * 0.37).toFixed(3)}] sd 0:0:0:0: [sda] tag#${i % 32} CDB: Read(10) 28 00 ${(i * 8).toString(16).padStart(8, '0')} 00 00 08 00 (attempt ${i % 5})`);
  }
  return out.join('\n') + '\n';
}

export const dialupBench: Bench<DialupResult> = {
  name: 'dialup',
  async run(ctx) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'er-bench-dialup-'));
    try {
      const logFile = path.join(dir, 'messages');
      const text = syslog(1500);
      writeFileSync(logFile, text);
      const archive = await collect({ tools: [{ name: 'Tools', command: null, directory: null, logFiles: [logFile] }], timeoutSeconds: 0, maxBytes: 0, archiveName: 'log.zip' }, { tempDir: dir });
      const report = () => sampleReport('alert', [fileAttachment(archive.path)]);
      const lines: LineRun[] = [];
      for (const bps of [9600, 33600]) {
        const modem = await startModemCenter({ baud: bps, guardMs: GUARD_MS, answerMs: ANSWER_MS });
        try {
          const lockDir = mkdtempSync(path.join(dir, 'lock-'));
          const { channel, calls } = testChannel(lockDir, { times: { guardMs: GUARD_MS, responseMs: 3000 } });
          const [d] = await round(channel, dialupSettings(modem.port, { baudRate: bps }), report());
          if (!d?.ok) throw new Error(`the call at ${bps} bit/s failed: ${d && !d.ok ? d.detail : 'no destination'}`);
          const c = calls[0] as CallRecord;
          const dialMs = c.connectedAt! - c.dialedAt!;
          const onLineMs = c.hungUpAt - c.dialedAt!;
          const minimumMs = dialMs + (c.payloadBytes * 10 * 1000) / bps + 2 * GUARD_MS;
          const wireBytes = c.transferWritten + c.transferRead;
          lines.push({
            bps,
            payloadBytes: c.payloadBytes,
            uncompressedBytes: c.rawBytes,
            wireBytes,
            overheadPercent: Math.round(((wireBytes - c.payloadBytes) / c.payloadBytes) * 10000) / 100,
            dialMs,
            onLineMs,
            minimumMs: Math.round(minimumMs),
            ratio: Math.round((onLineMs / minimumMs) * 1000) / 1000,
          });
          ctx.log(`${bps} bit/s: ${onLineMs} ms on the line (minimum ${Math.round(minimumMs)} ms), ${wireBytes} bytes for a ${c.payloadBytes}-byte payload (${c.rawBytes} before compression)`);
        } finally {
          await modem.stop();
        }
      }

      // A lost carrier half-way, then the next call resumes.
      const bps = 33600;
      const half = Math.floor(lines[1]!.payloadBytes / 2);
      const modem = await startModemCenter({ baud: bps, guardMs: 200, plan: { numbers: { '0312345678': [{ result: 'connect', dropAfterBytes: half }, 'connect'] } } });
      let resume: DialupResult['resume'];
      try {
        const { channel, calls } = testChannel(mkdtempSync(path.join(dir, 'lock-')));
        const settings = dialupSettings(modem.port, { baudRate: bps });
        const r = report();
        const [first] = await round(channel, settings, r);
        if (first?.ok !== false || first.step !== 'line-dropped') throw new Error(`the first call should have lost its carrier: ${JSON.stringify(first)}`);
        const [second] = await round(channel, settings, r);
        if (!second?.ok) throw new Error(`the resumed call failed: ${second && !second.ok ? second.detail : ''}`);
        const [c1, c2] = calls as [CallRecord, CallRecord];
        resume = { bps, frames: Math.ceil(c2.payloadBytes / 1024), droppedAfterBytes: half, resumedFrom: c2.resumedFrom!, framesSentAgain: c1.framesSent - c2.resumedFrom!, window: WINDOW };
        ctx.log(`resume: dropped after ${half} bytes; the next call started at frame ${resume.resumedFrom} of ${resume.frames}, sending ${resume.framesSentAgain} frames again`);
      } finally {
        await modem.stop();
      }
      await archive.dispose();
      const targets = { overheadPercent: 5, ratio: 1.2, resendFrames: WINDOW };
      const met = lines.every((l) => l.overheadPercent <= targets.overheadPercent && l.ratio <= targets.ratio) && resume.framesSentAgain <= targets.resendFrames;
      return { date: new Date().toISOString(), machine: machineInfo(), report: { logBytes: text.length, zipBytes: archive.size }, guardMs: GUARD_MS, lines, resume, targets, met };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  summary(r) {
    return [
      ...r.lines.map(
        (l) =>
          `${l.bps} bit/s: ${(l.onLineMs / 1000).toFixed(2)} s on the line vs ${(l.minimumMs / 1000).toFixed(2)} s minimum (${l.ratio}×, target ≤ ${r.targets.ratio}×); ` +
          `${l.wireBytes} bytes on the wire for ${l.payloadBytes} bytes of payload (overhead ${l.overheadPercent} %, target ≤ ${r.targets.overheadPercent} %), ${l.uncompressedBytes} bytes uncompressed`,
      ),
      `resume: ${r.resume.framesSentAgain} frames sent again (target ≤ ${r.resume.window}, one window)`,
      r.met ? 'all targets met' : 'TARGETS MISSED',
    ];
  },
};
