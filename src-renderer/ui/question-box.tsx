import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import type { KeyboardEvent } from 'react';
import { mnemonicProps, onMnemonicKeyDown } from '../lib/mnemonics';
import { useI18n } from '../lib/i18n-context';
import { eventLetter, mnemonicKey } from '../lib/mnemonics';
import { MnemonicButtonText } from './mnemonic-text';
import './setting-dialogs.css';

export interface QuestionBoxProps {
  title: string;
  /** the question; a line break starts a new line */
  message: string;
  /** a line under the question in bold, e.g. the address asked about */
  subject?: string;
  /** smaller text under it */
  note?: string;
  onYes(): void;
  /** いいえ, and Escape */
  onNo(): void;
}

function QuestionIcon() {
  return (
    <svg className="intent-icon" width="32" height="32" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="14" fill="#0f6cbd" />
      <path d="M12 12.5a4 4 0 1 1 5.6 3.7c-1 .5-1.6 1.3-1.6 2.4V20" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" />
      <circle cx="16" cy="24" r="1.8" fill="#fff" />
    </svg>
  );
}

/**
 * A Windows-style question (role alertdialog) with はい(Y) / いいえ(N). As in Windows, Y and N
 * (with or without Alt) answer it; Escape is いいえ. はい has the focus.
 */
export function QuestionBox({ title, message, subject, note, onYes, onNo }: QuestionBoxProps) {
  const { t } = useI18n();
  const yes = t('https.yes');
  const no = t('https.no');
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!event.altKey && !event.ctrlKey && !event.metaKey) {
      const letter = eventLetter(event);
      if (letter === mnemonicKey(yes) || letter === mnemonicKey(no)) {
        event.preventDefault();
        event.stopPropagation();
        if (letter === mnemonicKey(yes)) onYes();
        else onNo();
        return;
      }
    }
    onMnemonicKeyDown(event);
  };
  return (
    <Dialog open modalType="alert" onOpenChange={(_e, data) => (data.open ? undefined : onNo())}>
      <DialogSurface className="message-box" onKeyDown={onKeyDown}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className="message-box__content">
            <QuestionIcon />
            <div>
              <p className="message-box__message question-box__message">{message}</p>
              {subject ? (
                <p className="message-box__message">
                  <strong>{subject}</strong>
                </p>
              ) : null}
              {note ? <p className="hint">{note}</p> : null}
            </div>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onYes} {...mnemonicProps(yes)}>
              <MnemonicButtonText label={yes} />
            </Button>
            <Button onClick={onNo} {...mnemonicProps(no)}>
              <MnemonicButtonText label={no} />
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
