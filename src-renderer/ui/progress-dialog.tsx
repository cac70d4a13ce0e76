import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  ProgressBar,
} from '@fluentui/react-components';
import { useI18n } from '../lib/i18n-context';
import './setting-dialogs.css';

export interface ProgressDialogProps {
  title: string;
  message: string;
  /** the share done, 0–1; null while it is not known (an indeterminate bar) */
  value: number | null;
  /** what is being done now, e.g. the file being compressed */
  detail?: string;
  /** キャンセル was pressed and the work has not stopped yet */
  cancelling: boolean;
  onCancel(): void;
}

/**
 * A long piece of work in hand (the configuration collection, a test report): the message, a
 * progress bar and キャンセル. Escape is キャンセル; the dialog closes when the work ends.
 */
export function ProgressDialog({ title, message, value, detail, cancelling, onCancel }: ProgressDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog open modalType="alert" onOpenChange={(_e, data) => (data.open || cancelling ? undefined : onCancel())}>
      <DialogSurface className="message-box progress-box" aria-busy="true">
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>
            <p className="message-box__message" role="status">
              {cancelling ? t('https.progress.cancelling') : message}
            </p>
            <Field label={t('https.progress.label')} validationState="none">
              <ProgressBar value={value ?? undefined} max={1} thickness="large" />
            </Field>
            <p className="progress-box__detail" title={detail}>
              {detail ?? ''}
            </p>
          </DialogContent>
          <DialogActions>
            <Button disabledFocusable={cancelling} onClick={onCancel}>
              {t('ui.cancel')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
