import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import type { ReactNode } from 'react';

/**
 * What went wrong with the whole form (not one field), at the top of a dialog: `lead` says what
 * failed ("設定を保存できませんでした。"), `text` why. Nothing is rendered without a text.
 */
export function FormError({ lead, text, intent = 'error' }: { lead?: string; text: ReactNode; intent?: 'error' | 'warning' }) {
  if (text === null || text === undefined || text === '') return null;
  return (
    <MessageBar intent={intent} className="form-error">
      <MessageBarBody>
        {lead ? `${lead} ` : null}
        {text}
      </MessageBarBody>
    </MessageBar>
  );
}
