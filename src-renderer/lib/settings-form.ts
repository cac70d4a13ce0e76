import { useRef, useState } from 'react';
import type { SettingsChanges } from '../../src-shared/api';
import type { ApiError } from '../../src-shared/errors';

/**
 * One binding from settings keys to a dialog's fields, in the style of the settings utility's
 * PageBinding: every field is named by the settings key it edits (`methods.express-https.url1`),
 * so the same name carries its value, its message, its element to focus, the change for
 * `settings:patch` and the refusal the backend sends back naming it. A dialog lists its keys once.
 */

/** A field as the window shows it: text, or a check box's state. */
export type Shown = string | boolean;

/** The value at a dotted path of a settings object (`methods.express-https.proxy.host`). */
export function settingAt(source: unknown, path: string): unknown {
  let node = source;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

type Kind = 'text' | 'number' | 'switch';

function kindOf(value: unknown): Kind {
  return typeof value === 'boolean' ? 'switch' : typeof value === 'number' ? 'number' : 'text';
}

function shownOf(value: unknown): Shown {
  if (typeof value === 'boolean') return value;
  return value === null || value === undefined ? '' : String(value);
}

/** Text typed for a number (full-width digits allowed); not a number: the text, which the backend refuses naming the field. */
function numberOf(text: string): number | string {
  const digits = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return /^\d{1,15}$/.test(digits) ? Number(digits) : text;
}

/** A refusal's text for under its field: the reason alone (the field names itself), else the message. */
export function refusalText(error: ApiError): string {
  return [error.reason ?? error.message, ...(error.details ?? [])].join(' ');
}

/** A refusal's text for a banner: what failed (`lead`), the message and its details. */
export function bannerText(lead: string, error: ApiError): string {
  return `${lead} ${[error.message, ...(error.details ?? [])].join(' ')}`;
}

export interface SettingsFormOptions<K extends string> {
  /** the keys are this prefix + '.' + the path in `source` (`methods.express-https.proxy` and a proxy object) */
  base?: string;
  /** editing a key also takes the messages of these (the fields it greys out, a range it is part of) */
  related?: Partial<Record<K, readonly K[]>>;
}

/** What a SettingField needs from the binding. */
export interface BoundField<K extends string> {
  field: K;
  value: string;
  error: string | undefined;
  inputRef(el: HTMLInputElement | null): void;
  onChange(value: string): void;
}

export interface SettingsForm<K extends string> {
  values: Readonly<Record<K, Shown>>;
  errors: Readonly<Partial<Record<K, string>>>;
  /** the message over the whole form: a refusal that names none of its fields */
  banner: string | null;
  text(key: K): string;
  checked(key: K): boolean;
  /** the person changed a field: its message, those of its related fields and the banner go */
  set(key: K, value: Shown): void;
  /** values the window puts in itself (trimmed text, a file's URLs): the messages stay */
  fill(values: Partial<Record<K, Shown>>): void;
  /** the props of a SettingField for this key */
  field(key: K): BoundField<K>;
  /** the props of a Checkbox for this key */
  checkbox(key: K): { checked: boolean; onChange(event: unknown, data: { checked: boolean | 'mixed' }): void };
  /** keeps an element to focus when this key is refused (for a field the binding does not render) */
  register(key: K): (el: HTMLElement | null) => void;
  /** the window's own checks: shows these messages (all others go) and focuses the first on the page; true when there is none */
  show(errors: Partial<Record<K, string | null | undefined>>): boolean;
  /**
   * A refusal from the backend: under the field it names when that is one of this form's (and
   * focused), else in the banner after `lead`. `text` words it for the field (default: the reason).
   */
  refuse(error: ApiError, lead: string, text?: (error: ApiError, key: K) => string): void;
  setBanner(text: string | null): void;
  /** the changes for `settings:patch` (or a draft): each key's value as the settings hold it */
  changes(keys?: readonly K[]): SettingsChanges;
  /** the same, only of the keys whose field differs from what the form was filled with */
  changed(keys?: readonly K[]): SettingsChanges;
  /** shows `source` again (what is stored now), messages gone */
  reset(source: unknown): void;
}

/**
 * The binding of `keys` to fields, filled from `source` (the settings, or the object at `base`).
 * Each key keeps the type it has there: a switch is a check box, a number is typed as text and
 * sent back as a number.
 */
export function useSettingsForm<K extends string>(keys: readonly K[], source: unknown, options: SettingsFormOptions<K> = {}): SettingsForm<K> {
  const { base, related } = options;
  const pathOf = (key: K) => (base && key.startsWith(`${base}.`) ? key.slice(base.length + 1) : key);
  const read = (from: unknown) => Object.fromEntries(keys.map((key) => [key, settingAt(from, pathOf(key))])) as Record<K, unknown>;
  const [kinds] = useState(() => {
    const stored = read(source);
    return Object.fromEntries(keys.map((key) => [key, kindOf(stored[key])])) as Record<K, Kind>;
  });
  const shownFrom = (from: unknown) => {
    const stored = read(from);
    return Object.fromEntries(keys.map((key) => [key, shownOf(stored[key])])) as Record<K, Shown>;
  };
  const [filled, setFilled] = useState<Record<K, Shown>>(() => shownFrom(source));
  const [values, setValues] = useState<Record<K, Shown>>(filled);
  const [errors, setErrors] = useState<Partial<Record<K, string>>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const elements = useRef(new Map<K, HTMLElement>());
  const refs = useRef(new Map<K, (el: HTMLElement | null) => void>());

  const register = (key: K) => {
    let ref = refs.current.get(key);
    if (!ref) {
      ref = (el: HTMLElement | null) => {
        if (el) elements.current.set(key, el);
        else elements.current.delete(key);
      };
      refs.current.set(key, ref);
    }
    return ref;
  };

  /** The first of these keys on the page (by document order), focused. */
  const focusFirst = (named: readonly K[]) => {
    const shown = named.map((key) => elements.current.get(key)).filter((el): el is HTMLElement => el !== undefined);
    shown.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    shown[0]?.focus();
  };

  const set = (key: K, value: Shown) => {
    setValues((v) => ({ ...v, [key]: value }));
    setBanner(null);
    setErrors((e) => {
      const next = { ...e };
      for (const name of [key, ...(related?.[key] ?? [])]) delete next[name];
      return next;
    });
  };

  const changes = (only: readonly K[] = keys): SettingsChanges =>
    Object.fromEntries(
      only.map((key) => {
        const value = values[key];
        return [key, kinds[key] === 'number' && typeof value === 'string' ? numberOf(value) : value];
      }),
    );

  const text = (key: K) => {
    const value = values[key];
    return typeof value === 'string' ? value : '';
  };

  return {
    values,
    errors,
    banner,
    text,
    checked: (key) => values[key] === true,
    set,
    fill: (patch) => setValues((v) => ({ ...v, ...patch })),
    field: (key) => ({ field: key, value: text(key), error: errors[key], inputRef: register(key), onChange: (value) => set(key, value) }),
    checkbox: (key) => ({ checked: values[key] === true, onChange: (_e, data) => set(key, data.checked === true) }),
    register,
    show: (shown) => {
      const next: Partial<Record<K, string>> = {};
      for (const key of Object.keys(shown) as K[]) {
        const message = shown[key];
        if (message) next[key] = message;
      }
      setErrors(next);
      const named = Object.keys(next) as K[];
      focusFirst(named);
      return named.length === 0;
    },
    refuse: (error, lead, wording = refusalText) => {
      const key = keys.find((k) => k === error.field);
      if (key === undefined) {
        setBanner(bannerText(lead, error));
        return;
      }
      setErrors({ [key]: wording(error, key) } as Partial<Record<K, string>>);
      focusFirst([key]);
    },
    setBanner,
    changes,
    changed: (only = keys) => changes(only.filter((key) => values[key] !== filled[key])),
    reset: (from) => {
      const shown = shownFrom(from);
      setFilled(shown);
      setValues(shown);
      setErrors({});
      setBanner(null);
    },
  };
}
