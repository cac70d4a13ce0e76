/**
 * The WebReprt folder's API (the HTTPS edition's definition files): their check for the window,
 * and [宛先の読み込み] — URL1/URL2 read from AMHTPADR.INF for the window's fields.
 */
import { promises as fs } from 'node:fs';
import { ApiError } from '../../../src-shared/errors';
import { translate } from '../../../src-shared/i18n';
import type { Handlers, ServiceContext } from '../../core/handlers';
import { DEFINITION_FILE_NAMES, localizeDiagnostic, renderDiagnostic } from '../../inf';
import { definitionDir, definitionPath, ensureDefinitionFiles, readDefinition } from '../../reports/definition-dir';

export function definitionHandlers(ctx: ServiceContext): Pick<Handlers, 'https:definitions' | 'https:loadAddressFile'> {
  return {
    'https:definitions': async () => {
      const dir = await ensureDefinitionFiles(ctx.dataDir);
      const files = await Promise.all(
        (['adr', 'log', 'hbi'] as const).map(async (kind) => {
          const path = definitionPath(ctx.dataDir, kind);
          const exists = await fs.stat(path).then(() => true, () => false);
          const r = exists ? await readDefinition(ctx.dataDir, kind) : null;
          return { kind, path, exists, ok: r?.ok ?? false, diagnostics: (r?.diagnostics ?? []).map((d) => localizeDiagnostic(d, ctx.language())) };
        }),
      );
      return { dir, files };
    },

    'https:loadAddressFile': async () => {
      const lang = ctx.language();
      const file = definitionPath(ctx.dataDir, 'adr');
      // No file is not a file with an error at line 1: say where it was looked for.
      if (!(await fs.stat(file).then((st) => st.isFile(), () => false))) {
        throw new ApiError({
          code: 'invalid-value',
          field: 'methods.express-https.url1',
          message: translate(lang, 'error.address-file-missing', { file: DEFINITION_FILE_NAMES.adr, dir: definitionDir(ctx.dataDir) }),
        });
      }
      const adr = await readDefinition(ctx.dataDir, 'adr');
      const errors = adr.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        throw new ApiError({
          code: 'invalid-value',
          field: 'methods.express-https.url1',
          message: translate(lang, 'error.address-file', { file }),
          details: errors.map((d) => `${DEFINITION_FILE_NAMES.adr}:${d.line}: ${renderDiagnostic(d, lang)}`),
        });
      }
      const value = adr.value as { url1: string | null; url2: string | null };
      // For the window's fields only: its OK stores them (and a changed URL is then not tested).
      return { path: file, url1: value.url1 ?? '', url2: value.url2 ?? '' };
    },
  };
}
