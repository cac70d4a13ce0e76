import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import { IntentIcon, type MessageIntent } from './icons';

export interface ConfirmBoxProps {
  title: string;
  message: string;
  okLabel: string;
  cancelLabel: string;
  intent?: MessageIntent;
  onOk(): void;
  /** the second button, Escape */
  onCancel(): void;
}

/** A Windows-style question (role alertdialog) with two buttons, e.g. OK / キャンセル or 続行 / 終了. */
export function ConfirmBox({ title, message, okLabel, cancelLabel, intent = 'warning', onOk, onCancel }: ConfirmBoxProps) {
  return (
    <Dialog open modalType="alert" onOpenChange={(_e, data) => (data.open ? undefined : onCancel())}>
      <DialogSurface className="message-box">
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className="message-box__content">
            <IntentIcon intent={intent} />
            <p className="message-box__message">{message}</p>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onOk}>
              {okLabel}
            </Button>
            <Button onClick={onCancel}>{cancelLabel}</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
