import { Button, Checkbox, Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState } from 'react';
import type { MessageKey } from '../../src-shared/i18n';
import type { Settings } from '../../src-shared/settings';
import { asApiError } from '../lib/errors';
import { useI18n, type I18n } from '../lib/i18n-context';
import { mnemonicProps } from '../lib/mnemonics';
import { useSettingsForm } from '../lib/settings-form';
import { useSettingsStore } from '../lib/settings-store';
import { LazyOpeningEditor, LazyOpeningWizard } from '../opening/lazy';
import { OpeningGroup } from '../opening/opening-group';
import { FormDialog } from '../ui/form-dialog';
import { FormError } from '../ui/form-error';
import { MessageBox } from '../ui/message-box';
import { MnemonicButtonText, MnemonicText } from '../ui/mnemonic-text';
import '../ui/setting-dialogs.css';
import { MethodMissing, useReloadAfterOpening } from './basic-window';
import './express-basic-settings.css';
import type { MethodDialogProps, WindowRoute } from './method-dialogs';
import { hasRouteSettings, routeSettings } from './registry';
import { useSaveChanges } from './save-changes';
import { periodProblem, SuppressionGroup, suppressionKeys, suppressionSaved } from './suppression-group';

const BASE = 'methods.express';
const ROUTE = `${BASE}.route`;
const SMIME = `${BASE}.smime`;
const SUPPRESSION = suppressionKeys('express');
const KEYS = [ROUTE, SMIME, SUPPRESSION.enabled, SUPPRESSION.period];

type Route = NonNullable<Settings['methods']['express']['route']>;
const ROUTE_LABELS: Readonly<Record<Route, MessageKey>> = {
  mail: 'mailui.basic.route.mail',
  dialup: 'mailui.basic.route.dialup',
  manager: 'mailui.basic.route.manager',
};

type Child = WindowRoute | 'wizard' | 'editor' | 'help';

/** Why [S/MIME 有効] cannot be set now (seed L1649–1656), or null when it can. */
export function smimeBlocked(opening: Settings['opening'], route: string): MessageKey | null {
  if (opening === null) return 'mailui.basic.smimeNoOpening';
  // a key code carries no center certificate to encrypt to
  if (opening.mode !== 'key-file') return 'mailui.basic.smimeKeyCode';
  if (route !== 'mail' && route !== 'dialup') return 'mailui.basic.smimeRoute';
  return null;
}

function mailSummary({ t }: I18n, mail: Settings['methods']['express']['mail']): string {
  if (!mail.smtpHost || !mail.sender) return t('mailui.basic.mailUnset');
  return t('mailui.basic.mailSummary', { server: `${mail.smtpHost}:${mail.smtpPort}`, sender: mail.sender });
}

/**
 * エクスプレス通報サービスの基本設定 (seed L794–806, L940–950): the opening ([開局情報の入力],
 * [設定情報の変更...], the service's life), 通報手段 インターネット メール経由 / ダイヤルアップ経由 /
 * マネージャ経由 with [設定] for the chosen route's own window (methods/registry.tsx ROUTES; that
 * window stores its own values on its OK), [S/MIME 有効] (only with a key-file opening and for
 * the mail and dial-up routes; default on) and 通報の抑制. OK stores the route, S/MIME and the
 * suppression in one `settings:patch` (the backend keeps or clears the test as its rule says);
 * キャンセル stores none of them.
 */
export function ExpressBasicSettingsDialog({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const store = useSettingsStore();
  const stored = store.settings.methods.express;
  const opening = store.settings.opening;
  const form = useSettingsForm(KEYS, store.settings, { related: { [SUPPRESSION.enabled]: [SUPPRESSION.period] } });
  const [child, setChild] = useState<Child | null>(null);
  const saver = useSaveChanges((error) => form.refuse(asApiError(error, lang), t('https.saveFailed')));
  const saving = saver.busy;
  const routeId = useId();
  const smimeId = useId();
  const route = form.text(ROUTE);
  const blocked = smimeBlocked(opening, route);
  const title = t('mailui.basic.title');

  const ok = async () => {
    if (saving) return;
    form.setBanner(null);
    if (!form.show({ [SUPPRESSION.period]: periodProblem(i18n, form, 'express') })) return;
    // a greyed-out S/MIME keeps what is stored (a later key-file opening starts it on again)
    const changes = form.changed([ROUTE, ...(blocked ? [] : [SMIME]), ...suppressionSaved(form, 'express')]);
    await saver.saveAndClose(changes, onClose);
  };

  const reload = useReloadAfterOpening(form);
  const openingDone = () => {
    setChild(null);
    reload();
  };

  const settingsLabel = t('mailui.basic.settings');
  const smimeLabel = t('mailui.basic.smime');

  const routeRow = (value: Route) => {
    const label = t(ROUTE_LABELS[value]);
    const windowRoute: WindowRoute | null = value === 'manager' ? null : value;
    const note =
      value === 'manager'
        ? t('https.basic.managerNote')
        : !hasRouteSettings(value)
          ? t('mailui.basic.noWindow', { route: t(`route.${value}`) })
          : value === 'mail'
            ? mailSummary(i18n, stored.mail)
            : null;
    const noteId = `${routeId}-${value}`;
    return (
      <div className="express-route__row" data-route={value} key={value}>
        <Radio value={value} label={<MnemonicText label={label} />} {...mnemonicProps(label)} />
        {windowRoute ? (
          <Button
            disabled={route !== value || !hasRouteSettings(windowRoute)}
            aria-describedby={note ? noteId : undefined}
            onClick={() => setChild(windowRoute)}
            {...mnemonicProps(settingsLabel)}
          >
            <MnemonicButtonText label={settingsLabel} />
          </Button>
        ) : (
          <span />
        )}
        {note ? (
          <p className="express-route__note" id={noteId}>
            {note}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <FormDialog
      title={title}
      surfaceClassName="dialog dialog--https"
      mnemonics
      busy={saving}
      onOk={() => void ok()}
      onCancel={onClose}
      help={{ label: t('mailui.help'), onClick: () => setChild('help') }}
      nested={
        <>
          {child === 'mail' || child === 'dialup' ? routeSettings(child, method, () => setChild(null)) : null}
          {child === 'wizard' ? <LazyOpeningWizard forHttps={false} onClose={() => setChild(null)} onOpened={openingDone} /> : null}
          {child === 'editor' ? <LazyOpeningEditor forHttps={false} onClose={() => setChild(null)} onSaved={openingDone} /> : null}
          {child === 'help' ? (
            <MessageBox
              title={t('mailui.helpTitle', { window: title })}
              message={t('mailui.basic.help1')}
              details={[t('mailui.basic.help2'), t('mailui.basic.help3'), t('mailui.basic.help4')]}
              onClose={() => setChild(null)}
            />
          ) : null}
        </>
      }
    >
      <FormError text={form.banner} />
      <OpeningGroup
        opening={opening}
        methodTitle={t('method.express')}
        inputLabel={t('mailui.basic.openingInput')}
        onInput={() => setChild('wizard')}
        onChange={() => setChild('editor')}
      />
      <fieldset className="group">
        <legend id={routeId}>{t('mailui.basic.route')}</legend>
        <p className="hint express-route__text">{t('mailui.basic.routeText')}</p>
        <RadioGroup
          className="express-route"
          aria-labelledby={routeId}
          value={route}
          onChange={(_e, data) => form.set(ROUTE, data.value)}
        >
          {(['mail', 'dialup', 'manager'] as const).map(routeRow)}
        </RadioGroup>
        {route === '' ? <p className="hint">{t('mailui.basic.routeNone')}</p> : null}
        <div className="express-smime">
          <Checkbox
            label={<MnemonicText label={smimeLabel} />}
            // with a key-code opening there is no certificate: off, whatever is stored
            checked={blocked === 'mailui.basic.smimeKeyCode' ? false : form.checked(SMIME)}
            onChange={form.checkbox(SMIME).onChange}
            disabled={blocked !== null}
            aria-describedby={smimeId}
            {...mnemonicProps(smimeLabel)}
          />
          <div id={smimeId} className="hint">
            {blocked ? <p className="express-smime__why" data-testid="smime-why">{t(blocked)}</p> : null}
            <p>{t('mailui.basic.smimeText')}</p>
            <p>{t('mailui.basic.smimeNew')}</p>
          </div>
        </div>
      </fieldset>
      <SuppressionGroup form={form} method="express" />
      <MethodMissing method={method} />
    </FormDialog>
  );
}
