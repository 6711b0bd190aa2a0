import { v7 } from 'uuid';

/** Globally unique, time-ordered ids for anything that may leave the machine. */
export function newId(): string {
  return v7();
}

export function nowIso(): string {
  return new Date().toISOString();
}
