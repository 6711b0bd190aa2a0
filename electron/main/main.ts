/**
 * The Electron main process: one hardened window on the app:// protocol, SQLite in a worker
 * thread, and the IPC handlers of the contract. Follows the Electron security checklist.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { IPC_EVENT_CHANNEL, type ApiResult, type Method } from '../shared/contract.ts';
import { defaultWorkspacePath } from '../core/workspace/paths.ts';
import { CSP } from '../host/csp.ts';
import { WorkerClient } from '../host/worker-client.ts';
import { APP_ORIGIN, createIpcHandlers } from './ipc.ts';
import { Keychain } from './keychain.ts';
import { teamCall, reconnectTeam } from './team-keychain.ts';
import { besideModule, workerEntry } from '../core/util/workers.ts';
import { buildConfig, installConfig } from '../core/config.ts';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const appRoot = app.getAppPath();
const rendererRoot = normalize(join(appRoot, 'dist', 'renderer'));
// The one place the desktop app reads its environment; workers get this object in workerData.
installConfig(buildConfig(process.env, appRoot));

const { values } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { workspace: { type: 'string' }, demo: { type: 'string' }, 'demo-reviews': { type: 'boolean' } },
  strict: false,
});

let worker: WorkerClient | null = null;
let keychain: Keychain;
let win: BrowserWindow | null = null;

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Links from reviewed content: the worker checks them (http(s) only, no credentials, the
 * workspace's host allow-list); a host not on the list needs the reviewer to confirm again in a
 * native dialog showing the full URL, which no page script can click through.
 */
async function openExternal(url: string): Promise<ApiResult<'app.openExternal'>> {
  const checked = await worker!.call('links.check', { url });
  if (!checked.ok) return checked;
  const link = checked.value as { href: string; host: string; allowListed: boolean };
  if (!link.allowListed) {
    const options = {
      type: 'warning' as const,
      buttons: ['Cancel', 'Open in browser'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
      title: 'Open a link from reviewed content?',
      message: `Open a link to ${link.host}?`,
      detail: `${link.href}\n\nThis host is not on the workspace's list of trusted link hosts. The link comes from reviewed content and may be hostile.`,
    };
    const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    if (response !== 1) return { ok: true, value: { opened: false } };
  }
  await shell.openExternal(link.href);
  return { ok: true, value: { opened: true } };
}

app.on('web-contents-created', (_e, contents) => lockDown(contents));

app.whenReady().then(async () => {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Nothing but the app's own files may ever be fetched: content can never cause a request.
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith(`${APP_ORIGIN}/`) && !details.url.startsWith('devtools://') }));

  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'verdict') return new Response('not found', { status: 404 });
    let path: string;
    try {
      path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    } catch {
      return new Response('bad path', { status: 400 });
    }
    const file = normalize(join(rendererRoot, path));
    if (!file.startsWith(rendererRoot + sep) || !existsSync(file)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });

  keychain = new Keychain(join(app.getPath('userData'), 'team-keys'), safeStorage);
  worker = await WorkerClient.start(workerEntry('db-worker'), {
    workspacePath: typeof values.workspace === 'string' ? values.workspace : defaultWorkspacePath(),
    mode: 'desktop',
    demoIfNew: typeof values.demo === 'string' ? Number(values.demo) || 0 : 1000,
    demoReviews: values['demo-reviews'] === true || values.demo === undefined,
  });
  const backend = {
    call: async (method: Method, input: unknown): Promise<ApiResult<Method>> => {
      if (method === 'app.openExternal') return openExternal((input as { url: string }).url);
      if (method === 'team.connect' || method === 'team.disconnect') return teamCall(worker!, keychain, method, input);
      return worker!.call(method, input);
    },
  };
  // The saved team connection comes back on its own, with the password from the keychain.
  void reconnectTeam(worker, keychain);
  const info = await worker.call('workspace.info', {});
  if (info.ok && (info.value as { isDemo: boolean }).isDemo)
    process.stdout.write(`Verdict: the workspace ${(info.value as { path: string }).path} is a DEMO (synthetic escalations); start with --workspace PATH for real work\n`);
  for (const [channel, handler] of createIpcHandlers(backend)) ipcMain.handle(channel, (event, input) => handler(event, input));
  worker.onEvent((event, payload) => win?.webContents.send(IPC_EVENT_CHANNEL, { event, payload }));

  win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Verdict',
    show: false,
    webPreferences: {
      preload: besideModule(import.meta.url, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);
});

app.on('window-all-closed', async () => {
  await worker?.close();
  app.quit();
});
