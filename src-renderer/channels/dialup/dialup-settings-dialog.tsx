import { Button, Checkbox, Radio, RadioGroup } from '@fluentui/react-components';
import { useId, useState, type FormEvent } from 'react';
import type { SettingsChanges } from '../../../src-shared/api';
import { withoutZeroDial, withZeroDial, zeroDialState } from '../../../src-shared/dial-number';
import { useApiClient } from '../../lib/client-context';
import { asApiError } from '../../lib/errors';
import { useI18n } from '../../lib/i18n-context';
import { methodLabel } from '../../lib/labels';
import { mnemonicProps } from '../../lib/mnemonics';
import { bannerText, useSettingsForm, type Shown } from '../../lib/settings-form';
import { useSettingsStore } from '../../lib/settings-store';
import type { MethodDialogProps } from '../../methods/method-dialogs';
import { LazyOpeningEditor } from '../../opening/lazy';
import { OpeningReportFlow } from '../../reports/opening-report-flow';
import { TestReportFlow } from '../../reports/test-report-flow';
import { defaultMailOf } from '../../reports/test-result-destination-dialog';
import { FormDialog } from '../../ui/form-dialog';
import { FormError } from '../../ui/form-error';
import { MessageBox } from '../../ui/message-box';
import { MnemonicButtonText, MnemonicText } from '../../ui/mnemonic-text';
import { QuestionBox } from '../../ui/question-box';
import '../../ui/setting-dialogs.css';
import { DialupDestinationDialog } from './destination-dialog';
import { dateText, DestinationList } from './destination-list';
import { deliveryOf, destinationKeys, destinationProblems, dialupKeys, dialupMethodOf, draftDelivery, storedDelivery } from './dialup-form';
import './dialup.css';

type Child =
  | { kind: 'destinations' }
  | { kind: 'info' }
  | { kind: 'help' }
  | { kind: 'test'; destination: 1 | 2; draft: SettingsChanges; delivery: string }
  | { kind: 'opening'; draft: SettingsChanges }
  | { kind: 'message'; intent: 'info' | 'error'; message: string; details?: string[]; then?: () => void }
  | { kind: 'enable' };

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
  const client = useApiClient();
  const store = useSettingsStore();
  const dm = dialupMethodOf(method);
  const manager = dm === 'manager-express';
  const k = dialupKeys(dm);
  const keys = [k.via, ...destinationKeys(k)];
  const form = useSettingsForm(keys, store.settings);
  const express = store.settings.methods.express;
  const { defaultMail, defaultFrom } = defaultMailOf(store.settings.opening);
  const [busy, setBusy] = useState(false);
  const [child, setChild] = useState<Child | null>(null);
  /** the delivery values of the window's last successful test, and when (stored only by OK) */
  const [tested, setTested] = useState<{ delivery: string; at: string } | null>(null);
  const viaId = useId();
  const stateId = useId();
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
    if (need === null) return draft;
    setBusy(true);
    try {
      await client.call('settings:patch', { changes: { ...routeDraft, ...draft }, dryRun: true });
      return { ...routeDraft, ...draft };
    } catch (error) {
      showRefusal(error);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const test = async (destination: 1 | 2) => {
    if (busy) return;
    const draft = await check(destination);
    if (draft) setChild({ kind: 'test', destination, draft, delivery: draftDelivery(k, draft) });
  };

  const opening = async () => {
    if (busy) return;
    const draft = await check(1);
    if (draft) setChild({ kind: 'opening', draft });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const draft = await check(null);
    if (!draft) return;
    setBusy(true);
    try {
      store.apply(await client.call('settings:patch', { changes: draft }));
    } catch (error) {
      showRefusal(error);
      return;
    } finally {
      setBusy(false);
    }
    try {
      const status = (await client.call('methods:list', {})).find((s) => s.name === method);
      if (status && !status.enabled && status.configured) {
        setChild({ kind: 'enable' });
        return;
      }
    } catch {
      // the settings are stored; the question can wait for the next time
    }
    onClose();
  };

  const enable = async () => {
    try {
      store.applyMethods(await client.call('methods:setEnabled', { name: method, enabled: true }));
      onClose();
    } catch (error) {
      const e = asApiError(error, lang);
      setChild({ kind: 'message', intent: 'error', message: `${t('dialupui.enableFailed')} ${e.message}`, details: e.details, then: onClose });
    }
  };

  const zero = zeroDialState([primary, secondary]);
  const toggleZero = () => {
    const turn = zero === 'on' ? withoutZeroDial : withZeroDial;
    form.set(k.primaryNumber, turn(primary));
    form.set(k.secondaryNumber, turn(secondary));
  };

  // Tested: what the window shows is what is stored and was tested, or what its last successful test used.
  const shown = deliveryOf({ via, primary: primary.trim(), secondary: secondary.trim(), port: form.text(k.port).trim(), mode: form.text(k.mode) });
  const storedTested = !manager && express.route === 'dialup' && express.testedAt && shown === storedDelivery(express.dialup) ? express.testedAt : null;
  const testedAt = storedTested ?? (tested?.delivery === shown ? tested.at : null);
  const name = methodLabel(i18n, method);
  const labels = {
    test1: t(manager ? 'dialupui.reach1' : 'dialupui.test1'),
    test2: t(manager ? 'dialupui.reach2' : 'dialupui.test2'),
    opening: t('dialupui.opening'),
    info: t('dialupui.info'),
    destinations: t('dialupui.destinationsButton'),
    zero: t('dialupui.zeroDial'),
    help: t('dialupui.help'),
  };
  const which = (d: 1 | 2) => t(d === 1 ? 'dialupui.primary' : 'dialupui.secondary');

  return (
    <FormDialog
      title={t(manager ? 'dialupui.titleManager' : 'dialupui.title')}
      surfaceClassName="dialog dialog--dialup"
      mnemonics
      onSubmit={(e) => void submit(e)}
      noValidate
      busy={busy}
      okLabel={t('ui.ok')}
      cancelLabel={t('ui.cancel')}
      onCancel={onClose}
      extraActions={
        <Button type="button" onClick={() => setChild({ kind: 'help' })} {...mnemonicProps(labels.help)}>
          <MnemonicButtonText label={labels.help} />
        </Button>
      }
      nested={
        <>
          {child?.kind === 'destinations' ? (
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
          {child?.kind === 'info' ? <LazyOpeningEditor forHttps={false} onClose={() => setChild(null)} onSaved={() => setChild(null)} /> : null}
          {child?.kind === 'help' ? <MessageBox title={t(manager ? 'dialupui.titleManager' : 'dialupui.title')} message={t(manager ? 'dialupui.helpTextManager' : 'dialupui.helpText')} onClose={() => setChild(null)} /> : null}
          {child?.kind === 'test' ? (
            <TestReportFlow
              method={method}
              destination={child.destination}
              defaultMail={defaultMail}
              defaultFrom={defaultFrom}
              draft={child.draft}
              resultless={{ running: t('dialupui.test.running', { which: which(child.destination) }), ok: t('dialupui.test.ok'), failed: t('dialupui.test.failed') }}
              onDone={(outcome) => {
                setChild(null);
                if (outcome?.delivered) setTested({ delivery: child.delivery, at: new Date().toISOString() });
              }}
            />
          ) : null}
          {child?.kind === 'opening' ? (
            <OpeningReportFlow
              method={method}
              draft={child.draft}
              onDone={() => {
                setChild(null);
                // openingReportedAt is shown at once (its change event may come later)
                store.refresh().catch(() => undefined);
              }}
            />
          ) : null}
          {child?.kind === 'message' ? (
            <MessageBox
              intent={child.intent}
              title={name}
              message={child.message}
              details={child.details}
              onClose={() => {
                setChild(null);
                child.then?.();
              }}
            />
          ) : null}
          {child?.kind === 'enable' ? (
            <QuestionBox
              title={name}
              message={t('https.dest.enableQuestion', { method: name })}
              note={t('https.dest.enableLater', { method: name })}
              onYes={() => void enable()}
              onNo={onClose}
            />
          ) : null}
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
            <Button type="button" disabledFocusable={busy} onClick={() => setChild({ kind: 'info' })} {...mnemonicProps(labels.info)}>
              <MnemonicButtonText label={labels.info} />
            </Button>
            <Button type="button" disabledFocusable={busy} onClick={() => setChild({ kind: 'destinations' })} {...mnemonicProps(labels.destinations)}>
              <MnemonicButtonText label={labels.destinations} />
            </Button>
          </div>
        </div>
      )}
      {!manager && via !== 'serial' ? <p className="hint">{t('dialupui.via.bmcNote')}</p> : null}
      {manager ? (
        <div className="dialup-manager-row">
          <span>{t('dialupui.managerDestinations')}</span>
          <Button type="button" disabledFocusable={busy} onClick={() => setChild({ kind: 'destinations' })} {...mnemonicProps(labels.destinations)}>
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
            <Button type="button" disabled={!testedAt} disabledFocusable={busy} aria-describedby={stateId} onClick={() => void opening()} {...mnemonicProps(labels.opening)}>
              <MnemonicButtonText label={labels.opening} />
            </Button>
            <div id={stateId}>
              <p className={testedAt ? 'https-state https-state--ok' : 'https-state'} data-testid="tested-state">
                {testedAt ? t('dialupui.tested', { date: dateText(lang, testedAt) }) : t('dialupui.notTested')}
              </p>
              <p className={express.openingReportedAt ? 'https-state https-state--ok' : 'https-state'}>
                {express.openingReportedAt ? t('dialupui.openingDone', { date: dateText(lang, express.openingReportedAt) }) : t('dialupui.notOpened')}
              </p>
            </div>
          </div>
          <p className="hint">{testedAt ? t('dialupui.noResultNote') : t('dialupui.openingHint')}</p>
        </fieldset>
      )}
    </FormDialog>
  );
}
