import { useId } from 'react';
import type { InfDiagnosticData } from '../../src-shared/api';
import { useI18n } from '../lib/i18n-context';
import { FormDialog } from '../ui/form-dialog';
import { IntentIcon } from '../ui/icons';
import '../ui/setting-dialogs.css';

export interface SyntaxErrorDialogProps {
  title: string;
  diagnostics: readonly InfDiagnosticData[];
  /** ignore the errors and send the opening report */
  onOk(): void;
  /** back to the destination settings */
  onCancel(): void;
}

/** The file's name, without its folder (the folder is shown next to [宛先の読み込み]). */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * The definition files' syntax errors before the opening report (seed L2418–2421): file, line and
 * reason of each; OK ignores them and goes on, キャンセル goes back.
 */
export function SyntaxErrorDialog({ title, diagnostics, onOk, onCancel }: SyntaxErrorDialogProps) {
  const { t } = useI18n();
  const captionId = useId();
  return (
    <FormDialog
      title={title}
      surfaceClassName="dialog dialog--https"
      modalType="alert"
      onOk={onOk}
      onCancel={onCancel}
    >
      <div className="message-box__content">
        <IntentIcon intent="warning" />
        <p className="message-box__message">{t('https.opening.syntax')}</p>
      </div>
      <div className="syntax-list" tabIndex={0} role="region" aria-labelledby={captionId}>
        <table className="grid-table">
          <caption id={captionId} className="visually-hidden">
            {t('https.opening.syntaxList')}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('https.opening.column.file')}</th>
              <th scope="col" className="syntax-list__line">
                {t('https.opening.column.line')}
              </th>
              <th scope="col">{t('https.opening.column.message')}</th>
            </tr>
          </thead>
          <tbody>
            {diagnostics.map((d, i) => (
              <tr key={`${d.file}:${d.line}:${i}`}>
                <td title={d.file}>{baseName(d.file)}</td>
                <td className="syntax-list__line">{d.line}</td>
                <td>{d.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </FormDialog>
  );
}
