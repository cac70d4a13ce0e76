import { FormDialog } from './form-dialog';
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
  return (
    <FormDialog
      title={title}
      surfaceClassName="message-box"
      contentClassName="message-box__content"
      modalType="alert"
      onOk={onClose}
      onCancel={onClose}
      cancelLabel={null}
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
