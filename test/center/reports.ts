/**
 * The reports the center received over HTTPS or by mail, as kept in its data dir
 * (docs/formats/https.md, docs/formats/mail.md "The center's side"):
 *
 *   DIR/reports/<id>/report.json        the envelope, when and from where it arrived, the attachments
 *   DIR/reports/<id>/attachment-NN.zip  the attachments, by their position in the envelope
 *   DIR/reports/<id>/result.json        the test-result mail the center sent (mail, --result-smtp)
 *   DIR/incoming/                       reports being received (removed when serve starts)
 *
 * A report folder appears whole (it is renamed into place), so a listing never shows half a report.
 * `express-center reports --data-dir D [--json]` prints them.
 */
import { promises as fsp } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { reportEnvelopeSchema } from '../../src-shared/report';
import { CenterStore, DEFAULT_DATA_DIR, REPORT_FILE, REPORTS_DIR } from './store';
export const RESULT_FILE = 'result.json';

/** How a report reached the center; reports stored before mail existed came over HTTPS. */
export const CHANNELS = ['https', 'mail', 'dialup'] as const;
export type Channel = (typeof CHANNELS)[number];

export const storedReportSchema = z.object({
  receivedAt: z.string(),
  remoteAddress: z.string(),
  channel: z.enum(CHANNELS).default('https'),
  /** mail only: the SMTP envelope and the Message-ID */
  mail: z.object({ from: z.string(), to: z.array(z.string()), messageId: z.string(), smime: z.boolean(), encoding: z.string() }).optional(),
  envelope: reportEnvelopeSchema,
  attachments: z.array(z.object({ name: z.string(), size: z.number(), sha256: z.string(), file: z.string() })),
});
export type StoredReport = z.infer<typeof storedReportSchema>;

/** One line of `express-center reports --json`. */
export interface ReportListing {
  id: string;
  kind: string;
  /** when the product made the report (envelope createdAt) */
  time: string;
  receivedAt: string;
  /** https, mail or dialup */
  channel: Channel;
  method: string;
  serverName: string;
  hostName: string;
  userSystemCode: string;
  resultDestination: StoredReport['envelope']['resultDestination'];
  /** the fault of an alert (source, id, suppressed repeats, pseudo-failure test) */
  event: StoredReport['envelope']['event'];
  attachments: { name: string; size: number; sha256: string }[];
  /** the report's folder in the data dir */
  dir: string;
}

export async function readStoredReport(store: CenterStore, id: string): Promise<StoredReport | null> {
  const text = await store.readText(REPORTS_DIR, id, REPORT_FILE);
  return text === null ? null : storedReportSchema.parse(JSON.parse(text));
}

/** Every stored report, oldest arrival first. */
export async function listReports(store: CenterStore): Promise<ReportListing[]> {
  let ids: string[];
  try {
    ids = await fsp.readdir(store.path(REPORTS_DIR));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: ReportListing[] = [];
  for (const id of ids) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) continue;
    const stored = await readStoredReport(store, id);
    if (!stored) continue;
    const e = stored.envelope;
    out.push({
      id: e.id,
      kind: e.kind,
      time: e.createdAt,
      receivedAt: stored.receivedAt,
      channel: stored.channel,
      method: e.method,
      serverName: e.server.serverName,
      hostName: e.server.hostName,
      userSystemCode: e.contract.userSystemCode,
      resultDestination: e.resultDestination,
      event: e.event,
      attachments: stored.attachments.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
      dir: store.path(REPORTS_DIR, id),
    });
  }
  return out.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
}

export async function reportsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length) throw Object.assign(new Error(`unexpected argument: ${positionals[0]}`), { code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' });
  const reports = await listReports(new CenterStore(values['data-dir'] ?? DEFAULT_DATA_DIR));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
    return 0;
  }
  if (reports.length === 0) process.stdout.write('no reports\n');
  for (const r of reports) {
    const files = r.attachments.map((a) => `${a.name} (${a.size} bytes)`).join(', ') || 'no attachments';
    process.stdout.write(`${r.receivedAt}  ${r.id}  ${r.kind}  ${r.channel.padEnd(5)}  ${r.serverName}  ${files}\n`);
  }
  return 0;
}
