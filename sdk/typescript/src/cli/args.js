const REPEATED = new Set(['env', 'metadata', 'run', 'file', 'collect', 'allowed-host']);
const BOOLEAN = new Set(['json', 'follow', 'help', 'no-wait', 'progress']);

/**
 * argv → {positionals, flags, rest}: `--name value`, `--name=value`, boolean flags, repeated flags as
 * arrays, and everything after `--` kept whole as `rest` (exec's command).
 */
export function parseArgs(argv) {
  const positionals = [];
  const flags = {};
  let rest;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { rest = argv.slice(i + 1); break; }
    if (!arg.startsWith('--') || arg === '-') { positionals.push(arg); continue; }
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2);
    if (value === undefined && !BOOLEAN.has(name)) {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (value === undefined) value = true;
    if (REPEATED.has(name)) (flags[name] ??= []).push(value);
    else flags[name] = value;
  }
  return { positionals, flags, rest };
}

/** KEY=value pairs (repeated flags) into an object. */
export function pairs(list) {
  if (!list) return undefined;
  return Object.fromEntries(list.map((p) => {
    const at = p.indexOf('=');
    if (at <= 0) throw new UsageError(`expected KEY=VALUE, got "${p}"`);
    return [p.slice(0, at), p.slice(at + 1)];
  }));
}

export function integer(value, name) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer`);
  return n;
}

/** A mistake in the command line: exit code 2. */
export class UsageError extends Error {}
