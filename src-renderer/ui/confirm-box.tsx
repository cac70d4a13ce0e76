import { FormDialog } from './form-dialog';
import { IntentIcon, type MessageIntent } from './icons';

export interface ConfirmBoxProps {
  title: string;
  message: string;
  /** OK by default */
  okLabel?: string;
  /** キャンセル by default */
  cancelLabel?: string;
  intent?: MessageIntent;
  onOk(): void;
  /** the second button, Escape */
  onCancel(): void;
}

/** A Windows-style question (role alertdialog) with two buttons, e.g. OK / キャンセル or 続行 / 終了. */
export function ConfirmBox({ title, message, okLabel, cancelLabel, intent = 'warning', onOk, onCancel }: ConfirmBoxProps) {
  return (
    <FormDialog
      title={title}
      surfaceClassName="message-box"
      contentClassName="message-box__content"
      modalType="alert"
      okLabel={okLabel}
      cancelLabel={cancelLabel}
      onOk={onOk}
      onCancel={onCancel}
    >
      <IntentIcon intent={intent} />
      <p className="message-box__message">{message}</p>
    </FormDialog>
  );
}
