import { Button, Checkbox, Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState, type FormEvent } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import { withoutZeroDial, withZeroDial, zeroDialState } from '../../../src-shared/dial-number';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { mnemonicProps } from '../../lib/mnemonics';
import { bannerText, useSettingsForm, type Shown } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import { useEnableAfterSave } from '../../methods/enable-after-save';
import { useSaveChanges } from '../../methods/save-changes';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { LazyOpeningEditor } from '../../opening/lazy';
import { useReportChildren } from '../../reports/report-children';
import { OpeningReportButton, type ReportStateLabels } from '../../reports/report-state';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MessageBox } from '../../ui/message-box';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import '../../ui/setting-dialogs.css';
import { DialupDestinationDialog } from './destination-dialog';
import { DestinationList } from './destination-list';
import { deliveryOf, destinationKeys, destinationProblems, dialupKeys, dialupMethodOf, draftDelivery, storedDelivery } from './dialup-form';
import './dialup.css';

/** the window's own nested windows (the test, the opening report and the enable question are the shared ones) */
type Child = 'destinations' | 'info' | 'help';

const DIALUP_STATE: ReportStateLabels = { tested: 'dialupui.tested', notTested: 'dialupui.notTested', openingDone: 'dialupui.openingDone', notOpened: 'dialupui.notOpened' };
const VIAS = ['serial', 'server-management-port', 'management-port'] as const;
const VIA_LABEL = { serial: 'dialupui.via.serial', 'server-management-port': 'dialupui.via.serverManagementPort', 'management-port': 'dialupui.via.managementPort' } as const;

/**
 * エクスプレス通報(ダイヤルアップ経由)の設定 (seed L945–1045): 通報経路, [情報設定(A)...] (the
 * settings utility), [通報先設定(R)...], the 通報先 list with ゼロ発信, [テスト(1次)] / [テスト(2次)]
 * and [開局通報(O)] once a test has succeeded; for the manager's forwarding (L1245–1321) the same
 * without 通報経路, 情報設定 and the opening report, and with 到達確認テスト. A test or the opening
 * report is sent with what the window shows (a draft over the stored settings, by the dial-up
 * route); only OK stores the values (one `settings:patch`), then asks whether to enable the method
 * when it is set up but disabled. A dial-up test sends no result back (L1021): 通報に成功しました
 * is the sign to go on to the opening report.
 */
export function DialupSettingsDialog({ method, onClose }: MethodDialogProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const store = useSettingsStore();
  const dm = dialupMethodOf(method);
  const manager = dm === 'manager-express';
  const k = dialupKeys(dm);
  const keys = [k.via, ...destinationKeys(k)];
  const form = useSettingsForm(keys, store.settings);
  const express = store.settings.methods.express;
  const [child, setChild] = useState<Child | null>(null);
  const which = (d: 1 | 2) => t(d === 1 ? 'dialupui.primary' : 'dialupui.secondary');
  const reports = useReportChildren(method, (d) => ({
    resultless: { running: t('dialupui.test.running', { which: which(d) }), ok: t('dialupui.test.ok'), failed: t('dialupui.test.failed') },
  }));
  const viaId = useId();
  const via = form.text(k.via);
  const primary = form.text(k.primaryNumber);
  const secondary = form.text(k.secondaryNumber);

  /** the route key: a test of this window goes by dial-up even before the basic settings store the route */
  const routeDraft: SettingsChanges = manager ? { 'methods.manager-express.forward': 'dialup' } : { 'methods.express.route': 'dialup' };

  const showRefusal = (error: unknown) => {
    const e = asApiError(error, lang);
    if (e.field === k.via) form.refuse(e, t('dialupui.saveFailed'));
    // the other fields are in 通報先設定: the banner names the field
    else form.setBanner(bannerText(t('dialupui.saveFailed'), e));
  };
  const saving = useSaveChanges(showRefusal);
  const enabling = useEnableAfterSave(method, onClose);
  const busy = saving.busy;

  /**
   * What the window shows, checked (its own checks, then — before a test or the opening report —
   * the backend's, `settings:patch` with dryRun), as a draft; null with the problem shown.
   */
  const check = async (need: 1 | 2 | null): Promise<SettingsChanges | null> => {
    form.setBanner(null);
    const values = {
      primaryNumber: primary.trim(),
      primaryComment: form.text(k.primaryComment).trim(),
      secondaryNumber: secondary.trim(),
      secondaryComment: form.text(k.secondaryComment).trim(),
      port: form.text(k.port).trim(),
      interval: form.text(k.interval).trim(),
    };
    const problems = Object.values(destinationProblems(i18n, values, { need, portNeeded: via === 'serial' }));
    if (problems.length > 0) {
      form.setBanner(t('dialupui.check.inDestinations', { problem: problems[0]! }));
      return null;
    }
    const draft = form.changes(keys);
    return need === null ? draft : saving.dryRun({ ...routeDraft, ...draft });
  };

  const test = async (destination: 1 | 2) => {
    if (busy) return;
    const draft = await check(destination);
    if (draft) reports.test(destination, draft, draftDelivery(k, draft));
  };

  const opening = async () => {
    if (busy) return;
    const draft = await check(1);
    if (draft) reports.opening(draft);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const draft = await check(null);
    if (draft && (await saving.save(draft))) await enabling.afterSave();
  };

  const zero = zeroDialState([primary, secondary]);
  const toggleZero = () => {
    const turn = zero === 'on' ? withoutZeroDial : withZeroDial;
    form.set(k.primaryNumber, turn(primary));
    form.set(k.secondaryNumber, turn(secondary));
  };

  // Tested: what the window shows is what is stored and was tested, or what its last successful test used.
  const shown = deliveryOf({ via, primary: primary.trim(), secondary: secondary.trim(), port: form.text(k.port).trim(), mode: form.text(k.mode) });
  const testedAt = reports.testedAt(shown, !manager && express.route === 'dialup' ? { delivery: storedDelivery(express.dialup), at: express.testedAt } : null);
  const labels = {
    test1: t(manager ? 'dialupui.reach1' : 'dialupui.test1'),
    test2: t(manager ? 'dialupui.reach2' : 'dialupui.test2'),
    opening: t('dialupui.opening'),
    info: t('dialupui.info'),
    destinations: t('dialupui.destinationsButton'),
    zero: t('dialupui.zeroDial'),
    help: t('dialupui.help'),
  };

  return (
    <FormDialog
      title={t(manager ? 'dialupui.titleManager' : 'dialupui.title')}
      surfaceClassName="dialog dialog--dialup"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy}
      onCancel={onClose}
      help={{ label: labels.help, onClick: () => setChild('help') }}
      nested={
        <>
          {child === 'destinations' ? (
            <DialupDestinationDialog
              keys={k}
              initial={form.values}
              portNeeded={via === 'serial'}
              onOk={(values: Record<string, Shown>) => {
                for (const key of destinationKeys(k)) if (values[key] !== form.values[key]) form.set(key, values[key]!);
                form.setBanner(null);
                setChild(null);
              }}
              onCancel={() => setChild(null)}
            />
          ) : null}
          {child === 'info' ? <LazyOpeningEditor forHttps={false} onClose={() => setChild(null)} onSaved={() => setChild(null)} /> : null}
          {child === 'help' ? <MessageBox title={t(manager ? 'dialupui.titleManager' : 'dialupui.title')} message={t(manager ? 'dialupui.helpTextManager' : 'dialupui.helpText')} onClose={() => setChild(null)} /> : null}
          {reports.dialog}
          {enabling.dialog}
        </>
      }
    >
      <FormError text={form.banner} />
      {manager ? null : (
        <div className="dialup-top">
          <fieldset className="group dialup-via">
            <legend id={viaId}>{t('dialupui.via')}</legend>
            <RadioGroup aria-labelledby={viaId} value={via} onChange={(_e, data) => form.set(k.via, VIAS.find((v) => v === data.value) ?? 'serial')}>
              {VIAS.map((v) => {
                const label = t(VIA_LABEL[v]);
                return <Radio key={v} value={v} label={<MnemonicText label={label} />} {...mnemonicProps(label)} ref={v === 'serial' ? form.register(k.via) : undefined} />;
              })}
            </RadioGroup>
          </fieldset>
          <div className="dialup-top__buttons">
            <Button type="button" disabledFocusable={busy} onClick={() => setChild('info')} {...mnemonicProps(labels.info)}>
              <MnemonicButtonText label={labels.info} />
            </Button>
            <Button type="button" disabledFocusable={busy} onClick={() => setChild('destinations')} {...mnemonicProps(labels.destinations)}>
              <MnemonicButtonText label={labels.destinations} />
            </Button>
          </div>
        </div>
      )}
      {!manager && via !== 'serial' ? <p className="hint">{t('dialupui.via.bmcNote')}</p> : null}
      {manager ? (
        <div className="dialup-manager-row">
          <span>{t('dialupui.managerDestinations')}</span>
          <Button type="button" disabledFocusable={busy} onClick={() => setChild('destinations')} {...mnemonicProps(labels.destinations)}>
            <MnemonicButtonText label={labels.destinations} />
          </Button>
        </div>
      ) : null}
      <fieldset className="group">
        <legend>{t('dialupui.list')}</legend>
        <DestinationList
          primary={{ number: primary, comment: form.text(k.primaryComment) }}
          secondary={{ number: secondary, comment: form.text(k.secondaryComment) }}
        />
        <div className="dialup-list-actions">
          <Checkbox
            label={<MnemonicText label={labels.zero} />}
            checked={zero === 'on' ? true : zero === 'partial' ? 'mixed' : false}
            disabled={zero === 'none'}
            onChange={toggleZero}
            {...mnemonicProps(labels.zero)}
          />
          <span className="dialup-list-actions__tests">
            <Button type="button" disabledFocusable={busy} onClick={() => void test(1)}>
              {labels.test1}
            </Button>
            <Button type="button" disabledFocusable={busy} onClick={() => void test(2)}>
              {labels.test2}
            </Button>
          </span>
        </div>
        <p className="hint">{t('dialupui.zeroDialHint')}</p>
      </fieldset>
      {manager ? null : (
        <fieldset className="group">
          <legend>{t('dialupui.service')}</legend>
          <div className="https-actions-row dialup-opening">
            <OpeningReportButton
              label={labels.opening}
              testedAt={testedAt}
              openingReportedAt={express.openingReportedAt}
              labels={DIALUP_STATE}
              busy={busy}
              onClick={() => void opening()}
            />
          </div>
          <p className="hint">{testedAt ? t('dialupui.noResultNote') : t('dialupui.openingHint')}</p>
        </fieldset>
      )}
    </FormDialog>
  );
}
