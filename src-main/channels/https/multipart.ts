/**
 * The request body of an HTTPS report (docs/formats/https.md): `multipart/form-data` with one
 * `envelope` part (the JSON envelope) and one `attachment` part per attachment, in the
 * envelope's order. The body is a stream: attachments are read from disk as they are sent, never
 * held whole in memory. Its length is known in advance (the attachments' sizes are in the
 * envelope), so it is sent with a Content-Length, which every proxy and server understands.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { errorCode } from '../../lib/error-text';
import type { OutgoingAttachment } from '../reporter';

export const ENVELOPE_PART = 'envelope';
export const ATTACHMENT_PART = 'attachment';

/** An attachment whose bytes on disk are not those the envelope declares. */
export class AttachmentReadError extends Error {
  constructor(
    message: string,
    readonly attachment: string,
  ) {
    super(message);
    this.name = 'AttachmentReadError';
  }
}

/**
 * The attachment name as the part's `filename` parameter: percent-encoded as UTF-8 with
 * encodeURIComponent, so that quotes, backslashes, line breaks and non-ASCII names survive every
 * parser (RFC 7578 4.2 allows percent-encoding). The center decodes it with decodeURIComponent.
 */
export function encodeFilename(name: string): string {
  return encodeURIComponent(name);
}

export interface MultipartBody {
  contentType: string;
  contentLength: number;
  boundary: string;
  body: Readable;
}

const CRLF = '\r\n';

export function buildMultipartBody(envelopeJson: string, attachments: readonly OutgoingAttachment[]): MultipartBody {
  // 128 random bits: never found inside a zip or the JSON by chance.
  const boundary = `ExpressReport-${randomBytes(16).toString('hex')}`;
  const envelopeHead = Buffer.from(
    `--${boundary}${CRLF}` +
      `Content-Disposition: form-data; name="${ENVELOPE_PART}"${CRLF}` +
      `Content-Type: application/json; charset=utf-8${CRLF}${CRLF}`,
  );
  const envelopeBytes = Buffer.from(envelopeJson, 'utf8');
  const heads = attachments.map((a) =>
    Buffer.from(
      `${CRLF}--${boundary}${CRLF}` +
        `Content-Disposition: form-data; name="${ATTACHMENT_PART}"; filename="${encodeFilename(a.name)}"${CRLF}` +
        `Content-Type: application/zip${CRLF}${CRLF}`,
    ),
  );
  const tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`);
  const contentLength =
    envelopeHead.length + envelopeBytes.length + heads.reduce((n, h, i) => n + h.length + attachments[i]!.size, 0) + tail.length;

  async function* generate(): AsyncGenerator<Buffer> {
    yield Buffer.concat([envelopeHead, envelopeBytes]);
    for (let i = 0; i < attachments.length; i++) {
      const attachment = attachments[i]!;
      yield heads[i]!;
      let sent = 0;
      let source: Readable;
      try {
        source = attachment.open();
      } catch (err) {
        throw new AttachmentReadError(`could not open attachment ${attachment.name} (${errorCode(err)})`, attachment.name);
      }
      try {
        for await (const chunk of source) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
          sent += bytes.length;
          if (sent > attachment.size) break;
          yield bytes;
        }
      } catch (err) {
        throw new AttachmentReadError(`could not read attachment ${attachment.name} (${errorCode(err)})`, attachment.name);
      } finally {
        source.destroy();
      }
      if (sent !== attachment.size) {
        throw new AttachmentReadError(
          `attachment ${attachment.name} has ${sent > attachment.size ? 'more' : 'fewer'} bytes than the ${attachment.size} the report declares`,
          attachment.name,
        );
      }
    }
    yield tail;
  }

  return {
    boundary,
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength,
    body: Readable.from(generate(), { objectMode: false, highWaterMark: 64 * 1024 }),
  };
}
