/** app.openExternal and links.*: links from content open only after they are checked. */
import { checkLink, LINK_HOSTS_KEY, normalizeHost, parseHostList } from '../links.ts';
import { getSetting, putSetting } from '../settings.ts';
import type { HandlerContext, HandlerGroup } from './types.ts';

type Methods = 'app.openExternal' | 'links.check' | 'links.hosts' | 'links.setHosts';

export function linkHandlers(ctx: HandlerContext): HandlerGroup<Methods> {
  const { ws } = ctx;
  const hosts = () => parseHostList(getSetting(ws, LINK_HOSTS_KEY));
  return {
    'app.openExternal': async ({ url }) => {
      const link = checkLink(url, hosts());
      return { opened: ctx.openExternal ? await ctx.openExternal(link) : false };
    },
    'links.check': ({ url }) => checkLink(url, hosts()),
    'links.hosts': () => ({ hosts: hosts() }),
    'links.setHosts': ({ hosts: given }) => {
      const list = [...new Set(given.map(normalizeHost))].sort();
      putSetting(ws, LINK_HOSTS_KEY, JSON.stringify(list), ctx.reviewer());
      return { hosts: list };
    },
  };
}
