// For exhaustive switches over the message unions (and any other): a new member is a compile error until it
// is handled. Host validators and every view use this one.
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
