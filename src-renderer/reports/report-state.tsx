import { dateText } from '../lib/date-text';
import { useI18n } from '../lib/i18n-context';
import '../ui/setting-dialogs.css';

/**
 * Beside [開局通報] in a destination window: whether what the window shows was tested (and when),
 * and whether the opening report was made (seed L885: the opening report waits for a test).
 */
export function ReportState({ testedAt, openingReportedAt }: { testedAt: string | null; openingReportedAt: string | null }) {
  const { t, lang } = useI18n();
  return (
    <>
      <p className={testedAt ? 'https-state https-state--ok' : 'https-state'} data-testid="tested-state">
        {testedAt ? t('https.dest.tested', { date: dateText(lang, testedAt) }) : t('https.dest.notTested')}
      </p>
      <p className={openingReportedAt ? 'https-state https-state--ok' : 'https-state'}>
        {openingReportedAt ? t('https.dest.openingDone', { date: dateText(lang, openingReportedAt) }) : t('https.dest.notOpened')}
      </p>
    </>
  );
}
