import { useI18n } from '../lib/i18n-context';

/** What a method still lacks before it can be enabled, one line each (the backend's words). */
export function MissingList({ lines }: { lines: readonly string[] }) {
  const { t } = useI18n();
  return (
    <>
      <p>{t('ui.setup.missing')}</p>
      <ul className="missing-list" aria-label={t('ui.setup.missing')}>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
}
