import { ApiError } from '../../src-shared/errors';
import { translate, type Language } from '../../src-shared/i18n';

/** Any thrown value as an ApiError (the client throws ApiError; anything else is a bug). */
export function asApiError(error: unknown, lang: Language): ApiError {
  if (error instanceof ApiError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError({ code: 'internal', message: translate(lang, 'error.internal', { detail }) });
}
