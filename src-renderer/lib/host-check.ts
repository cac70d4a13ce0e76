/** An IPv4 address, a host name or an FQDN (letters, digits, '-', '.'), or an IPv6 address, bare or in brackets. */
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?$/;

/** Whether the text can name a host: an IP address, a host name or an FQDN (at most 255 characters). */
export function isHostName(text: string): boolean {
  return text.length > 0 && text.length <= 255 && HOST.test(text);
}

/** A TCP port typed in the window (full-width digits allowed), or null when it is not 1–65535. */
export function parsePort(text: string): number | null {
  const digits = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  if (!/^\d{1,5}$/.test(digits)) return null;
  const port = Number(digits);
  return port >= 1 && port <= 65535 ? port : null;
}
