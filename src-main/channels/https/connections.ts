/**
 * The HTTPS reporter's connections (https-reporter.ts): one undici pool per destination — URL
 * origin, proxy and its credentials, CA certificates, timeout — kept alive and shared by every
 * reporter made for it (the pipeline makes one per attempt), with the trust store built once per
 * pool; and the CA file, read and parsed once while it is unchanged. A queue draining after an
 * outage then pays neither a TCP and TLS handshake nor a trust store of every system CA per
 * report. TLS is verified on every connection, and there is no way to switch that off.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import tls from 'node:tls';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { HttpsProxyConfig } from './https-reporter';

/** a CA file larger than this is not a CA file */
const MAX_CA_FILE_BYTES = 1024 * 1024;

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The CA file's certificates, and a digest of them (part of the pool's key). */
export interface CaCerts {
  pems: string[];
  digest: string;
}

/**
 * The CA files read, by path, with the file's identity and times when read: a send whose file
 * is unchanged reuses them, so that a queue draining thousands of reports does not read and
 * parse the file per report. The file is looked at again (one stat) when CA_RECHECK_MS have
 * passed: a file replaced on disk counts within a second.
 */
const caFiles = new Map<string, { stamp: string; checkedAt: number; certs: CaCerts }>();
const MAX_CA_FILES = 8;
const CA_RECHECK_MS = 1_000;

/** Reads the extra CA file: PEM certificates only, each one a certificate node can parse. */
export async function readCaFile(file: string): Promise<CaCerts | { reason: string; check: string }> {
  const check = 'check the CA file in the HTTPS settings';
  let text: string;
  let stamp: string;
  const known = caFiles.get(file);
  const now = performance.now();
  if (known && now - known.checkedAt < CA_RECHECK_MS) return known.certs;
  try {
    const stat = await fsp.stat(file);
    if (!stat.isFile()) return { reason: `the CA file ${file} is not a file`, check };
    if (stat.size > MAX_CA_FILE_BYTES) return { reason: `the CA file ${file} is larger than 1 MiB`, check };
    stamp = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
    if (known?.stamp === stamp) {
      known.checkedAt = now;
      return known.certs;
    }
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return { reason: `the CA file ${file} could not be read (${code})`, check };
  }
  const pems = text.match(PEM_CERT) ?? [];
  if (pems.length === 0) return { reason: `the CA file ${file} holds no PEM certificate`, check };
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch {
      return { reason: `the CA file ${file} holds a certificate that cannot be read`, check };
    }
  }
  const certs = { pems, digest: createHash('sha256').update(pems.join('\n')).digest('hex') };
  caFiles.delete(file);
  caFiles.set(file, { stamp, checkedAt: now, certs });
  if (caFiles.size > MAX_CA_FILES) caFiles.delete(caFiles.keys().next().value!);
  return certs;
}

/** NODE_EXTRA_CA_CERTS as read once, by its path: node itself reads it once, at start. */
let extraCaCerts: { file: string; read: Promise<CaCerts> } | null = null;

/** The certificates of NODE_EXTRA_CA_CERTS, which node adds to its own store but not to `ca`. */
export function nodeExtraCaCerts(): Promise<CaCerts> {
  const file = process.env.NODE_EXTRA_CA_CERTS ?? '';
  if (extraCaCerts?.file !== file) {
    const read = (async () => {
      if (!file) return [];
      try {
        return (await fsp.readFile(file, 'utf8')).match(PEM_CERT) ?? [];
      } catch {
        return []; // node itself only warns about an unreadable file
      }
    })().then((pems) => ({ pems, digest: createHash('sha256').update(pems.join('\n')).digest('hex') }));
    extraCaCerts = { file, read };
  }
  return extraCaCerts.read;
}

export function dispatcherFor(proxy: HttpsProxyConfig | null, token: string | null, extraCa: CaCerts | undefined, timeoutMs: number): Dispatcher {
  // `ca` replaces node's trust store: give it the system CAs and the extra ones. Made into one
  // secure context per pool, not one per connection (parsing every system CA takes ~15 ms).
  const secureContext = extraCa ? tls.createSecureContext({ ca: [...tls.rootCertificates, ...extraCa.pems] }) : undefined;
  // Verification is explicit, so that not even NODE_TLS_REJECT_UNAUTHORIZED=0 can turn it off.
  const requestTls = { timeout: timeoutMs, rejectUnauthorized: true, ...(secureContext ? { secureContext } : {}) };
  const common = {
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: POOL_CONNECTIONS,
    pipelining: 1,
    // Idle connections are closed soon, whatever the server offers: a proxy or a center that
    // drops idle connections without telling would otherwise fail the next report on a dead one.
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
  };
  if (!proxy) return new Agent({ ...common, connect: requestTls });
  return new ProxyAgent({
    ...common,
    uri: `http://${bracketed(proxy.host)}:${proxy.port}`,
    ...(token ? { token } : {}),
    proxyTls: { timeout: timeoutMs },
    requestTls,
  });
}

/** connections per destination; the queue's lane limits how many are used at a time */
const POOL_CONNECTIONS = 16;
/** an idle connection is closed after this long */
const KEEP_ALIVE_MS = 2_000;
/** a pool not used for this long is closed and forgotten */
const POOL_IDLE_MS = 60_000;
/** pools kept at most (settings changed many times); the least recently used idle one goes first */
const MAX_POOLS = 16;

export interface SharedPool {
  dispatcher: Dispatcher;
  inFlight: number;
  idle: NodeJS.Timeout;
}

/** The pools by destination key (a hash: the key holds the proxy credentials). */
const pools = new Map<string, SharedPool>();

export function poolKey(url: URL, proxy: HttpsProxyConfig | null, token: string | null, extraCa: CaCerts | undefined, timeoutMs: number): string {
  const parts = [url.origin, proxy ? `${proxy.host}:${proxy.port}` : '', token ?? '', String(timeoutMs), extraCa?.digest ?? ''];
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** Takes the destination's shared pool (made on first use), counted in flight until the send lowers `inFlight` again. */
export function takePool(key: string, make: () => Dispatcher): SharedPool {
  let pool = pools.get(key);
  if (pool) {
    pools.delete(key); // to the end: most recently used
    pool.idle.refresh();
  } else {
    const made: SharedPool = {
      dispatcher: make(),
      inFlight: 0,
      idle: setTimeout(() => {
        if (made.inFlight > 0) return made.idle.refresh();
        if (pools.get(key) === made) pools.delete(key);
        void made.dispatcher.close().catch(() => undefined);
      }, POOL_IDLE_MS),
    };
    made.idle.unref();
    pool = made;
    for (const [oldKey, old] of pools) {
      if (pools.size < MAX_POOLS) break;
      if (old.inFlight > 0) continue;
      pools.delete(oldKey);
      clearTimeout(old.idle);
      void old.dispatcher.close().catch(() => undefined);
    }
  }
  pools.set(key, pool);
  pool.inFlight++;
  return pool;
}

/** Closes every kept connection (the service stops; tests). Sends in hand are cut off. */
export async function closeHttpsConnections(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(
    all.map((pool) => {
      clearTimeout(pool.idle);
      return pool.dispatcher.destroy().catch(() => undefined);
    }),
  );
}
