/**
 * Reads a report mail (docs/formats/mail.md): the outer message, the S/MIME enveloped entity
 * when there is one, and the parts of the multipart/mixed entity — the text, report.json and one
 * part per envelope attachment, each in base64 or x-uuencode (decoded strictly here; mailparser
 * passes x-uuencode through and decodes the other transfer encodings). Every refusal is a
 * MailRefusal with a reason that names the part.
 */
import { simpleParser, type Attachment, type HeaderValue, type ParsedMail } from 'mailparser';
import { reportEnvelopeSchema, type ReportEnvelope } from '../../src-shared/report';
import type { SmimeKeyRing } from './mail-smime';
import { SmimeError } from './mail-smime';
import { MailRefusal } from './mail-store';
import { uudecode, UudecodeError } from './mail-uudecode';

export interface ReportMail {
  envelope: ReportEnvelope;
  attachments: Buffer[];
  /** the readable text part */
  text: string;
  subject: string;
  messageId: string;
  smime: boolean;
  /** the transfer encoding of report.json: uuencode or base64 (or what else was used) */
  encoding: string;
  /** where the S/MIME key came from (smime/center-cert.pem, contracts/…) */
  keySource: string | null;
}

const UUENCODE = new Set(['x-uuencode', 'x-uue', 'uuencode']);
const PKCS7 = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

const PARSE_OPTIONS = { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true, keepCidLinks: true } as const;

function headerText(value: HeaderValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return String(value);
}

function contentType(parsed: ParsedMail | Attachment): { value: string; params: Record<string, string> } {
  const ct = parsed.headers.get('content-type');
  if (ct && typeof ct === 'object' && 'value' in ct && typeof ct.value === 'string') {
    return { value: ct.value.toLowerCase(), params: (ct as { params?: Record<string, string> }).params ?? {} };
  }
  return { value: typeof ct === 'string' ? ct.toLowerCase() : '', params: {} };
}

async function parse(raw: Buffer, what: string): Promise<ParsedMail> {
  try {
    return await simpleParser(raw, PARSE_OPTIONS);
  } catch (err) {
    throw new MailRefusal(554, `${what} is not a MIME message (${(err as Error).message})`);
  }
}

/** A part's body decoded from its transfer encoding, and that encoding's name. */
function decodePart(part: Attachment, label: string): { data: Buffer; encoding: string } {
  const cte = headerText(part.headers.get('content-transfer-encoding')).trim().toLowerCase() || '7bit';
  if (!UUENCODE.has(cte)) return { data: part.content, encoding: cte };
  let decoded;
  try {
    decoded = uudecode(part.content);
  } catch (err) {
    if (err instanceof UudecodeError) throw new MailRefusal(554, `${label}: ${err.message}`);
    throw err;
  }
  if (part.filename !== undefined && decoded.name !== part.filename) {
    throw new MailRefusal(554, `${label}: the uuencode begin line names ${JSON.stringify(decoded.name)}, the part's filename is ${JSON.stringify(part.filename)}`);
  }
  return { data: decoded.data, encoding: 'uuencode' };
}

/** Reads and checks a whole report mail; throws a MailRefusal saying what is wrong. */
export async function readReportMail(raw: Buffer, ring: SmimeKeyRing): Promise<ReportMail> {
  const outer = await parse(raw, 'the mail');
  const headerId = headerText(outer.headers.get('x-express-report-id')).trim();
  if (!headerId) throw new MailRefusal(554, 'the mail has no X-Express-Report-Id header (not an Express Report mail)');

  let entity = outer;
  let smime = false;
  let keySource: string | null = null;
  const outerType = contentType(outer);
  if (PKCS7.has(outerType.value)) {
    const smimeType = (outerType.params['smime-type'] ?? 'enveloped-data').toLowerCase();
    if (smimeType !== 'enveloped-data') throw new MailRefusal(554, `the S/MIME body is ${smimeType}, the center takes enveloped-data`);
    const body = outer.attachments[0];
    if (!body || body.content.length === 0) throw new MailRefusal(554, 'the S/MIME body is empty');
    let inner;
    try {
      inner = await ring.decrypt(body.content);
    } catch (err) {
      if (err instanceof SmimeError) throw new MailRefusal(554, err.message);
      throw err;
    }
    smime = true;
    keySource = inner.source;
    entity = await parse(inner.content, 'the decrypted S/MIME content');
  }

  const entityType = contentType(entity).value;
  if (entityType !== 'multipart/mixed') {
    throw new MailRefusal(554, `the ${smime ? 'decrypted entity' : 'mail'} is ${entityType || 'not MIME'}, a report mail is multipart/mixed`);
  }
  const parts = entity.attachments.filter((a) => a.contentDisposition === 'attachment' || a.filename !== undefined);
  const first = parts[0];
  if (!first || first.filename !== 'report.json') throw new MailRefusal(554, 'the mail has no report.json part (the first attachment must be report.json)');
  const json = decodePart(first, 'report.json');

  let data: unknown;
  try {
    data = JSON.parse(json.data.toString('utf8'));
  } catch {
    throw new MailRefusal(554, 'report.json is not JSON');
  }
  const checked = reportEnvelopeSchema.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new MailRefusal(554, `report.json is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
  }
  const envelope = checked.data;
  if (envelope.id.toLowerCase() !== headerId.toLowerCase()) {
    throw new MailRefusal(554, `X-Express-Report-Id ${headerId} is not the envelope's id ${envelope.id}`);
  }

  const rest = parts.slice(1);
  if (rest.length !== envelope.attachments.length) {
    throw new MailRefusal(554, `the envelope lists ${envelope.attachments.length} attachments, the mail holds ${rest.length} parts after report.json`);
  }
  const attachments = rest.map((part, i) => {
    const declared = envelope.attachments[i]!;
    if (part.filename !== declared.name) {
      throw new MailRefusal(554, `attachment ${i + 1}: the filename ${JSON.stringify(part.filename ?? '')} is not the name the envelope lists (${declared.name})`);
    }
    return decodePart(part, `attachment ${declared.name}`).data;
  });

  return {
    envelope,
    attachments,
    text: entity.text ?? '',
    subject: outer.subject ?? '',
    messageId: outer.messageId ?? '',
    smime,
    encoding: json.encoding,
    keySource,
  };
}
