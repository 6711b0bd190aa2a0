/**
 * The trusted side of every call, shared by the Electron IPC handlers and the browser-mode
 * host: the method must be in the contract and the input must pass its schema before any
 * service sees it.
 */
import { contract, type ApiErrorBody, type ApiParsedInput, type ApiResult, type Method } from '../shared/contract.ts';

export interface Backend {
  call(method: Method, input: unknown): Promise<ApiResult<Method>>;
}

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** The input as the handler receives it (defaults filled in), or the one line that says what is wrong. */
export function parseInput<M extends Method>(method: M, input: unknown): { ok: true; data: ApiParsedInput<M> } | { ok: false; error: ApiErrorBody } {
  const parsed = contract[method].safeParse(input ?? {});
  if (parsed.success) return { ok: true, data: parsed.data as ApiParsedInput<M> };
  const issue = parsed.error.issues[0]!;
  const path = issue.path.length ? issue.path.join('.') : 'input';
  return { ok: false, error: { code: 'invalid_input', message: `${method}: ${issue.message} at ${path}` } };
}

export async function dispatch(backend: Backend, method: unknown, input: unknown): Promise<ApiResult<Method>> {
  if (!isMethod(method)) return { ok: false, error: { code: 'unknown_method', message: `unknown method ${String(method).slice(0, 80)}` } };
  const parsed = parseInput(method, input);
  if (!parsed.ok) return parsed;
  return backend.call(method, parsed.data);
}
