/**
 * Browser mode's answer to a page opened with a token that is not (or no longer) valid — most
 * often an old address after `serve` was restarted, since the token is new at every start. The
 * page is Japanese, as the product is by default, and English when the service speaks English
 * (its settings, else the OS locale) or the browser asks for English before Japanese
 * (Accept-Language).
 */
import { translate, type Language } from '../../src-shared/i18n';

/** The first of our languages the browser asks for, by quality then order; null when none. */
export function acceptedLanguage(header: string | undefined): Language | null {
  const ranked = (header ?? '')
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find((m) => m !== null);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, order };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranked) {
    if (tag === 'ja' || tag.startsWith('ja-')) return 'ja';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return null;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The whole page (no script: the CSP allows none inline). */
export function forbiddenPage(lang: Language): string {
  const title = escapeHtml(translate(lang, 'lockweb.forbidden.title'));
  const body = escapeHtml(translate(lang, 'lockweb.forbidden.body'));
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;margin:3em auto;max-width:40em;padding:0 1em;line-height:1.6}</style></head>
<body><main><h1>${title}</h1><p>${body}</p></main></body></html>
`;
}
