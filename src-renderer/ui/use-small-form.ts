import { useCallback, useRef, useState } from 'react';
import { checkField, normalizeField, type FieldRule } from '../../src-shared/opening';
import { useI18n } from '../lib/i18n-context';
import type { PageBinding } from './utility-field';

export interface SmallForm<F extends string> {
  values: Record<F, string>;
  binding: PageBinding;
  /** Normalises and checks every field; on a problem shows it under the field, focuses it and returns null. */
  check(): Record<F, string> | null;
}

/**
 * The state of a small dialog form of opening fields (通報開局キーコードの入力, 装置の固有情報の入力):
 * `prefix.field` paths, the backend's rules, normalising on leaving a field.
 */
export function useSmallForm<F extends string>(prefix: string, rules: Readonly<Record<F, FieldRule>>, initial: Record<F, string>): SmallForm<F> {
  const i18n = useI18n();
  const [values, setValues] = useState<Record<F, string>>(initial);
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const elements = useRef(new Map<string, HTMLElement>());
  const fieldOf = (path: string): F | null => {
    const name = path.slice(prefix.length + 1);
    return path.startsWith(`${prefix}.`) && Object.prototype.hasOwnProperty.call(rules, name) ? (name as F) : null;
  };
  const register = useCallback(
    (path: string) => (el: HTMLElement | null) => {
      if (el) elements.current.set(path, el);
      else elements.current.delete(path);
    },
    [],
  );

  const issueFor = (field: F, value: string) => checkField(`${prefix}.${field}`, rules[field], value);

  const binding: PageBinding = {
    errors,
    change: (path, value) => {
      const field = fieldOf(path);
      if (!field) return;
      setValues((v) => ({ ...v, [field]: value }));
      // the message was about what was there before
      if (errors[path] !== undefined) {
        setErrors((e) => {
          const next = { ...e };
          delete next[path];
          return next;
        });
      }
    },
    leave: (path, check) => {
      const field = fieldOf(path);
      if (!field) return;
      const stored = normalizeField(rules[field], values[field]);
      if (stored !== values[field]) setValues((v) => ({ ...v, [field]: stored }));
      if (!check || (stored === '' && errors[path] === undefined)) return;
      const issue = issueFor(field, stored);
      setErrors((e) => {
        const next = { ...e };
        if (issue) next[path] = i18n.t(issue.key, issue.params);
        else delete next[path];
        return next;
      });
    },
    guide: () => undefined,
    register,
  };

  const check = (): Record<F, string> | null => {
    const normalized = { ...values };
    const next: Record<string, string> = {};
    let first: string | null = null;
    for (const field of Object.keys(rules) as F[]) {
      normalized[field] = normalizeField(rules[field], values[field]);
      const issue = issueFor(field, normalized[field]);
      if (issue) {
        next[issue.field] = i18n.t(issue.key, issue.params);
        first ??= issue.field;
      }
    }
    setValues(normalized);
    setErrors(next);
    if (first !== null) {
      elements.current.get(first)?.focus();
      return null;
    }
    return normalized;
  };

  return { values, binding, check };
}
