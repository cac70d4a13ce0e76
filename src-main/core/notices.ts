import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { CATALOGS, translate, type Language, type MessageKey } from '../../src-shared/i18n';
import type { Notice } from '../../src-shared/api';
import { writeFileAtomic } from '../lib/atomic-file';
import { reportFailedParams } from './report-notice';

const storedSchema = z.array(
  z.object({
    id: z.string(),
    level: z.enum(['info', 'warning', 'error']),
    key: z.string().refine((k) => k in CATALOGS.ja),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    at: z.string(),
  }),
);
type Stored = z.infer<typeof storedSchema>[number];

/**
 * Messages the user must see even if no window was open when they arose (a corrupt settings
 * file found by the headless service, for instance). Kept on disk until dismissed.
 */
export class NoticeBoard {
  private items: Stored[] = [];
  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    try {
      const parsed = storedSchema.safeParse(JSON.parse(await fs.readFile(this.file, 'utf8')));
      this.items = parsed.success ? parsed.data : [];
    } catch {
      this.items = [];
    }
  }

  async add(level: Stored['level'], key: MessageKey, params: Record<string, string | number>, now = new Date()): Promise<Stored> {
    const item: Stored = { id: randomUUID(), level, key, params, at: now.toISOString() };
    this.items.push(item);
    await this.persist();
    return item;
  }

  async dismiss(id: string): Promise<void> {
    this.items = this.items.filter((n) => n.id !== id);
    await this.persist();
  }

  list(lang: Language): Notice[] {
    return this.items.map((n) => render(n, lang));
  }

  private persist(): Promise<void> {
    return writeFileAtomic(this.file, JSON.stringify(this.items, null, 2) + '\n');
  }
}

/** Notices stored as facts that are put into words when shown (see report-notice.ts). */
const IN_WORDS: Partial<Record<MessageKey, (params: Stored['params'], lang: Language) => Stored['params']>> = {
  'notice.report-failed': reportFailedParams,
};

export function render(n: Stored, lang: Language): Notice {
  const key = n.key as MessageKey;
  const params = IN_WORDS[key]?.(n.params, lang) ?? n.params;
  return { id: n.id, level: n.level, message: translate(lang, key, params) };
}
