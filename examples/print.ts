import type { Decision } from '../src/index.js';

const tty = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
const paint = (code: number, text: string): string => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);

/** A section heading for the demo output. */
export function heading(text: string): void {
  console.log(`\n${paint(1, text)}\n${'─'.repeat(Math.min(text.length, 78))}`);
}

/** One decision, readably: verdict, who/what, reason and the sentence a person can act on. */
export function printDecision(label: string, d: Decision): void {
  const verdict = d.allowed ? paint(32, d.reason === 'monitored' ? 'MONITORED' : 'ALLOWED  ') : paint(31, 'DENIED   ');
  console.log(`${verdict} ${label}`);
  const extra = d.allowed && d.reason !== 'monitored' ? ` · basis ${d.basis}${d.consentId ? ` · consent ${d.consentId}` : ''}` : '';
  console.log(`          ${paint(2, `${d.reason} · rule ${d.rule}${extra}`)}`);
  console.log(`          ${d.message}`);
}
