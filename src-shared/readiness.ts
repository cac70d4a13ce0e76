import { assertNever, type MethodName } from './methods';
import type { Settings } from './settings';

/** What a method still needs before it may be enabled. Grows with later features. */
export const MISSING_ITEMS = [
  'opening',
  'route',
  'mail-server',
  'mail-sender',
  'mail-destination',
  'dial-number',
  'manager-host',
  'url',
  'center-destinations',
  'forward',
  'opening-report',
] as const;
export type MissingItem = (typeof MISSING_ITEMS)[number];

type Mail = Settings['methods']['express']['mail'];
type Dialup = Settings['methods']['express']['dialup'];

function mailMissing(mail: Mail): MissingItem[] {
  const out: MissingItem[] = [];
  if (!mail.smtpHost.trim()) out.push('mail-server');
  if (!mail.sender.trim()) out.push('mail-sender');
  if (!mail.destination.trim()) out.push('mail-destination');
  return out;
}

function dialupMissing(dialup: Dialup): MissingItem[] {
  return dialup.primary.number.trim() ? [] : ['dial-number'];
}

/** The set-up items a method lacks, in the order a person would fix them; empty = configured. */
export function missingFor(settings: Settings, method: MethodName): MissingItem[] {
  const out: MissingItem[] = [];
  switch (method) {
    case 'express': {
      const m = settings.methods.express;
      if (!settings.opening) out.push('opening');
      if (m.route === null) out.push('route');
      else if (m.route === 'mail') out.push(...mailMissing(m.mail));
      else if (m.route === 'dialup') out.push(...dialupMissing(m.dialup));
      else if (!m.manager.host.trim()) out.push('manager-host');
      if (!m.openingReportedAt && m.route !== 'manager') out.push('opening-report');
      return out;
    }
    case 'express-https': {
      const m = settings.methods['express-https'];
      if (!settings.opening) out.push('opening');
      if (m.route === 'https' && !m.url1.trim()) out.push('url');
      if (m.route === 'manager' && !m.manager.host.trim()) out.push('manager-host');
      if (!m.openingReportedAt) out.push('opening-report');
      return out;
    }
    case 'manager-express': {
      const m = settings.methods['manager-express'];
      if (!m.destinationsRegisteredAt) out.push('center-destinations');
      if (m.forward === null) out.push('forward');
      else if (m.forward === 'mail') out.push(...mailMissing(m.mail));
      else out.push(...dialupMissing(m.dialup));
      return out;
    }
    case 'manager-express-https': {
      const m = settings.methods['manager-express-https'];
      if (!m.url1.trim()) out.push('url');
      return out;
    }
    default:
      return assertNever(method);
  }
}
