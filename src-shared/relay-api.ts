import { z } from 'zod';

/**
 * The contract's methods of the relay through a manager (docs/formats/relay.md), spread into
 * api.ts. The manager's windows use `manager:*` for its receive services, relay key, agents and
 * 宛先登録; the agent's windows use `manager:probe` and `manager:trust` for the manager's
 * certificate. Every visible text comes ready in the user's language.
 */
const keyFileSource = z.union([
  z.object({ path: z.string().min(1).max(4096) }).strict(),
  z.object({ name: z.string().max(255), contentBase64: z.string().max(2_000_000) }).strict(),
]);
const managerMethod = z.enum(['manager-express', 'manager-express-https']);
const agentMethod = z.enum(['express', 'express-https']);
const fingerprint = z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);

export const managerReceiverSchema = z.object({
  method: managerMethod,
  enabled: z.boolean(),
  /** the receive port set (受信 ポート番号) */
  port: z.number(),
  /** whether the receive service listens now (only while the method is enabled and the service runs) */
  listening: z.boolean(),
  /** where it listens, `0.0.0.0:31138`; null when not listening */
  address: z.string().nullable(),
  /** agent connections open now */
  connections: z.number(),
  /** why it does not listen although enabled (port in use, …), in the user's language; null otherwise */
  problem: z.string().nullable(),
  /** why received reports cannot be forwarded now (no forwarding method in this version, …); null when they can */
  forwardProblem: z.string().nullable(),
});
export type ManagerReceiver = z.infer<typeof managerReceiverSchema>;

export const managerAgentSchema = z.object({
  userSystemCode: z.string(),
  serverName: z.string(),
  /** the address it last connected from */
  address: z.string(),
  /** the manager method it reports to */
  method: managerMethod.or(agentMethod),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  lastReportAt: z.string().nullable(),
  lastHeartbeatAt: z.string().nullable(),
  /** the heartbeat interval the agent announced */
  heartbeatHours: z.number(),
  /** reports received from it (duplicates not counted) */
  reports: z.number(),
  /** silent for more than twice its heartbeat interval */
  silent: z.boolean(),
  /** the notice shown for a silent agent, in the user's language; null when it is not silent */
  notice: z.string().nullable(),
});
export type ManagerAgent = z.infer<typeof managerAgentSchema>;

export const relayApi = {
  /** The manager's receive services: per manager method whether it listens and where, and the certificate agents pin. */
  'manager:status': {
    params: z.object({}).strict(),
    result: z.object({
      /** SHA-256 of the manager's certificate (`AB:CD:…`), null until a manager method was first enabled */
      fingerprint: z.string().nullable(),
      receivers: z.array(managerReceiverSchema),
    }),
  },
  /** The relay key agents must prove (shown to the administrator to type into each agent); `renew` makes a new one, refusing every agent until it has the new key. */
  'manager:key': {
    params: z.object({ renew: z.boolean().default(false) }).strict(),
    result: z.object({ key: z.string(), renewed: z.boolean() }),
  },
  /** Every agent that has reported, with the notice for one silent longer than twice its heartbeat interval. */
  'manager:agents': {
    params: z.object({}).strict(),
    result: z.object({ agents: z.array(managerAgentSchema), silent: z.number() }),
  },
  /** 宛先登録: reads the opening key file and stores the center's destinations for forwarding (manager-express). */
  'manager:register': {
    params: z.object({ file: keyFileSource }).strict(),
    result: z.object({
      registeredAt: z.string(),
      destinations: z.object({ mail: z.string(), phonePrimary: z.string(), phoneSecondary: z.string() }),
      /** the user system code of the key file (the 到達確認テスト's ユーザ ID) */
      userSystemCode: z.string(),
    }),
  },
  /**
   * The agent's side: connects to the manager of `method` (with the window's draft over the
   * stored settings), checks the relay key both ways and says which certificate it presents
   * and whether it is the pinned one. Nothing is sent or stored.
   */
  'manager:probe': {
    params: z.object({ method: agentMethod, draft: z.record(z.string().min(1), z.unknown()).optional() }).strict(),
    result: z.object({
      reached: z.boolean(),
      /** the certificate the manager presented; null when it was not reached */
      fingerprint: z.string().nullable(),
      pinned: z.string(),
      matches: z.boolean(),
      /**
       * how the manager forwards: 'https', 'mail' (the test's result comes by mail: wait for it),
       * 'dialup' (no result is sent), or null when it was not reached or did not say
       */
      forward: z.string().nullable(),
      /** what happened, in the user's language */
      message: z.string(),
    }),
  },
  /**
   * 到達確認テスト(1次) / (2次) of マネージャからのエクスプレス通報: a reach-test report to destination 1
   * or 2 of its forwarding method, under the ユーザ ID given (an agent's user system code, or
   * OPFILELESS for a key-code opening; seed L1311–1318). The outcome of its one attempt.
   */
  'manager:reachTest': {
    params: z
      .object({ destination: z.union([z.literal(1), z.literal(2)]), userId: z.string().trim().min(1).max(64).regex(/^[\x21-\x7e]+$/) })
      .strict(),
    result: z.object({ delivered: z.boolean(), destination: z.string(), step: z.string().nullable(), message: z.string() }),
  },
  /** The agent's side: accepts the manager certificate `fingerprint` for `method` (after it changed), or forgets the pin with ''. */
  'manager:trust': {
    params: z.object({ method: agentMethod, fingerprint: fingerprint.or(z.literal('')) }).strict(),
    result: z.object({ pinned: z.string() }),
  },
} as const;
