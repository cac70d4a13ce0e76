/**
 * AMHTPADR.INF, the destination definition file (seed 2826–2866): [URL1] URL= (required) and
 * [URL2] URL= (optional), each at most 500 half-width letters, digits and symbols, https://.
 */
import { Reporter, result, warnUnknownKeys, type InfResult } from './common';
import { english, text, type InfText } from './messages';
import { clip, getEntry, getSection, nameKey, type InfScan } from './scanner';

export interface AdrDefinition {
  /** 一次通報先; '' only when the file has an error there. */
  url1: string;
  /** 二次通報先; null when not set (or refused). */
  url2: string | null;
}

/** The longest destination URL (seed 2853, 2866). */
export const MAX_URL_LENGTH = 500;

/** Why `url` is not a destination URL, or null (a phrase that follows "URL in [URLn]"); in English. */
export function destinationUrlProblem(url: string): string | null {
  const reason = destinationUrlReason(url);
  return reason && english(reason);
}

/** Why `url` is not a destination URL, or null: a coded phrase (messages.ts). */
export function destinationUrlReason(url: string): InfText | null {
  if (url === '') return text('inf.empty');
  if (url.length > MAX_URL_LENGTH) return text('inf.url.tooLong', { length: url.length, max: MAX_URL_LENGTH });
  const bad = [...url].find((c) => c < '!' || c > '~');
  if (bad !== undefined) {
    if (bad === ' ' || bad === '\t') return text('inf.url.space');
    return text('inf.url.badChar', { char: bad, code: `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` });
  }
  if (!/^https:\/\//i.test(url)) return text('inf.url.notHttps', { url: clip(url, 40) });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text('inf.url.invalid', { url: clip(url) });
  }
  if (parsed.hostname === '') return text('inf.url.noHost');
  return null;
}

export function checkAdr(scan: InfScan): InfResult<AdrDefinition> {
  const r = new Reporter(scan.file, scan.diagnostics);
  const value: AdrDefinition = { url1: '', url2: null };
  if (scan.encoding === null) return result(scan, 'adr', value, r);

  const url1 = getSection(scan, 'URL1');
  if (!url1) {
    r.error(1, 'inf.adr.noUrl1');
  } else {
    const url = getEntry(url1, 'URL');
    if (!url) r.error(url1.line, 'inf.adr.noUrl', { section: url1.name });
    else if (url.value === '') r.error(url.line, 'inf.adr.url1Empty', { key: url.key, section: url1.name });
    else {
      const problem = destinationUrlReason(url.value);
      if (problem) r.error(url.line, 'inf.adr.url', { key: url.key, section: url1.name, problem });
      else value.url1 = url.value;
    }
    warnUnknownKeys(url1, ['url'], r, 'inf.keys.url');
  }

  const url2 = getSection(scan, 'URL2');
  if (url2) {
    const url = getEntry(url2, 'URL');
    if (!url) r.warning(url2.line, 'inf.adr.url2NoUrl', { section: url2.name });
    else if (url.value !== '') {
      const problem = destinationUrlReason(url.value);
      if (problem) r.error(url.line, 'inf.adr.url', { key: url.key, section: url2.name, problem });
      else {
        value.url2 = url.value;
        if (url.value === value.url1) r.warning(url.line, 'inf.adr.url2Same', { key: url.key, section: url2.name });
      }
    }
    warnUnknownKeys(url2, ['url'], r, 'inf.keys.url');
  }

  for (const [k, section] of scan.sections) {
    if (k === nameKey('URL1') || k === nameKey('URL2')) continue;
    r.warning(section.line, 'inf.adr.unknownSection', { section: section.name });
  }
  return result(scan, 'adr', value, r);
}
