import type { ContractHost } from '../../src-main/transport/web-server';

/** Sets up methods through the contract, as a later wizard would: opened, destinations, opening report. */
export async function setUpThroughApi(host: Pick<ContractHost, 'call'>, which: 'express' | 'express-https' | 'both'): Promise<void> {
  const set = async (key: string, value: unknown) => {
    const out = await host.call('settings:set', { key, value });
    if (!out.ok) throw new Error(`${key}: ${out.error.message}`);
  };
  await set('opening', { mode: 'key-code', openedAt: '2026-01-01T00:00:00Z', userSystemCode: 'OPFILELESS' });
  if (which !== 'express-https') {
    await set('methods.express.route', 'mail');
    await set('methods.express.mail.smtpHost', 'mail.example.jp');
    await set('methods.express.mail.sender', 'server@example.jp');
    await set('methods.express.mail.destination', 'center@example.jp');
    await set('methods.express.openingReportedAt', '2026-01-01T00:10:00Z');
  }
  if (which !== 'express') {
    await set('methods.express-https.url1', 'https://center.example.jp/Scripts/trsRecvAlert.cgi');
    await set('methods.express-https.openingReportedAt', '2026-01-01T00:10:00Z');
  }
}
