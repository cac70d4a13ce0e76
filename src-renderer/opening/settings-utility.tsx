import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
} from '@fluentui/react-components';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MessageKey } from '../../src-shared/i18n';
import { checkField, type Customer, type CustomerField, type FieldIssue, type OptionDevice } from '../../src-shared/opening';
import { mnemonicProps, onMnemonicKeyDown } from '../lib/mnemonics';
import { asApiError } from '../lib/errors';
import { useI18n } from '../lib/i18n-context';
import { MnemonicButtonText } from '../ui/mnemonic-text';
import {
  checkUtilityPage,
  issueMessage,
  issueReason,
  normalizedAt,
  pageOfField,
  pagesFor,
  ruleOf,
  skippedCustomerFields,
  valueAt,
  withValue,
  type FieldErrors,
  type OpeningForm,
  type OpeningMode,
  type UtilityPage,
} from './opening-form';
import { UtilityCustomerPage } from './utility-customer-page';
import { UtilityDealerPage } from './utility-dealer-page';
import { UtilityDevicePage } from './utility-device-page';
import type { PageBinding } from '../ui/utility-field';
import { UtilityOptionsPage } from './utility-options-page';

export interface SettingsUtilityProps {
  /** エクスプレス通報サービス設定ユーティリティ, or its (HTTPS) form */
  title: string;
  mode: OpeningMode;
  initial: OpeningForm;
  /** shown read-only on the device page of a key-code opening */
  keyCode: string;
  /** shown read-only on the device page of a key-file opening */
  userSystemCode: string;
  /** 完了: stores the pages (opening:commit or opening:update); rejects with the backend's refusal */
  onFinish(form: OpeningForm): Promise<void>;
  onCancel(): void;
}

const PAGE_TITLE: Readonly<Record<UtilityPage, MessageKey>> = {
  customer: 'opening.page.customer',
  device: 'opening.page.device',
  options: 'opening.page.options',
  dealer: 'opening.page.dealer',
};

interface Banner {
  heading: string;
  message: string;
  details: string[];
  /** the field the message names: the banner goes when that field is edited */
  field?: string;
}

function withoutKey(errors: FieldErrors, path: string): FieldErrors {
  const next = { ...errors };
  delete next[path];
  return next;
}

/** Where the focus goes after the next render: a field path, or the page's first field. */
type FocusRequest = { kind: 'first' } | { kind: 'field'; path: string };

/**
 * エクスプレス通報サービス設定ユーティリティ: the customer (key-file opening only), device, option
 * and dealer pages with [< 戻る] [次へ >] … [完了] [キャンセル]. 次へ and 完了 run the backend's field
 * rules first: a refusal names the field, shows the reason under it and moves the focus there.
 * Nothing is sent before 完了, so キャンセル changes nothing. A refusal from the backend is shown
 * the same way, on the page of the field it names.
 */
export function SettingsUtility({ title, mode, initial, keyCode, userSystemCode, onFinish, onCancel }: SettingsUtilityProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const pages = useMemo(() => pagesFor(mode), [mode]);
  const [form, setForm] = useState<OpeningForm>(initial);
  const [index, setIndex] = useState(0);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<Banner | null>(null);
  const [guideKey, setGuideKey] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = useRef(new Map<string, HTMLElement>());
  const pageRef = useRef<HTMLDivElement>(null);
  const focusRequest = useRef<FocusRequest | null>({ kind: 'first' });
  const titleId = useId();
  const page = pages[index] ?? 'device';
  const last = index === pages.length - 1;

  useEffect(() => {
    const request = focusRequest.current;
    if (!request) return;
    focusRequest.current = null;
    if (request.kind === 'first') {
      pageRef.current?.querySelector<HTMLElement>('input:not(:disabled), [role="listbox"]')?.focus();
      return;
    }
    const element = fields.current.get(request.path) ?? fields.current.get(request.path.split('.')[0] ?? '');
    element?.focus();
  });

  const register = useCallback(
    (path: string) => (el: HTMLElement | null) => {
      if (el) fields.current.set(path, el);
      else fields.current.delete(path);
    },
    [],
  );

  const binding: PageBinding = {
    errors,
    change: (path, value) => {
      setForm((f) => withValue(f, path, value));
      // the message (and the banner naming this field) was about what was there before
      if (errors[path] !== undefined) setErrors((e) => withoutKey(e, path));
      setBanner((b) => (b?.field === path ? null : b));
    },
    leave: (path, check) => {
      const rule = ruleOf(path);
      if (!rule) return;
      const stored = normalizedAt(form, path);
      if (stored !== valueAt(form, path)) setForm((f) => withValue(f, path, normalizedAt(f, path)));
      // an instant message once something is typed; an empty field is only refused by 次へ
      if (!check || (stored === '' && errors[path] === undefined)) return;
      const issue = checkField(path, rule, stored);
      setErrors((e) => {
        const next = { ...e };
        if (issue) next[path] = issueReason(i18n, issue);
        else delete next[path];
        return next;
      });
    },
    guide: setGuideKey,
    register,
  };

  /** Shows the problems: each reason under its field, the first one named at the top, focus on it. */
  const refuse = (issues: FieldIssue[], pageIndex: number) => {
    const next: Record<string, string> = {};
    for (const issue of issues) {
      // an option row has no field of its own on the page: its message names the row and field
      next[issue.field] ??= issue.field.startsWith('options.') ? issueMessage(i18n, issue) : issueReason(i18n, issue);
    }
    const first = issues[0]!;
    setErrors(next);
    setBanner({
      heading: t('opening.utility.refused'),
      message: issueMessage(i18n, first),
      field: first.field,
      details: issues.length > 2 ? [t('opening.utility.moreIssues', { count: issues.length - 1 })] : issues.length === 2 ? [t('opening.utility.moreIssue')] : [],
    });
    setIndex(pageIndex);
    focusRequest.current = { kind: 'field', path: first.field };
  };

  const goTo = (pageIndex: number) => {
    setErrors({});
    setBanner(null);
    setGuideKey(null);
    setIndex(pageIndex);
    focusRequest.current = { kind: 'first' };
  };

  const next = () => {
    if (busy) return;
    const checked = checkUtilityPage(page, form);
    setForm(checked.form);
    if (checked.issues.length > 0) refuse(checked.issues, index);
    else goTo(index + 1);
  };

  const finish = async () => {
    if (busy) return;
    let checkedForm = form;
    for (const [i, p] of pages.entries()) {
      const checked = checkUtilityPage(p, checkedForm);
      checkedForm = checked.form;
      if (checked.issues.length > 0) {
        setForm(checkedForm);
        refuse(checked.issues, i);
        return;
      }
    }
    setForm(checkedForm);
    setBusy(true);
    setBanner(null);
    try {
      await onFinish(checkedForm);
    } catch (error) {
      const apiError = asApiError(error, lang);
      const field = apiError.code === 'invalid-value' ? apiError.field : undefined;
      const fieldPage = field ? (field.startsWith('keyCode.keyCode') ? 'device' : pageOfField(field)) : null;
      const pageIndex = fieldPage ? pages.indexOf(fieldPage) : -1;
      if (field && pageIndex >= 0) {
        setErrors({ [field]: field.startsWith('options.') ? apiError.message : (apiError.reason ?? apiError.message) });
        setIndex(pageIndex);
        focusRequest.current = { kind: 'field', path: field };
      }
      setBanner({ heading: t('opening.utility.saveFailed'), message: apiError.message, details: apiError.details ?? [], field });
    } finally {
      setBusy(false);
    }
  };

  /** 個人 clears department and contact; 法人 again brings back what was typed, until 完了. */
  const heldCorporate = useRef<Partial<Record<CustomerField, string>>>({});
  const setCustomerType = (type: Customer['type']) => {
    setForm((f) => {
      const customer: Customer = { ...f.customer, type };
      const skipped = skippedCustomerFields(customer);
      for (const field of skipped) {
        if (customer[field] !== '') heldCorporate.current[field] = customer[field];
        customer[field] = '';
      }
      if (skipped.length === 0) {
        for (const [field, value] of Object.entries(heldCorporate.current) as [CustomerField, string][]) {
          if (customer[field] === '') customer[field] = value;
        }
        heldCorporate.current = {};
      }
      return { ...f, customer };
    });
    setErrors((e) => {
      const nextErrors = { ...e };
      for (const field of skippedCustomerFields({ ...form.customer, type })) delete nextErrors[`customer.${field}`];
      return nextErrors;
    });
  };

  const addOption = (option: OptionDevice) => setForm((f) => ({ ...f, options: [...f.options, option] }));
  const deleteOption = (i: number) => {
    setForm((f) => ({ ...f, options: f.options.filter((_o, j) => j !== i) }));
    // the rows below move up: their messages no longer fit them
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([path]) => !path.startsWith('options.'))));
  };

  /** Enter in a text box presses the default button, as in the seed's wizard. */
  const onContentKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Enter' || e.altKey || e.ctrlKey || e.shiftKey || e.metaKey || e.nativeEvent.isComposing) return;
    const target = e.target;
    if (!(target instanceof HTMLInputElement) || target.type === 'radio' || target.getAttribute('role') === 'combobox') return;
    if (!e.currentTarget.contains(target)) return;
    e.preventDefault();
    if (last) void finish();
    else next();
  };

  const hasRequired = page === 'customer' || page === 'device';
  const backLabel = t('opening.back');
  const nextLabel = t('opening.next');

  let content;
  switch (page) {
    case 'customer':
      content = <UtilityCustomerPage customer={form.customer} binding={binding} onTypeChange={setCustomerType} />;
      break;
    case 'device':
      content = <UtilityDevicePage device={form.device} mode={mode} keyCode={keyCode} userSystemCode={userSystemCode} binding={binding} />;
      break;
    case 'options':
      content = <UtilityOptionsPage options={form.options} binding={binding} onAdd={addOption} onDelete={deleteOption} />;
      break;
    case 'dealer':
      content = <UtilityDealerPage dealer={form.dealer} binding={binding} />;
      break;
  }

  return (
    <Dialog open onOpenChange={(_e, data) => (data.open || busy ? undefined : onCancel())}>
      <DialogSurface className="dialog utility-dialog" onKeyDown={onMnemonicKeyDown} data-page={page}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className="utility" onKeyDown={onContentKeyDown}>
            <div className="utility-header">
              <h3 className="utility-page-title" id={titleId}>
                {t(PAGE_TITLE[page])}
              </h3>
              <span className="utility-step">{t('opening.utility.pageOf', { current: index + 1, total: pages.length })}</span>
            </div>
            {hasRequired ? (
              <p className="utility-required">
                {t('opening.requiredMarked')
                  .split('*')
                  .map((part, i) => (
                    <span key={i}>
                      {i > 0 ? <span className="required-mark">*</span> : null}
                      {part}
                    </span>
                  ))}
              </p>
            ) : null}
            {banner ? (
              <MessageBar intent="error" layout="multiline" className="utility-banner">
                <MessageBarBody>
                  <strong>{banner.heading}</strong> {banner.message}
                  {banner.details.map((line) => (
                    <span key={line} className="utility-banner__detail">
                      {line}
                    </span>
                  ))}
                </MessageBarBody>
              </MessageBar>
            ) : null}
            <section className="utility-page" aria-labelledby={titleId} ref={pageRef}>
              {content}
            </section>
            <div className="utility-guide" aria-live="polite" data-testid="guide">
              {guideKey ? t(guideKey) : ''}
            </div>
          </DialogContent>
          <DialogActions className="utility-actions">
            {busy ? <Spinner size="tiny" label={t('opening.utility.saving')} /> : null}
            <Button
              disabled={index === 0 || busy}
              onClick={() => goTo(index - 1)}
              {...mnemonicProps(backLabel)}
            >
              <MnemonicButtonText label={backLabel} />
            </Button>
            {last ? (
              <Button appearance="primary" disabledFocusable={busy} onClick={() => void finish()}>
                {t('opening.finish')}
              </Button>
            ) : (
              <Button
                appearance="primary"
                disabledFocusable={busy}
                onClick={next}
                {...mnemonicProps(nextLabel)}
              >
                <MnemonicButtonText label={nextLabel} />
              </Button>
            )}
            <Button disabled={busy} onClick={onCancel}>
              {t('opening.cancel')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
