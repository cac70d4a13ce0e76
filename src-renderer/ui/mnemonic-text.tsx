import { mnemonic } from '../../src-shared/i18n';

/**
 * A catalogue label such as '設定(&S)' shown as '設定(S)' with the mnemonic letter underlined.
 * The text content (and so the accessible name) is the plain display text.
 */
export function MnemonicText({ label }: { label: string }) {
  const i = label.indexOf('&');
  if (i < 0 || i === label.length - 1) return <>{label}</>;
  return (
    <>
      {label.slice(0, i)}
      <span className="mnemonic">{label[i + 1]}</span>
      {label.slice(i + 2)}
    </>
  );
}

/** The lower-case mnemonic key of a catalogue label, or null. */
export function mnemonicKey(label: string): string | null {
  return mnemonic(label).key;
}

/** The letter a keyboard event stands for ('KeyS' → 's'), independent of Alt changing `key`. */
export function eventLetter(event: { code: string; key: string }): string {
  const m = /^(?:Key([A-Z])|Digit(\d))$/.exec(event.code);
  if (m) return (m[1] ?? m[2] ?? '').toLowerCase();
  return event.key.length === 1 ? event.key.toLowerCase() : '';
}

/**
 * MnemonicText for a button's content. A Fluent button is a flex box, which would make each piece
 * a block of its own (the accessible name then reads '戻る( B )'); one wrapping span keeps them inline.
 */
export function MnemonicButtonText({ label }: { label: string }) {
  return (
    <span>
      <MnemonicText label={label} />
    </span>
  );
}

/** A label as a message names its field: '1 次通報先 URL(&1)' → '1 次通報先 URL', 'Primary URL (&1)' → 'Primary URL'. */
export function plainLabel(label: string): string {
  return label.replace(/\s*[(（]&.[)）]/, '').replace(/&(.)/, '$1').replace(/\.\.\.$|…$/, '').trim();
}
