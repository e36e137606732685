/**
 * PostgreSQL write-ahead-log positions (LSNs). PostgreSQL prints an LSN as two hexadecimal halves
 * of a 64-bit byte offset, `16/B374D848`; comparing those strings is wrong (`9/0` > `10/0` as text),
 * so every comparison and difference here is done on the 64-bit number, as a bigint.
 *
 * @example
 * const lsn = parseLsn('16/B374D848'); // 0x16_B374D848n
 * formatLsn(lsn) === '16/B374D848';
 */
export type Lsn = bigint;

const LSN_PATTERN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** Parses `hi/lo` into a 64-bit position; `undefined` when the text is not an LSN. */
export function parseLsn(text: string): Lsn | undefined {
  const match = LSN_PATTERN.exec(text);
  if (!match) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Formats a position the way PostgreSQL does: upper-case hex halves, no leading zeros. */
export function formatLsn(lsn: Lsn): string {
  const hi = lsn >> 32n;
  const lo = lsn & 0xffff_ffffn;
  return `${hi.toString(16).toUpperCase()}/${lo.toString(16).toUpperCase()}`;
}

/** Bytes of WAL from `behind` up to `ahead`, never negative (two samples taken a moment apart can cross). */
export function lsnGap(ahead: Lsn, behind: Lsn): bigint {
  return ahead > behind ? ahead - behind : 0n;
}
