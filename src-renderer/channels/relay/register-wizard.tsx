import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Spinner } from '@fluentui/react-components';
import { useRef, useState, type FormEvent } from 'react';
import type { Result } from '../../../src-shared/api';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps, onMnemonicKeyDown } from '../../lib/mnemonics';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';

type Registered = Result<'manager:register'>;

/**
 * 通報開局FD読み取りツール (seed L1099–1110), from [宛先登録(A)...]: the seed's text and note
 * (normally the destination is preset; register only when the maintenance company says so),
 * the key file's path, < 戻る(B) 次へ(N) > キャンセル. 次へ reads the key file
 * (`manager:register`, which stores the center's destinations) and shows what was registered;
 * 完了 closes. A bad file is said under the path, naming the file and line.
 */
export function RegisterWizard({ onClose, onRegistered }: { onClose(): void; onRegistered(result: Registered): void }) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Registered | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const next = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const file = path.trim();
    if (file === '') {
      setError(t('relayui.register.pathRequired'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const result = await client.call('manager:register', { file: { path: file } });
      setDone(result);
      onRegistered(result);
    } catch (e) {
      const err = asApiError(e, lang);
      setError([`${t('relayui.register.failed')} ${err.message}`, ...(err.details ?? [])].join(' '));
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const labels = { path: t('relayui.register.path'), back: t('relayui.register.back'), next: t('relayui.register.next') };
  return (
    <Dialog open onOpenChange={(_e, data) => (data.open || busy ? undefined : onClose())}>
      <DialogSurface className="dialog dialog--medium" onKeyDown={onMnemonicKeyDown}>
        {done ? (
          <DialogBody>
            <DialogTitle>{t('relayui.register.title')}</DialogTitle>
            <DialogContent className="relay-wizard">
              <p data-testid="register-done">{t('relayui.register.done')}</p>
              <ul>
                <li>{t('relayui.register.doneCode', { code: done.userSystemCode })}</li>
                {done.destinations.mail ? <li>{t('relayui.register.doneMail', { mail: done.destinations.mail })}</li> : null}
                {done.destinations.phonePrimary || done.destinations.phoneSecondary ? (
                  <li>{t('relayui.register.donePhone', { primary: done.destinations.phonePrimary || '-', secondary: done.destinations.phoneSecondary || '-' })}</li>
                ) : null}
              </ul>
            </DialogContent>
            <DialogActions>
              <Button type="button" onClick={() => setDone(null)} {...mnemonicProps(labels.back)}>
                <MnemonicButtonText label={labels.back} />
              </Button>
              <Button appearance="primary" type="button" onClick={onClose}>
                {t('relayui.register.finish')}
              </Button>
              <Button type="button" onClick={onClose}>
                {t('ui.cancel')}
              </Button>
            </DialogActions>
          </DialogBody>
        ) : (
          <form onSubmit={(e) => void next(e)} noValidate>
            <DialogBody>
              <DialogTitle>{t('relayui.register.title')}</DialogTitle>
              <DialogContent className="relay-wizard">
                <p>{t('relayui.register.text1')}</p>
                <p>{t('relayui.register.text2')}</p>
                <Field label={{ children: <MnemonicText label={labels.path} /> }} required validationState={error ? 'error' : 'none'} validationMessage={error}>
                  <Input
                    ref={input}
                    value={path}
                    data-field="register.path"
                    onChange={(_e, data) => {
                      setPath(data.value);
                      setError(null);
                    }}
                    {...mnemonicProps(labels.path)}
                  />
                </Field>
                {busy ? <Spinner size="tiny" label={t('relayui.register.reading')} /> : null}
                <p className="hint">{t('relayui.register.note')}</p>
              </DialogContent>
              <DialogActions>
                <Button type="button" disabled {...mnemonicProps(labels.back)}>
                  <MnemonicButtonText label={labels.back} />
                </Button>
                <Button appearance="primary" type="submit" disabledFocusable={busy} {...mnemonicProps(labels.next)}>
                  <MnemonicButtonText label={labels.next} />
                </Button>
                <Button type="button" disabled={busy} onClick={onClose}>
                  {t('ui.cancel')}
                </Button>
              </DialogActions>
            </DialogBody>
          </form>
        )}
      </DialogSurface>
    </Dialog>
  );
}
