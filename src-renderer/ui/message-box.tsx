import { FormDialog } from './form-dialog';
import { useI18n } from '../lib/i18n-context';
import { IntentIcon, type MessageIntent } from './icons';

export interface MessageBoxProps {
  title: string;
  message: string;
  /** extra lines under the message, e.g. what a method still lacks */
  details?: readonly string[];
  /** a line in smaller type under them, e.g. what happens next */
  note?: string;
  intent?: MessageIntent;
  onClose(): void;
}

/** A Windows-style message box (role alertdialog) with one OK button. Render it only while shown. */
export function MessageBox({ title, message, details, note, intent = 'info', onClose }: MessageBoxProps) {
  const { t } = useI18n();
  return (
    <FormDialog
      title={title}
      surfaceClassName="message-box"
      contentClassName="message-box__content"
      modalType="alert"
      okLabel={t('ui.ok')}
      onOk={onClose}
      onCancel={onClose}
    >
      <IntentIcon intent={intent} />
      <div>
        <p className="message-box__message">{message}</p>
        {details && details.length > 0 ? (
          <ul className="message-box__details">
            {details.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null}
        {note ? <p className="hint message-box__note">{note}</p> : null}
      </div>
    </FormDialog>
  );
}
