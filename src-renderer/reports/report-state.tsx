import { Button } from '@fluentui/react-components';
import { useId, type ReactNode } from 'react';
import type { MessageKey } from '../../src-shared/i18n';
import { dateText } from '../lib/date-text';
import { useI18n } from '../lib/i18n-context';
import { mnemonicProps } from '../lib/mnemonics';
import { MnemonicButtonText } from '../ui/mnemonic-text';
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

export interface OpeningReportButtonProps {
  /** the button's catalogue label with its mnemonic (開局通報(O)) */
  label: string;
  testedAt: string | null;
  openingReportedAt: string | null;
  labels?: ReportStateLabels;
  /** a call is running: the button stays focusable but waits */
  busy: boolean;
  onClick(): void;
  /** more lines under the state (a hint) */
  children?: ReactNode;
}

/** [開局通報] of a destination window, usable once what the window shows was tested (seed L885), with the state it is described by. */
export function OpeningReportButton({ label, testedAt, openingReportedAt, labels, busy, onClick, children }: OpeningReportButtonProps) {
  const stateId = useId();
  return (
    <>
      <Button type="button" disabled={!testedAt} disabledFocusable={busy} aria-describedby={stateId} onClick={onClick} {...mnemonicProps(label)}>
        <MnemonicButtonText label={label} />
      </Button>
      <div id={stateId}>
        <ReportState testedAt={testedAt} openingReportedAt={openingReportedAt} labels={labels} />
        {children}
      </div>
    </>
  );
}
