import { describe, expect, it } from 'vitest';
import { connectionString, teamTarget } from '../../electron/core/team-client/url.ts';

describe('team URL', () => {
  it('saves the URL without user or password; the connection string gets them back', () => {
    const t = teamTarget('postgres://ana@db.example.org:5432/verdict?sslmode=verify-full', '');
    expect(t).toEqual({ url: 'postgres://db.example.org:5432/verdict?sslmode=verify-full', user: 'ana', key: 'ana@postgres://db.example.org:5432/verdict?sslmode=verify-full' });
    expect(connectionString(t, 'p@ss:/word')).toBe('postgres://ana:p%40ss%3A%2Fword@db.example.org:5432/verdict?sslmode=verify-full');
    expect(teamTarget('postgresql://db/verdict', 'ben').user).toBe('ben');
  });

  it('refuses a password in the URL, other schemes and bad role names, in one line each', () => {
    expect(() => teamTarget('postgres://ana:secret@db/verdict', 'ana')).toThrow(/must not hold a password/);
    expect(() => teamTarget('https://db/verdict', 'ana')).toThrow(/postgres:\/\//);
    expect(() => teamTarget('not a url', 'ana')).toThrow(/not a URL/);
    expect(() => teamTarget('postgres://db/verdict', 'ana; DROP')).toThrow(/role name/);
  });
});
