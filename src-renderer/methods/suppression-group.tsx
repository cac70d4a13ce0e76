import { Checkbox } from '@fluentui/react-components';
import { SUPPRESSION_PERIOD_RANGE } from '../../src-shared/settings';
import type { MethodName } from '../../src-shared/methods';
import { useI18n, type I18n } from '../lib/i18n-context';
import { mnemonicProps } from '../lib/mnemonics';
import type { SettingsForm } from '../lib/settings-form';
import { MnemonicText } from '../ui/mnemonic-text';
import { SettingField } from '../ui/setting-field';
import '../ui/setting-dialogs.css';

/** The settings keys of a method's 通報の抑制 (on/off and its period). */
export function suppressionKeys(method: MethodName): { enabled: string; period: string } {
  const base = `methods.${method}.suppression`;
  return { enabled: `${base}.enabled`, period: `${base}.periodMinutes` };
}

/** 抑制期間 as typed: whole minutes within SUPPRESSION_PERIOD_RANGE, else null. */
export function parsePeriod(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const minutes = Number(trimmed);
  return minutes >= SUPPRESSION_PERIOD_RANGE.min && minutes <= SUPPRESSION_PERIOD_RANGE.max ? minutes : null;
}

/** The window's own check of the period (null when fine or when suppression is off and the period greyed out). */
export function periodProblem({ t }: I18n, form: SettingsForm<string>, method: MethodName): string | null {
  const keys = suppressionKeys(method);
  if (!form.checked(keys.enabled)) return null;
  return parsePeriod(form.text(keys.period)) === null ? t('history.suppression.periodInvalid') : null;
}

/** The suppression keys OK stores: with suppression off, the greyed-out period keeps what is stored. */
export function suppressionSaved(form: SettingsForm<string>, method: MethodName): string[] {
  const keys = suppressionKeys(method);
  return form.checked(keys.enabled) ? [keys.enabled, keys.period] : [keys.enabled];
}

/**
 * 通報の抑制 of a method's basic settings: on/off and the period, with the seed's note not to
 * change the defaults unless the maintenance company says so. The form must hold both keys
 * (`suppressionKeys`), the period related to the switch (it greys out with it).
 */
export function SuppressionGroup({ form, method }: { form: SettingsForm<string>; method: MethodName }) {
  const { t } = useI18n();
  const keys = suppressionKeys(method);
  const label = t('history.suppression.enabled');
  return (
    <fieldset className="group">
      <legend>{t('https.basic.suppression')}</legend>
      <div className="suppression">
        <Checkbox label={<MnemonicText label={label} />} {...form.checkbox(keys.enabled)} {...mnemonicProps(label)} />
        <div className="setting-fields suppression__period">
          <SettingField
            {...form.field(keys.period)}
            label={t('history.suppression.period')}
            disabled={!form.checked(keys.enabled)}
            inputMode="numeric"
            className="setting-input--port"
          />
        </div>
      </div>
      <p className="hint">
        {t('history.suppression.explain')}
        <br />
        {t('history.suppression.note')}
      </p>
    </fieldset>
  );
}
