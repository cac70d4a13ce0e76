import { z } from 'zod';
import { CATALOGS, translate, type Language, type MessageKey } from '../../src-shared/i18n';

const ZOD_LOCALES = { ja: z.locales.ja, en: z.locales.en } as const;

export interface FieldProblem {
  /** dotted path of the value, e.g. methods.express.schedule.window */
  field: string;
  /** why it was refused, in the user's language */
  reason: string;
}

/** Parses with messages in the user's language; the first problem names its field. */
export function parseIn<S extends z.ZodType>(
  schema: S,
  value: unknown,
  lang: Language,
  prefix = '',
): { ok: true; value: z.output<S> } | { ok: false; problem: FieldProblem } {
  const result = schema.safeParse(value, { error: ZOD_LOCALES[lang]().localeError });
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const reason = issue.code === 'custom' && issue.message in CATALOGS[lang] ? translate(lang, issue.message as MessageKey) : issue.message;
  return { ok: false, problem: { field: field || '(root)', reason } };
}
