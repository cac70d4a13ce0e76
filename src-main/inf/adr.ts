/**
 * AMHTPADR.INF, the destination definition file (seed 2826–2866): [URL1] URL= (required) and
 * [URL2] URL= (optional), each at most 500 half-width letters, digits and symbols, https://.
 */
import { Reporter, result, warnUnknownKeys, type InfResult } from './common';
import { clip, getEntry, getSection, nameKey, type InfScan } from './scanner';

export interface AdrDefinition {
  /** 一次通報先; '' only when the file has an error there. */
  url1: string;
  /** 二次通報先; null when not set (or refused). */
  url2: string | null;
}

/** The longest destination URL (seed 2853, 2866). */
export const MAX_URL_LENGTH = 500;

/** Why `url` is not a destination URL, or null (a phrase that follows "URL in [URLn]"). */
export function destinationUrlProblem(url: string): string | null {
  if (url === '') return 'is empty';
  if (url.length > MAX_URL_LENGTH) return `is ${url.length} characters; at most ${MAX_URL_LENGTH}`;
  const bad = [...url].find((c) => c < '!' || c > '~');
  if (bad !== undefined) {
    const what = bad === ' ' || bad === '\t' ? 'a space' : `${bad} (U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
    return `contains ${what}; write half-width letters, digits and symbols only`;
  }
  if (!/^https:\/\//i.test(url)) return `must start with https:// (${clip(url, 40)})`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `is not a valid URL (${clip(url)})`;
  }
  if (parsed.hostname === '') return 'has no host name';
  return null;
}

export function checkAdr(scan: InfScan): InfResult<AdrDefinition> {
  const r = new Reporter(scan.file, scan.diagnostics);
  const value: AdrDefinition = { url1: '', url2: null };
  if (scan.encoding === null) return result(scan, 'adr', value, r);

  const url1 = getSection(scan, 'URL1');
  if (!url1) {
    r.error(1, 'the section [URL1] is missing: write [URL1] and URL=https://… (the primary destination)');
  } else {
    const url = getEntry(url1, 'URL');
    if (!url) r.error(url1.line, `URL in [${url1.name}] is missing: write URL=https://… (the primary destination)`);
    else if (url.value === '') r.error(url.line, `${url.key} in [${url1.name}] is empty: the primary destination is required`);
    else {
      const problem = destinationUrlProblem(url.value);
      if (problem) r.error(url.line, `${url.key} in [${url1.name}] ${problem}`);
      else value.url1 = url.value;
    }
    warnUnknownKeys(url1, ['url'], r, 'URL');
  }

  const url2 = getSection(scan, 'URL2');
  if (url2) {
    const url = getEntry(url2, 'URL');
    if (!url) r.warning(url2.line, `[${url2.name}] has no URL=; there is no secondary destination`);
    else if (url.value !== '') {
      const problem = destinationUrlProblem(url.value);
      if (problem) r.error(url.line, `${url.key} in [${url2.name}] ${problem}`);
      else {
        value.url2 = url.value;
        if (url.value === value.url1) r.warning(url.line, `${url.key} in [${url2.name}] is the same as the primary destination`);
      }
    }
    warnUnknownKeys(url2, ['url'], r, 'URL');
  }

  for (const [k, section] of scan.sections) {
    if (k === nameKey('URL1') || k === nameKey('URL2')) continue;
    r.warning(section.line, `unknown section [${section.name}] is ignored (AMHTPADR.INF has [URL1] and [URL2])`);
  }
  return result(scan, 'adr', value, r);
}
