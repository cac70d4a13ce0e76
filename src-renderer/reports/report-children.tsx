import { useState, type ReactNode } from 'react';
import type { SettingsChanges } from '../../src-shared/api';
import type { MethodName } from '../../src-shared/methods';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { useSettingsStore } from '../lib/settings-store';
import { MessageBox } from '../ui/message-box';
import { OpeningReportFlow } from './opening-report-flow';
import { TestReportFlow, type TestReportFlowProps } from './test-report-flow';
import { defaultMailOf } from './test-result-destination-dialog';

type ReportChild =
  | { kind: 'test'; destination: 1 | 2; draft: SettingsChanges; delivery: string }
  | { kind: 'opening'; draft: SettingsChanges }
  | { kind: 'message'; intent: 'info' | 'error'; message: string; details?: string[] };

/** what a channel's test says while it runs and after it, for the destination tested */
export type TestTexts = (destination: 1 | 2) => Pick<TestReportFlowProps, 'runningMessage' | 'resultNote' | 'resultless'>;

export interface ReportChildren {
  /** [テスト通報] of destination 1 or 2 with the window's draft; `delivery` names the values it tests */
  test(destination: 1 | 2, draft: SettingsChanges, delivery: string): void;
  /** [開局通報] with the window's draft */
  opening(draft: SettingsChanges): void;
  /** a message box titled with the method's name */
  message(intent: 'info' | 'error', message: string, details?: string[]): void;
  /**
   * When what the window shows (`shown`, its delivery values) was tested: the stored test's time when
   * the stored values are shown, else the time of the window's last successful test of them (kept
   * only in the window until OK stores it); null when not tested.
   */
  testedAt(shown: string, stored: { delivery: string; at: string | null | undefined } | null): string | null;
  /** the test / opening report / message window open, to render among the window's nested dialogs */
  dialog: ReactNode;
}

/**
 * The test report, opening report and message windows of a destination window (HTTPS, mail,
 * dial-up: seed L2384–2460, L885, L1021), one at a time, and the window's own record of its last
 * successful test. A test or the opening report is sent with the window's draft and stores nothing.
 */
export function useReportChildren(method: MethodName, testTexts?: TestTexts): ReportChildren {
  const i18n = useI18n();
  const store = useSettingsStore();
  const { defaultMail, defaultFrom } = defaultMailOf(store.settings.opening);
  const [child, setChild] = useState<ReportChild | null>(null);
  /** the delivery values of the window's last successful test, and when (stored only by OK) */
  const [tested, setTested] = useState<{ delivery: string; at: string } | null>(null);

  const testedAt: ReportChildren['testedAt'] = (shown, stored) =>
    stored?.at && shown === stored.delivery ? stored.at : tested?.delivery === shown ? tested.at : null;

  const dialog =
    child?.kind === 'test' ? (
      <TestReportFlow
        method={method}
        destination={child.destination}
        defaultMail={defaultMail}
        defaultFrom={defaultFrom}
        draft={child.draft}
        {...testTexts?.(child.destination)}
        onDone={(outcome) => {
          setChild(null);
          if (outcome?.delivered) setTested({ delivery: child.delivery, at: new Date().toISOString() });
        }}
      />
    ) : child?.kind === 'opening' ? (
      <OpeningReportFlow
        method={method}
        draft={child.draft}
        onDone={() => {
          setChild(null);
          // openingReportedAt is shown at once (its change event may come later)
          store.refresh().catch(() => undefined);
        }}
      />
    ) : child?.kind === 'message' ? (
      <MessageBox intent={child.intent} title={methodLabel(i18n, method)} message={child.message} details={child.details} onClose={() => setChild(null)} />
    ) : null;

  return {
    test: (destination, draft, delivery) => setChild({ kind: 'test', destination, draft, delivery }),
    opening: (draft) => setChild({ kind: 'opening', draft }),
    message: (intent, message, details) => setChild({ kind: 'message', intent, message, details }),
    testedAt,
    dialog,
  };
}
