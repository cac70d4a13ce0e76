import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Spinner,
} from '@fluentui/react-components';
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { KeyFileSource, Result } from '../../src-shared/api';
import { useApiClient } from '../lib/client-context';
import { mnemonicProps, onMnemonicKeyDown } from '../lib/mnemonics';
import { asApiError } from '../lib/errors';
import { HostnameWarning } from './hostname-warning';
import { useI18n } from '../lib/i18n-context';
import { MnemonicButtonText, MnemonicText } from '../ui/mnemonic-text';
import { plainLabel } from './opening-form';

export type KeyFileReading = Result<'opening:readKeyFile'>;

/** A key file that has been read and accepted (with or without a host-name mismatch). */
export interface LoadedKeyFile {
  source: KeyFileSource;
  /** what the field shows: the path typed or the name of the file picked */
  label: string;
  reading: KeyFileReading;
  /** 続行 was chosen on the host-name warning: the OS host name is registered */
  acceptHostNameMismatch: boolean;
}

export interface KeyFilePageProps {
  initial: LoadedKeyFile | null;
  onBack(): void;
  onCancel(): void;
  /** [完了] after the file was read: the settings utility starts */
  onLoaded(file: LoadedKeyFile): void;
}

/**
 * The backend refuses larger key files (KEY_FILE_MAX_BYTES, 1 MiB); sending one byte more than
 * that is enough for it to say so, and keeps a wrong pick (a 50 MB file) out of memory.
 */
const UPLOAD_LIMIT = 1024 * 1024 + 1;

async function base64Of(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * 開局キーファイルの読み込み: the path field and [参照]; [次へ] reads and checks the file
 * (opening:readKeyFile, nothing changes yet). A bad file shows its reason under the field; a
 * server name other than the OS host name shows the seed's warning with 続行 / 終了. Once read, the
 * page says so and [完了] starts the settings utility (seed L558–577).
 */
export function KeyFilePage({ initial, onBack, onCancel, onLoaded }: KeyFilePageProps) {
  const { t, lang } = useI18n();
  const client = useApiClient();
  const [path, setPath] = useState(initial?.label ?? '');
  const [picked, setPicked] = useState<Extract<KeyFileSource, { contentBase64: string }> | null>(
    initial && 'contentBase64' in initial.source ? initial.source : null,
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [mismatch, setMismatch] = useState<{ source: KeyFileSource; reading: KeyFileReading } | null>(null);
  const [loaded, setLoaded] = useState<LoadedKeyFile | null>(initial);
  const fileInput = useRef<HTMLInputElement>(null);
  const pathInput = useRef<HTMLInputElement>(null);

  // [参照]: a file picker. In browser mode it is the only way to a file on the person's machine; in
  // Electron the contract has no native-dialog call yet, so the same picker is used there too
  // (the file is read here and sent as {name, contentBase64}).
  const onPicked = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    try {
      const contentBase64 = await base64Of(file.slice(0, UPLOAD_LIMIT));
      setPicked({ name: file.name, contentBase64 });
      setPath(file.name);
    } catch (err) {
      setError(asApiError(err, lang).message);
    }
    pathInput.current?.focus();
  };

  const read = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    const typed = path.trim();
    if (!picked && typed === '') {
      setError(t('invalid.required'));
      pathInput.current?.focus();
      return;
    }
    const source: KeyFileSource = picked ?? { path: typed };
    setBusy(true);
    setError(null);
    try {
      const reading = await client.call('opening:readKeyFile', { file: source });
      if (reading.hostNameMatches) setLoaded({ source, label: picked ? picked.name : typed, reading, acceptHostNameMismatch: false });
      else setMismatch({ source, reading });
    } catch (err) {
      setError(asApiError(err, lang).message);
      pathInput.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const pathLabel = t('opening.keyFile.path');
  const browseLabel = t('opening.keyFile.browse');
  const backLabel = t('opening.back');
  const nextLabel = t('opening.next');

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open || busy ? undefined : onCancel())}>
      <DialogSurface className="dialog dialog--medium" onKeyDown={onMnemonicKeyDown}>
        {loaded ? (
          <DialogBody>
            <DialogTitle>{t('opening.keyFile.title')}</DialogTitle>
            <DialogContent>
              <p>{t('opening.keyFile.loaded')}</p>
              <dl className="properties" aria-label={t('opening.keyFile.title')}>
                <dt>{plainLabel(pathLabel)}</dt>
                <dd className="path">{loaded.label}</dd>
                <dt>{t('opening.device.userSystemCode')}</dt>
                <dd>{loaded.reading.keyFile.userSystemCode}</dd>
                <dt>{t('opening.keyFile.serverName')}</dt>
                <dd>{loaded.acceptHostNameMismatch ? loaded.reading.hostName : loaded.reading.keyFile.device.serverName}</dd>
                <dt>{t('opening.keyFile.expires')}</dt>
                <dd>{loaded.reading.keyFile.expiresAt ?? t('opening.keyFile.noExpiry')}</dd>
              </dl>
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setLoaded(null)} {...mnemonicProps(backLabel)}>
                <MnemonicButtonText label={backLabel} />
              </Button>
              <Button appearance="primary" onClick={() => onLoaded(loaded)} data-default-button="">
                {t('opening.finish')}
              </Button>
              <Button onClick={onCancel}>{t('opening.cancel')}</Button>
            </DialogActions>
          </DialogBody>
        ) : (
          <form onSubmit={(e) => void read(e)} noValidate>
            <DialogBody>
              <DialogTitle>{t('opening.keyFile.title')}</DialogTitle>
              <DialogContent>
                <p>{t('opening.keyFile.text')}</p>
                <div className="key-file-row">
                  <Field
                    className="key-file-field"
                    label={{ children: <MnemonicText label={pathLabel} /> }}
                    required
                    validationState={error ? 'error' : 'none'}
                    validationMessage={error}
                  >
                    <Input
                      ref={pathInput}
                      className="path-input"
                      value={path}
                      data-field="keyFile.path"
                      onChange={(_e, data) => {
                        setPath(data.value);
                        setPicked(null);
                        setError(null);
                      }}
                      {...mnemonicProps(pathLabel)}
                    />
                  </Field>
                  <Button type="button" className="browse-button" onClick={() => fileInput.current?.click()} {...mnemonicProps(browseLabel)}>
                    <MnemonicButtonText label={browseLabel} />
                  </Button>
                  <input
                    ref={fileInput}
                    type="file"
                    hidden
                    aria-label={t('opening.keyFile.chooser')}
                    onChange={(e) => void onPicked(e)}
                  />
                </div>
                {busy ? <Spinner size="tiny" label={t('opening.keyFile.reading')} /> : null}
              </DialogContent>
              <DialogActions>
                <Button type="button" disabled={busy} onClick={onBack} {...mnemonicProps(backLabel)}>
                  <MnemonicButtonText label={backLabel} />
                </Button>
                <Button appearance="primary" type="submit" disabledFocusable={busy} {...mnemonicProps(nextLabel)}>
                  <MnemonicButtonText label={nextLabel} />
                </Button>
                <Button type="button" disabled={busy} onClick={onCancel}>
                  {t('opening.cancel')}
                </Button>
              </DialogActions>
            </DialogBody>
          </form>
        )}
        {mismatch ? (
          <HostnameWarning
            fileName={mismatch.reading.keyFile.device.serverName}
            hostName={mismatch.reading.hostName}
            onContinue={() => {
              setLoaded({ source: mismatch.source, label: picked ? picked.name : path.trim(), reading: mismatch.reading, acceptHostNameMismatch: true });
              setMismatch(null);
            }}
            onExit={onCancel}
          />
        ) : null}
      </DialogSurface>
    </Dialog>
  );
}
