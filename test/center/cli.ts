/**
 * `express-center`: the maintenance-center simulator (test/center). One subcommand per center
 * feature; each lives in its own module. Not shipped with the app (electron-builder.yml).
 */
import { parseArgs } from 'node:util';
import { KeyFileError } from '../../src-main/opening/keyfile';
import { issueExtensionKey } from './issue-extension-key';
import { issueKeyFile, USER_SYSTEM_CODE } from './issue-key-file';
import { modemCommand } from './modem-command';
import { reportsCommand } from './reports';
import { serveCommand } from './serve';
import { DEFAULT_DATA_DIR } from './store';

const USAGE = `express-center — the Express Report maintenance-center simulator

Usage: express-center <command> [options]

  issue-key-file --out FILE      make an opening key file (docs/formats/keyfile.md)
      [--data-dir DIR]           the center's data (default ./${DEFAULT_DATA_DIR}): CA, contracts, keys
      [--server-name NAME]       default SERVER001
      [--encoding sjis|utf8]     default sjis; [--bom] (UTF-8 only) [--eol crlf|lf] (default crlf)
      [--expires YYYY-MM-DD|none] last day of the contract (default: one year from today)
      [--user-system-code CODE]  default: a new random one; an existing contract keeps its
                                 extension secret and gets a new S/MIME certificate
      [--customer-type individual|corporate]   default corporate
      [--mail ADDR] [--https-url URL]... [--phone NUMBER]...   the center's destinations
      [--cert-days N]            validity of the S/MIME certificate (default 398; --cert-days=-1
                                 makes an expired one)

  issue-extension-key --user-system-code CODE --expires YYYY-MM-DD
                                 make an extension key (期限延長キー, docs/formats/extension-key.md)
                                 for a contract issued before: the contract's new last day
      [--data-dir DIR]           the center's data (default ./${DEFAULT_DATA_DIR}): the contract's secret
                                 prints key:, user-system-code:, expires-at:, serial:, contract: first

  serve --https-port N           receive reports over HTTPS (docs/formats/https.md); N may be 0
      [--data-dir DIR]           the center's data: its CA and the reports received
      [--host ADDR]              listen address (default 127.0.0.1)
      [--admin-port N]           loopback HTTP admin endpoint for fault injection (default 0)
      [--cert-hosts H,H]         names in the server certificate (default 127.0.0.1,localhost,::1)
      [--max-attachment-mb N]    the largest attachment accepted (default 1024)
                                 prints url:, ca:, admin:, data-dir: first; SIGTERM stops it
      [--smtp-port N]            also receive report mail by SMTP (docs/formats/mail.md); alone
                                 (without --https-port) the mail side only; prints smtp: and
                                 smime-cert: (smime/center-cert.pem, made when missing) before data-dir:
      [--result-smtp HOST:PORT]  mail the result of a test / opening report to its result
                                 destination through this SMTP server
      [--result-from ADDR]       the result mail's From (default: the address the report came to)
      [--result-ca FILE]         CA (PEM) to verify the result server's STARTTLS certificate
      [--max-mail-mb N]          the largest mail accepted (default 64)

  reports [--data-dir DIR] [--json]   list the reports received, with their channel (https, mail)

  modem --device PATH            a Hayes modem answering the product's calls on PATH (the far
                                 end of a pty pair; docs/formats/dialup.md)
      [--data-dir DIR]           the center's data: the reports received, partial transfers
      [--baud N]                 the line's speed, for CONNECT and the throttle (default 33600)
      [--plan FILE]              what each number does (busy, no-answer, drop, corrupt, …);
                                 without one every number connects
      [--guard-ms N] [--comma-ms N] [--answer-ms N]   S12, S8 and the time to answer
      [--batch-wait-ms N]        how long a call carrying several reports waits for the next (10000)
      [--no-batch]               an older center without 一括通報: one report a call, the final
                                 never says batch; it hangs up --batch-wait-ms after the final
                                 prints modem: ready PATH first; SIGTERM stops it

Exit status: 0 done, 1 failure, 2 bad usage.
`;

class UsageError extends Error {}

function isIsoDate(s: string): boolean {
  const time = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(s);
}

async function issueKeyFileCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'data-dir': { type: 'string' },
      'server-name': { type: 'string' },
      encoding: { type: 'string' },
      bom: { type: 'boolean' },
      eol: { type: 'string' },
      expires: { type: 'string' },
      'user-system-code': { type: 'string' },
      'customer-type': { type: 'string' },
      mail: { type: 'string' },
      'https-url': { type: 'string', multiple: true },
      phone: { type: 'string', multiple: true },
      'cert-days': { type: 'string' },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  if (!values.out) throw new UsageError('--out FILE is required');
  const encoding = values.encoding ?? 'sjis';
  if (encoding !== 'sjis' && encoding !== 'utf8') throw new UsageError('--encoding must be sjis or utf8');
  if (values.bom && encoding !== 'utf8') throw new UsageError('--bom is for --encoding utf8 only');
  const eol = values.eol ?? 'crlf';
  if (eol !== 'crlf' && eol !== 'lf') throw new UsageError('--eol must be crlf or lf');
  let expires: string | null | undefined;
  if (values.expires !== undefined) {
    if (values.expires === 'none') expires = null;
    else if (isIsoDate(values.expires)) expires = values.expires;
    else throw new UsageError('--expires must be YYYY-MM-DD or none');
  }
  const customerType = values['customer-type'] ?? 'corporate';
  if (customerType !== 'individual' && customerType !== 'corporate') throw new UsageError('--customer-type must be individual or corporate');
  const code = values['user-system-code'];
  if (code !== undefined && (!USER_SYSTEM_CODE.test(code) || code.toUpperCase() === 'OPFILELESS')) {
    throw new UsageError("--user-system-code: letters, digits and '-', at most 64 (not OPFILELESS)");
  }
  let certDays: number | undefined;
  if (values['cert-days'] !== undefined) {
    certDays = Number(values['cert-days']);
    if (!Number.isInteger(certDays) || Math.abs(certDays) > 10_000) throw new UsageError('--cert-days must be a whole number of days');
  }
  if ((values['https-url']?.length ?? 0) > 2 || (values.phone?.length ?? 0) > 2) throw new UsageError('at most two --https-url and two --phone');

  const issued = await issueKeyFile({
    out: values.out,
    dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
    serverName: values['server-name'],
    encoding,
    bom: values.bom ?? false,
    eol: eol === 'lf' ? '\n' : '\r\n',
    expires,
    userSystemCode: code,
    customerType,
    certDays,
    mail: values.mail,
    httpsUrls: values['https-url'],
    phones: values.phone,
  });
  process.stdout.write(`key-file: ${issued.file}\nuser-system-code: ${issued.userSystemCode}\ncontract: ${issued.contractFile}\n`);
  return 0;
}

async function issueExtensionKeyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      'user-system-code': { type: 'string' },
      expires: { type: 'string' },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const code = values['user-system-code'];
  if (code === undefined) throw new UsageError('--user-system-code CODE is required');
  if (!USER_SYSTEM_CODE.test(code) || code.toUpperCase() === 'OPFILELESS') {
    throw new UsageError("--user-system-code: letters, digits and '-', at most 64 (not OPFILELESS: a key-code opening takes no extension key)");
  }
  if (values.expires === undefined) throw new UsageError("--expires YYYY-MM-DD is required (the contract's new last day)");
  if (!isIsoDate(values.expires)) throw new UsageError('--expires must be a date YYYY-MM-DD');

  const issued = await issueExtensionKey({ dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR, userSystemCode: code, expires: values.expires });
  process.stdout.write(
    `key: ${issued.key}\nuser-system-code: ${issued.userSystemCode}\nexpires-at: ${issued.expiresAt}\n` +
      `serial: ${issued.serial}\ncontract: ${issued.contractFile}\n`,
  );
  return 0;
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  'issue-key-file': issueKeyFileCommand,
  'issue-extension-key': issueExtensionKeyCommand,
  serve: serveCommand,
  reports: reportsCommand,
  modem: modemCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`express-center: unknown command ${command}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = err instanceof KeyFileError ? err.reason : err instanceof Error ? err.message : String(err);
    process.stderr.write(`express-center ${command}: ${message}\n`);
    return usage ? 2 : 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
