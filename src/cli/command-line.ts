import { parseArgs } from 'node:util';

/** A command line that cannot run; the command prints the message and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandLine {
  /** Each value flag given, with its values in order. */
  values: Map<string, string[]>;
  /** The switches (flags without a value) given. */
  switches: Set<string>;
  positionals: string[];
}

export interface CommandLineSpec {
  /** Flags that take a value. */
  values: readonly string[];
  /** Flags without a value (`--help`/`-h` is always one). */
  switches?: readonly string[];
  /** Value flags that may be given more than once. */
  repeatable?: readonly string[];
  /** Whether positional arguments are allowed (the caller checks them). */
  positionals?: boolean;
}

/**
 * Reads a command line (without the node and script paths) against the flags a command declares:
 * `'help'` for `-h`/`--help`, otherwise what was given. Shared by every command so that all of them
 * refuse the same mistakes with the same words.
 * @throws UsageError for an unknown flag, a value flag without a value, a repeated value flag that is
 * not repeatable, or a positional argument where none is allowed.
 */
/** The first value of each value flag, for commands whose flags are not repeatable. */
export function singleValues(line: CommandLine): Map<string, string> {
  return new Map([...line.values].map(([flag, values]) => [flag, values[0]!]));
}

export function readCommandLine(argv: readonly string[], spec: CommandLineSpec): CommandLine | 'help' {
  const switches = new Set(['help', ...(spec.switches ?? [])]);
  const valueFlags = new Set(spec.values);
  const repeatable = new Set(spec.repeatable ?? []);
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(spec.values.map((flag) => [flag, { type: 'string' } as const])),
      ...Object.fromEntries([...switches].map((flag) => [flag, { type: 'boolean' } as const])),
      help: { type: 'boolean', short: 'h' },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) return 'help';
  const line: CommandLine = { values: new Map(), switches: new Set(), positionals: [] };
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (!spec.positionals) throw new UsageError(`unexpected argument "${token.value}"`);
      line.positionals.push(token.value);
    } else if (token.kind === 'option') {
      if (switches.has(token.name) && token.value === undefined) {
        line.switches.add(token.name);
        continue;
      }
      if (!valueFlags.has(token.name)) throw new UsageError(`unknown flag ${token.rawName}`);
      if (token.value === undefined || token.value === '') throw new UsageError(`--${token.name} needs a value`);
      const given = line.values.get(token.name) ?? [];
      if (given.length > 0 && !repeatable.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
      line.values.set(token.name, [...given, token.value]);
    }
  }
  return line;
}
