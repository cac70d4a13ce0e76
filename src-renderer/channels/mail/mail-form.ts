/** The fields of the mail route's windows by settings key, and the windows' own checks. */
import type { MethodName } from '../../../src-shared/methods';
import { checkField } from '../../../src-shared/opening';
import type { Settings } from '../../../src-shared/settings';
import type { Shown } from '../../lib/settings-form';

/** The methods with a mail block (Express, and the manager's forwarding by mail). */
export type MailMethod = Extract<MethodName, 'express' | 'manager-express'>;
export type Mail = Settings['methods'][MailMethod]['mail'];

export function mailMethod(method: MethodName): MailMethod {
  return method === 'manager-express' ? 'manager-express' : 'express';
}

/** Every key of the mail block the windows edit, named after its path below `methods.<method>.mail`. */
export function mailKeys(method: MailMethod) {
  const base = `methods.${method}.mail`;
  const k = (path: string) => `${base}.${path}`;
  const pop = { host: k('pop.host'), port: k('pop.port'), account: k('pop.account'), password: k('pop.password'), wait: k('pop.waitSeconds') };
  const oauth = {
    tokenUrl: k('smtp.oauth.tokenUrl'),
    clientId: k('smtp.oauth.clientId'),
    clientSecret: k('smtp.oauth.clientSecret'),
    refreshToken: k('smtp.oauth.refreshToken'),
    scope: k('smtp.oauth.scope'),
  };
  const smtp = {
    account: k('smtp.account'),
    password: k('smtp.password'),
    cramMd5: k('smtp.cramMd5'),
    login: k('smtp.login'),
    plain: k('smtp.plain'),
    xoauth2: k('smtp.xoauth2'),
  };
  const server = {
    host: k('smtpHost'),
    port: k('smtpPort'),
    security: k('security'),
    allowUnencryptedAuth: k('allowUnencryptedAuth'),
    caFile: k('caFile'),
    sender: k('sender'),
    popBeforeSmtp: k('popBeforeSmtp'),
    smtpAuth: k('smtpAuth'),
  };
  const popKeys = Object.values(pop);
  const smtpKeys = [smtp.account, smtp.password, smtp.cramMd5, smtp.login, smtp.plain, smtp.xoauth2];
  const oauthKeys = Object.values(oauth);
  return {
    base,
    server,
    pop,
    smtp,
    oauth,
    popKeys,
    smtpKeys,
    oauthKeys,
    authKeys: [...popKeys, ...smtpKeys, ...oauthKeys],
    serverKeys: Object.values(server),
    destination: k('destination'),
    encoding: k('encoding'),
    remoteBase: k('remoteAccess'),
  };
}
export type MailKeys = ReturnType<typeof mailKeys>;

/** An e-mail address as the settings utility checks one (the backend checks again). */
export function isMailAddress(text: string): boolean {
  return checkField('mail', { kind: 'email', max: 255, required: true }, text) === null;
}

/** A whole number of seconds from 0 to 600 (full-width digits allowed), else null. */
export function parseWait(text: string): number | null {
  const digits = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d{1,3}$/.test(digits)) return null;
  const seconds = Number(digits);
  return seconds <= 600 ? seconds : null;
}

/** The checked mechanisms in the order they are tried (seed L840: CRAM-MD5, LOGIN, PLAIN; then XOAUTH2). */
export function mechanismsOf(values: Readonly<Record<string, Shown>>, keys: MailKeys): string[] {
  const order: [string, string][] = [
    [keys.smtp.cramMd5, 'CRAM-MD5'],
    [keys.smtp.login, 'LOGIN'],
    [keys.smtp.plain, 'PLAIN'],
    [keys.smtp.xoauth2, 'XOAUTH2'],
  ];
  return order.filter(([key]) => values[key] === true).map(([, name]) => name);
}

/** Dotted keys and their values as the nested object a settings form reads (`a.b.c` → { a: { b: { c } } }). */
export function nestValues(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      // own properties only: a part named like a prototype member never reaches the prototype
      const next = Object.prototype.hasOwnProperty.call(node, part) ? node[part] : undefined;
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else {
        const made: Record<string, unknown> = {};
        Object.defineProperty(node, part, { value: made, enumerable: true, writable: true, configurable: true });
        node = made;
      }
    }
    Object.defineProperty(node, parts[parts.length - 1]!, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}
