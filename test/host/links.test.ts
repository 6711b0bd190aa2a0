/** Links from content: only http(s) without credentials; the workspace allow-list of hosts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLink, hostAllowed, normalizeHost } from '../../electron/core/links.ts';
import { startTestHost, type TestHost } from './helpers.ts';

describe('link policy', () => {
  it('refuses anything but http(s), and links with credentials', () => {
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'vbscript:x', 'ms-settings:', 'smb://host/share', 'not a url', 'https://user:pw@example.org/', 'https://example.org@evil.test/'])
      expect(() => checkLink(url, []), url).toThrow();
    expect(checkLink('HTTPS://Example.ORG/a b?q=1#f', [])).toEqual({ href: 'https://example.org/a%20b?q=1#f', host: 'example.org', allowListed: false });
  });

  it('shows the host as the browser will load it: a look-alike is not the allow-listed host', () => {
    const allowed = [normalizeHost('Example.org'), normalizeHost('*.wikipedia.org')];
    expect(allowed).toEqual(['example.org', '*.wikipedia.org']);
    expect(checkLink('https://example.org/x', allowed).allowListed).toBe(true);
    expect(checkLink('https://en.wikipedia.org/wiki/X', allowed).allowListed).toBe(true);
    expect(checkLink('https://wikipedia.org/', allowed).allowListed).toBe(true);
    for (const url of ['https://example.org.evil.test/', 'https://evilexample.org/', 'https://ехample.org/', 'https://notwikipedia.org/'])
      expect(checkLink(`${url}`, allowed).allowListed, url).toBe(false);
    expect(checkLink('https://ехample.org/', allowed).host).toMatch(/^xn--/);
    expect(hostAllowed('a.b.wikipedia.org', allowed)).toBe(true);
    for (const bad of ['http://x.org', 'x.org/path', 'x.org:8080', '', 'a b', 'user@x.org']) expect(() => normalizeHost(bad), bad).toThrow();
  });
});

describe('the allow-list through the API', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost(5);
  });
  afterAll(() => t.close());

  it('is a workspace setting, recorded in the audit log, that links.check reads', async () => {
    const set = await t.client.call('links.setHosts', { hosts: ['Docs.Example.org', 'docs.example.org', '*.wikipedia.org'] });
    expect(set).toEqual({ ok: true, value: { hosts: ['*.wikipedia.org', 'docs.example.org'] } });
    expect(await t.client.call('links.hosts', {})).toEqual({ ok: true, value: { hosts: ['*.wikipedia.org', 'docs.example.org'] } });
    expect(await t.client.call('links.check', { url: 'https://docs.example.org/page' })).toMatchObject({ ok: true, value: { allowListed: true } });
    expect(await t.client.call('links.check', { url: 'https://docs.example.org.evil.test/' })).toMatchObject({ ok: true, value: { allowListed: false } });
    expect(await t.client.call('links.setHosts', { hosts: ['https://x.org/'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await t.client.call('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });
    // Browser mode cannot open links itself: the page shows the URL to copy instead.
    expect(await t.client.call('app.openExternal', { url: 'https://docs.example.org/' })).toEqual({ ok: true, value: { opened: false } });
    expect(await t.client.call('app.openExternal', { url: 'javascript:alert(1)' })).toMatchObject({ ok: false, error: { code: 'invalid_url' } });
  });
});
