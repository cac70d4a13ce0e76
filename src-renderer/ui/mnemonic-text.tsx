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
