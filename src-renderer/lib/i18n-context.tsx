import { createContext, useContext } from 'react';
import { translate, type Language, type MessageKey, type MessageParams } from '../../src-shared/i18n';

export interface I18n {
  lang: Language;
  t(key: MessageKey, params?: MessageParams): string;
}

export function makeI18n(lang: Language): I18n {
  return { lang, t: (key, params) => translate(lang, key, params) };
}

export const I18nContext = createContext<I18n>(makeI18n('ja'));

/** The current language and its message lookup. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
