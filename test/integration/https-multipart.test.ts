/**
 * The wire body on its own: the reporter's streamed multipart builder against the center's
 * streaming parser, in every chunking, with bodies that nearly contain the boundary; and the
 * parser's refusals of malformed bodies.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildMultipartBody, encodeFilename } from '../../src-main/channels/https/multipart';
import type { OutgoingAttachment } from '../../src-main/channels/reporter';
import { headerParams, multipartBoundary, parseMultipart, ReceiveError, type PartHeaders } from '../center/https-receiver';

function memoryAttachment(name: string, bytes: Buffer): OutgoingAttachment {
  return { name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), open: () => Readable.from([bytes]) };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

interface Parsed {
  headers: PartHeaders;
  body: Buffer;
}

async function parse(source: AsyncIterable<Buffer>, boundary: string): Promise<Parsed[]> {
  const parts: Parsed[] = [];
  await parseMultipart(source, boundary, async (headers) => {
    const chunks: Buffer[] = [];
    return {
      write: (c) => void chunks.push(Buffer.from(c)),
      end: () => void parts.push({ headers, body: Buffer.concat(chunks) }),
    };
  });
  return parts;
}

describe('multipart body: builder and parser', () => {
  it('round-trips the envelope and attachments in every chunk size, with a Content-Length that is exact', async () => {
    const built0 = buildMultipartBody('{}', []);
    // bodies holding the start of the boundary, CRLFs and dashes, to trip a naive parser
    const tricky = Buffer.concat([Buffer.from(`\r\n--${built0.boundary.slice(0, 20)}\r\n--\r\n`), randomBytes(5000), Buffer.from('\r\n--')]);
    const attachments = [memoryAttachment('a "b" \\c.zip', tricky), memoryAttachment('日本語 100%.zip', randomBytes(70_000)), memoryAttachment('empty.zip', Buffer.alloc(0))];
    const envelope = JSON.stringify({ hello: '世界', n: 1 });
    for (const size of [1, 2, 3, 7, 64, 1000, 65_536]) {
      const built = buildMultipartBody(envelope, attachments);
      expect(multipartBoundary(built.contentType)).toBe(built.boundary);
      const bytes = await collect(built.body);
      expect(bytes.length).toBe(built.contentLength);
      const parts = await parse(chunked(bytes, size), built.boundary);
      expect(parts.map((p) => p.headers.name)).toEqual(['envelope', 'attachment', 'attachment', 'attachment']);
      expect(parts[0]!.body.toString('utf8')).toBe(envelope);
      expect(parts[0]!.headers.filename).toBeNull();
      expect(parts[0]!.headers.headers['content-type']).toBe('application/json; charset=utf-8');
      for (let i = 0; i < attachments.length; i++) {
        const part = parts[i + 1]!;
        expect(decodeURIComponent(part.headers.filename!)).toBe(attachments[i]!.name);
        expect(part.headers.headers['content-type']).toBe('application/zip');
        expect(createHash('sha256').update(part.body).digest('hex')).toBe(attachments[i]!.sha256);
      }
    }
  });

  it('filenames are percent-encoded, so quotes and line breaks cannot break the header', () => {
    expect(encodeFilename('a"b\r\nc.zip')).toBe('a%22b%0D%0Ac.zip');
    expect(headerParams('form-data; name="attachment"; filename="x%20y.zip"')).toEqual({ name: 'attachment', filename: 'x%20y.zip' });
    expect(headerParams('form-data; name="a\\"b"; filename=plain.zip')).toEqual({ name: 'a"b', filename: 'plain.zip' });
  });

  it('accepts a preamble and an epilogue, as RFC 2046 allows', async () => {
    const body = Buffer.from('preamble text\r\n--B\r\nContent-Disposition: form-data; name="envelope"\r\n\r\n{}\r\n--B--\r\nepilogue');
    const parts = await parse(chunked(body, 5), 'B');
    expect(parts).toHaveLength(1);
    expect(parts[0]!.body.toString()).toBe('{}');
  });

  it('only multipart/form-data with a boundary', () => {
    expect(multipartBoundary('multipart/form-data; boundary="quoted b"')).toBe('quoted b');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    expect(multipartBoundary('application/json; boundary=x')).toBeNull();
    expect(multipartBoundary(undefined)).toBeNull();
    expect(multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeNull();
  });

  const refused: [string, string][] = [
    ['no closing boundary', '--B\r\nContent-Disposition: form-data; name="envelope"\r\n\r\n{}'],
    ['no boundary at all', 'x'.repeat(20_000)],
    ['a part without Content-Disposition', '--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--'],
    ['a part without a name', '--B\r\nContent-Disposition: form-data; filename="x"\r\n\r\nx\r\n--B--'],
    ['a header line without a colon', '--B\r\nContent-Disposition: form-data; name="a"\r\nbroken\r\n\r\nx\r\n--B--'],
    ['garbage after a boundary', '--B garbage\r\n\r\n--B--'],
    ['endless headers', `--B\r\nContent-Disposition: form-data; name="a"\r\nX: ${'y'.repeat(20_000)}`],
    ['too many parts', `${'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n'.repeat(18)}--B--`],
  ];
  for (const [what, text] of refused) {
    it(`refuses ${what} with 400`, async () => {
      const error = await parse(chunked(Buffer.from(text), 100), 'B').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ReceiveError);
      expect((error as ReceiveError).status).toBe(400);
    });
  }
});
