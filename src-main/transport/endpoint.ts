/**
 * The running service's endpoint, for the CLI: `express-report serve` writes
 * `<data dir>/endpoint.json` (mode 0600: it holds the session token) with its pid, loopback base
 * URL and token, and removes it when it stops. A CLI command finds it, checks that its service
 * still holds the data folder's service lock (`service.lock`, released by the kernel when the
 * service dies: a pid alone can be reused) and sends its call to the service — which owns the
 * report queue — instead of opening the data folder itself. A stale file (a killed service) is
 * ignored. The same lock keeps a second `serve` from starting on the folder.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ApiEvent, ApiMethod, CallOutcome } from '../../src-shared/api';
import { writeFileAtomic } from '../lib/atomic-file';
import { lockHeld } from '../queue/lock';
import { TOKEN_HEADER, type ContractHost } from './web-server';

const endpointSchema = z.object({ pid: z.number().int().positive(), base: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/), token: z.string().min(16) });
export type Endpoint = z.infer<typeof endpointSchema>;

/** The lock `serve` holds on its data folder while it runs (see queue/lock.ts). */
export const SERVICE_LOCK = 'service.lock';

export function endpointFile(dataDir: string): string {
  return path.join(dataDir, 'endpoint.json');
}

export async function writeEndpoint(dataDir: string, endpoint: Endpoint): Promise<void> {
  await writeFileAtomic(endpointFile(dataDir), JSON.stringify(endpoint), 0o600);
}

/** Removes the file if it is still ours (a second service may have replaced it). */
export async function removeEndpoint(dataDir: string, pid: number): Promise<void> {
  const current = await readEndpoint(dataDir, false);
  if (current?.pid === pid) await fsp.rm(endpointFile(dataDir), { force: true });
}

/**
 * The running service's endpoint, or null when none runs (no file, a bad file, a service that is
 * gone). `live: false` reads the file without asking whether its service still runs.
 */
export async function readEndpoint(dataDir: string, live = true): Promise<Endpoint | null> {
  const raw = await fsp.readFile(endpointFile(dataDir), 'utf8').catch(() => null);
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const ok = endpointSchema.safeParse(parsed);
  if (!ok.success) return null;
  return !live || (await serviceRunning(dataDir, ok.data.pid)) ? ok.data : null;
}

/** Whether the service lock is held, by the process `pid` (the one that wrote the endpoint). */
async function serviceRunning(dataDir: string, pid: number): Promise<boolean> {
  const owner = Number((await fsp.readFile(path.join(dataDir, SERVICE_LOCK), 'utf8').catch(() => '')).trim());
  return owner === pid && (await lockHeld(dataDir, SERVICE_LOCK));
}

/** The contract over the service's loopback endpoint (what the window uses in browser mode). */
export function remoteHost(endpoint: Endpoint): ContractHost {
  return {
    async call(method: string, params: unknown): Promise<CallOutcome<ApiMethod>> {
      let res: Response;
      try {
        res = await fetch(`${endpoint.base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: endpoint.token },
          body: JSON.stringify(params ?? {}),
        });
      } catch (err) {
        const detail = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
        return { ok: false, error: { code: 'transport', message: `the service (pid ${endpoint.pid}) at ${endpoint.base} did not answer: ${detail}` } };
      }
      if (!res.ok) return { ok: false, error: { code: 'transport', message: `the service at ${endpoint.base} answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}` } };
      return (await res.json()) as CallOutcome<ApiMethod>;
    },
    subscribe(_listener: (event: ApiEvent) => void): () => void {
      return () => undefined;
    },
  };
}
