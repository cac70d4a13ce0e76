import './fingerprint.css';

/**
 * A certificate fingerprint (`AB:CD:…`, 32 pairs) as a person compares it between two windows:
 * monospace, in two lines of 16 pairs, never broken inside a pair. Other text is shown as is.
 */
export function Fingerprint({ value, testId }: { value: string; testId?: string }) {
  const pairs = value.split(':');
  const whole = pairs.length === 32 && pairs.every((p) => /^[0-9A-F]{2}$/.test(p));
  return (
    <code className="fingerprint" data-testid={testId} data-value={value}>
      {whole ? (
        <>
          {pairs.slice(0, 16).join(':')}:<br />
          {pairs.slice(16).join(':')}
        </>
      ) : (
        value
      )}
    </code>
  );
}
