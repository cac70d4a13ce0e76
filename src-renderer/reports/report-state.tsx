import type { MessageKey } from '../../src-shared/i18n';
import { dateText } from '../lib/date-text';
import { useI18n } from '../lib/i18n-context';
import '../ui/setting-dialogs.css';

/** the catalogue keys of the two lines (a channel may word them its own way) */
export interface ReportStateLabels {
  tested: MessageKey;
  notTested: MessageKey;
  openingDone: MessageKey;
  notOpened: MessageKey;
}

const HTTPS_LABELS: ReportStateLabels = {
  tested: 'https.dest.tested',
  notTested: 'https.dest.notTested',
  openingDone: 'https.dest.openingDone',
  notOpened: 'https.dest.notOpened',
};

/**
 * Beside [開局通報] in a destination window: whether what the window shows was tested (and when),
 * and whether the opening report was made (seed L885: the opening report waits for a test).
 */
export function ReportState({
  testedAt,
  openingReportedAt,
  labels = HTTPS_LABELS,
}: {
  testedAt: string | null;
  openingReportedAt: string | null;
  labels?: ReportStateLabels;
}) {
  const { t, lang } = useI18n();
  return (
    <>
      <p className={testedAt ? 'https-state https-state--ok' : 'https-state'} data-testid="tested-state">
        {testedAt ? t(labels.tested, { date: dateText(lang, testedAt) }) : t(labels.notTested)}
      </p>
      <p className={openingReportedAt ? 'https-state https-state--ok' : 'https-state'}>
        {openingReportedAt ? t(labels.openingDone, { date: dateText(lang, openingReportedAt) }) : t(labels.notOpened)}
      </p>
    </>
  );
}
