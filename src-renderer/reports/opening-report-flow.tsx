import { useEffect, useRef, useState } from 'react';
import type { ApiEvent, DeliveryOutcome, InfDiagnosticData, SettingsChanges } from '../../src-shared/api';
import type { ApiError } from '../../src-shared/errors';
import type { MethodName } from '../../src-shared/methods';
import { useApiClient } from '../lib/client-context';
import { asApiError } from '../lib/errors';
import { useI18n, type I18n } from '../lib/i18n-context';
import { methodLabel } from '../lib/labels';
import { MessageBox } from '../ui/message-box';
import { ProgressDialog } from '../ui/progress-dialog';
import { QuestionBox } from '../ui/question-box';
import { SyntaxErrorDialog } from './syntax-error-dialog';

export interface OpeningReportFlowProps {
  /** the method whose opening report is sent */
  method: MethodName;
  /** the dialog's unsaved values (settings keys of the method) the report is sent with; they must have been tested, nothing is stored */
  draft?: SettingsChanges;
  /** the flow ended; `opened` when the opening report was delivered */
  onDone(opened: boolean): void;
}

type Progress = Extract<ApiEvent, { type: 'progress' }>;
type Phase = Progress['phase'];

type Step =
  | { kind: 'running'; destination: 1 | 2; cancelling: boolean; progress: Progress | null }
  | { kind: 'syntax'; destination: 1 | 2; diagnostics: InfDiagnosticData[] }
  | { kind: 'failed'; outcome: DeliveryOutcome; canTrySecondary: boolean }
  | { kind: 'ask-secondary' }
  /** `configuration`: what the channel sent after the opening report, null when nothing */
  | { kind: 'done'; outcome: DeliveryOutcome; configuration: DeliveryOutcome | null }
  | { kind: 'error'; error: ApiError };

/**
 * The share of the whole configuration report each phase covers, so the bar only moves forward.
 * How long a tool runs or a scan takes cannot be known: the bar then shows activity, not a share.
 */
const PHASE_SPAN: Readonly<Record<Phase, readonly [number, number] | null>> = {
  tools: null,
  scan: null,
  zip: [0, 0.9],
  send: [0.9, 1],
  done: [1, 1],
};

function progressValue(p: Progress): number | null {
  const span = PHASE_SPAN[p.phase];
  if (!span) return null;
  const share = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  return span[0] + (span[1] - span[0]) * share;
}

function progressDetail({ t }: I18n, p: Progress): string {
  switch (p.phase) {
    case 'tools':
      return `${t('https.progress.tools', { done: p.done, total: p.total })}${p.detail ? `: ${p.detail}` : ''}`;
    case 'scan':
      return t('https.progress.scan');
    case 'zip':
      return `${t('https.progress.zip')}${p.detail ? `: ${p.detail}` : ''}`;
    case 'send':
      return t('https.progress.send');
    case 'done':
      return t('https.progress.done');
  }
}

/**
 * [開局通報] of any method (seed L2414–2447): the channel's check first (HTTPS: the definition
 * files; syntax errors listed: OK ignores them, キャンセル goes back); the primary destination
 * first, the secondary offered when it fails; on success what the channel sends after it (HTTPS:
 * the configuration information, collected and sent with a progress bar and キャンセル, "数分かかる
 * ことがあります"); then the result.
 */
export function OpeningReportFlow({ method, draft, onDone }: OpeningReportFlowProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const client = useApiClient();
  const [step, setStep] = useState<Step>({ kind: 'running', destination: 1, cancelling: false, progress: null });
  const started = useRef(false);
  // the method's message boxes are titled with its name, as in the seed
  const title = methodLabel(i18n, method);

  const run = async (destination: 1 | 2, ignoreSyntaxErrors: boolean) => {
    setStep({ kind: 'running', destination, cancelling: false, progress: null });
    try {
      const result = await client.call('report:opening', { method, destination, ignoreSyntaxErrors, draft });
      switch (result.stage) {
        case 'syntax':
          setStep({ kind: 'syntax', destination, diagnostics: result.diagnostics });
          break;
        case 'failed':
          setStep({ kind: 'failed', outcome: result.outcome, canTrySecondary: result.canTrySecondary });
          break;
        case 'done':
          setStep({ kind: 'done', outcome: result.outcome, configuration: result.configuration });
          break;
      }
    } catch (error) {
      setStep({ kind: 'error', error: asApiError(error, lang) });
    }
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    // once, when the flow opens; later runs come from the user's answers
    void run(1, false);
  }, []);

  const running = step.kind === 'running';
  useEffect(() => {
    if (!running) return undefined;
    return client.subscribe((event) => {
      if (event.type !== 'progress' || event.task !== 'configuration') return;
      setStep((s) => (s.kind === 'running' ? { ...s, progress: event } : s));
    });
  }, [client, running]);

  const cancel = () => {
    setStep((s) => (s.kind === 'running' ? { ...s, cancelling: true } : s));
    client.call('report:cancel', {}).catch(() => undefined);
  };

  switch (step.kind) {
    case 'running':
      return (
        <ProgressDialog
          title={title}
          message={t(step.progress ? 'https.opening.configuring' : 'https.opening.running')}
          value={step.progress ? progressValue(step.progress) : null}
          detail={step.progress ? progressDetail(i18n, step.progress) : undefined}
          cancelling={step.cancelling}
          onCancel={cancel}
        />
      );
    case 'syntax':
      return (
        <SyntaxErrorDialog
          title={title}
          diagnostics={step.diagnostics}
          onOk={() => void run(step.destination, true)}
          onCancel={() => onDone(false)}
        />
      );
    case 'failed':
      return (
        <MessageBox
          intent="error"
          title={title}
          message={t('https.opening.failed')}
          details={[step.outcome.message]}
          onClose={() => (step.canTrySecondary ? setStep({ kind: 'ask-secondary' }) : onDone(false))}
        />
      );
    case 'ask-secondary':
      return (
        <QuestionBox
          title={title}
          message={t('https.opening.trySecondary')}
          // the definition files were checked (or their errors ignored) before the primary was tried
          onYes={() => void run(2, true)}
          onNo={() => onDone(false)}
        />
      );
    case 'done': {
      const configuration = step.configuration;
      return (
        <MessageBox
          intent={configuration === null || configuration.delivered ? 'info' : 'warning'}
          title={title}
          message={t('https.opening.ok')}
          details={[
            step.outcome.message,
            ...(configuration === null ? [] : [t(configuration.delivered ? 'https.opening.configOk' : 'https.opening.configFailed')]),
            ...(configuration === null || configuration.delivered ? [] : [configuration.message]),
          ]}
          onClose={() => onDone(true)}
        />
      );
    }
    case 'error':
      return <MessageBox intent="error" title={title} message={step.error.message} details={step.error.details} onClose={() => onDone(false)} />;
  }
}
