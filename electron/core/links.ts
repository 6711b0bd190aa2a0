/**
 * Links from reviewed content, which is attacker-controlled. Only http(s) URLs without embedded
 * credentials may be opened; the workspace setting `links.allowed_hosts` lists hosts whose
 * links open after the in-app confirmation alone. The desktop app asks again, natively and with
 * the full URL, for any other host (a compromised page cannot skip that dialog).
 */
import { UserError } from './util/errors.ts';

export const LINK_HOSTS_KEY = 'links.allowed_hosts';

export interface CheckedLink {
  /** The URL as the browser will load it (normalised, hostname in punycode). */
  href: string;
  host: string;
  allowListed: boolean;
}

/** A host name as URLs spell it ("Example.ORG" → "example.org", "bücher.de" → punycode); "*." allows subdomains. */
export function normalizeHost(entry: string): string {
  const trimmed = entry.trim().toLowerCase();
  const wildcard = trimmed.startsWith('*.');
  const name = wildcard ? trimmed.slice(2) : trimmed;
  if (!name || /[\s/:@?#\\*]/.test(name)) throw new UserError(`"${entry}" is not a plain host name (no scheme, port or path)`, 'invalid_input');
  let host: string;
  try {
    host = new URL(`http://${name}/`).hostname;
  } catch {
    throw new UserError(`"${entry}" is not a host name`, 'invalid_input');
  }
  return wildcard ? `*.${host}` : host;
}

export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => (a.startsWith('*.') ? host === a.slice(2) || host.endsWith(a.slice(1)) : host === a));
}

export function checkLink(url: string, allowed: readonly string[]): CheckedLink {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError('not a valid URL', 'invalid_url');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UserError(`refusing to open a ${parsed.protocol} link: only http and https`, 'invalid_url');
  if (parsed.username || parsed.password) throw new UserError('refusing to open a link with a user name or password in it', 'invalid_url');
  if (!parsed.hostname) throw new UserError('the link has no host', 'invalid_url');
  return { href: parsed.href, host: parsed.hostname, allowListed: hostAllowed(parsed.hostname, allowed) };
}

export function parseHostList(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
