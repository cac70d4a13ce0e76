import { boundHeapGrowth } from '../lib/heap';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isMethodName, METHOD_NAMES, type MethodName } from '../../src-shared/methods';
import { PRODUCT_VERSION } from '../../src-shared/version';
import type { ApiMethod, CallOutcome, Params } from '../../src-shared/api';
import type { ErrorCode } from '../../src-shared/errors';
import { AlertService } from '../core/alert-service';
import { getAt } from '../core/settings-keys';
import { defaultDataDir, ensureDataDir } from '../platform/paths';
import { osLocale } from '../platform/locale';
import { acquireLock, QueueLockedError, type FolderLock } from '../queue/lock';
import { languageForLocale, translate } from '../../src-shared/i18n';
import { startWebServer } from '../transport/web-server';
import { readEndpoint, remoteHost, removeEndpoint, SERVICE_LOCK, writeEndpoint } from '../transport/endpoint';
import { HISTORY_STATES, type HistoryState } from '../../src-shared/history';
import { infCommand } from './inf-command';
import { platformEventSources } from '../core/event-sources';
import { historyLine } from './history-line';
import { serialPorts, zeroDialCommand } from './dialup-command';
import { managerCommand, ManagerUsageError } from './manager-command';
import { USAGE, UsageError } from './usage';


/** Exit status for a refused call: the user's input was wrong (2) or the program failed (1). */
function exitCodeFor(code: ErrorCode): number {
  if (code === 'hostname-mismatch') return 3;
  return code === 'internal' || code === 'transport' ? 1 : 2;
}


async function main(argv: string[]): Promise<number> {
  // `inf` needs no settings and has options of its own.
  if (argv[0] === 'inf') return infCommand(argv.slice(1), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'key-code': { type: 'string' },
      'key-file': { type: 'string' },
      'result-mail': { type: 'string' },
      https: { type: 'boolean' },
      'device-code': { type: 'string' },
      serial: { type: 'string' },
      warranty: { type: 'string' },
      'server-name': { type: 'string' },
      'accept-hostname-mismatch': { type: 'boolean' },
      method: { type: 'string' },
      destination: { type: 'string' },
      'result-fax': { type: 'string' },
      'ignore-syntax-errors': { type: 'boolean' },
      secondary: { type: 'boolean' },
      source: { type: 'string' },
      'event-id': { type: 'string' },
      log: { type: 'string' },
      message: { type: 'string' },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
      state: { type: 'string' },
      key: { type: 'string' },
      new: { type: 'boolean' },
      'user-id': { type: 'string' },
      fingerprint: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    process.stdout.write(`${PRODUCT_VERSION}\n`);
    return 0;
  }
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();

  if (command === 'serve') return serve(dataDir, values.port);


  // A running service owns the data folder (and its report queue): let it do the work.
  const endpoint = await readEndpoint(dataDir);
  const service = endpoint ? null : await AlertService.open({ dataDir });
  for (const notice of service?.startupNotices ?? []) process.stderr.write(`${notice.message}\n`);
  const host = service ?? remoteHost(endpoint!);
  try {
    const call = async <M extends ApiMethod>(method: M, params: Params<M>) => expectOk((await host.call(method, params)) as CallOutcome<M>);
    // Commands with a sub-command are matched with it; the others take positionals of their own.
    const withSub = ['config', 'method', 'opening', 'service'].includes(command);
    if (command === 'manager') return await managerCommand(sub, values, call, (t) => process.stdout.write(t));
    switch (withSub ? `${command} ${sub ?? ''}`.trim() : command) {
      case 'config get': {
        const settings = await call('settings:get', {});
        if (rest.length > 1) throw new UsageError('config get takes at most one KEY');
        const key = rest[0];
        if (key === undefined) return print(settings);
        const found = getAt(settings, key);
        if (!found.found) return fail(2, `unknown setting: ${key}`);
        return print(found.value);
      }
      case 'config set': {
        if (rest.length !== 2) throw new UsageError('config set takes KEY VALUE');
        await call('settings:set', { key: rest[0]!, value: rest[1] });
        return 0;
      }
      case 'method list':
        return print((await call('methods:list', {})).map(({ name, enabled, configured, missing }) => ({ name, enabled, configured, missing })));
      case 'method enable':
      case 'method disable': {
        const name = rest[0];
        if (rest.length !== 1 || name === undefined) throw new UsageError(`method ${sub} takes one NAME`);
        if (!isMethodName(name)) return fail(2, `unknown method: ${name} (one of ${METHOD_NAMES.join(', ')})`);
        await call('methods:setEnabled', { name, enabled: sub === 'enable' });
        return 0;
      }
      case 'test':
        return await testReport(values, call);
      case 'opening-report':
        return await openingReport(values, call);
      case 'opening show':
        return print((await call('opening:get', {})).opening);
      case 'open':
        return await open(values, call);
      case 'report':
        return await reportEvent(values, call);
      case 'queue':
        return await history(call, values.json === true, ['queued', 'sending', 'retrying']);
      case 'history':
        return await history(call, values.json === true, values.state === undefined ? undefined : parseStates(values.state));
      case 'resend': {
        if (sub === undefined || rest.length > 0) throw new UsageError('resend takes one report ID');
        const item = await call('history:resend', { id: sub });
        process.stdout.write(`${item.id}: ${item.state}\n`);
        return 0;
      }
      case 'terminate':
        process.stdout.write(`${(await call('service:terminate', {})).message}\n`);
        return 0;
      case 'extend': {
        if (typeof values.key !== 'string') throw new UsageError('extend takes --key KEY');
        process.stdout.write(`${(await call('service:extend', { key: values.key })).message}\n`);
        return 0;
      }
      case 'service status':
        return print(await call('service:status', {}));
      case 'serial-ports':
        return await serialPorts(call, values.json === true, print);
      case 'zero-dial':
        return await zeroDialCommand(values, sub, rest, call, print);
      default:
        throw new UsageError(`unknown command: ${positionals.join(' ')}`);
    }
  } finally {
    await service?.close();
  }
}

type Call = <M extends ApiMethod>(method: M, params: Params<M>) => Promise<Extract<CallOutcome<M>, { ok: true }>['result']>;

/** `open`: the opening wizard without pages — the key file's pages, or the device page from flags. */
async function open(values: Record<string, string | boolean | undefined>, call: Call): Promise<number> {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const keyCode = text('key-code');
  const keyFile = text('key-file');
  if ((keyCode === undefined) === (keyFile === undefined)) throw new UsageError('open takes --key-code CODE or --key-file FILE');
  const state = await call('opening:get', {});
  if (keyFile !== undefined) {
    const file = { path: path.resolve(keyFile) };
    const read = await call('opening:readKeyFile', { file });
    const accept = values['accept-hostname-mismatch'] === true;
    const device = accept && !read.hostNameMatches ? { ...read.keyFile.device, serverName: read.hostName } : read.keyFile.device;
    const { customer, options, dealer } = read.keyFile;
    await call('opening:commit', { source: { mode: 'key-file', file, acceptHostNameMismatch: accept }, customer, device, options, dealer });
  } else {
    const deviceCode = text('device-code') ?? state.device?.deviceCode;
    const serialNumber = text('serial') ?? state.device?.serialNumber;
    if (!deviceCode || !serialNumber) {
      return fail(2, 'the device code and serial number cannot be read from this machine: give --device-code and --serial');
    }
    await call('opening:commit', {
      source: { mode: 'key-code', keyCode: keyCode!, resultMail: text('result-mail') ?? '', forHttps: values.https === true },
      device: { serverName: text('server-name') ?? state.hostName, deviceCode, serialNumber, warrantyNumber: text('warranty') ?? '' },
    });
  }
  return print((await call('opening:get', {})).opening);
}

/** --method: any report method; the service says when its channel has no such report. */
function methodOption(values: Record<string, string | boolean | undefined>): MethodName {
  const method = values.method;
  if (typeof method !== 'string' || !isMethodName(method)) throw new UsageError(`--method is required: one of ${METHOD_NAMES.join(', ')}`);
  return method;
}

/** `test`: one test report; exit 0 when delivered, 1 with the reason otherwise. */
async function testReport(values: Record<string, string | boolean | undefined>, call: Call): Promise<number> {
  const method = methodOption(values);
  const destination = values.destination === '2' ? 2 : values.destination === '1' || values.destination === undefined ? 1 : null;
  if (destination === null) throw new UsageError('--destination is 1 or 2');
  if (typeof values['user-id'] === 'string') {
    // 到達確認テスト of the manager (seed L1311–1318): under the agent's user system code.
    if (method !== 'manager-express') throw new UsageError('--user-id goes with --method manager-express (到達確認テスト)');
    const reach = await call('manager:reachTest', { destination, userId: values['user-id'] });
    process.stdout.write(`${reach.message}\n`);
    return reach.delivered ? 0 : 1;
  }
  const mail = typeof values['result-mail'] === 'string' ? values['result-mail'] : undefined;
  const fax = typeof values['result-fax'] === 'string' ? values['result-fax'] : undefined;
  if (mail !== undefined && fax !== undefined) throw new UsageError('give --result-mail or --result-fax, not both');
  let result: { kind: 'mail'; address: string } | { kind: 'fax'; number: string };
  if (fax !== undefined) result = { kind: 'fax', number: fax };
  else {
    const opening = (await call('opening:get', {})).opening;
    const address = mail ?? (opening?.resultMail || opening?.customer.email || '');
    if (!address) return fail(2, 'no result destination: give --result-mail or --result-fax');
    result = { kind: 'mail', address };
  }
  const outcome = await call('report:test', { method, destination, result });
  process.stdout.write(`${outcome.message}\n`);
  return outcome.delivered ? 0 : 1;
}

/** `opening-report`: the opening report, the configuration information, then the method enabled. */
async function openingReport(values: Record<string, string | boolean | undefined>, call: Call): Promise<number> {
  const method = methodOption(values);
  const out = await call('report:opening', {
    method,
    destination: values.secondary === true ? 2 : 1,
    ignoreSyntaxErrors: values['ignore-syntax-errors'] === true,
  });
  if (out.stage === 'syntax') {
    for (const d of out.diagnostics) process.stderr.write(`${d.file}:${d.line}: ${d.severity}: ${d.message}\n`);
    return fail(1, 'the definition files have errors: correct them, or send with --ignore-syntax-errors');
  }
  process.stdout.write(`${out.outcome.message}\n`);
  if (out.stage === 'failed') {
    return fail(1, out.canTrySecondary ? 'the primary destination failed; try the secondary with --secondary' : 'the opening report failed');
  }
  if (out.configuration) process.stdout.write(`${out.configuration.message}\n`);
  await call('methods:setEnabled', { name: method, enabled: true });
  process.stdout.write(`${method}: enabled\n`);
  return 0;
}

function parseStates(text: string): HistoryState[] {
  const states = text.split(',').map((s) => s.trim());
  for (const state of states) {
    if (!(HISTORY_STATES as readonly string[]).includes(state)) throw new UsageError(`--state: unknown state ${state} (one of ${HISTORY_STATES.join(', ')})`);
  }
  return states as HistoryState[];
}

/** `queue` and `history`: the reports (pending ones only for `queue`), newest first. */
async function history(call: Call, json: boolean, states?: HistoryState[]): Promise<number> {
  const items = await call('history:list', states ? { states } : {});
  if (json) return print(items);
  for (const item of items) process.stdout.write(`${historyLine(item)}\n`);
  return 0;
}

/** `report`: a fault by hand; exit 0 when accepted (or suppressed), 1 when --wait saw it fail. */
async function reportEvent(values: Record<string, string | boolean | undefined>, call: Call): Promise<number> {
  if (typeof values.source !== 'string' || typeof values['event-id'] !== 'string') throw new UsageError('report takes --source S --event-id ID');
  const log = values.log ?? 'System';
  if (log !== 'System' && log !== 'Application') throw new UsageError('--log is System or Application');
  const out = await call('report:event', {
    log,
    source: values.source,
    eventId: values['event-id'],
    message: typeof values.message === 'string' ? values.message : '',
    wait: values.wait === true,
  });
  if (out.suppressed) {
    process.stdout.write('suppressed (通報の抑制): counted, and sent with the next report of this event\n');
    return 0;
  }
  for (const item of out.items) process.stdout.write(`${historyLine(item)}\n`);
  return out.items.some((i) => i.state === 'failed') ? 1 : 0;
}

class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function expectOk<M extends ApiMethod>(outcome: CallOutcome<M>): Extract<CallOutcome<M>, { ok: true }>['result'] {
  if (outcome.ok) return outcome.result;
  const lines = [outcome.error.message, ...(outcome.error.details ?? []).map((d) => `  - ${d}`)];
  throw new Refused(exitCodeFor(outcome.error.code), lines.join('\n'));
}

function print(value: unknown): number {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  return 0;
}

function fail(status: number, message: string): number {
  process.stderr.write(`express-report: ${message}\n`);
  return status;
}

async function serve(dataDir: string, portText: string | undefined): Promise<number> {
  boundHeapGrowth();
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(2, `--port: not a port number: ${portText}`);
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // One service per data folder: a second one would take over endpoint.json and, when stopped,
  // delete it, leaving the CLI unable to reach the first.
  await ensureDataDir(dataDir);
  let serviceLock: FolderLock;
  try {
    serviceLock = await acquireLock(dataDir, SERVICE_LOCK);
  } catch (err) {
    if (!(err instanceof QueueLockedError)) throw err;
    const running = await readEndpoint(dataDir, false);
    const params = { dir: dataDir, pid: running?.pid ?? err.pid ?? '?', base: running?.base ?? '-' };
    return fail(1, translate(languageForLocale(osLocale()), 'lockweb.serve.running', params));
  }
  const service = await AlertService.open({ dataDir, eventSources: platformEventSources });
  const web = await startWebServer({
    host: service,
    rendererDir: process.env.EXPRESS_REPORT_RENDERER_DIR ?? path.join(__dirname, 'renderer'),
    port,
    language: () => service.language(),
  });
  await writeEndpoint(dataDir, { pid: process.pid, base: `http://127.0.0.1:${web.port}`, token: web.token });
  process.stdout.write(`url: ${web.url}\n`);
  process.stderr.write(`data: ${dataDir}\n`);
  for (const notice of service.startupNotices) process.stderr.write(`${notice.message}\n`);
  await service.startBackground(log);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log(`${signal}: stopping`);
  // The write in hand finishes (the queue's fsync), attempts in hand are cancelled and kept;
  // a stop that hangs (a tool that ignores its kill) is cut off after 4.5 s, well inside systemd's 5 s.
  const stopped = (async () => {
    await removeEndpoint(dataDir, process.pid);
    await web.close();
    await service.close();
    await serviceLock.release();
  })();
  const cutOff = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 4500).unref());
  if ((await Promise.race([stopped.then(() => 'done' as const), cutOff])) === 'late') {
    log('the service did not stop within 4.5 s; exiting (pending reports resume at the next start)');
    process.exit(0);
  }
  return 0;
}

// A reader that stops reading (`history | head -1`) ends the output quietly, as in every Unix
// tool: what is left to print is dropped, and the command finishes (and closes what it opened).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    if (err instanceof Refused) process.exitCode = fail(err.status, err.message);
    else if (err instanceof UsageError || err instanceof ManagerUsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.exitCode = fail(2, `${(err as Error).message}\n${USAGE}`);
    } else process.exitCode = fail(1, err instanceof Error ? (err.stack ?? err.message) : String(err));
  },
);
