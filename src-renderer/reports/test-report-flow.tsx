import { useEffect, useRef, useState } from 'react';
import type { DeliveryOutcome, SettingsChanges } from '../../src-shared/api';
import type { ApiError } from '../../src-shared/errors';
import type { MethodName } from '../../src-shared/methods';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { useI18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { MessageBox } from '../ui/message-box';
import { ProgressDialog } from '../ui/progress-dialog';
import { QuestionBox } from '../ui/question-box';
import { TestResultDestinationDialog, type DefaultFrom, type ResultChoice, type ResultDestination } from './test-result-destination-dialog';

export interface TestReportFlowProps {
  /** the method whose destination is tested (its channel says what destination 1 and 2 are) */
  method: MethodName;
  destination: 1 | 2;
  /** the opening's result mail address, else the customer's e-mail address ('' when neither) */
  defaultMail: string;
  defaultFrom: DefaultFrom;
  /** the dialog's unsaved values (settings keys of the method) the test is made with; nothing is stored */
  draft?: SettingsChanges;
  /** what the progress says while sending (default: the destination's test is running) */
  runningMessage?: string;
  /** a line under a successful result (e.g. wait for the result mail before the opening report) */
  resultNote?: string;
  /** the flow ended; `outcome` is null when nothing was sent */
  onDone(outcome: DeliveryOutcome | null): void;
  /**
   * The channel sends no result back (dial-up, seed L1021): no result destination is asked, the
   * report goes at once, and these texts say what happens and what came of it.
   */
  resultless?: { running: string; ok: string; failed: string };
}

type Step =
  | { kind: 'select' }
  | { kind: 'confirm'; result: ResultDestination }
  | { kind: 'running'; cancelling: boolean }
  | { kind: 'result'; outcome: DeliveryOutcome }
  | { kind: 'error'; error: ApiError };

/**
 * [テスト通報] (seed L2384–2404): テスト結果送付先の選択 → the confirmation (いいえ returns to the
 * selection) → the report is sent (キャンセル stops it) → what happened, in the user's words.
 */
export function TestReportFlow({ method, destination, defaultMail, defaultFrom, draft, runningMessage, resultNote, onDone, resultless }: TestReportFlowProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const [choice, setChoice] = useState<ResultChoice>({ kind: 'mail', address: defaultMail, number: '' });
  const [step, setStep] = useState<Step>(resultless ? { kind: 'running', cancelling: false } : { kind: 'select' });
  const started = useRef(false);
  // the method's message boxes are titled with its name, as in the seed
  const title = methodLabel(i18n, method);

  const send = async (result: ResultDestination) => {
    setStep({ kind: 'running', cancelling: false });
    try {
      const outcome = await client.call('report:test', { method, destination, result, draft });
      setStep({ kind: 'result', outcome });
    } catch (error) {
      setStep({ kind: 'error', error: asApiError(error, lang) });
    }
  };

  useEffect(() => {
    if (!resultless || started.current) return;
    started.current = true;
    // once, when the flow opens: nothing to choose (the center answers nobody)
    void send({ kind: 'mail', address: defaultMail });
  }, []);

  const cancel = () => {
    setStep((s) => (s.kind === 'running' ? { ...s, cancelling: true } : s));
    client.call('report:cancel', {}).catch(() => undefined);
  };

  switch (step.kind) {
    case 'select':
      return (
        <TestResultDestinationDialog
          initial={choice}
          defaultMail={defaultMail}
          defaultFrom={defaultFrom}
          onOk={(next, result) => {
            setChoice(next);
            setStep({ kind: 'confirm', result });
          }}
          onCancel={() => onDone(null)}
        />
      );
    case 'confirm':
      return (
        <QuestionBox
          title={title}
          message={t(step.result.kind === 'mail' ? 'https.result.confirmMail' : 'https.result.confirmFax')}
          subject={step.result.kind === 'mail' ? step.result.address : step.result.number}
          onYes={() => void send(step.result)}
          onNo={() => setStep({ kind: 'select' })}
        />
      );
    case 'running':
      return (
        <ProgressDialog
          title={title}
          message={runningMessage ?? resultless?.running ?? t('https.test.running', { which: t(destination === 1 ? 'https.primary' : 'https.secondary') })}
          value={null}
          cancelling={step.cancelling}
          onCancel={cancel}
        />
      );
    case 'result':
      return (
        <MessageBox
          intent={step.outcome.delivered ? 'info' : 'error'}
          title={title}
          message={resultless ? (step.outcome.delivered ? resultless.ok : resultless.failed) : t(step.outcome.delivered ? 'https.test.ok' : 'https.test.failed')}
          details={[step.outcome.message]}
          note={step.outcome.delivered ? resultNote : undefined}
          onClose={() => onDone(step.outcome)}
        />
      );
    case 'error':
      return (
        <MessageBox
          intent="error"
          title={title}
          message={step.error.message}
          details={step.error.details}
          onClose={() => onDone(null)}
        />
      );
  }
}
