import { Button } from '@fluentui/react-components';
import type { Settings } from '../../src-shared/settings';
import { mnemonicProps } from '../lib/mnemonics';
import { useI18n } from '../lib/i18n-context';
import { MnemonicButtonText } from '../ui/mnemonic-text';
import { ServiceControls } from '../service/service-controls';
import { OpeningState } from './opening-state';

export interface OpeningGroupProps {
  opening: Settings['opening'];
  /** [開局情報の入力]: starts the opening wizard */
  onInput: () => void;
  /** [設定情報の変更...]: edits the stored pages */
  onChange: () => void;
  /** the method's name, e.g. エクスプレス通報サービス(HTTPS): the title of the service's questions */
  methodTitle: string;
  /** [開局情報の入力]'s label when the window's own controls need its letter (default ui.setup.openingInput) */
  inputLabel?: string;
}

/**
 * The 開局情報 group of a method's set-up window: the state, [開局情報の入力], [設定情報の変更...],
 * and under them the service's life ([サービスの終了], [サービス有効期限の変更]).
 */
export function OpeningGroup({ opening, onInput, onChange, methodTitle, inputLabel: ownInputLabel }: OpeningGroupProps) {
  const { t } = useI18n();
  const inputLabel = ownInputLabel ?? t('ui.setup.openingInput');
  const changeLabel = t('ui.setup.openingChange');
  return (
    <fieldset className="group">
      <legend>{t('ui.setup.opening')}</legend>
      <OpeningState opening={opening} />
      <div className="button-row">
        <Button onClick={onInput} {...mnemonicProps(inputLabel)}>
          <MnemonicButtonText label={inputLabel} />
        </Button>
        <Button disabled={opening === null} onClick={onChange} {...mnemonicProps(changeLabel)}>
          <MnemonicButtonText label={changeLabel} />
        </Button>
      </div>
      {opening ? <ServiceControls title={methodTitle} /> : null}
    </fieldset>
  );
}
