import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../lib/i18n-context';
import { mnemonicProps, onMnemonicKeyDown } from '../lib/mnemonics';
import { MnemonicButtonText } from './mnemonic-text';

export interface FormDialogProps {
  title: ReactNode;
  children: ReactNode;
  /** the DialogSurface's class, e.g. `dialog dialog--medium` or `message-box` */
  surfaceClassName: string;
  contentClassName?: string;
  /** `alert`: a message box (role alertdialog) */
  modalType?: 'alert';
  /** Alt+letter mnemonics of the controls inside (see lib/mnemonics.ts) */
  mnemonics?: boolean;
  /** OK by default */
  okLabel?: string;
  /** キャンセル by default; null: there is only the OK button */
  cancelLabel?: string | null;
  /**
   * With onSubmit the body is a form and OK its submit button (so Enter in a field submits it);
   * otherwise OK just calls onOk.
   */
  onSubmit?(event: FormEvent<HTMLFormElement>): void;
  noValidate?: boolean;
  onOk?(): void;
  /** the Cancel button, Escape and the dialog closing */
  onCancel(): void;
  /** rendered inside the surface after the body: nested dialogs */
  nested?: ReactNode;
  /** while saving: OK stays focusable but does nothing */
  busy?: boolean;
  /** [ヘルプ(H)] after the other buttons (its label with the mnemonic), and what it does */
  help?: { label: string; onClick(): void };
  /** buttons after キャンセル, e.g. ヘルプ(H) */
  extraActions?: ReactNode;
}

/** The dialog shell: title, content, [OK] [Cancel]; optionally a form submitted by OK. */
export function FormDialog({
  title,
  children,
  surfaceClassName,
  contentClassName,
  modalType,
  mnemonics = false,
  okLabel,
  cancelLabel,
  onSubmit,
  noValidate,
  onOk,
  onCancel,
  nested,
  busy = false,
  help,
  extraActions,
}: FormDialogProps) {
  const { t } = useI18n();
  const body = (
    <DialogBody>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent className={contentClassName}>{children}</DialogContent>
      <DialogActions>
        <Button appearance="primary" type={onSubmit ? 'submit' : 'button'} onClick={onSubmit ? undefined : onOk} disabledFocusable={busy}>
          {okLabel ?? t('ui.ok')}
        </Button>
        {cancelLabel === null ? null : (
          <Button type="button" onClick={onCancel}>
            {cancelLabel ?? t('ui.cancel')}
          </Button>
        )}
        {help ? (
          <Button type="button" onClick={help.onClick} {...mnemonicProps(help.label)}>
            <MnemonicButtonText label={help.label} />
          </Button>
        ) : null}
        {extraActions}
      </DialogActions>
    </DialogBody>
  );
  return (
    <Dialog open modalType={modalType} onOpenChange={(_e, data) => (data.open ? undefined : onCancel())}>
      <DialogSurface className={surfaceClassName} onKeyDown={mnemonics ? onMnemonicKeyDown : undefined}>
        {onSubmit ? (
          <form onSubmit={onSubmit} noValidate={noValidate}>
            {body}
          </form>
        ) : (
          body
        )}
        {nested}
      </DialogSurface>
    </Dialog>
  );
}
