import { Checkbox, Field, Input, Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { useSettingsForm, type Shown } from '../../lib/settings-form';
import { FormDialog } from '../../ui/form-dialog';
import { MessageBox } from '../../ui/message-box';
import { MnemonicText } from '../../ui/mnemonic-text';
import '../../ui/setting-dialogs.css';
import { destinationKeys, destinationProblems, type DestinationValues, type DialupKeys } from './dialup-form';
import { PortField } from './port-field';
import './dialup.css';

export interface DialupDestinationDialogProps {
  keys: DialupKeys;
  /** the parent window's values of these keys (what it shows, not necessarily stored) */
  initial: Readonly<Record<string, Shown>>;
  /** the serial-port route is chosen: a number needs a port to be dialled */
  portNeeded: boolean;
  /** OK: the values for the parent window, which stores them on its own OK */
  onOk(values: Record<string, Shown>): void;
  onCancel(): void;
}

/** A settings-shaped object holding `values` at their dotted keys (what the form binding reads). */
function nested(values: Readonly<Record<string, Shown>>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}

/**
 * 通報先の設定(シリアルポート経由) (seed L975–1013): 一次(1) / 二次(2) phone number and comment,
 * シリアルポート(S) (this machine's ports, or typed), リモートアクセスサービスとポートを共有する(R),
 * ダイヤルアップ間隔(D) and ダイヤル方式 パルス(P) / トーン(T). OK checks the fields (each message
 * under its field) and hands the values to the parent window; nothing is stored here.
 */
export function DialupDestinationDialog({ keys: k, initial, portNeeded, onOk, onCancel }: DialupDestinationDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const fields = destinationKeys(k);
  const form = useSettingsForm(fields, nested(initial));
  const modeId = useId();
  const primaryId = useId();
  const secondaryId = useId();
  const intervalId = useId();
  const [help, setHelp] = useState(false);

  const values = (): DestinationValues => ({
    primaryNumber: form.text(k.primaryNumber).trim(),
    primaryComment: form.text(k.primaryComment).trim(),
    secondaryNumber: form.text(k.secondaryNumber).trim(),
    secondaryComment: form.text(k.secondaryComment).trim(),
    port: form.text(k.port).trim(),
    interval: form.text(k.interval).trim(),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const v = values();
    form.fill({ [k.primaryNumber]: v.primaryNumber, [k.primaryComment]: v.primaryComment, [k.secondaryNumber]: v.secondaryNumber, [k.secondaryComment]: v.secondaryComment, [k.port]: v.port });
    const p = destinationProblems(i18n, v, { portNeeded });
    const shown = {
      [k.primaryNumber]: p.primaryNumber,
      [k.primaryComment]: p.primaryComment,
      [k.secondaryNumber]: p.secondaryNumber,
      [k.secondaryComment]: p.secondaryComment,
      [k.port]: p.port,
      [k.interval]: p.interval,
    };
    if (!form.show(shown)) return;
    onOk({ ...form.values, [k.primaryNumber]: v.primaryNumber, [k.primaryComment]: v.primaryComment, [k.secondaryNumber]: v.secondaryNumber, [k.secondaryComment]: v.secondaryComment, [k.port]: v.port, [k.interval]: v.interval });
  };

  const row = (id: string, label: string, numberKey: string, commentKey: string, commentLabel: string) => (
    <>
      <label htmlFor={id} className="dialup-dest__label">
        <MnemonicText label={label} />
      </label>
      <Field size="small" validationState={form.errors[numberKey] ? 'error' : 'none'} validationMessage={form.errors[numberKey]}>
        <Input
          id={id}
          size="small"
          className="setting-input"
          value={form.text(numberKey)}
          inputMode="tel"
          spellCheck={false}
          autoComplete="off"
          data-field={numberKey}
          ref={form.register(numberKey)}
          {...mnemonicProps(label)}
          onChange={(_e, data) => form.set(numberKey, data.value)}
        />
      </Field>
      <Field size="small" validationState={form.errors[commentKey] ? 'error' : 'none'} validationMessage={form.errors[commentKey]}>
        <Input
          size="small"
          className="setting-input"
          aria-label={commentLabel}
          value={form.text(commentKey)}
          autoComplete="off"
          data-field={commentKey}
          ref={form.register(commentKey)}
          onChange={(_e, data) => form.set(commentKey, data.value)}
        />
      </Field>
    </>
  );

  const shareLabel = t('dialupui.dest.share');
  const intervalLabel = t('dialupui.dest.interval');
  const pulse = t('dialupui.dest.pulse');
  const tone = t('dialupui.dest.tone');

  return (
    <FormDialog
      title={t('dialupui.dest.title')}
      surfaceClassName="dialog dialog--dialup"
      mnemonics
      onSubmit={submit}
      noValidate
      onCancel={onCancel}
      help={{ label: t('dialupui.help'), onClick: () => setHelp(true) }}
      nested={help ? <MessageBox title={t('dialupui.dest.title')} message={t('dialupui.dest.helpText')} onClose={() => setHelp(false)} /> : null}
    >
      <p className="dialup-intro">{t('dialupui.dest.intro')}</p>
      <fieldset className="group">
        <legend>{t('dialupui.dest.destinations')}</legend>
        <div className="dialup-dest">
          <span />
          <span className="dialup-dest__head">{t('dialupui.dest.number')}</span>
          <span className="dialup-dest__head">{t('dialupui.dest.comment')}</span>
          {row(primaryId, t('dialupui.dest.primary'), k.primaryNumber, k.primaryComment, t('dialupui.dest.primaryComment'))}
          {row(secondaryId, t('dialupui.dest.secondary'), k.secondaryNumber, k.secondaryComment, t('dialupui.dest.secondaryComment'))}
        </div>
        <p className="hint">{t('dialupui.dest.zeroNote')}</p>
      </fieldset>
      <fieldset className="group">
        <legend>{t('dialupui.dest.serial')}</legend>
        <div className="setting-fields">
          <PortField form={form} field={k.port} />
          <Checkbox label={<MnemonicText label={shareLabel} />} {...form.checkbox(k.share)} {...mnemonicProps(shareLabel)} />
          <div className="dialup-interval">
            <label htmlFor={intervalId} className="dialup-interval__label">
              <MnemonicText label={intervalLabel} />
            </label>
            <Field size="small" validationState={form.errors[k.interval] ? 'error' : 'none'} validationMessage={form.errors[k.interval]}>
              <Input
                id={intervalId}
                size="small"
                className="dialup-interval__input"
                inputMode="numeric"
                value={form.text(k.interval)}
                autoComplete="off"
                data-field={k.interval}
                ref={form.register(k.interval)}
                contentAfter={<span aria-hidden="true">{t('dialupui.dest.seconds')}</span>}
                {...mnemonicProps(intervalLabel)}
                onChange={(_e, data) => form.set(k.interval, data.value)}
              />
            </Field>
          </div>
          <div className="dialup-mode">
            <span id={modeId} className="dialup-interval__label">
              {t('dialupui.dest.mode')}
            </span>
            <RadioGroup layout="horizontal" aria-labelledby={modeId} value={form.text(k.mode)} onChange={(_e, data) => form.set(k.mode, data.value === 'pulse' ? 'pulse' : 'tone')}>
              <Radio value="pulse" label={<MnemonicText label={pulse} />} {...mnemonicProps(pulse)} />
              <Radio value="tone" label={<MnemonicText label={tone} />} {...mnemonicProps(tone)} />
            </RadioGroup>
          </div>
        </div>
      </fieldset>
    </FormDialog>
  );
}
