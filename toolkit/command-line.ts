/**
 * The command lines of lab, e2e and bench, read by `node:util` `parseArgs` (tokens mode), as
 * `scripts/` already does. parseArgs splits `--name value`, `--name=value`, `-h` and `--`; each
 * tool keeps its own words for what is wrong, so this answers with one item per argument instead
 * of throwing parseArgs' generic errors.
 *
 * @example
 * commandLine(['--only=a', '--quick', 'x'], { only: 'string', quick: 'boolean' });
 * // [{ kind: 'value', name: 'only', value: 'a', ... }, { kind: 'flag', name: 'quick', ... }, { kind: 'positional', value: 'x' }]
 */
import { parseArgs } from 'node:util';

/** Each option's kind, by long name; `-h` is `help` when `help` is a flag. */
export type FlagKinds = Readonly<Record<string, 'string' | 'boolean'>>;

export type CommandLineItem =
  /** A known boolean option. */
  | { readonly kind: 'flag'; readonly name: string }
  /** A known option that takes a value; `value` is undefined when none was given (missing, empty, or the next option). */
  | { readonly kind: 'value'; readonly name: string; readonly value: string | undefined }
  /** An option this tool does not know, or a flag given a value: `option` is its name as typed, `text` the whole argument. */
  | { readonly kind: 'unknown'; readonly option: string; readonly text: string }
  | { readonly kind: 'positional'; readonly value: string };

export function commandLine(argv: readonly string[], flags: FlagKinds): CommandLineItem[] {
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, type]) => [name, name === 'help' && type === 'boolean' ? { type, short: 'h' } : { type }]),
  );
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const items: CommandLineItem[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') items.push({ kind: 'positional', value: token.value });
    if (token.kind !== 'option') continue;
    const known = flags[token.name];
    if (known === 'boolean' && token.value === undefined) items.push({ kind: 'flag', name: token.name });
    else if (known === 'string') {
      // parseArgs takes the next argument as the value even when it is another option: that is a missing value.
      const missing = token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('-'));
      items.push({ kind: 'value', name: token.name, value: missing ? undefined : token.value });
    } else items.push({ kind: 'unknown', option: token.rawName, text: argv[token.index] });
  }
  return items;
}
