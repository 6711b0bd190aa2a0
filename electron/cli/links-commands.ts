/**
 * `verdict links list|allow|remove`: the workspace's allow-list of hosts whose links (from
 * reviewed content) the desktop app opens after the in-app confirmation alone. Runs the same
 * service handlers as the app, so the setting and its audit event are written in one place.
 */
import { createService } from '../core/service.ts';
import { UsageError } from '../core/util/errors.ts';
import { openWorkspace } from '../core/workspace/open.ts';
import { out, parse, workspacePath } from './args.ts';

export async function linksCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'allow' && sub !== 'remove') throw new UsageError('use "links list", "links allow HOST…" or "links remove HOST…"');
  const { values, positionals } = parse(rest, {}, sub === 'list' ? 0 : Infinity);
  if (sub !== 'list' && positionals.length === 0) throw new UsageError(`give one or more host names, e.g. "links ${sub} docs.example.org"`);
  const ws = openWorkspace(workspacePath(values.workspace));
  const service = createService(ws, { mode: 'desktop', emit: () => {} });
  try {
    let { hosts } = await service['links.hosts']({});
    if (sub === 'allow') ({ hosts } = await service['links.setHosts']({ hosts: [...hosts, ...positionals] }));
    if (sub === 'remove') {
      const drop = new Set(positionals.map((h) => h.trim().toLowerCase()));
      const missing = [...drop].filter((h) => !hosts.includes(h));
      if (missing.length) throw new UsageError(`not on the list: ${missing.join(', ')}; "verdict links list" shows it`);
      ({ hosts } = await service['links.setHosts']({ hosts: hosts.filter((h) => !drop.has(h)) }));
    }
    out(values.json, { hosts }, () =>
      hosts.length
        ? `links to these hosts open after the in-app confirmation alone (others also ask in a system dialog):\n${hosts.map((h) => `  ${h}\n`).join('')}`
        : 'no trusted link hosts: every link from content asks in a system dialog before it opens\n',
    );
    return 0;
  } finally {
    await service.close();
    ws.close();
  }
}
