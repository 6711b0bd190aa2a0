/** The prompt and the model output of a team record (JSON text, attacker-controlled) as plain text. */
interface Msg {
  role?: unknown;
  content?: unknown;
}

function side(v: unknown): string {
  const msgs = (v as { messages?: Msg[] } | null)?.messages;
  if (!Array.isArray(msgs)) return '';
  return msgs.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n\n');
}

export function recordText(json: string): { input: string; output: string } {
  try {
    const r = JSON.parse(json) as Record<string, unknown>;
    return { input: side(r.input), output: side(r.output) };
  } catch {
    return { input: '', output: json };
  }
}
