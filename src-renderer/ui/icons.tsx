/** Small inline SVG pictures (no icon font, no network: the CSP allows only 'self'). */

export function MethodBitmap({ enabled }: { enabled: boolean }) {
  return (
    <svg
      className={enabled ? 'method-bitmap method-bitmap--on' : 'method-bitmap method-bitmap--off'}
      width="20"
      height="20"
      viewBox="0 0 20 20"
      aria-hidden="true"
      focusable="false"
      data-enabled={enabled ? 'true' : 'false'}
    >
      {enabled ? (
        <>
          <circle cx="10" cy="10" r="8.5" fill="#13a10e" stroke="#0b6a0b" />
          <path d="M5.5 10.5l3 3 6-7" fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </>
      ) : (
        <>
          <circle cx="10" cy="10" r="8.5" fill="#d6d6d6" stroke="#8a8a8a" />
          <path d="M6.5 6.5l7 7M13.5 6.5l-7 7" fill="none" stroke="#c50f1f" strokeWidth="2" strokeLinecap="round" />
        </>
      )}
    </svg>
  );
}

export type MessageIntent = 'info' | 'warning' | 'error';

export function IntentIcon({ intent }: { intent: MessageIntent }) {
  const colour = intent === 'error' ? '#c50f1f' : intent === 'warning' ? '#bc4b09' : '#0f6cbd';
  return (
    <svg className="intent-icon" width="32" height="32" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      {intent === 'warning' ? (
        <path d="M16 3L30 28H2z" fill={colour} />
      ) : (
        <circle cx="16" cy="16" r="14" fill={colour} />
      )}
      {intent === 'info' ? (
        <>
          <circle cx="16" cy="9.5" r="2" fill="#fff" />
          <rect x="14.25" y="13" width="3.5" height="11" rx="1" fill="#fff" />
        </>
      ) : intent === 'warning' ? (
        <>
          <rect x="14.25" y="11" width="3.5" height="9" rx="1" fill="#fff" />
          <circle cx="16" cy="23.5" r="2" fill="#fff" />
        </>
      ) : (
        <path d="M11 11l10 10M21 11L11 21" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
      )}
    </svg>
  );
}

export function SeverityIcon({ severity }: { severity: 'error' | 'warning' | 'information' }) {
  const colour = severity === 'error' ? '#c50f1f' : severity === 'warning' ? '#bc4b09' : '#0f6cbd';
  return (
    <svg className="severity-icon" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
      {severity === 'warning' ? <path d="M7 1l6 12H1z" fill={colour} /> : <circle cx="7" cy="7" r="6" fill={colour} />}
    </svg>
  );
}
